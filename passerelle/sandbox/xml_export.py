"""The WooCommerce sandbox's orders written as an orders XML file (O19).

Why a writer of its own: it reads the sandbox's JSON state — orders in
WooCommerce's REST wire format, as ``passerelle/sandbox/woocommerce`` keeps
them — and shares no code with ``passerelle/connectors/woocommerce``. The
XML reader is then checked against a second, independent reading of the
same orders: a test that exports a seeded shop and reads the file back
compares the reader with the wire data itself, not with another copy of
the translator's assumptions.

It reads defensively: every key may be absent (an older state has no
refunds, gift cards or meta). Refunds come from the state's ``refunds``
collection (``POST /orders/<id>/refunds``'s records, negative amounts made
positive); an order carrying only WooCommerce's ``refunds`` summary
(``{id, reason, total}``) still yields its refunds, dated by the order's last
change. Fields WooCommerce has no column for come from the extensions' meta
keys listed below (``resources/extensions.py`` describes them); the sales
channel ``created_via`` (checkout, pos, amazon…) is written as ``<store>``.

    export_orders_xml(Path("woocommerce-sandbox.json"), Path("orders.xml"))
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from lxml import etree

from passerelle.sandbox.woocommerce.params import SITE_TZ

__all__ = ["export_orders_xml"]

# The file format's version and namespace, as docs/orders-xml.md publishes them: the
# export writes what any producer of such files would, from the document, not from the
# reader's code (a sandbox imports no connector; the import tests read these files).
VERSION = "1"
NAMESPACE = f"https://passerelle.dev/ns/orders/{VERSION}"

_Element = etree._Element  # noqa: SLF001 - lxml's element type has no public alias
_ElementTree = etree._ElementTree  # noqa: SLF001

# WooCommerce statuses that are canonical statuses under the same name.
_SAME_STATUS = {"pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed"}
_DRAFT_STATUSES = {"checkout-draft", "draft", "auto-draft"}
# WordPress keeps the status an order had before it went to the trash here.
_TRASH_STATUS_META = "_wp_trash_meta_status"
# Fields WooCommerce has no column for, by meta key (first found wins):
# the buyer's VAT number: WooCommerce EU VAT Number, then EU VAT Assistant, Germanized
_TAX_ID_META = ("_billing_vat_number", "_vat_number", "vat_number", "_billing_vat_id")
# the invoice date: PDF Invoices & Packing Slips (a unix timestamp string)
_INVOICE_DATE_META = ("_wcpdf_invoice_date",)
# the eco-participation per unit, on a line item (the merchant's eco-tax set-up)
_ECOTAX_META = ("_ecotax",)
# Ship to Multiple Addresses: the packages, and the order item / shipping item of each
_PACKAGES_META = "_wcms_packages"
_PACKAGE_ITEMS_META = "_packages_item_ids"
_PACKAGE_SHIPPING_META = "_packages_shipping_ids"
# on a refund's line: the order line it returns (``wc_create_refund``)
_REFUNDED_ITEM_META = "_refunded_item_id"
# Address fields in the format's order (orders.xsd, type "address").
_ADDRESS = (
    ("first-name", "first_name"),
    ("last-name", "last_name"),
    ("company", "company"),
    ("street", "address_1"),
    ("street2", "address_2"),
    ("postal-code", "postcode"),
    ("city", "city"),
    ("subdivision", "state"),
    ("country", "country"),
    ("phone", "phone"),
    ("email", "email"),
)


def export_orders_xml(
    state_file: Path,
    out: Path | IO[Any],
    *,
    source: str = "woocommerce-sandbox",
    statuses: Iterable[str] | None = None,
    shop: str | None = None,
) -> int:
    """Write the orders of a sandbox state file to ``out``; return how many were written.

    ``statuses`` keeps the orders with these WooCommerce statuses (all when
    None, trashed ones included: the file marks them ``archived``).
    ``source`` names the shop in the file: the reader's shop identity, so
    keep it the same from one export of a shop to the next. ``shop`` is the
    address the shop answers at (or its identity), written as the root's
    ``shop`` attribute: a profile of that shop then reads the file's orders as
    the shop's own, each imported once whether it comes from the file or the API.
    """
    state = _State.load(Path(state_file))
    wanted = set(statuses) if statuses is not None else None
    root = etree.Element(_q("orders"), nsmap={None: NAMESPACE})
    root.set("version", VERSION)
    root.set("source", source)
    root.set("generated", _iso(datetime.now(UTC).replace(microsecond=0)))
    if shop:
        root.set("shop", shop)
    count = 0
    for order in state.orders():
        if wanted is not None and str(order.get("status") or "") not in wanted:
            continue
        root.append(_OrderWriter(state, order).element())
        count += 1
    _write(etree.ElementTree(root), out)
    return count


def _write(tree: _ElementTree, out: Path | IO[Any]) -> None:
    if isinstance(out, io.TextIOBase):
        # A unicode serialisation never has an XML declaration (lxml refuses to write one).
        out.write(etree.tostring(tree, encoding="unicode", pretty_print=True))
        return
    target = str(out) if isinstance(out, Path) else out
    tree.write(target, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# ------------------------------------------------------------------ the state


class _State:
    """The state file's collections, indexed for what the writer looks up."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw
        self.products = _collection(raw, "products")
        self.variations = _collection(raw, "variations")
        self.rates = _collection(raw, "taxes")
        self.coupons = {
            str(c.get("code") or "").lower(): c for c in _collection(raw, "coupons").values()
        }
        self.notes: dict[str, list[Mapping[str, Any]]] = {}
        for note in _collection(raw, "order_notes").values():
            self.notes.setdefault(str(note.get("order_id")), []).append(note)
        self.refunds: dict[str, list[Mapping[str, Any]]] = {}
        for refund in _collection(raw, "refunds").values():
            self.refunds.setdefault(str(refund.get("order_id")), []).append(refund)

    @classmethod
    def load(cls, path: Path) -> _State:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise ValueError(f"{path} is not a WooCommerce sandbox state file: {exc}") from exc
        if not isinstance(raw, Mapping):
            raise ValueError(f"{path} is not a WooCommerce sandbox state file: no JSON object")
        return cls(raw)

    def orders(self) -> list[Mapping[str, Any]]:
        """Every order, oldest first (ties by id)."""
        return sorted(
            _collection(self.raw, "orders").values(),
            key=lambda o: (str(_utc(o, "date_created") or ""), _int(o.get("id"))),
        )


