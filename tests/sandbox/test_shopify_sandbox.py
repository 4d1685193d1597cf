"""The Shopify sandbox against the Admin GraphQL docs: pagination, costs, limits, errors."""

from __future__ import annotations

from typing import Any

from passerelle.sandbox.shopify.server import ShopifySandbox


def _run(s: ShopifySandbox, query: str, variables: dict[str, Any] | None = None) -> Any:
    return s.execute(query, variables or {})


def test_orders_page_by_cursor_until_has_next_page_is_false() -> None:
    s = ShopifySandbox(None)
    seen, after = [], None
    while True:
        answer = _run(s, "query($after: String) { orders(first: 10, after: $after) { "
                         "nodes { id } pageInfo { hasNextPage endCursor } } }", {"after": after})
        page = answer["data"]["orders"]
        seen += [n["id"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == len(s.state["orders"])
    assert seen[0] == "gid://shopify/Order/703"


def test_costs_follow_the_docs_and_the_actual_cost_counts_returned_nodes() -> None:
    s = ShopifySandbox(None)
    answer = _run(s, "{ orders(first: 50) { nodes { id customer { id } } } }")
    cost = answer["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 2 + 50 * 2
    assert cost["actualQueryCost"] < cost["requestedQueryCost"]
    assert cost["throttleStatus"]["maximumAvailable"] == 2000.0
    assert cost["throttleStatus"]["restoreRate"] == 100.0
    mutation = _run(s, 'mutation { collectionCreate(input: {title: "A"}) { collection { id } '
                       "userErrors { message } } }")
    assert mutation["extensions"]["cost"]["requestedQueryCost"] == 10


def test_page_size_and_single_query_cost_limits() -> None:
    s = ShopifySandbox(None)
    assert "first or last" in _run(s, "{ products { nodes { id } } }")["errors"][0]["message"]
    assert _run(s, "{ products(first: 251) { nodes { id } } }")["errors"]
    too_big = _run(s, "{ products(first: 250) { nodes { id variants(first: 10) { nodes { id "
                      "} } } } }")
    assert too_big["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"


def test_an_empty_bucket_answers_throttled_and_executes_nothing() -> None:
    s = ShopifySandbox(None, maximum=15, restore_rate=0.001)
    create = 'mutation { collectionCreate(input: {title: "X"}) { userErrors { message } } }'
    assert "data" in _run(s, create)
    throttled = _run(s, create)
    assert throttled["errors"][0] == {"message": "Throttled", "extensions": {
        "code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/limits"}}
    assert len(s.state["collections"]) == 1


def test_unknown_fields_are_refused_by_the_schema() -> None:
    s = ShopifySandbox(None)
    answer = _run(s, "{ shop { nope } }")
    assert "Cannot query field 'nope'" in answer["errors"][0]["message"]


def test_inventory_set_quantities_limits_and_compare_and_swap() -> None:
    s = ShopifySandbox(None)
    created = _run(s, 'mutation { productSet(input: {title: "T", productOptions: [{name: '
                      '"Title", values: [{name: "Default Title"}]}], variants: [{price: "1.00",'
                      ' optionValues: [{optionName: "Title", name: "Default Title"}], '
                      'inventoryItem: {sku: "S1"}}]}) { product { variants(first: 1) { nodes {'
                      " inventoryItem { id } } } } userErrors { message } } }")
    item = created["data"]["productSet"]["product"]["variants"]["nodes"][0]["inventoryItem"]["id"]
    location = "gid://shopify/Location/61000001"
    doc = ("mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: "
           "$input) { userErrors { code } } }")

    def setq(quantities: list[dict[str, Any]]) -> Any:
        return _run(s, doc, {"input": {"name": "available", "reason": "correction",
                                       "quantities": quantities}})
    missing = setq([{"inventoryItemId": item, "locationId": location, "quantity": 5}])
    # 2026-01: without changeFromQuantity, the pre-2026-04 compareQuantity rule applies.
    assert missing["data"]["inventorySetQuantities"]["userErrors"][0]["code"] == \
        "COMPARE_QUANTITY_REQUIRED"
    stale = setq([{"inventoryItemId": item, "locationId": location, "quantity": 5,
                   "changeFromQuantity": 3}])
    assert stale["data"]["inventorySetQuantities"]["userErrors"][0]["code"] == \
        "CHANGE_FROM_QUANTITY_STALE"
    ok = setq([{"inventoryItemId": item, "locationId": location, "quantity": 5,
                "changeFromQuantity": 0}])
    assert ok["data"]["inventorySetQuantities"]["userErrors"] == []
    too_many = setq([{"inventoryItemId": item, "locationId": location, "quantity": 1,
                      "changeFromQuantity": None}] * 251)
    assert too_many["errors"][0]["extensions"]["code"] == "MAX_INPUT_SIZE_EXCEEDED"
