"""Contacts and eCommerce orders on the Wix sandbox (passerelle/sandbox/wix/contacts.py,
orders.py): duplicates and revisions, labels, Search Orders paging and filters, the order's
documented parts and what an update may change."""

from __future__ import annotations

from typing import Any

from .test_wix_sandbox import LIMITS, started

__all__ = ["started"]  # the fixture, used by name


def test_contacts_refuse_a_duplicate_email_and_are_found_by_email(started: Any) -> None:
    site = started()
    info = {"name": {"first": "Anne"}, "emails": {"items": [{"email": "Anne@Example.org"}]}}
    created = site.ok("POST", "/contacts/v4/contacts", {"info": info})["contact"]
    again = site.post("/contacts/v4/contacts", {"info": info})
    assert again.status_code == 409
    assert again.json()["details"]["applicationError"]["code"] == "DUPLICATE_CONTACT_EXISTS"
    assert (
        site.post("/contacts/v4/contacts", {"info": info, "allowDuplicates": True}).status_code
        == 200
    )
    found = site.ok(
        "POST",
        "/contacts/v4/contacts/query",
        {"query": {"filter": {"info.emails.email": "anne@example.org"}}},
    )
    assert created["id"] in [c["id"] for c in found["contacts"]]
    assert site.post("/contacts/v4/contacts", {"info": {}}).status_code == 400


def test_contact_updates_need_the_revision_and_labels_must_exist(started: Any) -> None:
    site = started()
    contact = site.ok(
        "POST", "/contacts/v4/contacts", {"info": {"name": {"first": "Paul", "last": "Roux"}}}
    )["contact"]
    path = f"/contacts/v4/contacts/{contact['id']}"
    stale = site.http.patch(path, json={"revision": contact["revision"] + 5, "info": {}})
    assert stale.status_code == 409
    updated = site.ok(
        "PATCH", path, {"revision": contact["revision"], "info": {"company": "Roux SARL"}}
    )["contact"]
    assert updated["info"]["company"] == "Roux SARL"
    assert site.post(f"{path}/labels", {"labelKeys": ["custom.pro"]}).status_code == 400
    label = site.ok("POST", "/contacts/v4/labels", {"displayName": "Pro"})["label"]
    labelled = site.ok("POST", f"{path}/labels", {"labelKeys": [label["key"]]})["contact"]
    assert labelled["info"]["labelKeys"]["items"] == [label["key"]]


def test_orders_search_pages_to_the_end_and_filters(started: Any) -> None:
    site = started()
    orders = site.box.data["orders"]
    seen: list[str] = []
    paging: dict[str, Any] = {"limit": 10}
    while True:
        page = site.ok("POST", "/ecom/v1/orders/search", {"search": {"cursorPaging": paging}})
        seen += [o["id"] for o in page["orders"]]
        if not page["metadata"]["hasNext"]:
            break
        paging = {"limit": 10, "cursor": page["metadata"]["cursors"]["next"]}
    assert sorted(seen) == sorted(orders)
    dates = [orders[i]["createdDate"] for i in seen]
    assert dates == sorted(dates, reverse=True)  # documented default: createdDate DESC
    middle = sorted(dates)[len(dates) // 2]
    recent = site.ok(
        "POST",
        "/ecom/v1/orders/search",
        {"search": {"filter": {"createdDate": {"$gte": middle}, "paymentStatus": "PAID"}}},
    )["orders"]
    assert recent
    assert all(o["createdDate"] >= middle and o["paymentStatus"] == "PAID" for o in recent)
    over = LIMITS["search_orders"]["default_limit"] + 1
    assert (
        site.post(
            "/ecom/v1/orders/search", {"search": {"cursorPaging": {"limit": over}}}
        ).status_code
        == 400
    )


def test_a_seeded_order_has_the_documented_parts(started: Any) -> None:
    site = started()
    order = next(iter(site.box.data["orders"].values()))
    fetched = site.ok("GET", f"/ecom/v1/orders/{order['id']}")["order"]
    line = fetched["lineItems"][0]
    assert line["catalogReference"]["appId"] and line["catalogReference"]["catalogItemId"]
    for part in ("priceSummary", "taxSummary", "billingInfo", "shippingInfo", "buyerInfo"):
        assert part in fetched
    assert fetched["paymentStatus"] in ("NOT_PAID", "PAID")
    assert site.http.get("/ecom/v1/orders/00000000-0000-0000-0000-000000000001").status_code == 404


def test_an_order_update_changes_only_what_the_api_lets_a_caller_change(started: Any) -> None:
    site = started()
    order = next(
        o
        for o in site.box.data["orders"].values()
        if (o["paymentStatus"], o["status"]) == ("NOT_PAID", "APPROVED")
    )
    path = f"/ecom/v1/orders/{order['id']}"
    answer = site.ok(
        "PATCH",
        path,
        {"order": {"buyerNote": "Sonner deux fois", "paymentStatus": "PAID", "status": "CANCELED"}},
    )
    assert answer["order"]["buyerNote"] == "Sonner deux fois"
    assert (answer["order"]["paymentStatus"], answer["order"]["status"]) == ("NOT_PAID", "APPROVED")
    assert site.http.patch(path, json={}).status_code == 400
