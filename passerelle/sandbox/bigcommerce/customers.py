"""v3 customers: list, batch create and batch update (at most 10 a request).

Built from ``reference/customers.v3.yml``: ``GET /customers`` (filters
``id:in``, ``email:in``, ``date_created:min``; ``include=addresses``),
``POST /customers`` and ``PUT /customers`` take an array; ``email``,
``first_name`` and ``last_name`` are required to create; an e-mail already
used by another customer is refused with 422. ``notes`` is the store-owner
note the control panel shows on the customer (where passerelle shows the
back-office account code, K8).

Customer groups are v2 (``reference/customers.v2.yml``, ``/customer_groups``):
``GET`` lists them by id with ``page``/``limit`` (200 and ``[]`` past the last
one: the operation declares no 204), ``POST`` needs a ``name`` and answers the
``customerGroup_Full`` (dates as in the doc's example, ``2023-07-17 06:30:41``).
A customer joins one through its ``customer_group_id``.
"""

from __future__ import annotations

import builtins
from typing import Any

from .addresses import FIELDS as _ADDRESS
from .customer_rules import check_customers
from .listing import paginate
from .state import State
from .wire import ApiError, Request, Response

__all__ = ["Customers"]

V2_PAGE_MAX = 250

BATCH = 10
_WRITABLE = (
    "email",
    "first_name",
    "last_name",
    "company",
    "phone",
    "notes",
    "tax_exempt_category",
    "customer_group_id",
    "registration_ip_address",
    "accepts_product_review_abandoned_cart_emails",
    "origin_channel_id",
    "channel_ids",
)


class Customers:
    def __init__(self, state: State) -> None:
        self.state = state

    @property
    def table(self) -> dict[str, Any]:
        return self.state.data["customers"]

    def render(self, customer: dict[str, Any], include: set[str]) -> dict[str, Any]:
        out = {k: v for k, v in customer.items() if k != "addresses"}
        if out.get("channel_ids") is None:  # global access: customer_Full's channel_ids is
            out.pop("channel_ids", None)  # an array, never null, so it is left out
        out["address_count"] = len(customer.get("addresses", []))
        if "addresses" in include:
            out["addresses"] = customer.get("addresses", [])
        return out

    def list(self, req: Request) -> Response:
        customers = sorted(self.table.values(), key=lambda c: c["id"])
        if req.arg("id:in"):
            ids = {int(v) for v in req.arg("id:in").split(",") if v.isdigit()}
            customers = [c for c in customers if c["id"] in ids]
        if req.arg("email:in"):
            emails = {e.lower() for e in req.arg("email:in").split(",")}
            customers = [c for c in customers if c["email"].lower() in emails]
        if req.arg("date_created:min"):
            since = req.arg("date_created:min")
            customers = [c for c in customers if c["date_created"] > since]
        include = set(req.arg("include").split(","))
        chunk, meta = paginate(req, customers)
        return Response({"data": [self.render(c, include) for c in chunk], "meta": meta})

    def _batch(self, req: Request) -> builtins.list[dict[str, Any]]:
        if not isinstance(req.body, list) or not req.body:
            raise ApiError(422, "JSON data is missing or invalid")
        if len(req.body) > BATCH:
            raise ApiError(
                413,
                f"The request payload is too large. The maximum items "
                f"allowed in the array is {BATCH}",
            )
        return req.body

    def create(self, req: Request) -> Response:
        body = self._batch(req)
        check_customers(body, self.table.values(), creating=True)
        out = [self.insert(raw) for raw in body]
        self.state.dirty()
        return Response({"data": [self.render(c, {"addresses"}) for c in out], "meta": {}})

    def insert(
        self, raw: dict[str, Any], *, cid: int | None = None, when: str | None = None
    ) -> dict[str, Any]:
        cid = cid or self.state.next_id("customer")
        now = when or self.state.now()
        customer: dict[str, Any] = {
            "id": cid,
            "email": "",
            "first_name": "",
            "last_name": "",
            "company": "",
            "phone": "",
            "notes": "",
            "tax_exempt_category": "",
            "customer_group_id": 0,
            "registration_ip_address": "",
            "date_created": now,
            "date_modified": now,
            "authentication": {"force_password_reset": False},
            "accepts_product_review_abandoned_cart_emails": False,
            "origin_channel_id": 1,
            "channel_ids": None,
            "addresses": [],
        }
        customer.update({k: raw[k] for k in _WRITABLE if k in raw})
        auth = raw.get("authentication")
        if isinstance(auth, dict):  # new_password is write-only: never kept in the record
            customer["authentication"] = {
                "force_password_reset": bool(auth.get("force_password_reset", False))
            }
        for address in raw.get("addresses") or []:
            customer["addresses"].append(
                {
                    "id": self.state.next_id("address"),
                    "customer_id": cid,
                    **{k: address.get(k, "") for k in _ADDRESS},
                    "country": address.get("country", ""),
                }
            )
            # address_Full.address_type is residential or commercial, never empty.
            customer["addresses"][-1]["address_type"] = address.get("address_type") or "residential"
        self.table[str(cid)] = customer
        return customer

    def update(self, req: Request) -> Response:
        body = self._batch(req)
        check_customers(body, self.table.values(), creating=False)
        out = []
        for raw in body:
            customer = self.table[str(raw["id"])]
            customer.update({k: raw[k] for k in _WRITABLE if k in raw})
            customer["date_modified"] = self.state.now()
            out.append(self.render(customer, set()))
        self.state.dirty()
        return Response({"data": out, "meta": {}})

    # ----------------------------------------------------------- customer groups
    @property
    def groups(self) -> dict[str, Any]:
        return self.state.data.setdefault("customer_groups", {})

    def list_groups(self, req: Request) -> Response:
        try:
            page = int(req.arg("page", "1"))
            limit = max(1, min(int(req.arg("limit", "50")), V2_PAGE_MAX))
        except ValueError as exc:
            raise ApiError(400, "The page and limit parameters must be integers") from exc
        groups = sorted(self.groups.values(), key=lambda g: g["id"])
        if req.arg("name"):
            groups = [g for g in groups if g["name"] == req.arg("name")]
        # getCustomerGroups declares only 200 (unlike the orders' 204): no group is [].
        return Response(groups[(page - 1) * limit : page * limit])

    def create_group(self, req: Request) -> Response:
        body = req.body
        if not isinstance(body, dict) or not str(body.get("name") or "").strip():
            raise ApiError(400, "The field 'name' is required.")
        stamp = self.state.now().replace("T", " ")[:19]
        group = {
            "id": self.state.next_id("customer_group", 0),
            "name": body["name"],
            "is_default": bool(body.get("is_default", False)),
            "category_access": body.get("category_access") or {"type": "all"},
            "discount_rules": body.get("discount_rules") or [],
            "date_created": stamp,
            "date_modified": stamp,
            "is_group_for_guests": bool(body.get("is_group_for_guests", False)),
        }
        self.groups[str(group["id"])] = group
        self.state.dirty()
        return Response(group)
