"""``/orders/<id>/refunds``: refunds of an order, and the order's ``refunds`` summary.

Docs: woocommerce-rest-api-docs ``_order-refunds.md`` (properties ``id``,
``date_created``, ``amount``, ``reason``, ``refunded_by``,
``refunded_payment``, ``meta_data``, ``line_items``; create / retrieve /
list / delete; ``api_refund`` defaults to true; delete needs
``force=true``) and ``_orders.md`` § "Order - Refunds properties" (the
order's read-only ``refunds`` array of ``{id, reason, total}``).

Behaviour from ``class-wc-rest-order-refunds-v2-controller.php`` and
``wc_create_refund`` (``wc-order-functions.php``):

- a negative ``amount`` is ``woocommerce_rest_invalid_order_refund`` (400);
  without an ``amount`` the refund is the sum of the posted line items'
  ``refund_total`` and ``refund_tax`` (the docs' "it will take precedence
  over line item totals" for an explicit amount);
- an amount above what remains refundable (order total − refunds so far) is
  refused: ``woocommerce_rest_cannot_create_order_refund`` (500) "Invalid
  refund amount.";
- ``line_items`` name order items by ``id`` (products, fees or shipping);
  each becomes a refund item copying the original, with a *negative*
  quantity, total and taxes and a ``_refunded_item_id`` meta (the docs'
  example: ``"quantity": -1``, ``"total": "-9.00"``); unknown ids are
  skipped; only product items are listed under the refund's ``line_items``;
- ``api_refund`` (default true) asks the payment gateway to pay back: a
  gateway that does not declare ``refunds`` support makes the whole refund
  fail (500, "The payment gateway for this order does not support automatic
  refunds."); otherwise ``refunded_payment`` is true (the sandbox's
  gateways pretend to have paid back);
- ``api_restock`` (default true) gives back the refunded quantities of the
  lines whose stock the order took (``wc_restock_refunded_items``, see
  ``stock.py``), before the status change;
- when nothing remains refundable the order moves to ``refunded``
  (``woocommerce_order_fully_refunded``), with its status-change note;
- the order's summary (rendered by ``orders.py``) lists its refunds newest
  first, ``total`` being the amount as a negative string.
"""

from __future__ import annotations

import copy
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ..errors import ApiError, invalid_id, invalid_param
from ..http import NAMESPACE, Request, Response, Router
from ..pagination import paginate
from ..params import Params, format_gmt, format_local
from ..totals import fmt_money, fmt_tax
from .common import (
    Shop,
    apply_meta_data,
    created_response,
    filter_dates,
    filter_ids,
    links,
    order_and_sort,
)
from .orders import OrderService

__all__ = ["RefundService", "register"]

ADMIN_USER_ID = 1  # ``refunded_by`` defaults to the API key's user


