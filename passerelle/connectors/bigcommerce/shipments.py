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
from passerelle.i18n.messages import M_, said

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


def status_id_of(status: str, order_id: str) -> int:
    """The status id a profile names, by its number or its BigCommerce name."""
    status_id = int(status) if status.isdigit() else STATUS_IDS.get(status)
    if status_id is None:
        raise RecordError(
            M_(
                "%(status)s is not a BigCommerce order status (%(statuses)s)",
                status=repr(status),
                statuses=", ".join(STATUS_IDS),
            ),
            record_id=order_id,
        )
    return status_id


def read_order(
    client: BigCommerceClient, order_id: str, include: dict[str, str] | None = None
) -> dict[str, Any]:
    """The order to write to; gone from the store, a NotFoundError naming it."""
    try:
        return dict(
            client.get(
                f"v2/orders/{segment(order_id)}",
                include,
                what=M_("the order %(number)s", number=order_id),
            )
        )
    except NotFoundError as exc:
        raise NotFoundError(
            M_(
                "order %(number)s no longer exists in the shop: %(error)s",
                number=order_id,
                error=said(exc),
            ),
            status=404,
            record_id=order_id,
        ) from exc


def ship_order(
    client: BigCommerceClient,
    order_id: str,
    *,
    carrier: str,
    tracking_number: str,
    status: str | None,
    include: dict[str, str],
) -> None:
    what = M_("the order %(number)s", number=order_id)
    status_id = status_id_of(status, order_id) if status else None
    if len(tracking_number) > 50:
        raise RecordError(
            M_(
                "tracking number %(number)s is longer than the 50 characters BigCommerce takes",
                number=repr(tracking_number),
            ),
            record_id=order_id,
        )
    raw = read_order(client, order_id, include)
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
            what=M_(
                "the shipment of %(order)s (address %(address)s)", order=what, address=address_id
            ),
        )
        # Every item left is shipped: the last shipment leaves the order Shipped.
        current = _SHIPPED if number == len(left) else _PARTIALLY_SHIPPED
    if status_id is not None and status_id != current:
        client.put(f"v2/orders/{segment(order_id)}", {"status_id": status_id}, what=what)
