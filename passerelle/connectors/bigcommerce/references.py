"""``profile test``: which of the names a profile gives exist in the store.

- tax classes: ``GET /v2/tax_classes`` (``reference/tax_classes.v2.yml``), by id,
  name or slug, as ``tax_classes.TaxClasses`` resolves a product's class;
- payment methods: ``GET /v2/payments/methods``
  (``reference/payments/methods_payments.v2.yml``), by name (what orders show in
  ``payment_method``) or code;
- order statuses: ``GET /v2/order_statuses`` (``reference/orders.v2.oas2.yml``),
  by name or id;
- shipping methods: each zone's ``GET /v2/shipping/zones/{zone_id}/methods``
  after ``GET /v2/shipping/zones`` (``reference/shipping.v2.yml``), by name.

Names compare without case. One read per kind asked.
"""

from __future__ import annotations

from collections.abc import Iterable

from passerelle.connectors.bigcommerce.client import BigCommerceClient
from passerelle.connectors.bigcommerce.tax_classes import TaxClasses
from passerelle.connectors.paths import segment
from passerelle.i18n.messages import M_

__all__ = ["missing_references"]


def _known(client: BigCommerceClient, kind: str) -> set[str]:
    if kind == "payment_method":
        rows = client.get("v2/payments/methods", what=M_("the payment methods")) or []
        return {str(r.get(k) or "") for r in rows for k in ("name", "code")}
    if kind == "order_status":
        rows = client.get("v2/order_statuses", what=M_("the order statuses")) or []
        return {str(r.get(k) or "") for r in rows for k in ("name", "custom_label", "id")}
    if kind == "shipping_method":
        zones = client.get("v2/shipping/zones", what=M_("the shipping zones")) or []
        return {
            str(m.get("name") or "")
            for zone in zones
            for m in client.get(
                f"v2/shipping/zones/{segment(zone['id'])}/methods",
                what=M_("the shipping methods of zone %(zone)s", zone=zone.get("name")),
            )
            or []
        }
    raise ValueError(f"{kind!r} is not a kind of shop reference")  # internal: the code's kinds


def missing_references(
    client: BigCommerceClient, tax_classes: TaxClasses, kind: str, names: Iterable[str]
) -> set[str]:
    wanted = {n for n in names if n}
    if kind == "tax_class":
        return {n for n in wanted if not tax_classes.exists(n)}
    known = {k.casefold() for k in _known(client, kind)}
    return {n for n in wanted if n.casefold() not in known}
