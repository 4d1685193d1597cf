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
        answer = _run(
            s,
            "query($after: String) { orders(first: 10, after: $after) { "
            "nodes { id } pageInfo { hasNextPage endCursor } } }",
            {"after": after},
        )
        page = answer["data"]["orders"]
        seen += [n["id"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == len(s.state["orders"])
    assert seen[0] == "gid://shopify/Order/703"


def test_costs_follow_the_docs_and_the_actual_cost_counts_returned_nodes() -> None:
    s = ShopifySandbox(None, plan="standard")
    answer = _run(s, "{ orders(first: 50) { nodes { id customer { id } } } }")
    cost = answer["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 2 + 50 * 2
    assert cost["actualQueryCost"] < cost["requestedQueryCost"]
    assert cost["throttleStatus"]["maximumAvailable"] == 2000.0
    assert cost["throttleStatus"]["restoreRate"] == 100.0
    mutation = _run(
        s,
        'mutation { collectionCreate(input: {title: "A"}) { collection { id } '
        "userErrors { message } } }",
    )
    assert mutation["extensions"]["cost"]["requestedQueryCost"] == 10


def test_page_size_and_single_query_cost_limits() -> None:
    s = ShopifySandbox(None)
    assert "first or last" in _run(s, "{ products { nodes { id } } }")["errors"][0]["message"]
    assert _run(s, "{ products(first: 251) { nodes { id } } }")["errors"]
    too_big = _run(
        s, "{ products(first: 250) { nodes { id variants(first: 10) { nodes { id } } } } }"
    )
    assert too_big["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"


def test_an_empty_bucket_answers_throttled_and_executes_nothing() -> None:
    s = ShopifySandbox(None, maximum=15, restore_rate=0.001)
    before = len(s.state["collections"])
    create = 'mutation { collectionCreate(input: {title: "X"}) { userErrors { message } } }'
    assert "data" in _run(s, create)
    throttled = _run(s, create)
    assert throttled["errors"][0] == {
        "message": "Throttled",
        "extensions": {
            "code": "THROTTLED",
            "documentation": "https://shopify.dev/api/usage/limits",
        },
    }
    assert len(s.state["collections"]) == before + 1


def test_unknown_fields_are_refused_by_the_schema() -> None:
    s = ShopifySandbox(None)
    answer = _run(s, "{ shop { nope } }")
    assert "Cannot query field 'nope'" in answer["errors"][0]["message"]


def test_inventory_set_quantities_limits_and_compare_and_swap() -> None:
    s = ShopifySandbox(None)
    created = _run(
        s,
        'mutation { productSet(input: {title: "T", productOptions: [{name: '
        '"Title", values: [{name: "Default Title"}]}], variants: [{price: "1.00",'
        ' optionValues: [{optionName: "Title", name: "Default Title"}], '
        'inventoryItem: {sku: "S1"}}]}) { product { variants(first: 1) { nodes {'
        " inventoryItem { id } } } } userErrors { message } } }",
    )
    item = created["data"]["productSet"]["product"]["variants"]["nodes"][0]["inventoryItem"]["id"]
    location = "gid://shopify/Location/61000001"
    doc = (
        "mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: "
        "$input) { userErrors { code } } }"
    )

    def setq(quantities: list[dict[str, Any]]) -> Any:
        return _run(
            s,
            doc,
            {"input": {"name": "available", "reason": "correction", "quantities": quantities}},
        )

    missing = setq([{"inventoryItemId": item, "locationId": location, "quantity": 5}])
    # 2026-01: without changeFromQuantity, the pre-2026-04 compareQuantity rule applies.
    assert (
        missing["data"]["inventorySetQuantities"]["userErrors"][0]["code"]
        == "COMPARE_QUANTITY_REQUIRED"
    )
    stale = setq(
        [{"inventoryItemId": item, "locationId": location, "quantity": 5, "changeFromQuantity": 3}]
    )
    assert (
        stale["data"]["inventorySetQuantities"]["userErrors"][0]["code"]
        == "CHANGE_FROM_QUANTITY_STALE"
    )
    ok = setq(
        [{"inventoryItemId": item, "locationId": location, "quantity": 5, "changeFromQuantity": 0}]
    )
    assert ok["data"]["inventorySetQuantities"]["userErrors"] == []
    too_many = setq(
        [
            {
                "inventoryItemId": item,
                "locationId": location,
                "quantity": 1,
                "changeFromQuantity": None,
            }
        ]
        * 251
    )
    assert too_many["errors"][0]["extensions"]["code"] == "MAX_INPUT_SIZE_EXCEEDED"


# ---------------------------------------------------------------------------- bulk limits
# https://shopify.dev/docs/api/usage/bulk-operations/queries and .../imports: from API
# version 2026-01 five bulk queries and five bulk mutations per shop at once, before that
# one of each type; one mutation, one connection; JSONL uploads up to 100 MB
# (changelog/faster-bulk-operations, "up from 20MB").
import json  # noqa: E402
import ssl  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import httpx  # noqa: E402
import pytest  # noqa: E402

RUN_QUERY = (
    'mutation { bulkOperationRunQuery(query: "{ products { edges { node { id } } } }")'
    " { bulkOperation { id status } userErrors { field message code } } }"
)
RUN_MUTATION = (
    "mutation($m: String!, $p: String!) { bulkOperationRunMutation(mutation: $m, "
    "stagedUploadPath: $p) { bulkOperation { id status } "
    "userErrors { field message code } } }"
)
STAGE = (
    "mutation { stagedUploadsCreate(input: [{resource: BULK_MUTATION_VARIABLES, filename: "
    '"v.jsonl", mimeType: "text/jsonl", httpMethod: POST}]) { stagedTargets { url '
    "parameters { name value } } userErrors { field message } } }"
)
POLL = "query($id: ID!) { node(id: $id) { ... on BulkOperation { status } } }"
COLLECTION = (
    "mutation($input: CollectionInput!) { collectionCreate(input: $input) "
    "{ collection { id } userErrors { message } } }"
)


class AdminApi:
    """The sandbox over HTTPS, at a chosen API version of the URL."""

    def __init__(self, sandbox: ShopifySandbox) -> None:
        self.sandbox = sandbox
        self.http = httpx.Client(
            verify=ssl.create_default_context(cafile=str(sandbox.ca_bundle)), timeout=60
        )

    def gql(self, version: str, query: str, variables: dict[str, Any] | None = None) -> Any:
        answer = self.http.post(
            f"{self.sandbox.url}/admin/api/{version}/graphql.json",
            headers={"X-Shopify-Access-Token": "shpat_demo"},
            json={"query": query, "variables": variables or {}},
        )
        assert answer.status_code == 200, answer.text
        return answer.json()["data"]

    def upload(self, version: str, content: bytes) -> tuple[httpx.Response, str]:
        target = self.gql(version, STAGE)["stagedUploadsCreate"]["stagedTargets"][0]
        form = {p["name"]: p["value"] for p in target["parameters"]}
        answer = self.http.post(
            target["url"], data=form, files={"file": ("v.jsonl", content, "text/jsonl")}
        )
        return answer, form["key"]

    def run_mutation(self, version: str, path: str, mutation: str = COLLECTION) -> Any:
        return self.gql(version, RUN_MUTATION, {"m": mutation, "p": path})[
            "bulkOperationRunMutation"
        ]


@pytest.fixture()
def shop(tmp_path: Path) -> Iterator[AdminApi]:
    sandbox = ShopifySandbox(None, cert_dir=tmp_path / "tls").start()
    client = AdminApi(sandbox)
    try:
        yield client
    finally:
        client.http.close()
        sandbox.stop()


def test_from_2026_01_five_bulk_queries_run_at_once_and_a_sixth_is_refused(shop: AdminApi) -> None:
    started = [shop.gql("2026-01", RUN_QUERY)["bulkOperationRunQuery"] for _ in range(5)]
    assert all(s["userErrors"] == [] and s["bulkOperation"]["status"] == "CREATED" for s in started)
    sixth = shop.gql("2026-01", RUN_QUERY)["bulkOperationRunQuery"]
    assert sixth == {
        "bulkOperation": None,
        "userErrors": [
            {
                "field": [],
                "message": "Bulk operations limit reached. Please try again later.",
                "code": "LIMIT_REACHED",
            }
        ],
    }
    # Queries and mutations have slots of their own: a bulk mutation still runs.
    answer, key = shop.upload("2026-01", b'{"input": {"title": "A"}}\n')
    assert answer.status_code == 201
    assert shop.run_mutation("2026-01", key)["userErrors"] == []
    # An operation seen COMPLETED by a poll gives its slot back.
    polled = shop.gql("2026-01", POLL, {"id": started[0]["bulkOperation"]["id"]})
    assert polled["node"]["status"] == "COMPLETED"
    assert shop.gql("2026-01", RUN_QUERY)["bulkOperationRunQuery"]["userErrors"] == []


def test_before_2026_01_one_bulk_operation_of_each_type_runs_at_once(shop: AdminApi) -> None:
    first = shop.gql("2025-10", RUN_QUERY)["bulkOperationRunQuery"]
    assert first["userErrors"] == []
    second = shop.gql("2025-10", RUN_QUERY)["bulkOperationRunQuery"]
    assert second["bulkOperation"] is None
    (error,) = second["userErrors"]
    assert error["code"] == "OPERATION_IN_PROGRESS" and error["field"] == []
    assert first["bulkOperation"]["id"] in error["message"]
    _, key = shop.upload("2025-10", b'{"input": {"title": "A"}}\n')
    assert shop.run_mutation("2025-10", key)["userErrors"] == []  # the other type: allowed
    _, again = shop.upload("2025-10", b'{"input": {"title": "B"}}\n')
    assert shop.run_mutation("2025-10", again)["userErrors"][0]["code"] == "OPERATION_IN_PROGRESS"


def test_a_bulk_mutation_takes_one_mutation_with_one_connection(shop: AdminApi) -> None:
    _, key = shop.upload("2026-01", b'{"input": {"title": "A"}}\n')
    two_roots = (
        "mutation($input: CollectionInput!) { a: collectionCreate(input: $input) "
        "{ userErrors { message } } b: collectionCreate(input: $input) "
        "{ userErrors { message } } }"
    )
    two_connections = (
        "mutation($input: ProductSetInput!) { productSet(input: $input) { product { "
        "variants(first: 5) { nodes { id } } collections(first: 5) { nodes { id } } } "
        "userErrors { message } } }"
    )
    for mutation in (two_roots, two_connections, "{ shop { name } }"):
        answer = shop.run_mutation("2026-01", key, mutation)
        assert answer["bulkOperation"] is None
        (error,) = answer["userErrors"]
        assert error["code"] == "INVALID_MUTATION" and error["field"] == ["mutation"]
    assert shop.sandbox.state["bulk_operations"] == {}  # nothing ran
    one_connection = (
        "mutation($input: ProductSetInput!) { productSet(input: $input) { "
        "product { variants(first: 5) { nodes { id } } } userErrors { message } "
        "} }"
    )
    assert shop.run_mutation("2026-01", key, one_connection)["userErrors"] == []


def test_bulk_mutation_file_errors_are_user_errors_with_their_codes(shop: AdminApi) -> None:
    missing = shop.run_mutation("2026-01", "tmp/61000001/bulk/nope/v.jsonl")
    assert missing["bulkOperation"] is None
    assert missing["userErrors"][0]["code"] == "NO_SUCH_FILE"
    assert missing["userErrors"][0]["field"] == ["stagedUploadPath"]
    _, key = shop.upload("2026-01", b'{"input": {"title": "A"}}\nnot json\n')
    broken = shop.run_mutation("2026-01", key)
    assert broken["userErrors"][0]["code"] == "INVALID_STAGED_UPLOAD_FILE"
    assert len(shop.sandbox.state["collections"]) == len(
        ShopifySandbox(None).state["collections"]
    )  # no line ran


def test_staged_uploads_take_files_up_to_100_mb(shop: AdminApi) -> None:
    line = b'{"input": {"title": "A"}}\n'
    over_old_limit = line * (21 * 1024 * 1024 // len(line) + 1)  # past the former 20 MB
    answer, key = shop.upload("2026-01", over_old_limit)
    assert answer.status_code == 201 and key in shop.sandbox.bulk.uploads.files
    too_big = b"x" * (100 * 1024 * 1024 + 1)
    answer, key = shop.upload("2026-01", too_big)
    assert answer.status_code == 400
    assert b"<Code>EntityTooLarge</Code>" in answer.content
    assert b"<ProposedSize>104857601</ProposedSize>" in answer.content
    assert b"<MaxSizeAllowed>104857600</MaxSizeAllowed>" in answer.content
    assert shop.run_mutation("2026-01", key)["userErrors"][0]["code"] == "NO_SUCH_FILE"


def test_operations_left_running_when_the_shop_stopped_do_not_hold_its_slots(
    tmp_path: Path,
) -> None:
    """A real operation ends by itself; one the sandbox saved unpolled is over on reload."""
    from passerelle.sandbox.shopify.bulk import REQUEST_VERSION

    state = tmp_path / "shop.json"
    token = REQUEST_VERSION.set("2025-10")  # one bulk query at a time
    try:
        first = ShopifySandbox(state)
        assert _run(first, RUN_QUERY)["data"]["bulkOperationRunQuery"]["userErrors"] == []
        assert _run(first, RUN_QUERY)["data"]["bulkOperationRunQuery"]["userErrors"]
        first.flush()
        assert len(json.loads(state.read_text())["bulk_operations"]) == 1  # kept unpolled
        again = ShopifySandbox(state)
        assert _run(again, RUN_QUERY)["data"]["bulkOperationRunQuery"]["userErrors"] == []
    finally:
        REQUEST_VERSION.reset(token)
