"""``passerelle demo --shop KIND`` shows images, brands and group prices (issue 16).

One demo per platform with a sandbox, on a copy of the Tryton demo database. Its
second table, "What the shop shows", must count products with images, with a brand
and with customer-group prices wherever the capability matrix says the platform holds
them, and say "not supported on this platform" where it says it does not. Then the
shop the demo left (its state file) is started again and read through the sandbox's
merchant view, not through the connector: POT-001 shows its two Tryton images, the
demo's brand and one price per customer group (demo_data.CUSTOMER_PRICE_LISTS).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from passerelle.connectors.tryton.demo import copy_demo_database
from passerelle.connectors.tryton.testing import tryton_demo_template  # noqa: F401 - fixture
from passerelle.demo import (
    BRAND_OPTION,
    DEMO_DATABASE,
    GROUP_PRICES_OPTION,
    IMAGES_OPTION,
    run_demo,
)
from passerelle.demo_data import CUSTOMER_PRICE_LISTS, ITEM_ATTRIBUTES
from passerelle.platforms import shop_kinds_with_sandbox, shop_platform, start_sandbox
from passerelle.platforms.support import Support

pytestmark = [pytest.mark.slow, pytest.mark.long]

UNSUPPORTED = "not supported on this platform"
ITEM = "POT-001"  # two images in the Tryton demo database, a brand, every group's price
TRYTON_IMAGES = 2
SENDING = ("export-customers", "export-categories", "export-products", "update-prices")


def _supported(kind: str, option: str) -> bool:
    return shop_platform(kind).supports[option].support is not Support.UNSUPPORTED


def _row(table: str, label: str) -> list[str]:
    """The cells of ``table``'s row whose first cell is ``label``."""
    for line in table.splitlines():
        cells = [c.strip() for c in line.split("│") if c.strip()]
        if cells and cells[0] == label:
            return cells[1:]
    raise AssertionError((label, table))


def _line(output: str, label: str) -> str:
    """What the "What the shop shows" table says on the line ``label``."""
    (said,) = _row(output[output.index("What the shop shows") :], label)
    return said


def _count(text: str) -> int:
    return int(text.split()[0])


@pytest.mark.parametrize("kind", shop_kinds_with_sandbox())
def test_the_demo_shows_images_brands_and_group_prices(
    kind: str,
    tryton_demo_template: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    # The demo reuses a Tryton database it finds: the prepared copy, not a build.
    copy_demo_database(tryton_demo_template.parent, data_dir / "tryton", DEMO_DATABASE)
    out = io.StringIO()
    run_demo(data_dir, console=Console(file=out, width=200), shop=kind)
    output = out.getvalue()
    summary = output[output.index("passerelle demo — summary") :]
    for flow in SENDING:  # what fills the table; the orders are other tests' subject
        assert _row(summary, flow)[-1].endswith(" ok"), (kind, flow, output[-6000:])
    assert f"What the shop shows ({kind})" in output
    assert _count(_line(output, "products")) > 0
    lines = {
        IMAGES_OPTION: _line(output, "products with images"),
        BRAND_OPTION: _line(output, "products with a brand"),
        GROUP_PRICES_OPTION: _line(output, "products with customer-group prices"),
    }
    for option, said in lines.items():
        if _supported(kind, option):
            assert _count(said) > 0, (kind, option, said)
        else:
            assert said == UNSUPPORTED, (kind, option, said)

    shop = start_sandbox(kind, data_dir / "sandbox")  # the shop as the demo left it
    try:
        shown = shop.view.products()[ITEM]
    finally:
        shop.stop()
    if _supported(kind, IMAGES_OPTION):
        assert shown.images == TRYTON_IMAGES, shown
    if _supported(kind, BRAND_OPTION):
        assert shown.brand == ITEM_ATTRIBUTES[ITEM]["brand"], shown
    if _supported(kind, GROUP_PRICES_OPTION):
        assert shown.group_prices == len(set(CUSTOMER_PRICE_LISTS.values())), shown
    else:
        assert shown.group_prices == 0, shown
