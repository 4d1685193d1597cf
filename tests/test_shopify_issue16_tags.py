"""Shopify: a customer's group is a tag, and the merchant's own tags survive it changing.

``CustomerInput.tags`` replaces the whole list (input-objects/CustomerInput), as the
sandbox does; the merchant tags a customer in the admin (mutations/tagsAdd), passerelle
writes the customer again with another group, and the tags are read back raw
(``customers(query:)``, objects/Customer ``tags``).
"""

from __future__ import annotations

from graphql import OperationDefinitionNode, parse

from passerelle.connectors.base import CustomerWrite
from passerelle.connectors.shopify import endpoints
from passerelle.connectors.shopify.connector import ShopifyShop
from passerelle.model import Customer
from passerelle.sandbox.shopify.cost import requested_cost
from passerelle.sandbox.shopify.platform import ShopifyPlatform
from tests.test_shopify_shop_contract import platform, shop  # noqa: F401 - fixtures

_TAGS = """query($q: String) { customers(first: 1, query: $q) { nodes { id tags } } }"""
_TAGS_ADD = """mutation($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) {
  userErrors { field message } } }"""
_SET_TAGS = """mutation($input: CustomerInput!) { customerUpdate(input: $input) {
  userErrors { field message } } }"""


def _customer(group: str) -> Customer:
    return Customer(source_id="1", name="Léa Roux", email="lea@example.com", code="C1", group=group)


def _tags(served: ShopifyPlatform) -> tuple[str, list[str]]:
    (node,) = served.sandbox.execute(_TAGS, {"q": "email:lea@example.com"})["data"]["customers"][
        "nodes"
    ]
    return node["id"], list(node["tags"])


def test_the_group_tag_changes_and_the_merchants_tags_stay(
    platform: ShopifyPlatform,  # noqa: F811
    shop: ShopifyShop,  # noqa: F811
) -> None:
    [created] = shop.write_customers([CustomerWrite("1", _customer("Revendeurs"))])
    assert created.ok
    customer, tags = _tags(platform)
    assert tags == ["Revendeurs"]
    answer = platform.sandbox.execute(_TAGS_ADD, {"id": customer, "tags": ["VIP"]})
    assert answer["data"]["tagsAdd"]["userErrors"] == []

    [updated] = shop.write_customers(
        [CustomerWrite("1", _customer("Grossistes"), created.shop_id, frozenset({"group"}))]
    )
    assert updated.ok
    assert _tags(platform)[1] == ["Grossistes", "VIP"]  # the old group is gone, VIP stays

    [left] = shop.write_customers(
        [CustomerWrite("1", _customer(""), created.shop_id, frozenset({"group"}))]
    )
    assert left.ok
    assert _tags(platform)[1] == ["VIP"]  # out of every group: the merchant's tag only


def test_an_update_that_keeps_the_group_leaves_the_tags_alone(
    platform: ShopifyPlatform,  # noqa: F811
    shop: ShopifyShop,  # noqa: F811
) -> None:
    [created] = shop.write_customers([CustomerWrite("1", _customer("Revendeurs"))])
    customer, _tags_now = _tags(platform)
    platform.sandbox.execute(_TAGS_ADD, {"id": customer, "tags": ["VIP"]})
    shop.write_customers(
        [CustomerWrite("1", _customer("Grossistes"), created.shop_id, frozenset({"names"}))]
    )
    assert _tags(platform)[1] == ["Revendeurs", "VIP"]


def test_a_customer_written_before_the_group_was_remembered_gets_its_group_only(
    platform: ShopifyPlatform,  # noqa: F811
    shop: ShopifyShop,  # noqa: F811
) -> None:
    """No ``passerelle.group`` metafield (written by an earlier version): which tag was the
    group is unknown, so the tags are replaced, as they always were."""
    [created] = shop.write_customers([CustomerWrite("1", _customer("Revendeurs"))])
    customer, _tags_now = _tags(platform)
    record = platform.sandbox.state["customers"][str(created.shop_id)]
    record["metafields"].pop("passerelle.group")
    platform.sandbox.execute(_SET_TAGS, {"input": {"id": customer, "tags": ["Revendeurs", "X"]}})
    shop.write_customers(
        [CustomerWrite("1", _customer("Grossistes"), created.shop_id, frozenset({"group"}))]
    )
    assert _tags(platform)[1] == ["Grossistes"]


def test_the_tags_read_declares_at_least_what_shopify_asks(
    platform: ShopifyPlatform,  # noqa: F811
) -> None:
    document = parse(endpoints.CUSTOMER_TAGS)
    (operation,) = (d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    ids = {"ids": [f"gid://shopify/Customer/{n}" for n in range(7)]}
    asked = requested_cost(platform.sandbox.schema, document, operation, ids)
    assert asked <= endpoints.customer_tags_cost(7)