def _amount(value: Any, name: str) -> Decimal:
    """A refund amount: the schema says string; numbers are refused like WordPress does."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise invalid_param({name: f"{name} is not of type string."})
    try:
        return Decimal(str(value).strip() or "0")
    except InvalidOperation as exc:
        raise invalid_param({name: f"{name} is not of type string."}) from exc


class RefundService:
    """Refund creation (``wc_create_refund``), listing and rendering. Lock held by callers."""

    def __init__(self, shop: Shop, orders: OrderService) -> None:
        self.shop = shop
        self.orders = orders

    def order(self, order_id: int) -> dict[str, Any]:
        order = self.shop.data.orders.get(order_id)
        if order is None:
            raise invalid_id("woocommerce_rest_invalid_order_id", "Invalid order ID.")
        return order

    def get(self, order_id: int, refund_id: int) -> dict[str, Any]:
        self.order(order_id)
        refund = self.shop.data.refunds.get(refund_id)
        if refund is None or refund["order_id"] != order_id:
            raise invalid_id("woocommerce_rest_shop_order_refund_invalid_id", "Invalid ID.")
        return refund

    def refunded_total(self, order_id: int) -> Decimal:
        return sum(
            (
                Decimal(r["amount"])
                for r in self.shop.data.refunds.values()
                if r["order_id"] == order_id
            ),
            Decimal(0),
        )

    # -- create -----------------------------------------------------------------
    def create(
        self, order_id: int, body: dict[str, Any], *, moment: datetime | None = None
    ) -> dict[str, Any]:
        order = self.order(order_id)
        p = Params({}, body, {})
        posted = body.get("line_items") or []
        if not isinstance(posted, list):
            raise invalid_param({"line_items": "line_items is not of type array."})
        wanted = self._posted_lines(posted)
        if body.get("amount") in (None, ""):
            amount = sum(
                (total + sum(taxes.values(), Decimal(0)) for _qty, total, taxes in wanted.values()),
                Decimal(0),
            )
        else:
            amount = _amount(body["amount"], "amount")
        if amount < 0:
            raise ApiError(
                400,
                "woocommerce_rest_invalid_order_refund",
                "Refund amount must be greater than zero.",
            )
        remaining = Decimal(order["total"]) - self.refunded_total(order_id)
        if amount > remaining:
            raise ApiError(
                500, "woocommerce_rest_cannot_create_order_refund", "Invalid refund amount."
            )
        api_refund = p.boolean("api_refund", True)
        if api_refund:
            self._check_gateway(order)
        moment = moment or self.shop.now()
        store = self.shop.store
        refund: dict[str, Any] = {
            "id": 0,
            "order_id": order_id,
            "date_created": format_local(moment),
            "date_created_gmt": format_gmt(moment),
            "amount": fmt_money(amount),
            "reason": p.string("reason", "") or "",
            "refunded_by": p.integer("refunded_by", ADMIN_USER_ID) or ADMIN_USER_ID,
            "refunded_payment": api_refund,
            "meta_data": apply_meta_data(store, [], body.get("meta_data")),
            "line_items": [],
            "shipping_lines": [],
            "fee_lines": [],
        }
        groups = (
            ("line_items", "line_items"),
            ("shipping_lines", "shipping_lines"),
            ("fee_lines", "fee_lines"),
        )
        for source, target in groups:
            for item in order[source]:
                if item["id"] not in wanted:
                    continue
                quantity, total, taxes = wanted[item["id"]]
                refund[target].append(self._refund_item(item, quantity, total, taxes))
        refund["id"] = store.next_id("post")
        self.shop.data.refunds[refund["id"]] = refund
        if p.boolean("api_restock", True):
            self.orders.stock.restock_refunded(
                order, {item_id: quantity for item_id, (quantity, _t, _x) in wanted.items()}
            )
        if remaining - amount <= 0:
            self.orders._transition(order, "refunded", moment)  # noqa: SLF001
        store.mark_dirty()
        return refund

    def _posted_lines(
        self, posted: list[Any]
    ) -> dict[int, tuple[int, Decimal, dict[int, Decimal]]]:
        """``{item id: (quantity, refund_total, {rate id: refund tax})}`` as posted."""
        out: dict[int, tuple[int, Decimal, dict[int, Decimal]]] = {}
        for index, raw in enumerate(posted):
            if not isinstance(raw, dict):
                raise invalid_param({"line_items": f"line_items[{index}] is not of type object."})
            p = Params({}, raw, {})
            item_id = p.integer("id", 0) or 0
            quantity = abs(p.integer("quantity", 0) or 0)
            total = _amount(raw.get("refund_total", "0"), "refund_total")
            taxes: dict[int, Decimal] = {}
            for tax in raw.get("refund_tax") or []:
                if isinstance(tax, dict) and tax.get("id") is not None:
                    taxes[int(tax["id"])] = _amount(tax.get("refund_total", "0"), "refund_total")
            if not quantity and not total and not any(taxes.values()):
                continue  # wc_create_refund skips an item with nothing refunded
            out[item_id] = (quantity, total, taxes)
        return out

    def _refund_item(
        self, item: dict[str, Any], quantity: int, total: Decimal, taxes: dict[int, Decimal]
    ) -> dict[str, Any]:
        """A copy of the order item with negative amounts and ``_refunded_item_id``."""
        out = {k: copy.deepcopy(v) for k, v in item.items() if k not in ("id", "meta_data")}
        out["id"] = self.shop.store.next_id("order_item")
        out["meta_data"] = copy.deepcopy(item.get("meta_data", [])) + [
            {
                "id": self.shop.store.next_id("meta"),
                "key": "_refunded_item_id",
                "value": str(item["id"]),
            }
        ]
        negative_taxes = [
            {"id": rate_id, "total": fmt_tax(-tax), "subtotal": fmt_tax(-tax)}
            for rate_id, tax in taxes.items()
        ]
        tax_total = sum(taxes.values(), Decimal(0))
        out["total"] = fmt_money(-total)
        out["total_tax"] = fmt_money(-tax_total)
        out["taxes"] = negative_taxes
        if "quantity" in item:
            out["quantity"] = -quantity
            out["subtotal"] = fmt_money(-total)
            out["subtotal_tax"] = fmt_money(-tax_total)
            out["price"] = float(-total / quantity) if quantity else float(-total)
        return out

    def _check_gateway(self, order: dict[str, Any]) -> None:
        """``wc_refund_payment``: the order's gateway must exist and support refunds."""
        gateway = next(
            (g for g in self.shop.data.payment_gateways if g["id"] == order["payment_method"]), None
        )
        if gateway is None:
            raise ApiError(
                500,
                "woocommerce_rest_cannot_create_order_refund",
                "The payment gateway for this order does not exist.",
            )
        if "refunds" not in gateway.get("method_supports", []):
            raise ApiError(
                500,
                "woocommerce_rest_cannot_create_order_refund",
                "The payment gateway for this order does not support automatic refunds.",
            )

    # -- delete / render ------------------------------------------------------------
    def delete(self, order_id: int, refund_id: int, force: bool) -> dict[str, Any]:
        refund = self.get(order_id, refund_id)
        if not force:
            raise ApiError(
                501, "woocommerce_rest_trash_not_supported", "Refunds do not support trashing."
            )
        del self.shop.data.refunds[refund_id]
        self.shop.store.mark_dirty()
        return refund

    def render(self, req: Request, refund: dict[str, Any]) -> dict[str, Any]:
        """The documented refund properties (product items only under ``line_items``)."""
        out = {
            k: copy.deepcopy(refund[k])
            for k in (
                "id",
                "date_created",
                "date_created_gmt",
                "amount",
                "reason",
                "refunded_by",
                "refunded_payment",
                "meta_data",
                "line_items",
            )
        }
        for line in out["line_items"]:
            line["sku"] = line.pop("_sku", None)
            for key in [k for k in line if k.startswith("_")]:
                del line[key]
        base = f"orders/{refund['order_id']}/refunds"
        out["_links"] = links(
            req, base, refund["id"], up=f"/{NAMESPACE}/orders/{refund['order_id']}"
        )
        return out