def _collection(raw: Mapping[str, Any], name: str) -> dict[str, Mapping[str, Any]]:
    """A collection as the state keeps it (``{"id": record}``), or a list; else empty."""
    value = raw.get(name)
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items() if isinstance(v, Mapping)}
    if isinstance(value, list):
        return {str(v.get("id", i)): v for i, v in enumerate(value) if isinstance(v, Mapping)}
    return {}


# ------------------------------------------------------------------ values


def _q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _decimal(value: Any) -> Decimal:
    """A wire amount (string, number, '' or None) as Decimal; '' and None are 0."""
    if value is None or value == "":
        return Decimal(0)
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"{value!r} is not an amount") from exc


def _number(value: Any) -> str:
    """Digits and a dot, as the format wants: never an exponent."""
    return format(_decimal(value), "f")


def _percent(value: Any) -> str:
    """A rate as people write it: 20, 5.5 (the wire has floats such as 20.0)."""
    return format(_decimal(value).normalize(), "f")


def _positive(value: Any) -> str:
    """Refunds are negative on the wire and positive in the format."""
    return format(abs(_decimal(value)), "f")


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _utc(record: Mapping[str, Any], field: str) -> str | None:
    """``field_gmt`` (UTC, no zone on the wire), else ``field`` in the site's zone."""
    gmt = record.get(f"{field}_gmt")
    local = record.get(field)
    try:
        if gmt:
            parsed = datetime.fromisoformat(str(gmt))
            return _iso(parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC))
        if local:
            parsed = datetime.fromisoformat(str(local))
            return _iso(parsed if parsed.tzinfo else parsed.replace(tzinfo=SITE_TZ))
    except ValueError:
        return None
    return None


