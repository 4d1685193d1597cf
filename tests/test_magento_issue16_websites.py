"""Issue 16, Magento: new products and customers land on the website of the profile's
store view.

The store view's website comes from ``GET /V1/store/storeConfigs`` (``id``, ``code``,
``website_id``); a new product carries it in ``extension_attributes.website_ids``, a
customer in ``website_id``/``store_id`` (``ProductWebsiteLinkRepository``,
``catalog-data-product-extension-interface``, ``customer-data-customer-interface``).
The store view ``default`` is store 1 of website 1 in every install: no look-up. Read
back raw with ``GET /V1/products/{sku}`` and ``GET /V1/customers/{id}``.
"""

from __future__ import annotations

from decimal import Decimal

from passerelle.connectors.base import CustomerWrite, ProductWrite
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.magento.connector import MagentoShop
from passerelle.model import Customer, ProductDraft
from passerelle.sandbox.magento.platform import MagentoPlatform
from tests import test_magento_shop
from tests.conformance.readback import magento as readback

world = test_magento_shop.world  # the connector on a fresh sandbox

MUG = ProductDraft(sku="MUG-1", name="Mug", regular_price=Decimal("12.50"))
ANNE = Customer(
    source_id="k1", name="Anne Nord", first_name="Anne", last_name="Nord", email="a@example.org"
)


def _shop_on(platform: MagentoPlatform, store_code: str) -> MagentoShop:
    sandbox = platform.sandbox
    return MagentoShop(
        sandbox.url,
        sandbox.token,
        store_code=store_code,
        options=HttpOptions(verify=sandbox.ca_bundle),
    )


def _websites(platform: MagentoPlatform, sku: str) -> object:
    return readback.product_record(platform, sku)["extension_attributes"]["website_ids"]


def test_the_default_store_view_s_website_costs_no_look_up(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    platform, shop = world
    assert shop.write_products([ProductWrite("m", MUG)])[0].ok
    made = shop.write_customers([CustomerWrite("k1", ANNE)])[0]
    assert _websites(platform, "MUG-1") == [1]
    record = readback.customer_record(platform, str(made.shop_id))
    assert (record["website_id"], record["store_id"]) == (1, 1)
    assert ("GET", "/rest/default/V1/store/storeConfigs") not in platform.sandbox.requests


def test_another_store_view_s_products_and_customers_go_to_its_website(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    platform, _shop = world
    platform.sandbox.data["stores"] = [
        {"id": 1, "code": "default", "website_id": 1},
        {"id": 4, "code": "pro_fr", "website_id": 2},
    ]
    shop = _shop_on(platform, "pro_fr")
    try:
        assert shop.write_products([ProductWrite("m", MUG)])[0].ok
        made = shop.write_customers([CustomerWrite("k1", ANNE)])[0]
        assert made.ok, made.error
        # Looked up once for both.
        assert platform.sandbox.requests.count(("GET", "/rest/pro_fr/V1/store/storeConfigs")) == 1
    finally:
        shop.close()
    assert _websites(platform, "MUG-1") == [2]
    record = readback.customer_record(platform, str(made.shop_id))
    assert (record["website_id"], record["store_id"]) == (2, 4)


def test_a_store_code_the_shop_lacks_is_each_record_s_error(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    platform, _shop = world
    shop = _shop_on(platform, "nowhere")
    try:
        outcome = shop.write_products([ProductWrite("m", MUG)])[0]
    finally:
        shop.close()
    assert "no store view with the code 'nowhere'" in str(outcome.error)
    assert "MUG-1" not in platform.sandbox.data["products"]


def test_the_admin_scope_leaves_the_websites_to_magento(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    platform, _shop = world
    platform.sandbox.record_exchanges = True
    shop = _shop_on(platform, "all")
    try:
        assert shop.write_products([ProductWrite("m", MUG)])[0].ok
    finally:
        shop.close()
    sent = [
        e["body"]["product"]
        for e in platform.sandbox.exchanges
        if e["method"] == "POST" and e["path"].endswith("/V1/products")
    ]
    assert sent and "website_ids" not in (sent[0].get("extension_attributes") or {})
