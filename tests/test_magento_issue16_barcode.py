"""Issue 16, Magento: the barcode in the product attribute the store has for it.

Core Magento has no barcode (GTIN) attribute; a merchant adds a text attribute
(``barcode`` unless the shop settings name another) to the attribute set, and a
store without one drops the value without a word. So the connector looks the
attribute up once (``GET /V1/products/attributes/{code}``), writes the barcode
there, and reports it "not supported" when the store has none. Read back raw
with ``GET /V1/products/{sku}``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from passerelle.connectors.base import ProductWrite
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.magento.connector import MagentoShop
from passerelle.model import ProductDraft
from passerelle.sandbox.magento.platform import MagentoPlatform, start
from tests.conformance.readback import magento as readback


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[MagentoPlatform]:
    platform = start(tmp_path)
    yield platform
    platform.stop()


def _shop(platform: MagentoPlatform, **options: str) -> MagentoShop:
    shop = MagentoShop(
        platform.url,
        platform.sandbox.token,
        options=HttpOptions(verify=platform.sandbox.ca_bundle),
        **options,  # type: ignore[arg-type]
    )
    shop.client.sleep = lambda _s: None
    return shop


MUG = ProductDraft(sku="MUG-1", name="Mug", regular_price=Decimal("12.50"), barcode="3760000000017")


def _held(platform: MagentoPlatform, code: str) -> object:
    return readback.custom_attribute(readback.product_record(platform, "MUG-1"), code)


def test_the_barcode_lands_in_the_store_s_barcode_attribute_and_is_cleared_with_it(
    platform: MagentoPlatform,
) -> None:
    shop = _shop(platform)
    try:
        outcome = shop.write_products([ProductWrite("m", MUG)])[0]
        assert outcome.ok and "barcode" not in outcome.unsupported
        assert _held(platform, "barcode") == "3760000000017"
        assert readback.read_product(platform, "MUG-1")["barcode"] == "3760000000017"
        cleared = shop.write_products(
            [ProductWrite("m", replace(MUG, barcode=""), "MUG-1", frozenset({"barcode"}))]
        )[0]
        assert cleared.ok and _held(platform, "barcode") in (None, "")
    finally:
        shop.close()


def test_a_store_without_the_attribute_is_said_not_to_hold_the_barcode(
    platform: MagentoPlatform,
) -> None:
    del platform.sandbox.data["attributes"]["barcode"]  # a store as installed
    shop = _shop(platform)
    try:
        outcome = shop.write_products([ProductWrite("m", MUG)])[0]
        assert outcome.ok and outcome.unsupported == ("barcode",)
        assert _held(platform, "barcode") is None
        # Looked up once, not per product.
        other = replace(MUG, sku="BOL-1", name="Bol")
        before = shop.client.request_count
        shop.write_products([ProductWrite("b", other)])
        assert shop.client.request_count - before == 1  # the save alone
    finally:
        shop.close()


def test_the_attribute_code_is_a_setting(platform: MagentoPlatform) -> None:
    platform.sandbox.data["attributes"]["ean"] = dict(
        platform.sandbox.data["attributes"]["barcode"], attribute_id=170, attribute_code="ean"
    )
    shop = _shop(platform, barcode_attribute="ean")
    try:
        assert shop.write_products([ProductWrite("m", MUG)])[0].ok
        assert (_held(platform, "ean"), _held(platform, "barcode")) == ("3760000000017", None)
    finally:
        shop.close()