def _meta(record: Mapping[str, Any], keys: Iterable[str]) -> Any:
    """The first of ``keys`` set on the record itself or in its ``meta_data``."""
    keys = tuple(keys)
    for key in keys:
        if record.get(key) not in (None, ""):
            return record[key]
    rows = record.get("meta_data") or []
    for key in keys:
        for row in rows:
            if (
                isinstance(row, Mapping)
                and row.get("key") == key
                and row.get("value") not in (None, "")
            ):
                return row["value"]
    return None


def _timestamp(value: Any) -> str | None:
    """A meta date: a Unix timestamp (PDF Invoices) or an ISO string."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if text.isdigit():
        return _iso(datetime.fromtimestamp(int(text), UTC))
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return _iso(parsed if parsed.tzinfo else parsed.replace(tzinfo=SITE_TZ))


def _sub(parent: _Element, name: str, text: str | None = None, **attributes: str) -> _Element:
    element = etree.SubElement(parent, _q(name))
    for key, value in attributes.items():
        element.set(key.replace("_", "-"), value)
    if text is not None:
        element.text = text
    return element


def _opt(parent: _Element, name: str, value: Any) -> None:
    """An optional element, left out when the wire has nothing for it."""
    if value not in (None, ""):
        _sub(parent, name, str(value))


def _destinations(order: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Ship to Multiple Addresses: the address of each order item and shipping item.

    Only for several packages: with one, the order's shipping address is the
    destination and the plugin leaves it in place.
    """
    packages = _meta(order, (_PACKAGES_META,))
    if not isinstance(packages, list) or len(packages) < 2:
        return {}, {}
    item_ids = _meta(order, (_PACKAGE_ITEMS_META,))
    item_ids = item_ids if isinstance(item_ids, Mapping) else {}
    shipping_ids = _meta(order, (_PACKAGE_SHIPPING_META,))
    if isinstance(shipping_ids, list):
        shipping_ids = dict(enumerate(shipping_ids))
    shipping_ids = shipping_ids if isinstance(shipping_ids, Mapping) else {}
    lines: dict[str, Any] = {}
    shipping: dict[str, Any] = {}
    for index, package in enumerate(packages):
        if not isinstance(package, Mapping) or not isinstance(package.get("destination"), Mapping):
            continue
        destination = package["destination"]
        contents = package.get("contents")
        for key in contents.keys() if isinstance(contents, Mapping) else []:
            if key in item_ids:
                lines[str(item_ids[key])] = destination
        shipping_id = shipping_ids.get(index, shipping_ids.get(str(index)))
        if shipping_id is not None:
            shipping[str(shipping_id)] = destination
    return lines, shipping


# ------------------------------------------------------------------ one order


