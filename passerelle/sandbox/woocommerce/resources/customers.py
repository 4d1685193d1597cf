"""``/customers``: registered shop users with the ``customer`` role.

Docs: woocommerce-rest-api-docs ``_customers.md`` (fields, list parameters
``email``/``role``/``search``, ordering by name ascending by default).
Behaviour from ``class-wc-rest-customers-v2-controller.php``: ``email`` is
required on create (``rest_missing_callback_param``) and must be unique
(``registration-error-email-exists``, 400); a username is derived from the
e-mail when none is sent; customers cannot be trashed (``force`` must be
true, else ``woocommerce_rest_trash_not_supported`` 501); an unknown id is
``woocommerce_rest_invalid_id`` (404). Guests (orders with ``customer_id`` 0)
are not customers. ``password`` is write-only: without one,
``wc_create_new_customer`` (``wc-user-functions.php``) generates it (kept as
``_password_generated`` so tests can tell). ``is_paying_customer`` turns true
once an order of the customer is paid or completed (``wc_paying_customer``,
see ``orders.py``); v3 answers have no ``orders_count``. ``role`` is read-only
(v3 schema): a posted role is ignored.

E-mail checks, in the order WordPress and WooCommerce make them: a single
request is checked against the schema first (``format: email``:
``rest_invalid_param``; no e-mail on create: ``rest_missing_callback_param``);
a batch item is not, and meets ``WC_Customer::set_email`` instead
(``customer_invalid_email``, "Invalid email address", 400), then on create
``wc_create_new_customer`` (an empty e-mail: ``registration-error-invalid-email``,
"Please provide a valid email address."; a taken one:
``registration-error-email-exists``).

Protected meta: a ``meta_data`` row whose key WordPress's ``is_protected_meta``
calls protected (``wp-includes/meta.php``: the key, once stripped of
non-printable characters, starts with ``_``) is silently dropped on write and
never shown on read — observed on WooCommerce 10.0.2 / WordPress 6.8.3
(issue 12). The sandbox drops and hides exactly those.
"""

from __future__ import annotations

import copy
import hashlib
import re
from typing import Any

from ..errors import ApiError, invalid_id, invalid_param, missing_param
from ..http import NAMESPACE, Request, Response, Router
from ..pagination import paginate
from ..params import Params
from .common import (
    Shop,
    apply_meta_data,
    crud_routes,
    filter_ids,
    links,
    order_and_sort,
    set_dates,
)

__all__ = ["CustomerService", "register"]

ROLES = [
    "all",
    "administrator",
    "editor",
    "author",
    "contributor",
    "subscriber",
    "customer",
    "shop_manager",
]
BILLING_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "address_1",
    "address_2",
    "city",
    "postcode",
    "country",
    "state",
    "email",
    "phone",
)
SHIPPING_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "address_1",
    "address_2",
    "city",
    "postcode",
    "country",
    "state",
    "phone",
)
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_UNPRINTABLE = re.compile(r"[^\x20-\x7E\w]")


def is_protected_meta(key: str) -> bool:
    """WordPress ``is_protected_meta``: a key starting with ``_`` once cleaned."""
    return _UNPRINTABLE.sub("", key).startswith("_")


def _visible_meta(posted: Any) -> Any:
    if not isinstance(posted, list):
        return posted
    return [
        m for m in posted if not (isinstance(m, dict) and is_protected_meta(str(m.get("key", ""))))
    ]


