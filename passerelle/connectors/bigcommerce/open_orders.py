"""Which orders hold stock the back-office may not know of, by the store's inventory setting.

The Settings API's inventory page (``GET /v3/settings/inventory``,
https://developer.bigcommerce.com/docs/rest-management/settings/inventory) says
when the store lowers stock levels: ``update_stock_behavior`` ``order_placed``
(the default) or ``order_completed_or_shipped``. Statuses are the ids of ``GET
/v2/order_statuses`` (``reference/orders.v2.oas2.yml``).

- ``order_placed``: every placed order has lowered the inventory level, paid or
  not. Those not yet gone are open: Pending 1, Awaiting Payment 7, Awaiting
  Fulfillment 11, Awaiting Shipment 9, Awaiting Pickup 8, Partially Shipped 3,
  Manual Verification Required 12 (held for review).
- ``order_completed_or_shipped``: the level drops only when the order ships or is
  completed, so an order sold and not shipped is still offered by the store:
  passerelle must take it off what it writes. Those are the paid or held ones
  (11, 9, 8, 3, 12); an order awaiting payment (1, 7) is not sold yet.

Shipped 2, Completed 10, Cancelled 5, Refunded 4, Declined 6, Incomplete 0 are
never open; Disputed 13 and Partially Refunded 14 happen after payment and are
left to the merchant (their goods have usually left).
"""

from __future__ import annotations

from passerelle.connectors.bigcommerce.client import BigCommerceClient
from passerelle.i18n.messages import M_

__all__ = ["OPEN_STATUS_IDS", "open_status_ids"]

_SOLD_NOT_SHIPPED = (11, 9, 8, 3, 12)
OPEN_STATUS_IDS: dict[str, tuple[int, ...]] = {
    "order_placed": (1, 7, *_SOLD_NOT_SHIPPED),
    "order_completed_or_shipped": _SOLD_NOT_SHIPPED,
}


def open_status_ids(client: BigCommerceClient) -> tuple[int, ...]:
    """The open statuses under the store's current (global) inventory setting."""
    body = client.get("v3/settings/inventory", what=M_("the inventory settings")) or {}
    behavior = str((body.get("data") or {}).get("update_stock_behavior") or "order_placed")
    return OPEN_STATUS_IDS.get(behavior, OPEN_STATUS_IDS["order_placed"])
