"""``passerelle demo --shop KIND`` shows images, brands and group prices (issue 16).

One demo per platform with a sandbox, on a copy of the Tryton demo database. Its
second table, "What the shop shows", must count products with images, with a brand
and with customer-group prices wherever the capability matrix says the platform holds
them, and say "not supported on this platform" where it says it does not. Then the
shop the demo left (its state file) is started again and read through the sandbox's
merchant view, not through the connector: POT-001 shows its two Tryton images, the
demo's brand and one price per customer group (demo_data.CUSTOMER_PRICE_LISTS).

The table is filled by the catalogue flows (SENDING): on every platform but one the
demo runs only those (run_demo's ``flows``), not the order import and its thirty-odd
Tryton sales, which are other tests' subject. WooCommerce, the demo's own platform, runs
the whole demo, every flow: no other test runs ``run_demo`` itself
(tests/integration/test_full_path.py runs every flow on WooCommerce, but with the
integration world's profile, not the demo's).
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
    DEMO_ORDER,
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
WHOLE_DEMO = "woocommerce"  # the platform that runs every flow of the demo


def _flows_run(kind: str) -> tuple[str, ...] | None:
    """What the demo runs on ``kind``: every flow (None) on WHOLE_DEMO, SENDING elsewhere."""
    return None if kind == WHOLE_DEMO else SENDING


def _supported(kind: str, option: str) -> bool:
    return shop_platform(kind).supports[option].support is not Support.UNSUPPORTED


def _row(table: str, label: str) -> list[str]:
    """The cells of ``table``'s row whose first cell is ``label``."""
    for line in table.splitlines():
        cells = [c.strip() for c in line.split("│") if c.strip()]
        if cells and cells[0] == label:
            return cells[1:]
    raise AssertionError((label, table))


def _first_cells(table: str) -> list[str]:
    """The first cell of each of ``table``'s rows."""
    rows = ([c.strip() for c in line.split("│") if c.strip()] for line in table.splitlines())
    return [cells[0] for cells in rows if cells]


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
    flows = _flows_run(kind)
    run_demo(data_dir, console=Console(file=out, width=200), shop=kind, flows=flows)
    output = out.getvalue()
    start = output.index("passerelle demo — summary")
    summary = output[start : output.index("What the shop shows", start)]
    for flow in SENDING:  # what fills the table; the orders are other tests' subject
        assert _row(summary, flow)[-1].endswith(" ok"), (kind, flow, output[-6000:])
    listed = [f for f in DEMO_ORDER if f in _first_cells(summary)]  # only the flows run
    assert listed == list(DEMO_ORDER if flows is None else flows), (kind, summary)
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