class CustomerService:
    """Customer writes and rendering; callers hold the store lock."""

    def __init__(self, shop: Shop) -> None:
        self.shop = shop

    def get(self, customer_id: int) -> dict[str, Any]:
        customer = self.shop.data.customers.get(customer_id)
        if customer is None:
            raise invalid_id("woocommerce_rest_invalid_id", "Invalid resource ID.")
        return customer

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("id"):
            raise ApiError(
                400, "woocommerce_rest_customer_exists", "Cannot create existing resource."
            )
        p = Params({}, body, {})
        if not (p.string("email") or "").strip():
            raise ApiError(
                400, "registration-error-invalid-email", "Please provide a valid email address."
            )
        record: dict[str, Any] = {
            "id": 0,
            "email": "",
            "first_name": "",
            "last_name": "",
            "role": "customer",
            "username": "",
            "billing": {k: "" for k in BILLING_FIELDS},
            "shipping": {k: "" for k in SHIPPING_FIELDS},
            "is_paying_customer": False,
            "avatar_url": "",
            "meta_data": [],
        }
        self._write(record, body, creating=True)
        record["_password_generated"] = not (p.string("password") or "")
        username = (p.string("username") or "").strip() or record["email"].split("@")[0]
        taken = {c["username"] for c in self.shop.data.customers.values()}
        if p.string("username") and username in taken:
            raise ApiError(
                400,
                "registration-error-username-exists",
                "An account is already registered with that username. Please choose another.",
            )
        base, n = username, 1
        while username in taken:
            n += 1
            username = f"{base}{n}"
        record["username"] = username
        record["id"] = self.shop.store.next_id("user")
        self.shop.data.customers[record["id"]] = record
        self.shop.store.mark_dirty()
        return record

    def _write(self, record: dict[str, Any], body: dict[str, Any], *, creating: bool) -> None:
        p = Params({}, body, {})
        if "email" in body:
            email = (p.string("email") or "").strip()
            if email and not _EMAIL_RE.match(email):
                raise ApiError(400, "customer_invalid_email", "Invalid email address")
            for other in self.shop.data.customers.values():
                if other is not record and other["email"].casefold() == email.casefold():
                    raise ApiError(
                        400,
                        "registration-error-email-exists",
                        "An account is already registered with your email address. Please log in.",
                    )
            record["email"] = email
        for key in ("first_name", "last_name"):
            if key in body:
                record[key] = p.string(key) or ""
        for block, fields in (("billing", BILLING_FIELDS), ("shipping", SHIPPING_FIELDS)):
            if isinstance(body.get(block), dict):
                for key in fields:
                    if key in body[block]:
                        record[block][key] = str(body[block][key] or "")
        if "meta_data" in body:
            record["meta_data"] = apply_meta_data(
                self.shop.store, record["meta_data"], _visible_meta(body["meta_data"])
            )
        digest = hashlib.md5(record["email"].strip().lower().encode()).hexdigest()  # noqa: S324
        record["avatar_url"] = f"https://secure.gravatar.com/avatar/{digest}?s=96&d=mm&r=g"
        set_dates(record, self.shop.now(), created=creating)

    @staticmethod
    def check_schema(body: dict[str, Any], creating: bool) -> None:
        """The route schema's checks, for single requests only (see the docstring)."""
        email = body.get("email")
        if creating and not email:
            raise missing_param(["email"])
        if email is not None and not (isinstance(email, str) and _EMAIL_RE.match(email.strip())):
            raise invalid_param({"email": "Invalid email address."})

    def update(self, customer_id: int, body: dict[str, Any]) -> dict[str, Any]:
        record = self.get(customer_id)
        if "username" in body and body["username"] != record["username"]:
            raise ApiError(
                400, "woocommerce_rest_customer_invalid_argument", "Username isn't editable."
            )
        self._write(record, body, creating=False)
        self.shop.store.mark_dirty()
        return record

    def delete(self, customer_id: int, force: bool) -> dict[str, Any]:
        record = self.get(customer_id)
        if not force:
            raise ApiError(
                501, "woocommerce_rest_trash_not_supported", "Customers do not support trashing."
            )
        del self.shop.data.customers[customer_id]
        self.shop.store.mark_dirty()
        return record

    def render(self, req: Request, record: dict[str, Any]) -> dict[str, Any]:
        keys = (
            "id",
            "date_created",
            "date_created_gmt",
            "date_modified",
            "date_modified_gmt",
            "email",
            "first_name",
            "last_name",
            "role",
            "username",
            "billing",
            "shipping",
            "is_paying_customer",
            "avatar_url",
            "meta_data",
        )
        out = {k: copy.deepcopy(record[k]) for k in keys}  # never the password
        out["meta_data"] = _visible_meta(out["meta_data"])
        out["_links"] = links(req, "customers", record["id"])
        return out


def register(router: Router, shop: Shop) -> CustomerService:
    service = CustomerService(shop)
    lock = shop.store.lock
    base = f"/{NAMESPACE}/customers"

    def list_route(req: Request) -> Response:
        p = req.params
        with lock:
            role = p.enum("role", ROLES, "customer")
            items = [c for c in shop.data.customers.values() if role == "all" or c["role"] == role]
            items, include = filter_ids(items, p)
            email = p.string("email")
            if email:
                items = [c for c in items if c["email"].casefold() == email.casefold()]
            search = p.string("search")
            if search:
                needle = search.strip("*").casefold()
                items = [
                    c
                    for c in items
                    if needle in c["email"].casefold()
                    or needle in c["username"].casefold()
                    or needle in f"{c['first_name']} {c['last_name']}".casefold()
                ]
            items = order_and_sort(
                items,
                p,
                {
                    "name": lambda c: f"{c['first_name']} {c['last_name']}".casefold(),
                    "id": lambda c: c["id"],
                    "registered_date": lambda c: c["date_created_gmt"] or "",
                },
                default_orderby="name",
                default_order="asc",
                include=include,
            )
            page, headers = paginate(items, p, collection_url=req.url(base), query=req.query)
            return Response([service.render(req, c) for c in page], headers=headers)

    crud_routes(router, "customers", service, shop.store, list_route=list_route)
    return service
