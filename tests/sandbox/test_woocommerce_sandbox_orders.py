"""The sandbox's order features against the official v3 docs.

Refunds (``_order-refunds.md``), notes (``_order-notes.md``), trash, currency,
meta data and compound tax lines (``_orders.md``, ``_taxes.md``), coupons
looked up by code (``_coupons.md``), the extensions' order fields, and the
seeded feature cases.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from passerelle.sandbox.woocommerce import WooSandbox
from passerelle.sandbox.woocommerce.seed import SEED_CASES

API = "/wp-json/wc/v3"
AUTH = ("ck_demo", "cs_demo")


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WooSandbox]:
    base = tmp_path_factory.mktemp("woo-orders")
    with WooSandbox(base / "shop.json", cert_dir=base / "certs") as sb:
        yield sb


@pytest.fixture()
def client(sandbox: WooSandbox) -> Iterator[httpx.Client]:
    verify = ssl.create_default_context(cafile=str(sandbox.ca_bundle))
    with httpx.Client(base_url=sandbox.url + API, auth=AUTH, verify=verify, timeout=10) as c:
        yield c


def paid_order(client: httpx.Client, **extra: Any) -> dict[str, Any]:
    """A fresh paid order (20 % and 5.5 % lines, shipping) for tests that change it."""
    body: dict[str, Any] = {
        "payment_method": "stripe",
        "payment_method_title": "Carte bancaire",
        "set_paid": True,
        "billing": {"first_name": "Anne", "country": "FR", "email": "anne@example.org"},
        "line_items": [
            {"sku": "T-1", "name": "Casserole", "quantity": 2, "subtotal": "24.90"},
            {
                "sku": "T-2",
                "name": "Thé",
                "quantity": 1,
                "subtotal": "9.95",
                "tax_class": "reduced-rate",
            },
        ],
        "shipping_lines": [
            {"method_id": "flat_rate", "method_title": "Colissimo", "total": "5.90"}
        ],
        **extra,
    }
    response = client.post("/orders", json=body)
    assert response.status_code == 201, response.text
    return response.json()


# -- refunds (_order-refunds.md) ---------------------------------------------------------------


def test_refund_of_an_amount_and_the_order_summary(client: httpx.Client) -> None:
    order = paid_order(client)
    made = client.post(
        f"/orders/{order['id']}/refunds", json={"amount": "10", "reason": "Geste commercial"}
    )
    assert made.status_code == 201
    assert made.headers["Location"].endswith(f"/orders/{order['id']}/refunds/{made.json()['id']}")
    refund = made.json()
    assert refund["amount"] == "10.00" and refund["reason"] == "Geste commercial"
    assert refund["line_items"] == [] and refund["refunded_by"] == 1
    assert refund["refunded_payment"] is True  # stripe declares refunds support
    assert set(refund) >= {"id", "date_created", "date_created_gmt", "meta_data", "_links"}
    assert refund["_links"]["up"][0]["href"].endswith(f"/orders/{order['id']}")
    again = client.get(f"/orders/{order['id']}").json()
    assert again["refunds"] == [
        {"id": refund["id"], "reason": "Geste commercial", "total": "-10.00"}
    ]
    assert again["status"] == "processing"  # partly refunded: status unchanged
    assert client.get(f"/orders/{order['id']}/refunds/{refund['id']}").json()["id"] == refund["id"]


def test_refund_of_lines_is_negative_and_names_the_refunded_item(client: httpx.Client) -> None:
    order = paid_order(client)
    line = order["line_items"][0]
    rate_id = line["taxes"][0]["id"]
    refund = client.post(
        f"/orders/{order['id']}/refunds",
        json={
            "api_refund": False,
            "reason": "Cassé",
            "line_items": [
                {
                    "id": line["id"],
                    "quantity": 1,
                    "refund_total": "12.45",
                    "refund_tax": [{"id": rate_id, "refund_total": "2.49"}],
                }
            ],
        },
    ).json()
    # Without ``amount`` the refund is what its lines give back.
    assert refund["amount"] == "14.94" and refund["refunded_payment"] is False
    (item,) = refund["line_items"]
    assert item["quantity"] == -1 and item["total"] == "-12.45" and item["subtotal"] == "-12.45"
    assert item["total_tax"] == "-2.49"
    assert item["taxes"] == [{"id": rate_id, "total": "-2.49", "subtotal": "-2.49"}]
    assert item["name"] == "Casserole" and item["sku"] == "T-1" and item["price"] == -12.45
    assert {"key": "_refunded_item_id", "value": str(line["id"])} in [
        {"key": m["key"], "value": m["value"]} for m in item["meta_data"]
    ]
    listed = client.get(f"/orders/{order['id']}/refunds").json()
    assert [r["id"] for r in listed] == [refund["id"]]


def test_refund_errors_follow_wc_create_refund(client: httpx.Client) -> None:
    order = paid_order(client)
    negative = client.post(f"/orders/{order['id']}/refunds", json={"amount": "-1"})
    assert negative.status_code == 400
    assert negative.json()["code"] == "woocommerce_rest_invalid_order_refund"
    too_much = client.post(f"/orders/{order['id']}/refunds", json={"amount": "9999"})
    assert too_much.status_code == 500
    assert too_much.json() == {
        "code": "woocommerce_rest_cannot_create_order_refund",
        "message": "Invalid refund amount.",
        "data": {"status": 500},
    }
    transfer = paid_order(client, payment_method="bacs")
    refused = client.post(f"/orders/{transfer['id']}/refunds", json={"amount": "1"})
    assert refused.status_code == 500
    assert "does not support automatic refunds" in refused.json()["message"]
    assert client.get(f"/orders/{transfer['id']}").json()["refunds"] == []
    assert (
        client.post(
            f"/orders/{transfer['id']}/refunds", json={"amount": "1", "api_refund": False}
        ).status_code
        == 201
    )
    assert (
        client.get("/orders/999999/refunds").json()["code"] == "woocommerce_rest_invalid_order_id"
    )
    other = client.get(f"/orders/{order['id']}/refunds/{transfer['id']}")
    assert other.status_code == 404
    assert other.json()["code"] == "woocommerce_rest_shop_order_refund_invalid_id"


def test_full_refund_moves_the_order_to_refunded_and_delete_needs_force(
    client: httpx.Client,
) -> None:
    order = paid_order(client)
    refund = client.post(
        f"/orders/{order['id']}/refunds", json={"amount": order["total"], "reason": "Annulée"}
    ).json()
    again = client.get(f"/orders/{order['id']}").json()
    assert again["status"] == "refunded"
    notes = [n["note"] for n in client.get(f"/orders/{order['id']}/notes").json()]
    assert "Order status changed from Processing to Refunded." in notes
    kept = client.delete(f"/orders/{order['id']}/refunds/{refund['id']}")
    assert kept.status_code == 501 and kept.json()["code"] == "woocommerce_rest_trash_not_supported"
    gone = client.delete(f"/orders/{order['id']}/refunds/{refund['id']}", params={"force": "true"})
    assert gone.status_code == 200 and gone.json()["id"] == refund["id"]
    assert client.get(f"/orders/{order['id']}").json()["refunds"] == []


def test_seeded_refund(client: httpx.Client) -> None:
    number = SEED_CASES["refunded"]
    order = client.get(f"/orders/{number}").json()
    assert order["status"] == "completed" and len(order["refunds"]) == 1
    assert order["refunds"][0]["total"] == "-19.90"
    (refund,) = client.get(f"/orders/{number}/refunds").json()
    assert refund["reason"] == "Tire-bouchon reçu cassé" and refund["amount"] == "19.90"
    (item,) = refund["line_items"]
    assert item["sku"] == "KIT-005" and item["quantity"] == -1 and item["total"] == "-16.58"


# -- notes (_order-notes.md) -------------------------------------------------------------------


def test_notes_customer_private_and_system(client: httpx.Client) -> None:
    order = paid_order(client)
    missing = client.post(f"/orders/{order['id']}/notes", json={"customer_note": True})
    assert missing.status_code == 400 and missing.json()["code"] == "rest_missing_callback_param"
    to_buyer = client.post(
        f"/orders/{order['id']}/notes",
        json={"note": "Expédiée demain.", "customer_note": True, "added_by_user": True},
    ).json()
    private = client.post(f"/orders/{order['id']}/notes", json={"note": "Vérifier"}).json()
    assert set(to_buyer) >= {
        "id",
        "author",
        "date_created",
        "date_created_gmt",
        "note",
        "customer_note",
        "_links",
    }
    assert to_buyer["customer_note"] is True and to_buyer["author"] != "system"
    assert private["customer_note"] is False and private["author"] == "system"
    everything = client.get(f"/orders/{order['id']}/notes").json()
    assert everything[0]["id"] == private["id"]  # newest first
    customer = client.get(f"/orders/{order['id']}/notes", params={"type": "customer"}).json()
    assert [n["id"] for n in customer] == [to_buyer["id"]]
    internal = client.get(f"/orders/{order['id']}/notes", params={"type": "internal"}).json()
    assert to_buyer["id"] not in {n["id"] for n in internal}
    assert any(n["note"].startswith("Order status changed") for n in internal)
    assert client.get("/orders/999999/notes").json()["code"] == "woocommerce_rest_order_invalid_id"


# -- trash (_orders.md "Delete an order") ------------------------------------------------------


def test_delete_without_force_moves_to_trash(client: httpx.Client) -> None:
    order = paid_order(client)
    trashed = client.delete(f"/orders/{order['id']}")
    assert trashed.status_code == 200 and trashed.json()["status"] == "trash"
    # wp_trash_post keeps the status the order had, for "restore".
    meta = {m["key"]: m["value"] for m in trashed.json()["meta_data"]}
    assert meta["_wp_trash_meta_status"] == order["status"]
    listed = {o["id"] for o in client.get("/orders", params={"per_page": 100}).json()}
    assert order["id"] not in listed  # status=any excludes the trash
    in_trash = {o["id"] for o in client.get("/orders", params={"status": "trash"}).json()}
    assert order["id"] in in_trash and int(SEED_CASES["archived"]) in in_trash
    assert client.delete(f"/orders/{order['id']}").status_code == 410
    client.post(f"/orders/{order['id']}/refunds", json={"amount": "1"})
    assert client.delete(f"/orders/{order['id']}", params={"force": "true"}).status_code == 200
    assert client.get(f"/orders/{order['id']}").status_code == 404
    assert client.get(f"/orders/{order['id']}/refunds").status_code == 404


# -- taxes, currency, meta (_orders.md, _taxes.md) ---------------------------------------------


def test_compound_tax_is_computed_on_price_plus_earlier_taxes(client: httpx.Client) -> None:
    order = client.post(
        "/orders",
        json={
            "currency": "CAD",
            "shipping": {"country": "CA", "state": "BC", "postcode": "V6E 3P3"},
            "line_items": [
                {"sku": "CA-1", "name": "Un", "quantity": 1, "subtotal": "100.00"},
                {"sku": "CA-2", "name": "Deux", "quantity": 3, "subtotal": "24.90"},
            ],
            "shipping_lines": [
                {"method_id": "flat_rate", "method_title": "Post", "total": "19.90"}
            ],
        },
    ).json()
    assert order["currency"] == "CAD" and order["currency_symbol"] == "$"
    first, second = order["line_items"]
    # GST 5 % on 100 = 5.00; PST 8 % on 105 = 8.40.
    assert [t["total"] for t in first["taxes"]] == ["5", "8.4"]
    # GST on 24.90 = 1.245 → 1.25; PST on 26.145 = 2.0916 → 2.09 (GST unrounded).
    assert [t["total"] for t in second["taxes"]] == ["1.25", "2.09"]
    lines = {t["label"]: t for t in order["tax_lines"]}
    assert lines["GST"]["compound"] is False and lines["PST"]["compound"] is True
    assert lines["GST"]["rate_code"] == "CA-GST-1" and lines["PST"]["rate_code"] == "CA-PST-2"
    assert lines["GST"]["tax_total"] == "6.25" and lines["PST"]["tax_total"] == "10.49"
    # Shipping: GST 0.995 → 1.00, PST 20.895 × 8 % = 1.6716 → 1.67.
    assert lines["GST"]["shipping_tax_total"] == "1.00"
    assert lines["PST"]["shipping_tax_total"] == "1.67"
    assert order["total"] == f"{Decimal('144.80') + Decimal('16.74') + Decimal('2.67'):.2f}"


def test_currency_per_order_is_validated(client: httpx.Client) -> None:
    dollars = paid_order(client, currency="USD")
    assert dollars["currency"] == "USD" and dollars["currency_symbol"] == "$"
    assert paid_order(client)["currency"] == "EUR"
    bad = client.post("/orders", json={"currency": "XYZ", "line_items": []})
    assert bad.status_code == 400 and bad.json()["code"] == "rest_invalid_param"


def test_meta_data_is_kept_on_orders_and_lines(client: httpx.Client) -> None:
    order = paid_order(client, meta_data=[{"key": "_billing_vat_number", "value": "FR40303265045"}])
    order = client.post(
        "/orders",
        json={
            "meta_data": [{"key": "_wcpdf_invoice_date", "value": "1700000000"}],
            "line_items": [
                {
                    "sku": "M-1",
                    "name": "Balance",
                    "quantity": 1,
                    "subtotal": "26.63",
                    "meta_data": [{"key": "_ecotax", "value": "0.50"}],
                }
            ],
        },
    ).json()
    assert [(m["key"], m["value"]) for m in order["meta_data"]] == [
        ("_wcpdf_invoice_date", "1700000000")
    ]
    (meta,) = order["line_items"][0]["meta_data"]
    assert (meta["key"], meta["value"], meta["display_key"]) == ("_ecotax", "0.50", "_ecotax")


def test_gross_prices_round_tax_per_line(client: httpx.Client) -> None:
    order = client.get(f"/orders/{SEED_CASES['gross_prices']}").json()
    assert order["prices_include_tax"] is True
    totals = [(li["total"], li["total_tax"]) for li in order["line_items"]]
    assert totals == [("8.32", "1.67")] * 3 + [("5.20", "0.29")]
    assert order["cart_tax"] == "5.30"  # 3 × 1.67 + 0.29, not 29.97 / 6 + 0.29
    assert order["total"] == "41.34"  # the gross prices, plus shipping and its tax


# -- coupons (_coupons.md) ---------------------------------------------------------------------


def test_coupons_by_code_and_id(client: httpx.Client) -> None:
    (coupon,) = client.get("/coupons", params={"code": "FIDELITE"}).json()
    assert coupon["code"] == "fidelite" and coupon["description"] == "Remise fidélité [DISC-FID]"
    assert coupon["amount"] == "8.00" and coupon["discount_type"] == "fixed_cart"
    assert client.get(f"/coupons/{coupon['id']}").json()["code"] == "fidelite"
    assert client.get("/coupons", params={"code": "nope"}).json() == []
    assert client.get("/coupons/999999").json()["code"] == "woocommerce_rest_shop_coupon_invalid_id"
    assert {c["code"] for c in client.get("/coupons").json()} >= {"bienvenue10", "remise5"}


# -- extensions --------------------------------------------------------------------------------


def test_gift_cards_lower_the_total(client: httpx.Client) -> None:
    order = client.get(f"/orders/{SEED_CASES['gift_card_and_wrap']}").json()
    (card,) = order["gift_cards"]
    assert set(card) == {"id", "code", "amount"} and card["amount"] == "20.00"
    lines = sum(Decimal(li["total"]) for li in order["line_items"])
    fees = sum(Decimal(f["total"]) for f in order["fee_lines"])
    assert Decimal(order["total"]) == lines + fees + Decimal(order["shipping_total"]) + Decimal(
        order["total_tax"]
    ) - Decimal("20.00")
    assert order["fee_lines"][0]["name"] == "Emballage cadeau"
    assert client.get("/orders/703").json()["gift_cards"] == []


def test_several_delivery_addresses(client: httpx.Client) -> None:
    order = client.get(f"/orders/{SEED_CASES['several_addresses']}").json()
    assert order["multiple_shipping"] is True
    assert order["shipping"]["address_1"] == "" and order["shipping"]["city"] == ""
    packages = order["shipping_packages"]
    assert [p["destination"]["city"] for p in packages] == ["Toulouse", "Annecy"]
    assert all("full_address" not in p for p in packages)
    assert [p["contents"][0]["name"] for p in packages] == [
        li["name"] for li in order["line_items"]
    ]
    meta = {m["key"]: m["value"] for m in order["meta_data"]}
    assert set(meta["_packages_item_ids"].values()) == {li["id"] for li in order["line_items"]}
    assert len(meta["_wcms_packages"]) == 2 and meta["_multiple_shipping"] == "yes"
    assert client.get("/orders/703").json()["multiple_shipping"] is False


# -- seed --------------------------------------------------------------------------------------


def test_seed_cases_are_where_the_table_says(client: httpx.Client) -> None:
    orders = {
        str(o["id"]): o
        for page in (1,)
        for o in client.get("/orders", params={"per_page": 100, "page": page}).json()
    }
    orders.update(
        {str(o["id"]): o for o in client.get("/orders", params={"status": "trash"}).json()}
    )
    case = {name: orders[number] for name, number in SEED_CASES.items()}
    assert case["foreign_currency"]["currency"] == "USD"
    assert case["compound_tax"]["currency"] == "CAD"
    assert {t["compound"] for t in case["compound_tax"]["tax_lines"]} == {True, False}
    for name in ("export_outside_eu", "eu_reverse_charge"):
        assert case[name]["total_tax"] == "0.00", name
    meta = {name: {m["key"]: m["value"] for m in o["meta_data"]} for name, o in case.items()}
    assert meta["eu_reverse_charge"]["_billing_vat_number"] == "BE0477472701"
    assert meta["match_by_number"]["_billing_vat_number"] == "FR40303265045"
    assert case["match_by_number"]["billing"]["email"] == "compta@durand-sarl.example.org"
    assert case["marketplace"]["created_via"] == "amazon"
    assert case["marketplace"]["payment_method"] == "amazon_payments_advanced"
    assert case["other_store"]["created_via"] == "pos"
    assert case["archived"]["status"] == "trash" and case["archived"]["date_paid"]
    assert case["coupon_naming_item"]["coupon_lines"][0]["code"] == "fidelite"
    assert len({t["rate_id"] for t in case["discount_across_vat"]["tax_lines"]}) == 3
    ecotax = case["ecotax"]["line_items"][0]
    assert (ecotax["sku"], ecotax["meta_data"][0]["value"]) == ("KIT-002", "0.50")
    assert [li["sku"] for li in case["substitutes"]["line_items"]] == ["OLD-001", "CHO-001"]
    first, second = case["grouped_guests"], case["grouped_guests_2"]
    assert first["customer_id"] == second["customer_id"] == 0
    assert first["date_created"][:10] == second["date_created"][:10]
    assert (
        [(li["sku"], li["quantity"]) for li in first["line_items"]]
        == [(li["sku"], li["quantity"]) for li in second["line_items"]]
        == [("TEA-001", 2)]
    )
    assert case["messages"]["customer_note"]
    notes = client.get(f"/orders/{SEED_CASES['messages']}/notes").json()
    mine = [n for n in notes if n["author"] != "system"]
    assert sorted(n["customer_note"] for n in mine) == [False, True]
    assert case["accents"]["billing"]["first_name"] == "Élodie"
    assert case["accents"]["billing"]["city"] == "Orléans"
    assert case["accents"]["customer_id"] != 0
    assert meta["refunded"]["_wcpdf_invoice_date"].isdigit()


def test_seed_is_deterministic(tmp_path: Path) -> None:
    def snapshot() -> list[tuple[Any, ...]]:
        sandbox = WooSandbox(None, cert_dir=tmp_path / "certs")
        return [
            (
                o["id"],
                o["status"],
                o["total"],
                o["currency"],
                o["created_via"],
                [(li["sku"], li["quantity"], li["total"]) for li in o["line_items"]],
            )
            for o in sandbox.data.orders.values()
        ]

    assert snapshot() == snapshot()
