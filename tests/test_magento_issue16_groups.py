"""Issue 16, Magento (K1): customer groups found by name, created when missing, renamed in
place, and a customer's group read back by name.

Written through the connector, read back raw (``GET /V1/customerGroups/search``, ``GET
/V1/customerGroups/{id}``, ``GET /V1/customers/search``: ``tests/conformance/readback/
magento``). The sandbox's ``PUT /V1/customerGroups/{id}`` follows
``Customer\\Model\\ResourceModel\\GroupRepository::save``.
"""

from __future__ import annotations

import pytest

from passerelle.connectors.base import CustomerWrite, GroupWrite
from passerelle.connectors.magento.connector import MagentoShop
from passerelle.model import Customer, CustomerGroup
from passerelle.sandbox.magento.errors import MagentoError
from passerelle.sandbox.magento.platform import MagentoPlatform
from tests import test_magento_shop
from tests.conformance.readback import magento as readback

world = test_magento_shop.world  # the connector on a fresh sandbox

ANNE = Customer(
    source_id="k1",
    name="Anne Nord",
    first_name="Anne",
    last_name="Nord",
    email="anne.groups@example.org",
    group="Grossistes",
)


def _codes(platform: MagentoPlatform) -> dict[int, str]:
    items = readback._get(platform, "customerGroups/search")["items"]
    return {int(g["id"]): str(g["code"]) for g in items}


def test_a_missing_group_is_created_and_the_customer_reads_back_in_it(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    platform, shop = world
    made = shop.write_customer_groups([GroupWrite("g", CustomerGroup("g", "Grossistes"))])[0]
    assert made.ok and made.created, made.error
    assert _codes(platform)[int(str(made.shop_id))] == "Grossistes"
    # Known by name: found again, not created twice.
    again = shop.write_customer_groups([GroupWrite("g", CustomerGroup("g", "Grossistes"))])[0]
    assert (again.shop_id, again.created) == (made.shop_id, False)
    outcome = shop.write_customers([CustomerWrite("k1", ANNE)])[0]
    assert outcome.ok, outcome.error
    assert readback.read_customer(platform, ANNE.email)["group"] == "Grossistes"
    record = readback.customer_record(platform, str(outcome.shop_id))
    assert record["group_id"] == int(str(made.shop_id))


def test_a_group_renamed_in_the_back_office_is_renamed_in_place(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    platform, shop = world
    made = shop.write_customer_groups([GroupWrite("g", CustomerGroup("g", "Grossistes"))])[0]
    kid = shop.write_customers([CustomerWrite("k1", ANNE)])[0]
    before = len(_codes(platform))
    renamed = CustomerGroup("g", "Grossistes agréés")
    outcome = shop.write_customer_groups([GroupWrite("g", renamed, made.shop_id)])[0]
    assert outcome.ok and outcome.shop_id == made.shop_id and not outcome.created
    codes = _codes(platform)
    assert len(codes) == before and codes[int(str(made.shop_id))] == "Grossistes agréés"
    # Its tax class kept, its customers still in it.
    group = readback._get(platform, f"customerGroups/{made.shop_id}")
    assert group["tax_class_id"] == 3
    assert readback.read_customer(platform, ANNE.email)["group"] == "Grossistes agréés"
    assert kid.ok


def test_the_sandbox_saves_a_group_as_the_repository_does(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    platform, _shop = world
    call = platform.sandbox.call
    with pytest.raises(MagentoError) as unknown:
        call("PUT", "customerGroups/999", {"group": {"code": "X", "tax_class_id": 3}})
    assert unknown.value.status == 404
    with pytest.raises(MagentoError) as product_class:
        call("PUT", "customerGroups/1", {"group": {"code": "General", "tax_class_id": 2}})
    assert product_class.value.message == (
        'Invalid value of "%value" provided for the %fieldName field.'
    )
    with pytest.raises(MagentoError) as taken:
        call("PUT", "customerGroups/1", {"group": {"code": "Wholesale", "tax_class_id": 3}})
    assert taken.value.message == "Customer Group already exists."
