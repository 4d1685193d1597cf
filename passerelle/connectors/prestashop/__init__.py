"""PrestaShop 1.7/8 through its Webservice (XML bodies, JSON reads, no batch)."""

from passerelle.connectors.prestashop.connector import PrestaShopShop

__all__ = ["PrestaShopShop"]
