"""``/orders`` and ``/orders/<id>/notes``.

Docs: woocommerce-rest-api-docs ``_orders.md`` (fields, list parameters,
``set_paid``, statuses, ``currency``, ``meta_data`` on the order and on each
line item, the read-only ``refunds`` summary, ``tax_lines`` with
``compound``, "Delete an order" with ``force``) and ``_order-notes.md``
(``note`` mandatory, ``customer_note``, ``added_by_user``, ``author``,
dates; list ``type`` = any / customer / internal). Behaviour from
``class-wc-rest-orders-v2-controller.php`` and ``abstract-wc-order.php``:

- a line item needs ``product_id``, ``variation_id`` or ``sku``
  (``woocommerce_rest_required_product_reference``, 400); a known product
  gives the name, tax class and ``price × quantity`` totals unless posted;
  an unknown one leaves a line with ``product_id`` 0 and the posted values;
  a checkout with tax-inclusive prices gives gross line amounts, turned into
  net amounts by the totals code (``totals.py``);
- the response's ``sku`` is the *current* product's SKU, and ``price`` is
  ``total / quantity`` as a JSON number (the docs table says string, the docs
  example and the code give a number);
- ``set_paid`` runs ``payment_complete``: from pending / on-hold / failed /
  cancelled to processing, with ``date_paid`` and ``transaction_id``; any
  move to processing or completed sets ``date_paid`` if unset, completed
  sets ``date_completed``; each status change adds a system note;
- coupons are applied by code and must exist (``woocommerce_rest_invalid_coupon``);
- ``status=any`` (the default) lists every status but ``trash``;
  ``DELETE`` without ``force=true`` moves the order to ``trash`` (listed with
  ``status=trash``; a second trashing is ``woocommerce_rest_already_trashed``,
  410), with ``force=true`` it is gone with its notes and refunds;
- updating an order that does not exist is 400 ``woocommerce_rest_shop_order_invalid_id``
  (``WC_REST_CRUD_Controller::update_item``), reading or deleting it 404;
- ``currency`` is one of the ISO codes the docs list (``rest_invalid_param``
  otherwise) and defaults to the shop's (EUR); amounts are in that currency;
- ``meta_data`` rows (order and line items) are kept as posted
  (``WC_Data::update_meta_data``);
- ``refunds`` is ``{id, reason, total}`` per refund, newest first, ``total``
  negative (``'-' . wc_format_decimal(amount)``); refunds themselves are
  ``refunds.py``;
- notes: a note not ``added_by_user`` is the system's (``author`` "system",
  as in the docs' examples); status changes add system notes; ``customer_note``
  notes are those the customer sees.

Sandbox deviation: a line whose product does not exist keeps the SKU it was
created with (a real shop answers ``null``), so demo orders placed before the
catalogue is exported still name their items; editing items of an existing
order is not implemented (501) — status, addresses, payment fields and
``meta_data`` are. Checkout-only inputs the REST API cannot post
(``prices_include_tax``, redeemed gift cards, ``created_via``) are arguments
of :meth:`OrderService.create` used by the seed, as a checkout would set
them.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from ..errors import ApiError, invalid_id, invalid_param, missing_param
from ..http import NAMESPACE, Request, Response, Router
from ..pagination import paginate
from ..params import Params, format_gmt, format_local, money
from ..totals import compute_totals, fmt_money
from .common import (
    Shop,
    apply_meta_data,
    created_response,
    crud_routes,
    filter_dates,
    filter_ids,
    links,
    order_and_sort,
    set_dates,
)
from .customers import BILLING_FIELDS, SHIPPING_FIELDS
from .extensions import apply_gift_cards, render_extension_fields
from .products import ProductService
from .stock import StockKeeper
from .variation_names import variation_title

__all__ = ["ORDER_STATUSES", "OrderService", "register"]

ORDER_STATUSES = [
    "pending",
    "processing",
    "on-hold",
    "completed",
    "cancelled",
    "refunded",
    "failed",
    "trash",
]
STATUS_LABELS = {
    "pending": "Pending payment",
    "processing": "Processing",
    "on-hold": "On hold",
    "completed": "Completed",
    "cancelled": "Cancelled",
    "refunded": "Refunded",
    "failed": "Failed",
    "trash": "Trash",
    "checkout-draft": "Draft",
}
WC_VERSION = "9.4.3"
STORE_COUNTRY = "FR"
CURRENCY = "EUR"
# ``currency`` options of ``_orders.md`` § Order properties.
CURRENCIES = frozenset(
    """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTC BTN
