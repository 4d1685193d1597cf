"""v2 orders: list, read, update, and the products/shipping addresses/coupons/taxes below.

Built from ``reference/orders.v2.oas2.yml``: ``GET /orders`` pages with
``page`` and ``limit`` (default 50, at most 250), filters ``min_date_created``,
``max_date_created``, ``min_date_modified``, ``status_id``, ``is_deleted``,
``sort`` (``date_created:asc`` …) and answers 204 No Content past the last
record; ``include=consignments`` / ``consignments.line_items`` with
``consignment_structure=object`` embeds an order's consignments (each
shipping consignment with its address, costs and, for
``consignments.line_items``, its order products; digital products in the
``downloads`` consignment). ``PUT /orders/{order_id}``
changes ``status_id`` (0–14, ``GET /order_statuses``), ``staff_notes``,
``customer_message``… Taxes (``/orders/{order_id}/taxes``) list one row per
rate applied to each line (``line_item_type``), with its ``priority``:
rates of a higher priority are compounded on the price plus the lower ones.
``POST /orders/{order_id}/shipments`` (orderShipment_Post: ``order_address_id``
and ``items`` required, ``tracking_number`` at most 50 characters) ships
order products of one address and answers 201 with the orderShipment; the
order becomes Shipped (2) once every item is shipped, else Partially Shipped (3).
"""

from __future__ import annotations

from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

from .checkout import address_fields, order_lines, place
from .order_edits import edit_quantities
from .state import State
from .stock import StockRules
from .wire import ApiError, Request, Response

__all__ = ["ORDER_STATUSES", "PAID_STATUS_IDS", "SHIPPING_PROVIDERS", "Orders"]

# GET /order_statuses (orders.v2.oas2.yml, "Order Status").
ORDER_STATUSES: dict[int, str] = {
    0: "Incomplete",
    1: "Pending",
    2: "Shipped",
    3: "Partially Shipped",
    4: "Refunded",
    5: "Cancelled",
    6: "Declined",
    7: "Awaiting Payment",
    8: "Awaiting Pickup",
    9: "Awaiting Shipment",
    10: "Completed",
    11: "Awaiting Fulfillment",
    12: "Manual Verification Required",
    13: "Disputed",
    14: "Partially Refunded",
}
PAID_STATUS_IDS = frozenset({2, 3, 8, 9, 10, 11})
# shipping_provider_standard (orders.v2.oas2.yml); any other string is a custom provider.
SHIPPING_PROVIDERS = frozenset(
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
        "",
    }
)
PAGE_MAX = 250
_UPDATABLE = {
    "status_id",
    "staff_notes",
    "customer_message",
    "billing_address",
    "payment_method",
    "customer_id",
    "products",
}