def register(router: Router, shop: Shop, orders: OrderService) -> RefundService:
    service = RefundService(shop, orders)
    lock = shop.store.lock
    base = f"/{NAMESPACE}/orders/<order_id>/refunds"

    def list_route(req: Request) -> Response:
        p = req.params
        with lock:
            order_id = int(p.url["order_id"])
            service.order(order_id)
            items = [r for r in shop.data.refunds.values() if r["order_id"] == order_id]
            items, include = filter_ids(items, p)
            items = filter_dates(items, p)
            items = order_and_sort(
                items,
                p,
                {
                    "date": lambda r: r["date_created_gmt"],
                    "id": lambda r: r["id"],
                    "title": lambda r: r["id"],
                    "slug": lambda r: r["id"],
                },
                default_orderby="date",
                default_order="desc",
                include=include,
            )
            page, headers = paginate(
                items,
                p,
                collection_url=req.url(f"/{NAMESPACE}/orders/{order_id}/refunds"),
                query=req.query,
            )
            return Response([service.render(req, r) for r in page], headers=headers)

    def create_route(req: Request) -> Response:
        with lock:
            order_id = int(req.params.url["order_id"])
            refund = service.create(order_id, req.params.body)
            return created_response(req, service.render(req, refund), f"orders/{order_id}/refunds")

    def get_route(req: Request) -> Response:
        with lock:
            refund = service.get(int(req.params.url["order_id"]), int(req.params.url["refund_id"]))
            return Response(service.render(req, refund))

    def delete_route(req: Request) -> Response:
        with lock:
            refund = service.delete(
                int(req.params.url["order_id"]),
                int(req.params.url["refund_id"]),
                req.params.boolean("force"),
            )
            return Response(service.render(req, refund))

    router.add(base, "GET", list_route, collection=True)
    router.add(base, "POST", create_route, collection=True)
    router.add(f"{base}/<refund_id>", "GET", get_route)
    router.add(f"{base}/<refund_id>", "DELETE", delete_route)
    return service
