"""Which of the shop's own names a profile refers to exist in a WooCommerce shop.

Read endpoints (woocommerce-rest-api-docs): ``GET /taxes/classes``
(``_tax-classes.md``: ``slug``/``name``; the standard class is slug
``standard``, which products carry as the empty ``tax_class``),
``GET /payment_gateways`` (``_payment-gateways.md``: ``id``),
``GET /reports/orders/totals`` (``_reports.md``: one ``slug`` per order
status the shop knows, custom ones included) and ``GET /shipping_methods``
(``_shipping-methods.md``: ``id``; an order's shipping line names
``method_id``, possibly written ``flat_rate:3`` with its instance).

Why it matters: WooCommerce answers 200 to a product whose ``tax_class`` it
does not have and charges the standard rate instead, silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from passerelle.connectors.base import SHOP_REFERENCE_KINDS
from passerelle.connectors.woocommerce import endpoints as ep
from passerelle.connectors.woocommerce.client import WooCommerceClient
from passerelle.i18n.messages import M_, Message, Text

__all__ = ["CORE_ORDER_STATUSES", "missing_references", "reference_names"]

# wc_get_order_statuses() without the "wc-" prefix: always there.
CORE_ORDER_STATUSES = frozenset(
    {
        "pending",
        "processing",
        "on-hold",
        "completed",
        "cancelled",
        "refunded",
        "failed",
        "checkout-draft",
    }
)


# What each request reads, as a refusal of it names it.
_TAX_CLASSES: Message = M_("the tax classes")
_PAYMENT_METHODS: Message = M_("the payment methods")
_ORDER_STATUSES: Message = M_("the order statuses")
_SHIPPING_METHODS: Message = M_("the shipping methods")


def _tax_classes(client: WooCommerceClient) -> set[str]:
    rows = client.get(ep.TAX_CLASSES, what=_TAX_CLASSES) or []
    known = {"", "standard"}
    for row in rows:
        known |= {str(row.get("slug") or "").casefold(), str(row.get("name") or "").casefold()}
    return known


def _payment_methods(client: WooCommerceClient) -> set[str]:
    rows = client.get(ep.PAYMENT_GATEWAYS, what=_PAYMENT_METHODS) or []
    return {str(row.get("id") or "").casefold() for row in rows}


def _order_statuses(client: WooCommerceClient) -> set[str]:
    rows = client.get(ep.ORDER_STATUS_TOTALS, what=_ORDER_STATUSES) or []
    return set(CORE_ORDER_STATUSES) | {str(row.get("slug") or "").casefold() for row in rows}


def _shipping_methods(client: WooCommerceClient) -> set[str]:
    rows = client.get(ep.SHIPPING_METHODS, what=_SHIPPING_METHODS) or []
    return {str(row.get("id") or "").casefold() for row in rows}


def _normal(kind: str, name: str) -> str:
    """How a profile may write a name: ``wc-on-hold``, ``flat_rate:3``, any case."""
    text = name.strip().casefold()
    if kind == "order_status":
        text = text.removeprefix("wc-")
    if kind == "shipping_method":
        text = text.partition(":")[0]
    return text


_READERS: dict[str, Callable[[WooCommerceClient], set[str]]] = {
    "tax_class": _tax_classes,
    "payment_method": _payment_methods,
    "order_status": _order_statuses,
    "shipping_method": _shipping_methods,
}


def missing_references(client: WooCommerceClient, kind: str, names: Iterable[Any]) -> set[str]:
    """The ``names`` the shop does not have as ``kind``; one request, none when no names."""
    if kind not in SHOP_REFERENCE_KINDS:
        raise ValueError(  # internal: a caller's bug, the kinds are the flows' constants
            f"unknown shop reference kind {kind!r}; one of {SHOP_REFERENCE_KINDS}"
        )
    wanted = {str(n) for n in names}
    if not wanted:
        return set()
    known = _READERS[kind](client)
    return {name for name in wanted if _normal(kind, name) not in known}


def _rows(client: WooCommerceClient, endpoint: str, key: str, what: Text) -> list[str]:
    rows = client.get(endpoint, what=what) or []
    return [str(row.get(key) or "") for row in rows if row.get(key)]


_LISTERS: dict[str, Callable[[WooCommerceClient], list[str]]] = {
    # The standard class is the empty tax_class on a product.
    "tax_class": lambda c: ["", *_rows(c, ep.TAX_CLASSES, "slug", _TAX_CLASSES)],
    "payment_method": lambda c: _rows(c, ep.PAYMENT_GATEWAYS, "id", _PAYMENT_METHODS),
    "order_status": lambda c: sorted(
        CORE_ORDER_STATUSES | set(_rows(c, ep.ORDER_STATUS_TOTALS, "slug", _ORDER_STATUSES))
    ),
    "shipping_method": lambda c: _rows(c, ep.SHIPPING_METHODS, "id", _SHIPPING_METHODS),
}


def reference_names(client: WooCommerceClient, kind: str) -> list[str]:
    """Every name of ``kind`` (one of SHOP_REFERENCE_KINDS) the shop has, as a profile
    writes it (slugs, gateway ids): what a mapping may choose from. One request."""
    if kind not in SHOP_REFERENCE_KINDS:
        raise ValueError(  # internal: a caller's bug, the kinds are the flows' constants
            f"unknown shop reference kind {kind!r}; one of {SHOP_REFERENCE_KINDS}"
        )
    return list(dict.fromkeys(_LISTERS[kind](client)))
