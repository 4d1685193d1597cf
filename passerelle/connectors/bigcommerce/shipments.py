"""O20: an order's shipment through ``POST /v2/orders/{order_id}/shipments``.

From ``reference/orders.v2.oas2.yml`` (Order Shipments): a shipment belongs
to one shipping address (``order_address_id``) and lists the order products
it carries (``items``: ``order_product_id``, ``quantity``), both required; it
takes a ``tracking_number`` (50 characters at most) and either a
``shipping_provider`` (one of the standard providers, which also builds the
tracking link) or a free ``shipping_method`` text. Creating it moves the order
to Shipped, or Partially Shipped while items are left. The API has no date
for a shipment (``date_created`` is read-only) and no per-shipment e-mail
switch: the store's notification settings decide, so ``shipped_at`` and
``notify_customer`` are not sent.

Cost: one read of the order with its consignments, then one ``POST`` per
shipping address that still has items to ship, then a status ``PUT`` only if
the asked status is not the one the shipment leaves. Told twice (a retry
after a lost answer), nothing is left to ship: no second shipment.
"""

from __future__ import annotations

from typing import Any

from passerelle.connectors.bigcommerce.client import BigCommerceClient
from passerelle.connectors.bigcommerce.translate_orders import STATUS_IDS
from passerelle.connectors.errors import NotFoundError, RecordError
from passerelle.connectors.paths import segment

__all__ = ["ship_order"]

# shipping_provider_standard in orders.v2.oas2.yml.
_PROVIDERS = frozenset(
    {
        "auspost",
        "canadapost",
        "endicia",
        "usps",
        "fedex",
        "ups",
        "upsready",
        "upsonline",
        "shipperhq",
        "royalmail",
    }
)
_SHIPPED, _PARTIALLY_SHIPPED = 2, 3


def _remaining(raw: dict[str, Any]) -> dict[int, list[dict[str, int]]]:
    """Items still to ship, by shipping address id (consignments with line items)."""
    out: dict[int, list[dict[str, int]]] = {}
    for consignment in (raw.get("consignments") or {}).get("shipping") or []:
        for line in consignment.get("line_items") or []:
            left = int(line.get("quantity") or 0) - int(line.get("quantity_shipped") or 0)
            if left > 0:
                out.setdefault(int(consignment["id"]), []).append(
                    {"order_product_id": int(line["id"]), "quantity": left}
                )
    return out


def _carrier_fields(carrier: str) -> dict[str, str]:
    code = carrier.strip().lower().replace(" ", "")
    if code in _PROVIDERS:
        return {"shipping_provider": code}
    return {"shipping_method": carrier.strip()} if carrier.strip() else {}


def ship_order(
    client: BigCommerceClient,
    order_id: str,
    *,
    carrier: str,
    tracking_number: str,
    status: str | None,
    include: dict[str, str],
) -> None:
    what = f"order {order_id}"
    status_id: int | None = None
    if status:
        status_id = int(status) if status.isdigit() else STATUS_IDS.get(status)
        if status_id is None:
            raise RecordError(
                f"{status!r} is not a BigCommerce order status ({', '.join(STATUS_IDS)})",
                record_id=order_id,
            )
    if len(tracking_number) > 50:
        raise RecordError(
            f"tracking number {tracking_number!r} is longer than the 50 "
            "characters BigCommerce takes",
            record_id=order_id,
        )
    try:
        raw = client.get(f"v2/orders/{segment(order_id)}", include, what)
    except NotFoundError as exc:
        raise NotFoundError(
            f"order {order_id} no longer exists in the shop: {exc}", status=404, record_id=order_id
        ) from exc
    current = int(raw.get("status_id") or 0)
    left = _remaining(raw)
    for number, (address_id, items) in enumerate(left.items(), start=1):
        body: dict[str, Any] = {
            "order_address_id": address_id,
            "items": items,
            "tracking_number": tracking_number,
            **_carrier_fields(carrier),
        }
        client.post(
            f"v2/orders/{segment(order_id)}/shipments",
            body,
            what=f"the shipment of {what} (address {address_id})",
        )
        # Every item left is shipped: the last shipment leaves the order Shipped.
        current = _SHIPPED if number == len(left) else _PARTIALLY_SHIPPED
    if status_id is not None and status_id != current:
        client.put(f"v2/orders/{segment(order_id)}", {"status_id": status_id}, what)
