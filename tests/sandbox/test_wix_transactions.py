"""Order Transactions and the parts a connector reads or writes on the Wix sandbox
(passerelle/sandbox/wix/transactions.py, order_shape.py, contacts.py, orders.py,
products_v3.py): payments listed by order ids, approved when the merchant marks an offline
order paid; the shipping cost's documented ``totalPriceBeforeTax`` and ``taxRate``;
contacts filtered on ``primaryInfo.email``; custom fields; merchant comments; a product's
read-only categories."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from passerelle.sandbox.wix.platform import WixPlatform
from passerelle.sandbox.wix.wire import STORES_APP_ID

from .test_wix_sandbox import started, v3_product

__all__ = ["started"]  # the fixture, used by name


def _payments(site: Any, *order_ids: str) -> dict[str, list[dict[str, Any]]]:
    answer = site.ok("POST", "/ecom/v1/payments/list-by-ids", {"orderIds": list(order_ids)})
    return {t["orderId"]: t["payments"] for t in answer["orderTransactions"]}


def test_seeded_orders_list_their_payments_by_order_id(started: Any) -> None:
    site = started()
    orders = list(site.box.data["orders"].values())
    paid = next(o for o in orders if o["paymentStatus"] == "PAID")
    unpaid = next(o for o in orders if o["paymentStatus"] == "NOT_PAID")
    found = _payments(site, paid["id"], unpaid["id"])
    (payment,) = [p for p in found[paid["id"]] if "regularPaymentDetails" in p]
    assert payment["regularPaymentDetails"]["status"] == "APPROVED"
    assert payment["regularPaymentDetails"]["paymentMethod"]
    assert payment["amount"] == paid["priceSummary"]["total"]
    (waiting,) = found[unpaid["id"]]
    assert waiting["regularPaymentDetails"]["status"] == "PENDING"
    single = site.ok("GET", f"/ecom/v1/payments/orders/{paid['id']}")["orderTransactions"]
    assert single["payments"] == found[paid["id"]]
    assert site.post("/ecom/v1/payments/list-by-ids", {}).status_code == 400


def test_marking_an_order_paid_approves_its_pending_payment(started: Any) -> None:
    site = started()
    platform = WixPlatform(site.box)
    products = [
        {
            "name": "Mug",
            "productType": "PHYSICAL",
            "physicalProperties": {},
            "variantsInfo": {
                "variants": [
                    {
                        "sku": "MUG",
                        "price": {"actualPrice": {"amount": "8.00"}},
                        "inventoryItem": {"quantity": 5},
                    }
                ]
            },
        }
    ]
    site.ok("POST", "/stores/v3/bulk/products-with-inventory/create", {"products": products})
    order_id = platform.place_order({"MUG": 2}, state="pending")
    (before,) = _payments(site, order_id)[order_id]
    assert before["regularPaymentDetails"]["status"] == "PENDING"
    assert before["regularPaymentDetails"]["offlinePayment"] is True
    platform.set_order_state(order_id, "paid")
    (after,) = _payments(site, order_id)[order_id]
    assert after["regularPaymentDetails"]["status"] == "APPROVED"
    assert Decimal(after["amount"]["amount"]) == Decimal("19.20")  # 2 x 8.00 + 20 % VAT


def test_the_shipping_cost_has_its_amount_before_tax_and_its_rate(started: Any) -> None:
    site = started()
    shipped = [
        o
        for o in site.box.data["orders"].values()
        if Decimal(o["shippingInfo"]["cost"]["price"]["amount"])
        and Decimal(o["shippingInfo"]["cost"]["taxDetails"]["totalTax"]["amount"])
    ]
    assert shipped
    for order in shipped:
        cost = order["shippingInfo"]["cost"]
        before = Decimal(cost["totalPriceBeforeTax"]["amount"])
        tax = Decimal(cost["taxDetails"]["totalTax"]["amount"])
        assert before == Decimal(cost["price"]["amount"])
        assert Decimal(cost["totalPriceAfterTax"]["amount"]) == before + tax
        rate = Decimal(cost["taxDetails"]["taxRate"])
        assert abs(before * rate - tax) <= Decimal("0.01"), order["number"]


def test_contacts_are_found_by_their_primary_email(started: Any) -> None:
    site = started()
    info = {"name": {"first": "Léa"}, "emails": {"items": [{"email": "Lea@Example.org"}]}}
    created = site.ok("POST", "/contacts/v4/contacts", {"info": info})["contact"]
    found = site.ok(
        "POST",
        "/contacts/v4/contacts/query",
        {"query": {"filter": {"primaryInfo.email": {"$in": ["lea@example.org"]}}}},
    )
    assert [c["id"] for c in found["contacts"]] == [created["id"]]


def test_custom_fields_hold_a_contacts_account_code(started: Any) -> None:
    site = started()
    body = {"displayName": "Account code", "dataType": "TEXT"}
    made = site.ok("POST", "/contacts/v4/extended-fields", body)
    again = site.ok("POST", "/contacts/v4/extended-fields", body)
    assert (made["newField"], again["newField"]) == (True, False)
    key = made["field"]["key"]
    assert key.startswith("custom.") and again["field"]["key"] == key
    info = {"name": {"first": "Zoé"}, "extendedFields": {"items": {key: "C0042"}}}
    contact = site.ok("POST", "/contacts/v4/contacts", {"info": info})["contact"]
    assert contact["info"]["extendedFields"]["items"] == {key: "C0042"}
    unknown = {"name": {"first": "Zoé"}, "extendedFields": {"items": {"custom.nope": "x"}}}
    assert site.post("/contacts/v4/contacts", {"info": unknown}).status_code == 400
    assert site.post("/contacts/v4/extended-fields", {"displayName": "X"}).status_code == 400


def test_merchant_comments_are_added_to_the_order(started: Any) -> None:
    site = started()
    order_id = next(iter(site.box.data["orders"]))
    path = f"/ecom/v1/orders/{order_id}/activities/add"
    comment = {"merchantComment": {"message": "Back-office sale: SO042"}}
    answer = site.ok("POST", path, {"orderActivities": [comment]})
    (activity,) = answer["order"]["activities"]
    assert answer["activityIds"] == [activity["id"]]
    assert (activity["type"], activity["merchantComment"]) == (
        "MERCHANT_COMMENT",
        comment["merchantComment"],
    )
    assert WixPlatform(site.box).view.orders()[order_id].document_number == "SO042"
    too_many = {"orderActivities": [comment] * 301}
    assert site.post(path, too_many).status_code == 400
    assert site.post(path, {"orderActivities": [{}]}).status_code == 400


def test_a_product_shows_its_categories_read_only(started: Any) -> None:
    site = started()
    tree = {"treeReference": {"appNamespace": "@wix/stores"}}
    parent = site.ok("POST", "/categories/v1/categories", {"category": {"name": "Maison"}, **tree})
    child = site.ok(
        "POST",
        "/categories/v1/categories",
        {"category": {"name": "Table", "parentCategory": {"id": parent["category"]["id"]}}, **tree},
    )["category"]
    product = site.ok(
        "POST",
        "/stores/v3/products",
        {"product": v3_product("Bol", "BOL-1", directCategoriesInfo={"categories": [{"id": "x"}]})},
    )["product"]
    assert product["directCategoriesInfo"] == {"categories": []}  # read-only: not taken
    item = {"catalogItemId": product["id"], "appId": STORES_APP_ID}
    site.ok(
        "POST", f"/categories/v1/bulk/categories/{child['id']}/add-items", {"items": [item], **tree}
    )
    shown = site.ok("GET", f"/stores/v3/products/{product['id']}")["product"]
    assert shown["directCategoriesInfo"]["categories"] == [{"id": child["id"]}]
    assert {c["id"] for c in shown["allCategoriesInfo"]["categories"]} == {
        child["id"],
        parent["category"]["id"],
    }


def test_query_returns_the_description_and_categories_only_when_asked(started: Any) -> None:
    site = started()
    made = v3_product("Bol", "BOL-2", plainDescription="Un bol")
    site.ok("POST", "/stores/v3/products", {"product": made})
    (bare,) = site.ok("POST", "/stores/v3/products/query", {"query": {}})["products"]
    assert not {"plainDescription", "allCategoriesInfo", "directCategoriesInfo"} & set(bare)
    fields = ["PLAIN_DESCRIPTION", "ALL_CATEGORIES_INFO"]
    (full,) = site.ok("POST", "/stores/v3/products/query", {"query": {}, "fields": fields})[
        "products"
    ]
    assert full["plainDescription"] == "Un bol" and "allCategoriesInfo" in full
    assert "directCategoriesInfo" not in full
