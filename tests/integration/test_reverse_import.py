"""C21, C22: the sandbox's products imported into the Tryton demo database, field by field.

The shop is filled through its own API (as a merchant starting from the shop
would have), the import runs, Tryton is read back through trytond; then one
shop product changes and exactly that item is written again.

Two references differing only by case cannot both be in a WooCommerce shop
(its SKU look-up ignores case: the second is refused with 400
``product_invalid_sku``), so the case a merchant meets here is a shop SKU
differing only by case from a back-office item code; duplicates within one
shop (platforms that allow them) are covered by ``tests/test_customer_flows.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from trytond.pool import Pool
from trytond.transaction import Transaction

from passerelle.connectors.tryton.database import session
from passerelle.demo_data import ITEMS
from passerelle.flows.import_products import FLOW as IMPORT
from passerelle.flows.import_products import KIND
from passerelle.profiles import Profile
from tests.integration.conftest import World
from tests.integration.test_flow_rules import api


@dataclass(frozen=True)
class ItemView:
    code: str
    name: str
    list_price: Decimal
    description: str
    weight: float | None
    taxes: tuple[str, ...]
    categories: tuple[str, ...]
    active: bool
    barcode: str
    write_date: datetime | None


def read_items(world: World, codes: set[str]) -> dict[str, ItemView]:
    with session(world.target, readonly=True), Transaction().set_context(active_test=False):
        views = {}
        for product in Pool().get("product.product").search([("code", "in", sorted(codes))]):
            template = product.template
            taxes = template.account_category.customer_taxes if template.account_category else ()
            views[product.code] = ItemView(
                code=product.code,
                name=template.name,
                list_price=product.list_price
                if product.list_price is not None
                else template.list_price,
                description=product.description or "",
                weight=template.weight,
                taxes=tuple(t.name for t in taxes),
                categories=tuple(c.name for c in template.categories),
                active=bool(product.active),
                barcode=next((i.code for i in product.identifiers), ""),
                write_date=template.write_date or template.create_date,
            )
        return views


# A back-office item whose code the shop spells in lower case.
CASE_ITEM = ITEMS[1].code
CASE_SKU = CASE_ITEM.lower()


def post(world: World, path: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = api(world, "POST", path, body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def fill_shop(world: World) -> dict[str, Any]:
    """Simple products (one per C22 case), and a variable product with two variations.

    The shop refuses a SKU differing only by case from one it holds, as a real
    WooCommerce does (``wc_product_has_unique_sku``, case-insensitive collation).
    """
    board = post(
        world,
        "products",
        {
            "name": "Planche à découper",
            "sku": "REV-001",
            "regular_price": "24.90",
            "tax_class": "reduced-rate",
            "weight": "1.2",
            "status": "publish",
            "description": "<p>Hêtre <strong>massif</strong></p><p>Huilée</p>",
            "global_unique_id": "3760000000017",
        },
    )
    post(world, "products", {"name": "Sans référence", "regular_price": "5.00"})
    post(world, "products", {"name": "Espacée", "sku": "REV 002", "regular_price": "5.00"})
    post(world, "products", {"name": "Dièse", "sku": "REV#003", "regular_price": "5.00"})
    first = post(world, "products", {"name": "Double A", "sku": "DUP-9", "regular_price": "5.00"})
    refused = api(
        world, "POST", "products", {"name": "Double B", "sku": "dup-9", "regular_price": "5.00"}
    )
    assert refused.status_code == 400, refused.text
    assert refused.json()["code"] == "product_invalid_sku"
    assert refused.json()["data"]["resource_id"] == first["id"]
    post(world, "products", {"name": "Casse", "sku": CASE_SKU, "regular_price": "5.00"})
    apron = post(
        world,
        "products",
        {
            "name": "Tablier brodé",
            "type": "variable",
            "sku": "REV-APR",
            "attributes": [
                {"name": "Taille", "options": ["S", "M"], "variation": True, "visible": True}
            ],
        },
    )
    for size, price in (("S", "30.00"), ("M", "32.00")):
        post(
            world,
            f"products/{apron['id']}/variations",
            {
                "sku": f"REV-APR-{size}",
                "regular_price": price,
                "attributes": [{"name": "Taille", "option": size}],
            },
        )
    return board


def test_shop_products_become_tryton_items_once(world: World) -> None:
    board = fill_shop(world)
    case_item = read_items(world, {CASE_ITEM})
    world.sandbox.reset_requests()
    summary = world.run(IMPORT)
    assert summary.status == "succeeded", summary.error
    assert summary.counts["created"] == 4 and summary.counts["updated"] == 0
    assert all(method == "GET" for method, _ in world.sandbox.requests)  # the shop is read only

    items = read_items(
        world,
        {
            "REV-001",
            "REV-APR-S",
            "REV-APR-M",
            "REV-APR",
            "DUP-9",
            "dup-9",
            "REV 002",
            "REV#003",
            CASE_SKU,
        },
    )
    # The one "DUP-9" the shop holds is imported once; no item spelled in lower case.
    assert set(items) == {"REV-001", "REV-APR-S", "REV-APR-M", "DUP-9"}
    assert items["DUP-9"].name == "Double A"
    made = items["REV-001"]
    assert (made.name, made.list_price, made.weight, made.active) == (
        "Planche à découper",
        Decimal("24.90"),
        1.2,
        True,
    )
    assert made.description == "Hêtre massif\n\nHuilée"
    assert made.taxes == ("TVA 5,5 %",)  # reduced-rate, read backwards in tax_classes
    assert made.barcode == "3760000000017"
    small, medium = items["REV-APR-S"], items["REV-APR-M"]
    assert (small.list_price, medium.list_price) == (Decimal("30.00"), Decimal("32.00"))
    assert small.name.startswith("Tablier brodé") and medium.name.startswith("Tablier brodé")

    journal = [line.text for line in world.store.journal(summary.run_id)]
    no_sku = next(p for p in world.sandbox.data.products.values() if p["name"] == "Sans référence")
    assert any(f"shop product {no_sku['id']} 'Sans référence': has no SKU" in t for t in journal)
    assert any("'REV 002' contains a space" in t for t in journal)
    assert any("'REV#003' contains '#'" in t for t in journal)
    assert not any("'dup-9'" in t for t in journal)  # never in the shop
    # A SKU differing only by case from a back-office item: reported, not imported,
    # and the item is left as it was.
    assert any(
        f"SKU {CASE_SKU!r} differs only by case from back-office item {CASE_ITEM!r}" in t
        and "not imported" in t
        for t in journal
    )
    assert read_items(world, {CASE_ITEM, CASE_SKU}) == case_item

    # Nothing changed in the shop: nothing is written in Tryton.
    again = world.run(IMPORT)
    assert again.counts["created"] == again.counts["updated"] == 0
    assert again.counts["unchanged"] == 4
    assert read_items(world, set(items)) == items

    # One price changed in the shop: that item only.
    assert api(world, "PUT", f"products/{board['id']}", {"regular_price": "26.50"}).is_success
    changed = world.run(IMPORT)
    assert changed.counts["updated"] == 1 and changed.counts["unchanged"] == 3
    after = read_items(world, set(items))
    assert after["REV-001"].list_price == Decimal("26.50")
    assert after["REV-APR-S"] == items["REV-APR-S"] and after["REV-APR-M"] == items["REV-APR-M"]
    bound = world.store.bindings(world.profile.name, KIND)
    assert str(board["id"]) in bound and len(bound) == 4


def test_existing_items_are_updated_or_left_alone(world: World) -> None:
    item = ITEMS[0]
    post(
        world,
        "products",
        {
            "name": f"{item.name} (boutique)",
            "sku": item.code,
            "regular_price": "99.00",
            "tax_class": "",
        },
    )
    keep = world.profile.model_copy(deep=True)
    keep.catalogue.reverse.update_existing = False
    before = read_items(world, {item.code})[item.code]
    assert world.run(IMPORT, keep).counts["updated"] == 0
    assert read_items(world, {item.code})[item.code] == before

    summary = world.run(IMPORT)
    assert summary.counts["updated"] == 1
    after = read_items(world, {item.code})[item.code]
    assert (after.name, after.list_price) == (f"{item.name} (boutique)", Decimal("99.00"))
    assert after.categories == before.categories  # no shop category matched: unchanged


def test_created_items_get_the_default_tax_and_category(world: World) -> None:
    post(
        world,
        "products",
        {
            "name": "Sans classe",
            "sku": "REV-010",
            "regular_price": "8.00",
            "tax_class": "zero-rate",
        },
    )
    profile: Profile = world.profile.model_copy(deep=True)
    profile.catalogue.reverse.default_tax = "TVA 10 %"
    profile.catalogue.reverse.category = "Nope"
    refused = world.run(IMPORT, profile)
    assert refused.status == "failed" and "'Nope' does not exist" in (refused.error or "")
    with session(world.target, readonly=True):
        category = (
            Pool().get("product.category").search([("accounting", "=", False)], limit=1)[0].name
        )
    profile.catalogue.reverse.category = category
    assert world.run(IMPORT, profile).counts["created"] == 1
    made = read_items(world, {"REV-010"})["REV-010"]
    assert made.taxes == ("TVA 10 %",) and made.categories == (category,)
