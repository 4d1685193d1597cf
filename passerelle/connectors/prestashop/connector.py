"""The PrestaShop shop connector: what flows can ask of a PrestaShop 1.7/8 shop.

:class:`PrestaShopShop` is the ``Shop`` protocol put together from one part
per job, each on the same wire client: :class:`.Products` (over
:class:`.Catalogue` and :class:`.SpecificPrices`), :class:`.Customers`,
:class:`.Orders` and :class:`.References`. The translations between the wire
and the canonical records are :mod:`.translate_products`, :mod:`.translate_customers`
and :mod:`.translate_orders`. No batch endpoint exists
(``webservice/reference.md``): each record is one request, ``concurrency`` in
flight at once.
"""

from __future__ import annotations

from passerelle.connectors.base import ConnectionReport
from passerelle.connectors.errors import ConnectorError
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.kit.base import HttpShop
from passerelle.connectors.prestashop import endpoints as ep
from passerelle.connectors.prestashop.client import PrestaShopClient
from passerelle.connectors.prestashop.customers import Customers
from passerelle.connectors.prestashop.orders import Orders
from passerelle.connectors.prestashop.products import Products
from passerelle.connectors.prestashop.references import References
from passerelle.i18n import _
from passerelle.i18n.messages import M_, render, said

__all__ = ["PrestaShopShop"]

# Records handed over at once: each batch costs a few reads (the records to update, their
# stock rows) and keeps ``concurrency`` writes in flight; bindings are saved after each.
BATCH = {"stock": 1000, "price": 1000}


class PrestaShopShop(Products, Customers, Orders, References, HttpShop[PrestaShopClient]):
    """A PrestaShop shop reached through its Webservice.

    PrestaShop has no store id: its identity is the shop's address, recorded at
    first contact.
    """

    platform = "prestashop"

    def __init__(
        self,
        url: str,
        api_key: str,
        *,
        options: HttpOptions | None = None,
        concurrency: int = 8,
        language: int = 1,
        tax_rules_groups: dict[str, int] | None = None,
    ) -> None:
        self.client = PrestaShopClient(
            url, api_key, options=options, concurrency=concurrency, language=language
        )
        self.tax_groups = dict(tax_rules_groups or {})

    def close(self) -> None:
        """The Webservice's connection and the one files are downloaded through."""
        self.client.close()

    @property
    def holds_reservations(self) -> bool:
        """False: the ``quantity`` passerelle writes to a ``stock_availables`` row is what
        the shop offers. PrestaShop takes an order's units from ``quantity`` when it is
        placed (``OrderDetail::checkProductStock``) and keeps them aside in
        ``reserved_quantity`` until shipped (``StockManager``); a Webservice PUT of
        ``quantity`` sets the offer and leaves ``physical_quantity`` to follow as
        ``quantity + reserved_quantity`` (see ``sandbox/prestashop/stock.py``). So the
        quantity to write is what the back-office can still sell, nothing added back."""
        return False

    def batch_size(self, kind: str) -> int:
        """No batch endpoint: a large batch only amortises the reads of a write (one
        filtered list for many records) and keeps the pool of requests busy."""
        return BATCH.get(kind, 200)

    def test_connection(self) -> ConnectionReport:
        try:
            self.client.list(
                ep.CONFIGURATIONS,
                {"filter[name]": "[PS_SHOP_NAME]", "display": "[name,value]"},
                what=M_("the shop"),
            )
        except ConnectorError as exc:  # said in the language of whoever asked
            return ConnectionReport(False, render(said(exc)))
        return ConnectionReport(
            True, _("PrestaShop at %(url)s answered.", url=self.client.site_url)
        )
