"""``/coupons`` (read only): the shop's coupons, found by id or by code.

Docs: woocommerce-rest-api-docs ``_coupons.md`` — properties (``code``,
``amount`` as a two-decimal string, ``discount_type``, ``description``,
dates, usage limits, ``meta_data``…), "Retrieve a coupon"
(``GET /coupons/<id>``) and "List all coupons" with its ``code`` parameter
("Limit result set to resources with a specific code"), ``search``,
``include``/``exclude``, paging and ``orderby``/``order`` (date, desc).

Why only reads: order lines carry just a coupon's ``code`` and discount
(``_orders.md`` § "Order - Coupon lines properties"); a connector that needs
the coupon's own text (its ``description``) looks it up by code. Coupons are
seeded; creating or editing them through the API is not implemented (the
routes answer ``rest_no_route`` like a shop without them). An unknown id is
``woocommerce_rest_shop_coupon_invalid_id`` (404). Codes are stored lower
case (``wc_format_coupon_code``), so ``code`` matches case-insensitively.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from ..errors import invalid_id
from ..http import NAMESPACE, Request, Response, Router
from ..pagination import paginate
from .common import Shop, filter_dates, filter_ids, links, order_and_sort

__all__ = ["register", "render_coupon"]

_DEFAULTS: dict[str, Any] = {
    "date_created": None,
    "date_created_gmt": None,
    "date_modified": None,
    "date_modified_gmt": None,
    "discount_type": "fixed_cart",
    "description": "",
    "date_expires": None,
    "date_expires_gmt": None,
    "usage_count": 0,
    "individual_use": False,
    "product_ids": [],
    "excluded_product_ids": [],
    "usage_limit": None,
    "usage_limit_per_user": None,
    "limit_usage_to_x_items": None,
    "free_shipping": False,
    "product_categories": [],
    "excluded_product_categories": [],
    "exclude_sale_items": False,
    "minimum_amount": "0.00",
    "maximum_amount": "0.00",
    "email_restrictions": [],
    "used_by": [],
    "meta_data": [],
}


def render_coupon(req: Request, coupon: dict[str, Any]) -> dict[str, Any]:
    """A stored coupon with every documented property, in the docs' order."""
    out: dict[str, Any] = {
        "id": coupon["id"],
        "code": coupon["code"],
        "amount": f"{Decimal(coupon['amount']):.2f}",
    }
    for key, default in _DEFAULTS.items():
        out[key] = copy.deepcopy(coupon.get(key, default))
    out["_links"] = links(req, "coupons", coupon["id"])
    return out


def register(router: Router, shop: Shop) -> None:
    lock = shop.store.lock
    base = f"/{NAMESPACE}/coupons"

    def list_route(req: Request) -> Response:
        p = req.params
        with lock:
            items = list(shop.data.coupons.values())
            code = (p.string("code") or "").strip().lower()
            if code:
                items = [c for c in items if c["code"] == code]
            search = (p.string("search") or "").casefold()
            if search:
                items = [
                    c
                    for c in items
                    if search in c["code"].casefold()
                    or search in str(c.get("description", "")).casefold()
                ]
            items, include = filter_ids(items, p)
            items = filter_dates(items, p)
            items = order_and_sort(
                items,
                p,
                {
                    "date": lambda c: c.get("date_created_gmt") or "",
                    "id": lambda c: c["id"],
                    "title": lambda c: c["code"],
                    "slug": lambda c: c["code"],
                },
                default_orderby="date",
                default_order="desc",
                include=include,
            )
            page, headers = paginate(items, p, collection_url=req.url(base), query=req.query)
            return Response([render_coupon(req, c) for c in page], headers=headers)

    def get_route(req: Request) -> Response:
        with lock:
            coupon = shop.data.coupons.get(int(req.params.url["id"]))
            if coupon is None:
                raise invalid_id("woocommerce_rest_shop_coupon_invalid_id", "Invalid ID.")
            return Response(render_coupon(req, coupon))

    router.add(base, "GET", list_route, collection=True)
    router.add(f"{base}/<id>", "GET", get_route)