def _when(text: str) -> datetime:
    """A date filter: RFC 2822 or ISO 8601, as the v2 API accepts both."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        try:
            return parsedate_to_datetime(text)
        except (TypeError, ValueError) as exc:
            raise ApiError(
                400, f"The date {text!r} is not a valid RFC 2822 or ISO 8601 date"
            ) from exc


class Orders:
    def __init__(self, state: State, rules: StockRules, base_url: str = "") -> None:
        self.state = state
        self.rules = rules
        self.base_url = base_url

    def create(self, req: Request) -> Response:
        """``POST /orders`` (see ``checkout``): 201 with the order."""
        return Response(self.render(place(self.state, self.rules, req.body), set()), status=201)

    def _moved(self, order: dict[str, Any]) -> None:
        """The order's status changed: its stock follows (inventory settings)."""
        self.rules.apply(order, order_lines(self.data, str(order["id"])))

    @property
    def data(self) -> dict[str, Any]:
        return self.state.data

    def _order(self, order_id: str) -> dict[str, Any]:
        order = self.data["orders"].get(order_id)
        if order is None:
            raise ApiError(404, "The requested resource was not found.")
        return order

    def render(self, order: dict[str, Any], include: set[str]) -> dict[str, Any]:
        oid = order["id"]
        out = dict(order)
        out["status"] = ORDER_STATUSES[order["status_id"]]
        out["custom_status"] = out["status"]
        for name in ("products", "shipping_addresses", "coupons"):
            out[name] = {
                "url": f"{self.base_url}/v2/orders/{oid}/{name}",
                "resource": f"/orders/{oid}/{name}",
            }
        if include & {"consignments", "consignments.line_items"}:
            out["consignments"] = self._consignments(order, "consignments.line_items" in include)
        return out

    def _consignments(self, order: dict[str, Any], lines: bool) -> dict[str, Any]:
        """orderConsignment_Get: one shipping consignment per address; digital products
        (on no shipping address) in the one ``downloads`` consignment (``maxItems: 1``)."""
        oid = str(order["id"])
        products = self.data["order_products"].get(oid, [])
        shipping = []
        for address in self.data["shipping_addresses"].get(oid, []):
            consignment = dict(address)
            if lines:
                consignment["line_items"] = [
                    p for p in products if p["order_address_id"] == address["id"]
                ]
            shipping.append(consignment)
        shipped = {a["id"] for a in shipping}
        digital = [p for p in products if p["order_address_id"] not in shipped]
        downloads = (
            [
                {
                    "recipient_email": order["billing_address"].get("email", ""),
                    **({"line_items": digital} if lines else {}),
                }
            ]
            if digital
            else []
        )
        return {
            "pickups": [],
            "shipping": shipping,
            "downloads": downloads,
            "email": {"gift_certificates": []},
        }

    def list(self, req: Request) -> Response:
        try:
            page = int(req.arg("page", "1"))
            limit = int(req.arg("limit", "50"))
        except ValueError as exc:
            raise ApiError(400, "The page and limit parameters must be integers") from exc
        limit = max(1, min(limit, PAGE_MAX))
        deleted = req.arg("is_deleted") == "true"
        orders = [o for o in self.data["orders"].values() if o["is_deleted"] == deleted]
        if req.arg("status_id"):
            orders = [o for o in orders if str(o["status_id"]) == req.arg("status_id")]
        for name, field, keep in (
            ("min_date_created", "date_created", lambda a, b: a >= b),
            ("max_date_created", "date_created", lambda a, b: a <= b),
            ("min_date_modified", "date_modified", lambda a, b: a >= b),
            ("max_date_modified", "date_modified", lambda a, b: a <= b),
        ):
            if req.arg(name):
                bound = _when(req.arg(name))
                orders = [o for o in orders if keep(parsedate_to_datetime(o[field]), bound)]
        sort = req.arg("sort", "id:asc")
        field, _, direction = sort.partition(":")
        if field not in ("id", "date_created", "date_modified", "status_id", "customer_id"):
            raise ApiError(400, f"The sort field {field!r} is not supported")
        key = (
            (lambda o: parsedate_to_datetime(o[field]))
            if field.startswith("date")
            else (lambda o: o[field])
        )
        orders.sort(key=lambda o: (key(o), o["id"]), reverse=direction == "desc")
        chunk = orders[(page - 1) * limit : page * limit]
        if not chunk:
            return Response(None, status=204)
        include = set(req.arg("include").split(","))
        return Response([self.render(o, include) for o in chunk])

    def get(self, req: Request, order_id: str) -> Response:
        return Response(self.render(self._order(order_id), set(req.arg("include").split(","))))

    def update(self, req: Request, order_id: str) -> Response:
        order = self._order(order_id)
        body = req.body
        if not isinstance(body, dict):
            raise ApiError(400, "The request body is not valid JSON.")
        unknown = set(body) - _UPDATABLE
        if unknown:
            raise ApiError(400, f"The field(s) {', '.join(sorted(unknown))} cannot be updated.")
        if "status_id" in body and body["status_id"] not in ORDER_STATUSES:
            raise ApiError(400, f"The status_id {body['status_id']} is not valid.")
        before = order["status_id"]
        if "products" in body:
            edit_quantities(self.data, self.rules.settings, order, body["products"])
        order.update({k: v for k, v in body.items() if k != "products"})
        order["date_modified"] = self._stamp()
        if order["status_id"] != before:
            self._moved(order)
        self.state.dirty()
        return Response(self.render(order, set()))

    def _stamp(self) -> str:
        from .state import rfc2822

        return rfc2822(datetime.fromisoformat(self.state.now()))

    def sub(self, req: Request, order_id: str, table: str) -> Response:
        self._order(order_id)
        rows = self.data[table].get(order_id, [])
        page = int(req.arg("page", "1") or 1)
        limit = max(1, min(int(req.arg("limit", "50") or 50), PAGE_MAX))
        chunk = rows[(page - 1) * limit : page * limit]
        if not chunk and table != "order_taxes":
            return Response(None, status=204)
        # getOrderTaxes documents only 200 (orderTaxes_Resp, an array): no taxes is [].
        return Response(chunk)

    def statuses(self, req: Request) -> Response:
        return Response(
            [
                {
                    "id": i,
                    "name": n,
                    "system_label": n,
                    "custom_label": n,
                    "system_description": n,
                    "order": i,
                }
                for i, n in ORDER_STATUSES.items()
            ]
        )

    # ----------------------------------------------------------------- shipments
    def shipments(self, req: Request, order_id: str) -> Response:
        self._order(order_id)
        rows = self.data.setdefault("shipments", {}).get(order_id, [])
        return Response(rows) if rows else Response(None, status=204)

    def create_shipment(self, req: Request, order_id: str) -> Response:
        order = self._order(order_id)
        body = req.body
        if not isinstance(body, dict):
            raise ApiError(400, "The request body is not valid JSON.")
        missing = [f for f in ("order_address_id", "items") if not body.get(f)]
        if missing:
            raise ApiError(400, f"The field(s) {', '.join(missing)} are required.")
        if len(str(body.get("tracking_number") or "")) > 50:
            raise ApiError(400, "The field 'tracking_number' is longer than 50 characters.")
        addresses = {a["id"]: a for a in self.data["shipping_addresses"].get(order_id, [])}
        address = addresses.get(body["order_address_id"])
        if address is None:
            raise ApiError(
                400,
                f"The order_address_id {body['order_address_id']} does not belong to this order.",
            )
        lines = {p["id"]: p for p in self.data["order_products"].get(order_id, [])}
        shipped = []
        for item in body["items"]:
            line = lines.get(item.get("order_product_id"))
            quantity = int(item.get("quantity") or 0)
            if line is None or line["order_address_id"] != address["id"]:
                raise ApiError(
                    400,
                    f"The order_product_id {item.get('order_product_id')} "
                    "is not on this shipping address.",
                )
            if quantity <= 0 or quantity > line["quantity"] - line["quantity_shipped"]:
                raise ApiError(400, f"Cannot ship {quantity} of order product {line['id']}.")
            shipped.append((line, quantity))
        for line, quantity in shipped:
            line["quantity_shipped"] += quantity
        total = sum(p["quantity"] for p in lines.values())
        done = sum(p["quantity_shipped"] for p in lines.values())
        order["items_shipped"] = done
        address["items_shipped"] = sum(
            p["quantity_shipped"] for p in lines.values() if p["order_address_id"] == address["id"]
        )
        order["status_id"] = 2 if done >= total else 3
        order["date_modified"] = self._stamp()
        if done >= total:
            order["date_shipped"] = order["date_modified"]
        provider = str(body.get("shipping_provider") or "")
        shipment = {
            "id": self.state.next_id("shipment"),
            "order_id": order["id"],
            "customer_id": order["customer_id"],
            "order_address_id": address["id"],
            "date_created": order["date_modified"],
            "tracking_number": str(body.get("tracking_number") or ""),
            "merchant_shipping_cost": "0.0000",
            "shipping_method": str(body.get("shipping_method") or ""),
            "shipping_provider": provider,
            "tracking_carrier": str(body.get("tracking_carrier") or ""),
            "tracking_link": str(body.get("tracking_link") or ""),
            "comments": str(body.get("comments") or ""),
            "billing_address": address_fields(order["billing_address"]),
            "shipping_address": address_fields(address),
            "items": [
                {
                    "order_product_id": line["id"],
                    "product_id": line["product_id"],
                    "quantity": quantity,
                }
                for line, quantity in shipped
            ],
            "shipping_provider_display_name": provider.upper() if provider else "",
            "generated_tracking_link": "",
        }
        self.data.setdefault("shipments", {}).setdefault(order_id, []).append(shipment)
        self._moved(order)
        self.state.dirty()
        return Response(shipment, status=201)