BWP BYR BZD CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD
FKP GBP GEL GGP GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS IMP INR IQD IRR IRT ISK
JEP JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD
MMK MNT MOP MRO MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN
PRB PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLL SOS SRD SSP STD SYP SZL THB TJS
TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VEF VND VUV WST XAF XCD XOF XPF YER ZAR ZMW
""".split()
)
CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "CAD": "$", "GBP": "£", "CHF": "CHF"}


class OrderService:
    """Order creation (with WooCommerce's totals), updates and rendering. Lock held by callers."""

    def __init__(self, shop: Shop, products: ProductService) -> None:
        self.shop = shop
        self.products = products
        # Called with ("created" | "updated" | "deleted", order) as WooCommerce fires
        # woocommerce_new_order / woocommerce_update_order / woocommerce_trash_order:
        # what the webhooks listen to (webhooks.py).
        self.on_event: Callable[[str, dict[str, Any]], None] | None = None
        # Stock moved by status changes and refunds (stock.py).
        self.stock = StockKeeper(
            shop, lambda order, text: self.add_note(order, text), products.derive
        )

    def _fire(self, event: str, order: dict[str, Any]) -> None:
        if self.on_event is not None:
            self.on_event(event, order)

    def get(self, order_id: int) -> dict[str, Any]:
        order = self.shop.data.orders.get(order_id)
        if order is None:
            raise invalid_id("woocommerce_rest_shop_order_invalid_id")
        return order

    # -- create -----------------------------------------------------------------
    def create(
        self,
        body: dict[str, Any],
        *,
        date_created: datetime | None = None,
        created_via: str = "rest-api",
        prices_include_tax: bool = False,
        gift_cards: list[dict[str, str]] | None = None,
    ) -> dict[str, Any]:
        """``POST /orders``; the keyword arguments are what only a checkout sets.

        ``prices_include_tax``: posted line amounts are gross. ``gift_cards``:
        ``[{code, amount}]`` redeemed (WooCommerce Gift Cards), capped at the total.
        """
        if body.get("id"):
            raise ApiError(
                400, "woocommerce_rest_shop_order_exists", "Cannot create existing order."
            )
        p = Params({}, body, {})
        status = p.enum("status", ORDER_STATUSES, "pending") or "pending"
        customer_id = p.integer("customer_id", 0) or 0
        if customer_id and customer_id not in self.shop.data.customers:
            raise ApiError(400, "woocommerce_rest_invalid_customer_id", "Customer ID is invalid.")
        moment = date_created or self.shop.now()
        store = self.shop.store
        order: dict[str, Any] = {
            "id": 0,
            "parent_id": p.integer("parent_id", 0) or 0,
            "number": "",
            "order_key": "",
            "created_via": created_via,
            "version": WC_VERSION,
            "status": "pending",
            "currency": CURRENCY,
            "date_created": None,
            "date_created_gmt": None,
            "date_modified": None,
            "date_modified_gmt": None,
            "discount_total": "0.00",
            "discount_tax": "0.00",
            "shipping_total": "0.00",
            "shipping_tax": "0.00",
            "cart_tax": "0.00",
            "total": "0.00",
            "total_tax": "0.00",
            "prices_include_tax": prices_include_tax,
            "customer_id": customer_id,
            "customer_ip_address": "",
            "customer_user_agent": "",
            "customer_note": "",
            "billing": {k: "" for k in BILLING_FIELDS},
            "shipping": {k: "" for k in SHIPPING_FIELDS},
            "payment_method": "",
            "payment_method_title": "",
            "transaction_id": "",
            "date_paid": None,
            "date_paid_gmt": None,
            "date_completed": None,
            "date_completed_gmt": None,
            "cart_hash": "",
            "meta_data": [],
            "line_items": [],
            "tax_lines": [],
            "shipping_lines": [],
            "fee_lines": [],
            "coupon_lines": [],
        }
        self._write_simple_fields(order, body)
        for raw in body.get("line_items") or []:
            order["line_items"].append(self._line_item(raw, gross=prices_include_tax))
        if gift_cards:
            order["gift_cards"] = [
                {
                    "id": store.next_id("gift_card"),
                    "code": str(card["code"]),
                    "balance_used": fmt_money(money(str(card["amount"]), "amount")),
                    "amount": "0.00",
                }
                for card in gift_cards
            ]
        for raw in body.get("shipping_lines") or []:
            p_line = Params({}, raw, {})
            order["shipping_lines"].append(
                {
                    "id": store.next_id("order_item"),
                    "method_title": p_line.string("method_title", "") or "",
                    "method_id": p_line.string("method_id", "") or "",
                    "instance_id": str(raw.get("instance_id", "")),
                    "total": f"{money(raw.get('total', '0'), 'total')}",
                    "total_tax": "0.00",
                    "taxes": [],
                    "meta_data": apply_meta_data(store, [], raw.get("meta_data")),
                }
            )
        for raw in body.get("fee_lines") or []:
            p_fee = Params({}, raw, {})
            order["fee_lines"].append(
                {
                    "id": store.next_id("order_item"),
                    "name": p_fee.string("name", "") or "",
                    "tax_class": p_fee.string("tax_class", "") or "",
                    "tax_status": p_fee.enum("tax_status", ["taxable", "none"], "taxable"),
                    "amount": "0.00",
                    "total": f"{money(raw.get('total', '0'), 'total')}",
                    "total_tax": "0.00",
                    "taxes": [],
                    "meta_data": apply_meta_data(store, [], raw.get("meta_data")),
                }
            )
        for raw in body.get("coupon_lines") or []:
            code = str(raw.get("code", "")).strip().lower()
            coupon = next((c for c in self.shop.data.coupons.values() if c["code"] == code), None)
            if coupon is None:
                raise ApiError(
                    400, "woocommerce_rest_invalid_coupon", f'Coupon "{code}" does not exist!'
                )
            order["coupon_lines"].append(
                {
                    "id": store.next_id("order_item"),
                    "code": code,
                    "discount": "0.00",
                    "discount_tax": "0.00",
                    "discount_type": coupon["discount_type"],
                    "nominal_amount": float(Decimal(coupon["amount"])),
                    "free_shipping": coupon.get("free_shipping", False),
                    "meta_data": apply_meta_data(store, [], raw.get("meta_data")),
                }
            )
        self.recalculate(order)
        order["id"] = store.next_id("post")
        order["number"] = str(order["id"])
        order["order_key"] = (
            "wc_order_"
            + hashlib.sha1(f"{order['id']}-{moment.isoformat()}".encode()).hexdigest()[:13]
        )
        set_dates(order, moment, created=True)
        self.shop.data.orders[order["id"]] = order
        for tax_line in order["tax_lines"]:
            tax_line["id"] = store.next_id("order_item")
        if status != "pending":
            self._transition(order, status, moment)
        if p.boolean("set_paid", False):
            self._payment_complete(order, p.string("transaction_id") or "", moment)
        store.mark_dirty()
        self._fire("created", order)
        return order

    def _line_item(self, raw: Any, *, gross: bool = False) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise invalid_param({"line_items": "line_items[0] is not of type object."})
        p = Params({}, raw, {})
        sku = (p.string("sku") or "").strip()
        product_id = p.integer("product_id", 0) or 0
        variation_id = p.integer("variation_id", 0) or 0
        if not sku and not product_id and not variation_id:
            raise ApiError(
                400, "woocommerce_rest_required_product_reference", "Product ID or SKU is required."
            )
        product = None
        if sku:
            product = self.products.find_by_sku(sku)
        elif variation_id:
            product = self.shop.data.variations.get(variation_id)
        else:
            product = self.shop.data.products.get(product_id)
        quantity = p.integer("quantity", 1) or 1
        line: dict[str, Any] = {
            "id": self.shop.store.next_id("order_item"),
            "name": "",
            "product_id": 0,
            "variation_id": 0,
            "quantity": quantity,
            "tax_class": "",
            "subtotal": "0.00",
            "subtotal_tax": "0.00",
            "total": "0.00",
            "total_tax": "0.00",
            "taxes": [],
            "meta_data": apply_meta_data(self.shop.store, [], raw.get("meta_data")),
            "sku": None,
            "price": 0,
            "image": {"id": "", "src": ""},
            "parent_name": None,
            "_sku": sku or None,
            "_taxable": True,
        }
        if product is not None:
            if product.get("type") == "variation":
                line["product_id"] = product["parent_id"]
                line["variation_id"] = product["id"]
            else:
                line["product_id"] = product["id"]
            # A variation's line is named after its post title ("Parent - Figue").
            line["name"] = (
                variation_title(self.shop.data.products.get(product["parent_id"]), product)
                if product.get("type") == "variation"
                else product["name"]
            )
            line["tax_class"] = product.get("tax_class", "")
            line["_taxable"] = product.get("tax_status", "taxable") == "taxable"
            line["_sku"] = product["sku"] or line["_sku"]
            amount = Decimal(product["price"] or "0") * quantity
            line["subtotal"] = line["total"] = f"{amount:.2f}"
        if "name" in raw:
            line["name"] = p.string("name") or ""
        if "tax_class" in raw:
            slug = p.string("tax_class") or ""
            line["tax_class"] = "" if slug == "standard" else slug
        if "subtotal" in raw:
            line["subtotal"] = f"{money(raw['subtotal'], 'subtotal')}"
        if "total" in raw:
            line["total"] = f"{money(raw['total'], 'total')}"
            if "subtotal" not in raw and product is None:
                line["subtotal"] = line["total"]
        elif "subtotal" in raw:
            line["total"] = line["subtotal"]
        if gross:
            line["_gross_subtotal"], line["_gross_total"] = line["subtotal"], line["total"]
        return line

    def _location(self, order: dict[str, Any]) -> tuple[str, str, str, str]:
        """Taxes follow the shipping address, else billing, else the store (``tax_based_on``)."""
        for block in ("shipping", "billing"):
            address = order[block]
            if address.get("country"):
                return (
                    address["country"],
                    address.get("state", ""),
                    address.get("postcode", ""),
                    address.get("city", ""),
                )
        return (STORE_COUNTRY, "", "", "")

    def recalculate(self, order: dict[str, Any]) -> None:
        slugs = [c["slug"] for c in self.shop.data.tax_classes if c["slug"] != "standard"]
        compute_totals(order, list(self.shop.data.taxes.values()), slugs, self._location(order))
        apply_gift_cards(order)

    # -- status machinery ---------------------------------------------------------
    def _transition(self, order: dict[str, Any], new: str, moment: datetime) -> None:
        old = order["status"]
        if old == new:
            return
        order["status"] = new
        if new == "trash":
            # WordPress keeps where a trashed post was (wp_trash_post) so that
            # "restore" can put it back: the status and when it was trashed.
            meta = [
                m
                for m in order.get("meta_data", [])
                if m.get("key") not in ("_wp_trash_meta_status", "_wp_trash_meta_time")
            ]
            next_id = max([int(m.get("id") or 0) for m in order.get("meta_data", [])] + [0]) + 1
            order["meta_data"] = [
                *meta,
                {"id": next_id, "key": "_wp_trash_meta_status", "value": old},
                {
                    "id": next_id + 1,
                    "key": "_wp_trash_meta_time",
                    "value": str(int(moment.timestamp())),
                },
            ]
        if new in ("processing", "completed") and not order["date_paid_gmt"]:
            order["date_paid"], order["date_paid_gmt"] = format_local(moment), format_gmt(moment)
        if new == "completed":
            self._mark_paying_customer(order)
        if new == "completed" and not order["date_completed_gmt"]:
            order["date_completed"] = format_local(moment)
            order["date_completed_gmt"] = format_gmt(moment)
        self.stock.on_status(order, new)  # woocommerce_order_status_<new>, before the note
        if new != "trash":
            self.add_note(
                order,
                f"Order status changed from {STATUS_LABELS.get(old, old)} to "
                f"{STATUS_LABELS.get(new, new)}.",
                moment=moment,
            )

    def _payment_complete(
        self, order: dict[str, Any], transaction_id: str, moment: datetime
    ) -> None:
        if order["status"] not in ("on-hold", "pending", "failed", "cancelled"):
            return
        if transaction_id:
            order["transaction_id"] = transaction_id
        self._mark_paying_customer(order)
        if not order["date_paid_gmt"]:
            order["date_paid"], order["date_paid_gmt"] = format_local(moment), format_gmt(moment)
        self._transition(order, "processing", moment)

    def _mark_paying_customer(self, order: dict[str, Any]) -> None:
        """``wc_paying_customer`` runs on payment complete and on completed."""
        customer = self.shop.data.customers.get(order["customer_id"])
        if customer is not None:
            customer["is_paying_customer"] = True

    def add_note(
        self,
        order: dict[str, Any],
        text: str,
        *,
        customer_note: bool = False,
        added_by_user: bool = False,
        moment: datetime | None = None,
    ) -> dict[str, Any]:
        moment = moment or self.shop.now()
        note = {
            "id": self.shop.store.next_id("comment"),
            "order_id": order["id"],
            "author": "admin" if added_by_user else "system",
            "date_created": format_local(moment),
            "date_created_gmt": format_gmt(moment),
            "note": text,
            "customer_note": customer_note,
        }
        self.shop.data.order_notes[note["id"]] = note
        self.shop.store.mark_dirty()
        return note

    # -- update / delete ------------------------------------------------------------
    def _write_simple_fields(self, order: dict[str, Any], body: dict[str, Any]) -> None:
        p = Params({}, body, {})
        for key in ("payment_method", "payment_method_title", "transaction_id", "customer_note"):
            if key in body:
                order[key] = p.string(key) or ""
        if "currency" in body:
            currency = p.string("currency") or CURRENCY
            if currency not in CURRENCIES:
                raise invalid_param(
                    {"currency": "currency is not one of " + ", ".join(sorted(CURRENCIES)) + "."}
                )
            order["currency"] = currency
        for block, fields in (("billing", BILLING_FIELDS), ("shipping", SHIPPING_FIELDS)):
            if isinstance(body.get(block), dict):
                for key in fields:
                    if key in body[block]:
                        order[block][key] = str(body[block][key] or "")
        if "meta_data" in body:
            order["meta_data"] = apply_meta_data(
                self.shop.store, order["meta_data"], body["meta_data"]
            )

    def update(self, order_id: int, body: dict[str, Any]) -> dict[str, Any]:
        if order_id not in self.shop.data.orders:  # WC_REST_CRUD_Controller::update_item
            raise ApiError(400, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
        order = self.get(order_id)
        p = Params({}, body, {})
        for key in ("line_items", "shipping_lines", "fee_lines", "coupon_lines"):
            if body.get(key):
                raise ApiError(
                    501,
                    "passerelle_sandbox_not_implemented",
                    f"The sandbox does not edit {key} of an existing order.",
                )
        status = p.enum("status", ORDER_STATUSES)
        if "customer_id" in body:
            customer_id = p.integer("customer_id", 0) or 0
            if customer_id and customer_id not in self.shop.data.customers:
                raise ApiError(
                    400, "woocommerce_rest_invalid_customer_id", "Customer ID is invalid."
                )
            order["customer_id"] = customer_id
        self._write_simple_fields(order, body)
        moment = self.shop.now()
        if isinstance(body.get("shipping"), dict) or isinstance(body.get("billing"), dict):
            self.recalculate(order)
        if status:
            self._transition(order, status, moment)
        if p.boolean("set_paid", False):
            self._payment_complete(order, p.string("transaction_id") or "", moment)
        set_dates(order, moment, created=False)
        self.shop.store.mark_dirty()
        self._fire("updated", order)
        return order

    def delete(self, order_id: int, force: bool) -> dict[str, Any]:
        order = self.get(order_id)
        if force:
            del self.shop.data.orders[order_id]
            for refund_id in [
                r for r, refund in self.shop.data.refunds.items() if refund["order_id"] == order_id
            ]:
                del self.shop.data.refunds[refund_id]
            for note_id in [
                n for n, note in self.shop.data.order_notes.items() if note["order_id"] == order_id
            ]:
                del self.shop.data.order_notes[note_id]
        else:
            if order["status"] == "trash":
                raise ApiError(
                    410, "woocommerce_rest_already_trashed", "The order has already been deleted."
                )
            self._transition(order, "trash", self.shop.now())
            set_dates(order, self.shop.now(), created=False)
            self._fire("deleted", order)
        self.shop.store.mark_dirty()
        return order

    # -- rendering ----------------------------------------------------------------------
    def render(self, req: Request, order: dict[str, Any]) -> dict[str, Any]:
        out = {k: copy.deepcopy(v) for k, v in order.items() if not k.startswith("_")}
        for line in out["line_items"]:
            product = (
                self.shop.data.variations.get(line["variation_id"])
                if line["variation_id"]
                else self.shop.data.products.get(line["product_id"])
            )
            if product is not None:
                line["sku"] = product["sku"]
                if product.get("type") == "variation":
                    parent = self.shop.data.products.get(product["parent_id"])
                    line["parent_name"] = parent["name"] if parent else None
            else:
                line["sku"] = line.get("_sku")
            for key in [k for k in line if k.startswith("_")]:
                del line[key]
            for meta in line["meta_data"]:
                meta.setdefault("display_key", meta["key"])
                meta.setdefault("display_value", meta["value"])
        out.pop("gift_cards", None)
        out["refunds"] = self.refund_summary(order["id"])
        render_extension_fields(out, order)
        out["currency_symbol"] = CURRENCY_SYMBOLS.get(out["currency"], out["currency"])
        out["payment_url"] = (
            f"{req.site_url}/checkout/order-pay/{order['id']}/"
            f"?pay_for_order=true&key={order['order_key']}"
        )
        out["is_editable"] = order["status"] in ("pending", "on-hold", "auto-draft")
        out["needs_payment"] = (
            order["status"] in ("pending", "failed") and Decimal(order["total"]) > 0
        )
        out["needs_processing"] = True
        extra: dict[str, str] = {}
        if order["customer_id"]:
            extra["customer"] = f"/{NAMESPACE}/customers/{order['customer_id']}"
        if order["parent_id"]:
            extra["up"] = f"/{NAMESPACE}/orders/{order['parent_id']}"
        out["_links"] = links(req, "orders", order["id"], **extra)
        return out

    def refund_summary(self, order_id: int) -> list[dict[str, Any]]:
        """``refunds``: ``{id, reason, total}`` per refund, newest first, total negative."""
        refunds = [r for r in self.shop.data.refunds.values() if r["order_id"] == order_id]
        refunds.sort(key=lambda r: (r["date_created_gmt"], r["id"]), reverse=True)
        return [{"id": r["id"], "reason": r["reason"], "total": f"-{r['amount']}"} for r in refunds]

    def render_note(self, req: Request, note: dict[str, Any]) -> dict[str, Any]:
        out = {
            k: note[k]
            for k in ("id", "author", "date_created", "date_created_gmt", "note", "customer_note")
        }
        out["_links"] = links(
            req,
            f"orders/{note['order_id']}/notes",
            note["id"],
            up=f"/{NAMESPACE}/orders/{note['order_id']}",
        )
        return out


def register(router: Router, shop: Shop, products: ProductService) -> OrderService:
    service = OrderService(shop, products)
    lock = shop.store.lock
    base = f"/{NAMESPACE}/orders"

    def list_route(req: Request) -> Response:
        p = req.params
        with lock:
            statuses = p.enum_list("status", ["any", *ORDER_STATUSES], ["any"])
            if "any" in statuses:
                items = [o for o in shop.data.orders.values() if o["status"] != "trash"]
            else:
                items = [o for o in shop.data.orders.values() if o["status"] in statuses]
            items, include = filter_ids(items, p)
            items = filter_dates(items, p)
            if p.has("customer"):
                customer = p.integer("customer", 0)
                items = [o for o in items if o["customer_id"] == customer]
            product = p.integer("product")
            if product:
                items = [
                    o
                    for o in items
                    if any(
                        li["product_id"] == product or li["variation_id"] == product
                        for li in o["line_items"]
                    )
                ]
            parents = p.int_list("parent")
            if parents:
                items = [o for o in items if o["parent_id"] in set(parents)]
            search = p.string("search")
            if search:
                needle = search.casefold()
                items = [
                    o
                    for o in items
                    if needle
                    in " ".join(
                        str(v) for block in ("billing", "shipping") for v in o[block].values()
                    ).casefold()
                    or needle == str(o["id"])
                    or any(needle in li["name"].casefold() for li in o["line_items"])
                ]
            items = order_and_sort(
                items,
                p,
                {
                    "date": lambda o: o["date_created_gmt"] or "",
                    "modified": lambda o: o["date_modified_gmt"] or "",
                    "id": lambda o: o["id"],
                    "title": lambda o: o["id"],
                    "slug": lambda o: o["id"],
                },
                default_orderby="date",
                default_order="desc",
                include=include,
            )
            page, headers = paginate(items, p, collection_url=req.url(base), query=req.query)
            return Response([service.render(req, o) for o in page], headers=headers)

    def order_for_notes(req: Request) -> dict[str, Any]:
        order = shop.data.orders.get(int(req.params.url["order_id"]))
        if order is None:
            raise invalid_id("woocommerce_rest_order_invalid_id", "Invalid order ID.")
        return order

    def list_notes(req: Request) -> Response:
        with lock:
            order = order_for_notes(req)
            kind = req.params.enum("type", ["any", "customer", "internal"], "any")
            notes = [
                n
                for n in shop.data.order_notes.values()
                if n["order_id"] == order["id"]
                and (kind == "any" or n["customer_note"] == (kind == "customer"))
            ]
            notes.sort(key=lambda n: (n["date_created_gmt"], n["id"]), reverse=True)
            return Response([service.render_note(req, n) for n in notes])

    def create_note(req: Request) -> Response:
        with lock:
            order = order_for_notes(req)
            p = req.params
            text = p.string("note")
            if not text:
                raise missing_param(["note"])
            note = service.add_note(
                order,
                text,
                customer_note=p.boolean("customer_note"),
                added_by_user=p.boolean("added_by_user"),
            )
            return created_response(
                req, service.render_note(req, note), f"orders/{order['id']}/notes"
            )

    def note_by_id(req: Request) -> dict[str, Any]:
        order = order_for_notes(req)
        note = shop.data.order_notes.get(int(req.params.url["id"]))
        if note is None or note["order_id"] != order["id"]:
            raise invalid_id("woocommerce_rest_invalid_id", "Invalid resource ID.")
        return note

    def get_note(req: Request) -> Response:
        with lock:
            return Response(service.render_note(req, note_by_id(req)))

    def delete_note(req: Request) -> Response:
        with lock:
            note = note_by_id(req)
            if not req.params.boolean("force"):
                raise ApiError(
                    501, "woocommerce_rest_trash_not_supported", "Webhooks do not support trashing."
                )
            del shop.data.order_notes[note["id"]]
            shop.store.mark_dirty()
            return Response(service.render_note(req, note))

    router.add(f"{base}/<order_id>/notes", "GET", list_notes, collection=True)
    router.add(f"{base}/<order_id>/notes", "POST", create_note, collection=True)
    router.add(f"{base}/<order_id>/notes/<id>", "GET", get_note)
    router.add(f"{base}/<order_id>/notes/<id>", "DELETE", delete_note)
    crud_routes(router, "orders", service, shop.store, list_route=list_route)
    return service
