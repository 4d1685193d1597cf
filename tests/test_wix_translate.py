"""Wix translators on the documented examples (tests/data/wix/README.md names the pages)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from passerelle.connectors.errors import RecordError
from passerelle.connectors.reading import each_record
from passerelle.connectors.wix.client import read_error
from passerelle.connectors.wix.translate_orders import order_from_wix
from passerelle.connectors.wix.translate_products import v1_products, v3_products
from passerelle.model import OrderStatus

DATA = Path(__file__).parent / "data" / "wix"


def _load(name: str) -> Any:
    return json.loads((DATA / name).read_text())


def _order() -> dict[str, Any]:
    return dict(_load("search_orders.json")["orders"][0])


def test_order_amounts_are_decimals_to_the_cent() -> None:
    order = order_from_wix(_order())
    assert order.source_id == "6f759095-0701-4075-9908-c9c31ff013e1"
    assert order.number == "10126"
    assert order.currency == "USD"
    assert order.total == Decimal("44")
    assert order.total_tax == Decimal("4")
    assert isinstance(order.total, Decimal)
    assert order.created_at.isoformat() == "2023-11-10T08:28:58.917000+00:00"


def test_order_line_has_sku_variant_tax_and_price() -> None:
    (line,) = order_from_wix(_order()).lines
    assert line.reference == "IB-500-STOVE"
    assert line.name == "Indonesian Blend"
    assert line.quantity == Decimal(1)
    assert line.total == line.subtotal == Decimal("35")
    assert line.total_tax == Decimal("3.5")
    assert line.taxes[0].rate == Decimal("0.1")
    assert line.product_id == (
        "5376f9ec-b92e-efa9-e4a1-f4f480aa0d3a/00000000-0000-003f-0005-ad9cdc10d3b8"
    )


def test_order_shipping_line_and_two_addresses() -> None:
    order = order_from_wix(_order())
    (shipping,) = order.shipping_lines
    assert (shipping.title, shipping.total, shipping.total_tax) == (
        "Standard Delivery",
        Decimal("5"),
        Decimal("0.5"),
    )
    assert order.billing.street == "235 West 23rd Street"
    assert order.billing.street2 == "3rd floor"
    assert order.billing.subdivision == "US-NY"
    assert order.billing.email == "janedoe@example.com"
    assert order.shipping.street == "10 Court Street"
    assert order.shipping.city == "Brooklyn"
    assert order.shipping.first_name == "John"
    # Lines, shipping and tax add up to the documented total.
    lines = sum((x.total + x.total_tax for x in order.lines), Decimal(0))
    assert lines + shipping.total + shipping.total_tax == order.total


def test_order_status_from_payment_and_fulfillment() -> None:
    raw = _order()
    assert order_from_wix(raw).status is OrderStatus.PROCESSING
    assert order_from_wix(raw).shop_status == "PAID"
    assert order_from_wix(raw | {"fulfillmentStatus": "FULFILLED"}).status is (
        OrderStatus.COMPLETED
    )
    assert order_from_wix(raw | {"paymentStatus": "NOT_PAID"}).status is (
        OrderStatus.PENDING_PAYMENT
    )
    cancelled = order_from_wix(raw | {"status": "CANCELED"})
    assert (cancelled.status, cancelled.shop_status) == (OrderStatus.CANCELLED, "CANCELED")
    assert order_from_wix(raw | {"paymentStatus": "FULLY_REFUNDED"}).status is (
        OrderStatus.REFUNDED
    )


def test_tax_included_prices_split_the_line_discount() -> None:
    raw = _order()
    line = dict(raw["lineItems"][0]) | {
        "totalDiscount": {"amount": "11"},
        "totalPriceBeforeTax": {"amount": "25"},
    }
    order = order_from_wix(raw | {"taxIncludedInPrices": True, "lineItems": [line]})
    assert order.prices_include_tax
    # 11.00 with 10 % tax inside is 10.00 before tax.
    assert order.lines[0].subtotal == Decimal("35.00")


def test_coupon_discount() -> None:
    raw = _order() | {
        "appliedDiscounts": [
            {
                "discountType": "GLOBAL",
                "coupon": {
                    "id": "c1",
                    "code": "SUMMER",
                    "name": "Summer",
                    "amount": {"amount": "5"},
                },
            }
        ]
    }
    (coupon,) = order_from_wix(raw).coupons
    assert (coupon.code, coupon.discount, coupon.description) == ("SUMMER", Decimal(5), "Summer")


def test_payments_from_transactions() -> None:
    transactions = {t["orderId"]: t for t in _load("transactions.json")["orderTransactions"]}
    paid = order_from_wix(_order(), transactions["4bab5870-7943-4a9e-8d4e-96719b3e4f38"])
    (payment,) = paid.payments
    assert payment.method == "Stripe"
    assert payment.amount == Decimal("17.99")
    assert payment.transaction_id == "pi_3NmFQZINImlhPEm01iyAurzL"
    assert paid.payment_method == "Stripe"
    card = order_from_wix(_order(), transactions["8d009fbe-6600-4c7a-ad23-37e9f0477947"])
    assert card.payments == ()
    assert card.gift_cards[0].amount == Decimal("25.0")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"priceSummary": {"total": {"amount": "forty"}}}, "priceSummary.total"),
        ({"createdDate": "yesterday"}, "createdDate"),
    ],
)
def test_one_malformed_order_is_its_own_error(change: dict[str, Any], field: str) -> None:
    good = _order()
    bad = _order() | change | {"id": "bad-order"}
    results = list(each_record([bad, good], order_from_wix))
    assert isinstance(results[0], RecordError)
    assert results[0].record_id == "bad-order"
    assert field in str(results[0])
    assert not isinstance(results[1], RecordError)
    assert results[1].number == "10126"


def test_an_amount_sent_as_a_float_is_refused() -> None:
    bad = _order() | {"priceSummary": {"total": {"amount": 44.1}}}
    (result,) = each_record([bad], order_from_wix)
    assert isinstance(result, RecordError)


def test_v1_product() -> None:
    raw = _load("v1_products.json")["products"][0]
    (product,) = v1_products(raw, {"32fd0b3a-2d38-2235-7754-78a3f819274a": "Tops"})
    assert product.shop_id == "131604aa-169f-d3e8-f076-a967b03e880c"
    assert product.sku == "TSHIRT"
    assert product.regular_price == Decimal("10")
    assert product.weight == Decimal("0.2")
    assert product.stock_quantity == 300
    assert product.category_names == ("Tops",)


def test_v1_product_with_variants() -> None:
    raw = _load("v1_products.json")["products"][0] | {
        "manageVariants": True,
        "variants": [
            {
                "id": "00000000-0000-0020-0005-ad9cdc10d3b8",
                "choices": {"Size": "S"},
                "variant": {"sku": "TSHIRT-S", "priceData": {"price": 12.5}},
                "stock": {"trackQuantity": True, "quantity": 4},
            }
        ],
    }
    parent, small = v1_products(raw, {})
    assert parent.regular_price == Decimal("10")
    assert (
        small.shop_id == "131604aa-169f-d3e8-f076-a967b03e880c/00000000-0000-0020-0005-ad9cdc10d3b8"
    )
    assert (small.sku, small.parent_sku, small.name) == ("TSHIRT-S", "TSHIRT", "T-Shirt (S)")
    assert small.regular_price == Decimal("12.5")
    assert small.stock_quantity == 4


def _v3(variants: list[dict[str, Any]], options: list[Any]) -> dict[str, Any]:
    return {
        "id": "p1",
        "name": "Mug",
        "visible": True,
        "options": options,
        "variantsInfo": {"variants": variants},
        "allCategoriesInfo": {"categories": [{"id": "c1", "index": 0}]},
    }


def test_v3_simple_product_and_its_inventory() -> None:
    raw = _v3([{"id": "v1", "sku": "MUG", "price": {"actualPrice": {"amount": "9.90"}}}], [])
    (product,) = v3_products(raw, {"c1": "Kitchen"}, {"v1": {"trackQuantity": True, "quantity": 7}})
    assert (product.shop_id, product.sku, product.regular_price) == ("p1", "MUG", Decimal("9.90"))
    assert product.stock_quantity == 7
    assert product.category_names == ("Kitchen",)


def test_v3_product_with_variants() -> None:
    variant = {
        "id": "v2",
        "sku": "MUG-RED",
        "price": {"actualPrice": {"amount": "11"}},
        "choices": [{"optionChoiceNames": {"optionName": "Color", "choiceName": "Red"}}],
    }
    parent, red = v3_products(_v3([variant], [{"name": "Color"}]), {}, {})
    assert parent.regular_price is None
    assert (red.shop_id, red.sku, red.name) == ("p1/v2", "MUG-RED", "Mug (Red)")
    assert red.stock_quantity is None  # not counted


def _response(name: str, status: int) -> httpx.Response:
    return httpx.Response(status, json=_load(name))


def test_errors_name_the_field_and_the_rule() -> None:
    code, message = read_error(_response("error_validation.json", 400))
    assert code == ""
    assert "product.name: must not be empty" in message
    code, message = read_error(_response("error_application.json", 409))
    assert code == "DUPLICATE_CONTACT_EXISTS"
    assert message == "Cannot create contact, duplicate contact exists"
    assert read_error(httpx.Response(500, content=b"")) == ("", "")
