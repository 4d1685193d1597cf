"""Each seeded order case, read by the WooCommerce connector, as the canonical Order.

The connector reads the sandbox over HTTPS like a real shop; every field
the order import uses is checked against the wire JSON and against what
the case is about.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from passerelle.connectors.errors import RecordError
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.woocommerce.connector import WooCommerceShop
from passerelle.connectors.woocommerce.translate_orders import note_from_wire, order_from_wire
from passerelle.model import Address, Order, OrderStatus
from passerelle.sandbox.woocommerce import WooSandbox
from passerelle.sandbox.woocommerce.seed import SEED_CASES

API = "/wp-json/wc/v3"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WooSandbox]:
    base: Path = tmp_path_factory.mktemp("woo-translate")
    with WooSandbox(base / "shop.json", cert_dir=base / "certs") as sb:
        yield sb


@pytest.fixture(scope="module")
def wire(sandbox: WooSandbox) -> dict[str, dict[str, Any]]:
    """Every seeded order as the API answers it (trash included), by number."""
    verify = ssl.create_default_context(cafile=str(sandbox.ca_bundle))
    with httpx.Client(
        base_url=sandbox.url + API, auth=("ck_demo", "cs_demo"), verify=verify
    ) as client:
        out = {}
        for status in ("any", "trash"):
            for order in client.get("/orders", params={"per_page": 100, "status": status}).json():
                out[order["number"]] = order
        return out


@pytest.fixture(scope="module")
def orders(sandbox: WooSandbox) -> dict[str, Order]:
    with WooCommerceShop(
        sandbox.url, "ck_demo", "cs_demo", options=HttpOptions(verify=sandbox.ca_bundle)
    ) as shop:
        read = list(shop.iter_orders(include_archived=True))
    assert all(isinstance(o, Order) for o in read), read
    return {o.number: o for o in read if isinstance(o, Order)}


def case(orders: dict[str, Order], name: str) -> Order:
    return orders[SEED_CASES[name]]


def D(text: str) -> Decimal:  # noqa: N802 - reads like a literal
    return Decimal(text)


# -- every order: the wire fields the import relies on -----------------------------------------


def test_every_order_matches_its_wire_json(
    orders: dict[str, Order], wire: dict[str, dict[str, Any]]
) -> None:
    assert set(orders) == set(wire)
    for number, raw in wire.items():
        order = orders[number]
        assert order.total == D(raw["total"]) and order.total_tax == D(raw["total_tax"])
        assert order.currency == raw["currency"] and order.store == raw["created_via"]
        trashed_from = {m["key"]: m["value"] for m in raw["meta_data"]}.get("_wp_trash_meta_status")
        assert order.shop_status == (trashed_from if raw["status"] == "trash" else raw["status"])
        assert order.archived is (raw["status"] == "trash")
        rates = {str(t["rate_id"]): t for t in raw["tax_lines"]}
        for line, raw_line in zip(order.lines, raw["line_items"], strict=True):
            assert line.source_id == str(raw_line["id"])
            assert (line.total, line.total_tax) == (D(raw_line["total"]), D(raw_line["total_tax"]))
            for tax in line.taxes:
                assert tax.compound is rates[tax.shop_tax_id]["compound"]
                assert tax.rate == D(str(rates[tax.shop_tax_id]["rate_percent"])) / 100
        if raw["date_paid_gmt"]:
            (payment,) = order.payments
            assert payment.amount == order.total and payment.currency == order.currency
            assert payment.method == raw["payment_method"]
            assert payment.transaction_id == raw["transaction_id"]
            assert payment.paid_at == order.paid_at
        else:
            assert order.payments == ()
        completed = raw["date_completed_gmt"]
        assert order.completed_at == (
            datetime.fromisoformat(completed).replace(tzinfo=UTC) if completed else None
        )
        assert order.notes == ()  # notes are read only when asked


# -- one test per case -------------------------------------------------------------------------


def test_discount_across_vat(orders: dict[str, Order]) -> None:
    order = case(orders, "discount_across_vat")
    (coupon,) = order.coupons
    assert coupon.code == "bienvenue10" and coupon.description == ""
    assert (
        coupon.discount == order.discount_total == sum(li.subtotal - li.total for li in order.lines)
    )
    assert {t.rate for li in order.lines for t in li.taxes} == {D("0.2"), D("0.1"), D("0.055")}


def test_coupon_naming_item(orders: dict[str, Order]) -> None:
    (coupon,) = case(orders, "coupon_naming_item").coupons
    assert coupon.code == "fidelite" and coupon.discount == D("8.00")
    assert coupon.description == "Remise fidélité [DISC-FID]"


def test_gift_card_and_wrap(orders: dict[str, Order]) -> None:
    order = case(orders, "gift_card_and_wrap")
    (card,) = order.gift_cards
    assert (card.code, card.amount) == ("GC-7K2M-9QXA-4TBW", D("20.00"))
    (fee,) = order.fee_lines
    assert fee.name == "Emballage cadeau" and fee.total == D("3.00") and fee.total_tax == D("0.60")
    goods = sum(li.total + li.total_tax for li in order.lines)
    shipping = sum(s.total + s.total_tax for s in order.shipping_lines)
    assert order.total == goods + fee.total + fee.total_tax + shipping - card.amount
    assert order.payments[0].amount == order.total  # the card is not a payment of the order


def test_foreign_currency(orders: dict[str, Order]) -> None:
    order = case(orders, "foreign_currency")
    assert order.currency == "USD" and order.payment_method == "stripe"
    assert order.payments[0].currency == "USD"
    assert order.payments[0].transaction_id == "ch_3PsandboxB0718"


def test_compound_tax(orders: dict[str, Order]) -> None:
    order = case(orders, "compound_tax")
    assert order.currency == "CAD" and order.shipping.country_code == "CA"
    for line in order.lines:
        gst, pst = line.taxes
        assert (gst.label, gst.rate, gst.compound) == ("GST", D("0.05"), False)
        assert (pst.label, pst.rate, pst.compound) == ("PST", D("0.08"), True)
    knife = order.lines[0]
    assert knife.total == D("49.00")
    assert [t.amount for t in knife.taxes] == [D("2.45"), D("4.12")]  # 8 % of 51.45
    ship_gst, ship_pst = order.shipping_lines[0].taxes
    assert (ship_gst.amount, ship_pst.amount, ship_pst.compound) == (D("1.00"), D("1.67"), True)


def test_export_outside_eu(orders: dict[str, Order]) -> None:
    order = case(orders, "export_outside_eu")
    assert order.shipping.country_code == "US" and order.shipping.subdivision == "NY"
    assert order.total_tax == 0 and all(not li.taxes for li in order.lines)


def test_eu_reverse_charge(orders: dict[str, Order]) -> None:
    order = case(orders, "eu_reverse_charge")
    assert order.customer_tax_identifier == "BE0477472701"
    assert order.billing.company == "Brasserie Peeters SPRL"
    assert order.billing.country_code == "BE" and order.total_tax == 0


def test_match_by_number(orders: dict[str, Order]) -> None:
    order = case(orders, "match_by_number")
    assert order.customer_tax_identifier == "FR40303265045"
    assert order.is_guest and order.email == "compta@durand-sarl.example.org"
    assert order.billing.company == "Durand SARL"


def test_marketplace(orders: dict[str, Order]) -> None:
    order = case(orders, "marketplace")
    assert order.store == "amazon"
    (payment,) = order.payments
    assert (payment.method, payment.method_title) == ("amazon_payments_advanced", "Amazon Pay")
    assert payment.transaction_id == "P01-1234567-1234567-C012345"


def test_several_addresses(orders: dict[str, Order]) -> None:
    order = case(orders, "several_addresses")
    towels, book = order.lines
    assert towels.ship_to == Address(
        first_name="Camille",
        last_name="Dubois",
        street="27 avenue Jean Jaurès",
        postal_code="31000",
        city="Toulouse",
        country_code="FR",
    )
    assert book.ship_to is not None and book.ship_to.city == "Annecy"
    assert book.ship_to.street == "3 chemin des Crêts" and book.ship_to.first_name == "Monique"
    assert [s.ship_to for s in order.shipping_lines] == [towels.ship_to, book.ship_to]
    assert order.shipping.is_empty()  # the extension blanks the order's own address


def test_ecotax(orders: dict[str, Order]) -> None:
    scale, salt = case(orders, "ecotax").lines
    assert (scale.reference, scale.ecotax) == ("KIT-002", D("0.50"))
    assert scale.total == D("53.26")  # 2 × 26.63, eco-tax included
    assert salt.ecotax == 0


def test_substitutes(orders: dict[str, Order]) -> None:
    order = case(orders, "substitutes")
    assert [(li.reference, li.quantity) for li in order.lines] == [
        ("OLD-001", D(1)),
        ("CHO-001", D(3)),
    ]


def test_refunded(orders: dict[str, Order]) -> None:
    order = case(orders, "refunded")
    assert order.status is OrderStatus.COMPLETED and order.completed_at is not None
    assert order.invoiced_at == order.completed_at  # invoiced when completed
    (refund,) = order.refunds
    assert refund.amount == D("19.90") and refund.reason == "Tire-bouchon reçu cassé"
    (line,) = refund.lines
    corkscrew = next(li for li in order.lines if li.reference == "KIT-005")
    assert line.line_id == corkscrew.source_id
    assert (line.quantity, line.total, line.total_tax) == (D(1), D("16.58"), D("3.32"))
    assert [(t.amount, t.rate) for t in line.taxes] == [(D("3.32"), D("0.2"))]
    assert refund.amount == line.total + line.total_tax and refund.shipping_total == 0


def test_archived(orders: dict[str, Order]) -> None:
    order = case(orders, "archived")
    # Imported (O27) under the status it had before the trash.
    assert order.archived and order.shop_status == "processing"
    assert order.status is OrderStatus.PROCESSING and order.paid_at is not None


def test_other_store(orders: dict[str, Order]) -> None:
    order = case(orders, "other_store")
    assert order.store == "pos" and order.status is OrderStatus.COMPLETED


def test_grouped_guests(orders: dict[str, Order]) -> None:
    first, second = case(orders, "grouped_guests"), case(orders, "grouped_guests_2")
    assert first.is_guest and second.is_guest and first.email != second.email
    assert first.created_at.date() == second.created_at.date()
    assert [(li.reference, li.quantity, li.total) for li in first.lines] == [
        (li.reference, li.quantity, li.total) for li in second.lines
    ]
    assert first.payment_method == second.payment_method == "stripe"


def test_gross_prices(orders: dict[str, Order]) -> None:
    order = case(orders, "gross_prices")
    assert order.prices_include_tax
    assert [(li.total, li.total_tax) for li in order.lines] == [(D("8.32"), D("1.67"))] * 3 + [
        (D("5.20"), D("0.29"))
    ]


def test_accents(orders: dict[str, Order]) -> None:
    order = case(orders, "accents")
    assert not order.is_guest
    assert (order.billing.first_name, order.billing.last_name) == ("Élodie", "Gérard")
    assert order.billing.street == "12 rue de l'Église" and order.billing.city == "Orléans"


def test_messages_are_read_only_when_asked(sandbox: WooSandbox, orders: dict[str, Order]) -> None:
    order = case(orders, "messages")
    assert order.customer_note.startswith("Merci de livrer") and order.notes == ()
    with WooCommerceShop(
        sandbox.url, "ck_demo", "cs_demo", options=HttpOptions(verify=sandbox.ca_bundle)
    ) as shop:
        sandbox.reset_requests()
        noted = shop.with_notes(order)
        assert sandbox.requests == [("GET", f"{API}/orders/{order.source_id}/notes")]
        again = shop.get_order(order.source_id, with_notes=True)
    to_buyer, private = noted.notes
    assert (to_buyer.text, to_buyer.private, to_buyer.from_customer) == (
        "Votre commande partira demain par Colissimo.",
        False,
        False,
    )
    assert private.private and private.text.startswith("Client fidèle")
    assert to_buyer.created_at is not None and private.created_at is not None
    assert to_buyer.created_at < private.created_at
    assert again.notes == noted.notes  # status-change notes ("system") are left out


# -- translation errors name the order and what to fix -----------------------------------------


def minimal(**extra: Any) -> dict[str, Any]:
    return {
        "id": 9,
        "number": "9",
        "status": "processing",
        "currency": "EUR",
        "date_created_gmt": "2024-05-01T10:00:00",
        "total": "10.00",
        "total_tax": "0.00",
        "customer_id": 0,
        "billing": {},
        "shipping": {},
        "line_items": [],
        **extra,
    }


def test_bad_extension_data_is_a_record_error_naming_it() -> None:
    with pytest.raises(RecordError, match=r"order 9: meta _wcpdf_invoice_date is '2024-05-01'"):
        order_from_wire(minimal(meta_data=[{"key": "_wcpdf_invoice_date", "value": "2024-05-01"}]))
    with pytest.raises(RecordError, match=r"line 'Balance': meta _ecotax is not a number"):
        order_from_wire(
            minimal(
                line_items=[
                    {
                        "id": 1,
                        "name": "Balance",
                        "quantity": 1,
                        "meta_data": [{"key": "_ecotax", "value": "x"}],
                    }
                ]
            )
        )
    lines = [{"id": 1, "name": "A", "quantity": 1}, {"id": 2, "name": "B", "quantity": 1}]
    packages = [
        {"destination": {"city": "Lyon"}, "contents": {"k1": {"key": "k1"}}},
        {"destination": {"city": "Nice"}, "contents": {"k3": {"key": "k3"}}},
    ]
    with pytest.raises(RecordError, match=r"no package names the address of: B") as caught:
        order_from_wire(
            minimal(
                line_items=lines,
                meta_data=[
                    {"key": "_wcms_packages", "value": packages},
                    {"key": "_packages_item_ids", "value": {"k1": 1}},
                ],
            )
        )
    assert caught.value.record_id == "9"


def test_legacy_vat_key_and_rest_packages_are_read() -> None:
    order = order_from_wire(
        minimal(
            meta_data=[{"key": "_vat_number", "value": " DE123456789 "}],
            line_items=[
                {"id": 1, "name": "A", "quantity": 1},
                {"id": 2, "name": "B", "quantity": 1},
            ],
            multiple_shipping=True,
            shipping_packages=[
                {"destination": {"city": "Lyon"}, "contents": [{"name": "A"}]},
                {"destination": {"city": "Nice"}, "contents": [{"name": "B"}]},
                {"destination": {"city": "Nice"}, "contents": [{"name": "B"}]},
            ],
        )
    )
    assert order.customer_tax_identifier == "DE123456789"
    assert [li.ship_to.city for li in order.lines if li.ship_to] == ["Lyon", "Nice"]


def test_system_notes_are_not_messages() -> None:
    assert (
        note_from_wire({"author": "system", "note": "Order status changed", "customer_note": False})
        is None
    )
    told = note_from_wire({"author": "system", "note": "Shipped", "customer_note": True})
    assert told is not None and not told.private