class _OrderWriter:
    """Builds one ``<order>`` in the schema's element order."""

    def __init__(self, state: _State, order: Mapping[str, Any]) -> None:
        self.state = state
        self.order = order
        self.tax_lines = {
            str(t.get("rate_id")): t for t in order.get("tax_lines") or [] if isinstance(t, Mapping)
        }
        self.line_destinations, self.shipping_destinations = _destinations(order)

    def element(self) -> _Element:
        order = self.order
        out = etree.Element(_q("order"))
        out.set("id", str(order.get("id")))
        if order.get("number") not in (None, "", str(order.get("id"))):
            out.set("number", str(order["number"]))
        wire_status = str(order.get("status") or "")
        if wire_status == "trash":
            out.set("archived", "true")
        self._status(out, wire_status)
        _sub(out, "created", _utc(order, "date_created") or "")
        for name, field in (
            ("modified", "date_modified"),
            ("paid", "date_paid"),
            ("completed", "date_completed"),
        ):
            _opt(out, name, _utc(order, field))
        _opt(out, "invoiced", _timestamp(_meta(order, _INVOICE_DATE_META)))
        _sub(out, "currency", str(order.get("currency") or "").upper())
        # WooCommerce's sales channel: checkout, pos, amazon, admin, rest-api…
        _opt(out, "store", order.get("created_via"))
        if order.get("prices_include_tax"):
            _sub(out, "prices-include-tax", "true")
        self._customer(out)
        self._address(out, "billing", order.get("billing"), always=True)
        self._address(out, "shipping", order.get("shipping"))
        lines = _sub(out, "lines")
        for item in order.get("line_items") or []:
            self._line(lines, item)
        self._shipping_lines(out)
        self._fees(out)
        self._coupons(out)
        _sub(out, "discount-total", _number(order.get("discount_total")))
        _sub(out, "total-tax", _number(order.get("total_tax")))
        _sub(out, "total", _number(order.get("total")))
        if order.get("payment_method"):
            _sub(
                out,
                "payment-method",
                str(order.get("payment_method_title") or ""),
                id=str(order["payment_method"]),
            )
        _opt(out, "transaction-id", order.get("transaction_id"))
        self._payments(out)
        self._gift_cards(out)
        _opt(out, "customer-note", order.get("customer_note"))
        self._notes(out)
        self._refunds(out)
        return out

    # -- header ------------------------------------------------------------------
    def _status(self, out: _Element, wire: str) -> None:
        shown = wire
        if wire == "trash":
            shown = str(_meta(self.order, (_TRASH_STATUS_META,)) or "trash")
        if shown in _SAME_STATUS:
            canonical = shown
        elif shown in _DRAFT_STATUSES:
            canonical = "draft"
        else:
            canonical = "other"
        status = _sub(out, "status", canonical)
        if wire != canonical:
            status.set("shop", wire)

    def _customer(self, out: _Element) -> None:
        customer_id = str(self.order.get("customer_id") or "0")
        tax_id = _meta(self.order, _TAX_ID_META)
        if customer_id == "0" and not tax_id:
            return  # a guest checkout
        customer = _sub(out, "customer")
        if customer_id != "0":
            customer.set("id", customer_id)
        _opt(customer, "tax-identifier", tax_id)

    def _address(self, out: _Element, name: str, wire: Any, *, always: bool = False) -> None:
        wire = wire if isinstance(wire, Mapping) else {}
        values = [(element, str(wire.get(key) or "").strip()) for element, key in _ADDRESS]
        if not always and not any(value for _, value in values):
            return
        address = _sub(out, name)
        for element, value in values:
            _opt(address, element, value.upper() if element == "country" else value)

    # -- lines ------------------------------------------------------------------
    def _reference(self, item: Mapping[str, Any]) -> str:
        """The product's current SKU, as ``GET /orders`` renders it; else the one ordered."""
        variation = self.state.variations.get(str(item.get("variation_id") or ""))
        product = variation or self.state.products.get(str(item.get("product_id") or ""))
        if product is not None and product.get("sku"):
            return str(product["sku"])
        return str(item.get("_sku") or item.get("sku") or "")

    def _taxes(self, parent: _Element, taxes: Any, *, refund: bool = False) -> None:
        rows = [
            t for t in taxes or [] if isinstance(t, Mapping) and t.get("total") not in (None, "")
        ]
        if not rows:
            return
        box = _sub(parent, "taxes")
        for tax in rows:
            rate_id = str(tax.get("id") if tax.get("id") is not None else tax.get("rate_id"))
            line = self.tax_lines.get(rate_id, {})
            rate = self.state.rates.get(rate_id, {})
            compound = bool(line.get("compound", rate.get("compound", False)))
            element = _sub(box, "tax", id=rate_id)
            if compound:
                element.set("compound", "true")
            _sub(
                element,
                "label",
                str(line.get("label") or rate.get("name") or line.get("rate_code") or rate_id),
            )
            percent = line.get("rate_percent", rate.get("rate"))
            if percent not in (None, ""):
                _sub(element, "percent", _percent(percent))
            amount = tax.get("total")
            _sub(element, "amount", _positive(amount) if refund else _number(amount))

    def _ship_to(
        self, parent: _Element, destinations: Mapping[str, Any], item: Mapping[str, Any]
    ) -> None:
        address = destinations.get(str(item.get("id")))
        if isinstance(address, Mapping):
            self._address(parent, "ship-to", address)

    def _line(self, lines: _Element, item: Any) -> None:
        if not isinstance(item, Mapping):
            return
        line = _sub(lines, "line", id=str(item.get("id")))
        product_id = item.get("variation_id") or item.get("product_id")
        if product_id:
            line.set("product-id", str(product_id))
        _opt(line, "reference", self._reference(item))
        _sub(line, "name", str(item.get("name") or ""))
        _sub(line, "quantity", _number(item.get("quantity")))
        _sub(line, "subtotal", _number(item.get("subtotal")))
        _sub(line, "total", _number(item.get("total")))
        _sub(line, "total-tax", _number(item.get("total_tax")))
        ecotax = _meta(item, _ECOTAX_META)
        if ecotax not in (None, ""):
            _sub(line, "ecotax", _number(ecotax))
        self._taxes(line, item.get("taxes"))
        self._ship_to(line, self.line_destinations, item)

    def _shipping_lines(self, out: _Element) -> None:
        items = [i for i in self.order.get("shipping_lines") or [] if isinstance(i, Mapping)]
        if not items:
            return
        box = _sub(out, "shipping-lines")
        for item in items:
            line = _sub(box, "shipping-line", id=str(item.get("id")))
            if item.get("method_id"):
                line.set("method", str(item["method_id"]))
            _sub(line, "title", str(item.get("method_title") or ""))
            _sub(line, "total", _number(item.get("total")))
            _sub(line, "total-tax", _number(item.get("total_tax")))
            self._taxes(line, item.get("taxes"))
            self._ship_to(line, self.shipping_destinations, item)

    def _fees(self, out: _Element) -> None:
        items = [i for i in self.order.get("fee_lines") or [] if isinstance(i, Mapping)]
        if not items:
            return
        box = _sub(out, "fees")
        for item in items:
            fee = _sub(box, "fee", id=str(item.get("id")))
            _sub(fee, "name", str(item.get("name") or ""))
            _sub(fee, "total", _number(item.get("total")))
            _sub(fee, "total-tax", _number(item.get("total_tax")))
            self._taxes(fee, item.get("taxes"))

    def _coupons(self, out: _Element) -> None:
        items = [i for i in self.order.get("coupon_lines") or [] if isinstance(i, Mapping)]
        if not items:
            return
        box = _sub(out, "coupons")
        for item in items:
            code = str(item.get("code") or "")
            coupon = _sub(box, "coupon")
            _sub(coupon, "code", code)
            shop_coupon = self.state.coupons.get(code.lower(), {})
            _opt(coupon, "description", item.get("description") or shop_coupon.get("description"))
            _sub(coupon, "discount", _number(item.get("discount")))
            _sub(coupon, "discount-tax", _number(item.get("discount_tax")))

    # -- money received ------------------------------------------------------------
    def _payments(self, out: _Element) -> None:
        """Split payments only when the state lists them; one payment is the header's."""
        items = [p for p in self.order.get("payments") or [] if isinstance(p, Mapping)]
        if not items:
            return
        box = _sub(out, "payments")
        for item in items:
            payment = _sub(box, "payment")
            _sub(payment, "method", str(item.get("method") or item.get("payment_method") or ""))
            _opt(payment, "title", item.get("method_title") or item.get("title"))
            _sub(payment, "amount", _number(item.get("amount")))
            _opt(payment, "paid", _utc(item, "date_paid") or _timestamp(item.get("paid_at")))
            _opt(payment, "transaction-id", item.get("transaction_id"))
            _opt(payment, "currency", str(item.get("currency") or "").upper())

    def _gift_cards(self, out: _Element) -> None:
        items = [g for g in self.order.get("gift_cards") or [] if isinstance(g, Mapping)]
        if not items:
            return
        box = _sub(out, "gift-cards")
        for item in items:
            card = _sub(box, "gift-card")
            _sub(card, "code", str(item.get("code") or ""))
            _sub(card, "amount", _positive(item.get("amount", item.get("total"))))

    # -- messages and refunds ----------------------------------------------------------
    def _notes(self, out: _Element) -> None:
        """Order notes: a note *to* the customer is public, the others private.

        WooCommerce notes are all written by the shop (the buyer's own words
        are ``customer_note``), so none is ``from-customer`` unless the state
        says so.
        """
        notes = list(self.state.notes.get(str(self.order.get("id")), []))
        notes += [n for n in self.order.get("notes") or [] if isinstance(n, Mapping)]
        if not notes:
            return
        notes.sort(key=lambda n: (str(_utc(n, "date_created") or ""), _int(n.get("id"))))
        box = _sub(out, "notes")
        for note in notes:
            element = _sub(box, "note")
            if note.get("from_customer"):
                element.set("from-customer", "true")
            if not note.get("customer_note"):
                element.set("private", "true")
            _opt(element, "created", _utc(note, "date_created"))
            _sub(element, "text", str(note.get("note") or note.get("text") or ""))

    def _refund_records(self) -> list[Mapping[str, Any]]:
        """Full refund records first; the order's ``refunds`` summary fills the gaps."""
        records = list(self.state.refunds.get(str(self.order.get("id")), []))
        known = {str(r.get("id")) for r in records}
        for summary in self.order.get("refunds") or []:
            if isinstance(summary, Mapping) and str(summary.get("id")) not in known:
                records.append(summary)
        return sorted(
            records, key=lambda r: (str(_utc(r, "date_created") or ""), _int(r.get("id")))
        )

    def _refunds(self, out: _Element) -> None:
        records = self._refund_records()
        if not records:
            return
        box = _sub(out, "refunds")
        for record in records:
            refund = _sub(box, "refund", id=str(record.get("id")))
            # A summary has no date: the order's last change is when it was refunded at latest.
            created = (
                _utc(record, "date_created")
                or _utc(self.order, "date_modified")
                or _utc(self.order, "date_created")
                or ""
            )
            _sub(refund, "created", created)
            _sub(refund, "amount", _positive(record.get("amount", record.get("total"))))
            _opt(refund, "reason", record.get("reason"))
            shipping = [s for s in record.get("shipping_lines") or [] if isinstance(s, Mapping)]
            if shipping:
                _sub(
                    refund,
                    "shipping-total",
                    format(sum((abs(_decimal(s.get("total"))) for s in shipping), Decimal(0)), "f"),
                )
                _sub(
                    refund,
                    "shipping-tax",
                    format(
                        sum((abs(_decimal(s.get("total_tax"))) for s in shipping), Decimal(0)), "f"
                    ),
                )
            items = [i for i in record.get("line_items") or [] if isinstance(i, Mapping)]
            if items:
                lines = _sub(refund, "lines")
                for item in items:
                    self._refund_line(lines, item)

    def _refund_line(self, lines: _Element, item: Mapping[str, Any]) -> None:
        line_id = _meta(item, (_REFUNDED_ITEM_META, "refunded_item_id")) or item.get("id")
        line = _sub(lines, "line", line_id=str(line_id))
        original = next(
            (
                i
                for i in self.order.get("line_items") or []
                if isinstance(i, Mapping) and str(i.get("id")) == str(line_id)
            ),
            {},
        )
        _opt(
            line,
            "reference",
            item.get("sku") or item.get("_sku") or (self._reference(original) if original else ""),
        )
        _opt(line, "name", item.get("name") or original.get("name"))
        _sub(line, "quantity", _positive(item.get("quantity")))
        _sub(line, "total", _positive(item.get("total")))
        _sub(line, "total-tax", _positive(item.get("total_tax")))
        self._taxes(line, item.get("taxes"), refund=True)
