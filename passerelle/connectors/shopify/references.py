"""Which of a profile's names a Shopify shop does not have (``profile test``).

- **tax class**: Shopify has no tax classes. The region's rate applies to every
  *taxable* variant (ProductVariant ``taxable``), and a reduced rate is a *tax override*
  the merchant sets in the admin on a collection (Settings › Taxes and duties › country
  › Add override: help.shopify.com/manual/taxes/tax-overrides; the Admin API neither
  sets nor reads overrides). So a profile's tax class means: ``standard`` (or empty) →
  taxable, ``zero-rate`` → not taxable, any other name → the collection of that title,
  which carries the override, and the product is put in it. A name with no such
  collection is missing, reported before anything is written rather than silently
  charged at the standard rate. That the collection has its override is the merchant's
  part: the API cannot check it.
- **payment method**: the Admin API lists no payment gateways (an order only names the
  ones it was paid with, objects/Order ``paymentGatewayNames``, and a manual method the
  merchant adds may not have been used yet): it cannot be checked, and says so
  (NotImplementedError: ``profile test`` reports it as not checked rather than missing).
- **order status**: the financial statuses ``Order.shop_status`` can take
  (enums/OrderDisplayFinancialStatus, in lower case) and ``cancelled``.
- **shipping method**: the rates of the delivery profiles (queries/deliveryProfiles,
  DeliveryMethodDefinition ``name``) and the codes and titles of the shipping lines of
  the latest 100 orders (a carrier app's rates appear only there).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from passerelle.connectors.shopify import endpoints as doc
from passerelle.connectors.shopify.client import ShopifyClient
from passerelle.i18n.messages import M_

__all__ = ["TAXABLE", "References", "taxable"]

TAXABLE = {"": True, "standard": True, "zero-rate": False}
ORDER_STATUSES = frozenset(
    {
        "authorized",
        "expired",
        "paid",
        "partially_paid",
        "partially_refunded",
        "pending",
        "refunded",
        "voided",
        "cancelled",
    }
)


def taxable(tax_class: str) -> bool | None:
    """The variant's ``taxable`` for a profile's tax class; None: a class of its own (a
    collection with a tax override)."""
    return TAXABLE.get(tax_class.strip().lower())


class References:
    def __init__(self, client: ShopifyClient, collection_id: Callable[[str], str | None]) -> None:
        self.client, self.collection_id = client, collection_id

    def _shipping_on_orders(self) -> set[str]:
        nodes = self.client.run(
            doc.REFERENCE_ORDERS, cost=doc.REFERENCE_ORDERS_COST, what=M_("the latest orders")
        )["orders"]["nodes"]
        return {
            v
            for o in nodes
            for s in o["shippingLines"]["nodes"]
            for v in (s.get("code"), s.get("title"))
            if v
        }

    def _rates(self) -> set[str]:
        profiles = self.client.run(
            doc.DELIVERY_PROFILES, cost=doc.DELIVERY_PROFILES_COST, what=M_("the delivery profiles")
        )["deliveryProfiles"]["nodes"]
        return {
            m["name"]
            for p in profiles
            for group in p["profileLocationGroups"]
            for zone in group["locationGroupZones"]["nodes"]
            for m in zone["methodDefinitions"]["nodes"]
        }

    def missing(self, kind: str, names: Iterable[str]) -> set[str]:
        wanted = {n for n in names if n is not None}
        if not wanted:
            return set()
        if kind == "tax_class":
            return {n for n in wanted if taxable(n) is None and self.collection_id(n) is None}
        if kind == "order_status":
            return {n for n in wanted if n.lower() not in ORDER_STATUSES}
        if kind == "payment_method":
            raise NotImplementedError(  # internal: caught as "not checked", never shown
                "Shopify's Admin API lists no payment gateways"
            )
        if kind == "shipping_method":
            known = self._shipping_on_orders() | self._rates()
            return {n for n in wanted if n not in known}
        raise ValueError(f"no shop reference of kind {kind!r}")  # internal: the code's kinds
