"""``GET /reports/orders/totals``: how many orders each status holds.

Docs: woocommerce-rest-api-docs ``_reports.md`` § "Retrieve orders totals"
(``[{slug, name, total}]``). Source
``class-wc-rest-report-orders-totals-controller.php``: one row per status of
``wc_get_order_statuses()`` — the core ones and any an extension registered
(so this is where a client learns a shop's custom statuses) — ``slug``
without its ``wc-`` prefix, ``total`` counting the orders in it (0 when
none); one list, not paged.
"""

from __future__ import annotations

from ..http import NAMESPACE, Request, Response, Router
from .common import Shop
from .orders import STATUS_LABELS

__all__ = ["ORDER_STATUS_NAMES", "register"]

# wc_get_order_statuses(), in its order (wc-order-functions.php).
ORDER_STATUS_NAMES = {
    slug: STATUS_LABELS[slug]
    for slug in (
        "pending",
        "processing",
        "on-hold",
        "completed",
        "cancelled",
        "refunded",
        "failed",
        "checkout-draft",
    )
}


def register(router: Router, shop: Shop) -> None:
    def orders_totals(req: Request) -> Response:
        with shop.store.lock:
            counts: dict[str, int] = {}
            for order in shop.data.orders.values():
                counts[order["status"]] = counts.get(order["status"], 0) + 1
        return Response(
            [
                {"slug": slug, "name": name, "total": counts.get(slug, 0)}
                for slug, name in ORDER_STATUS_NAMES.items()
            ]
        )

    router.add(f"/{NAMESPACE}/reports/orders/totals", "GET", orders_totals, collection=True)
