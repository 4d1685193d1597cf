"""A platform registered by a test alone (``tests/static_shop.py``) is a full citizen:
a profile names it, ``profile test`` passes, and a flow reads the shop through it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from passerelle.cli.main import app
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.platforms import build_backoffice, shop_platforms
from passerelle.profiles import Profile, ProfileRepository
from passerelle.runner import Runner
from tests import static_shop

ORDERS = {"shipping_item": "SHIP", "misc_item": "MISC", "gift_wrap_item": "WRAP", "gap_item": "GAP"}


def static_profile() -> Profile:
    return Profile.model_validate(
        {
            "name": "static",
            "backoffice": {"kind": "memory", "items": sorted(ORDERS.values())},
            "shop": {
                "kind": static_shop.KIND,
                "name": "garden",
                "products": [
                    {"sku": "POT-001", "name": "Terracotta pot", "price": "12.50"},
                    {"sku": "RAKE-01", "name": "Rake", "price": "21.00"},
                ],
            },
            "orders": ORDERS,
        }
    )


def test_a_profile_names_the_new_platform_and_profile_test_passes(tmp_path: Path) -> None:
    assert static_shop.KIND in shop_platforms()
    profile = static_profile()
    assert isinstance(profile.shop, static_shop.StaticCatalogueSettings)
    repo = ProfileRepository(tmp_path)
    repo.save(profile)
    assert repo.load("static") == profile  # written and read back through the registry

    result = CliRunner().invoke(app, ["profile", "test", "static", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "shop (static-catalogue): ok" in result.output
    assert "missing in" not in result.output


def test_a_flow_reads_the_new_platform(tmp_path: Path) -> None:
    """import-products reads the catalogue through the connector the registry builds."""
    profile = static_profile()
    backoffice = build_backoffice(profile.backoffice, tmp_path)
    assert isinstance(backoffice, MemoryBackOffice)
    with (tmp_path / "console.txt").open("w") as out:
        runner = Runner(tmp_path, console=Console(file=out))
        try:
            summary = runner.run(profile, "import-products", backoffice=backoffice)
        finally:
            runner.store.close()
    assert summary.status == "succeeded", summary
    items = {item.code: item for item in backoffice.items.values()}
    assert set(items) == {"POT-001", "RAKE-01", *ORDERS.values()}
    assert items["POT-001"].name == "Terracotta pot"
    assert items["RAKE-01"].sale_price == Decimal("21.00")
