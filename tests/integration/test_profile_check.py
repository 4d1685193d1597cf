"""Issue 12, item 6: the shop and the back-office checked before anything is written.

On the Tryton demo database and the WooCommerce sandbox: ``profile test`` on a
profile naming a tax class, a payment gateway and a Tryton payment journal
that do not exist lists all three and exits non-zero; ``export-products`` sets
aside the products whose tax class the shop lacks before sending anything for
them (real WooCommerce would answer 200 and charge its standard rate), and
sends the others.
"""

from __future__ import annotations

from typer.testing import CliRunner

from passerelle.cli.main import app
from passerelle.profiles import Profile, ProfileRepository
from passerelle.store.records import Severity
from tests.integration.conftest import World


def wrong_profile(world: World) -> Profile:
    data = world.profile.model_dump(mode="json")
    data["catalogue"]["tax_classes"]["TVA 10 %"] = "luxe-rate"
    payments = data["orders"]["payments"]
    payments["klarna"] = {"journal": "WEB-TRANSFER"}
    payments["bacs"]["journal"] = "WEB-VIREMENT"
    return Profile.model_validate(data)


def test_profile_test_lists_every_missing_name_of_both_sides_and_fails(world: World) -> None:
    repo = ProfileRepository(world.data_dir)
    args = ["profile", "test", world.profile.name, "--data-dir", str(world.data_dir)]
    repo.save(world.profile)
    fine = CliRunner().invoke(app, args)
    assert fine.exit_code == 0, fine.output
    assert "missing in" not in fine.output and "could not be checked" not in fine.output

    repo.save(wrong_profile(world))
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert "missing in the back-office (1):" in lines
    assert "    - 'WEB-VIREMENT' (named by orders.payments.bacs.journal)" in lines
    assert "missing in the shop (2):" in lines
    assert "    - 'luxe-rate' (named by catalogue.tax_classes.'TVA 10 %')" in lines
    assert "    - 'klarna' (named by orders.payments.klarna)" in lines
    # Grouped: the side, then the kind, then the names.
    shop_at = lines.index("missing in the shop (2):")
    assert lines.index("  payment journals:") < shop_at < lines.index("  tax classes:")
    assert lines.index("  tax classes:") < lines.index("  payment methods:")


def test_products_whose_tax_class_the_shop_lacks_are_set_aside_before_any_request(
    world: World,
) -> None:
    profile = wrong_profile(world)
    world.sandbox.reset_requests()
    summary = world.run("export-products", profile)
    assert summary.status == "with_problems", summary  # the garden items wait for a person

    garden = {f"GRD-00{n}" for n in range(1, 7)}  # the items taxed at 10 %
    skus = {p["sku"] for p in world.sandbox.data.products.values()}
    assert not garden & skus and "POT-001" in skus  # the others went on
    parked = {p.record_key: p for p in world.store.parked(world.profile.name, "export-products")}
    reasons = [p.reason for p in parked.values() if "luxe-rate" in p.reason]
    assert len(reasons) == len(garden)
    assert all(p.severity == Severity.ERROR for p in parked.values() if "luxe-rate" in p.reason)
    assert all(
        "the shop has no tax class 'luxe-rate'" in r and "catalogue.tax_classes" in r
        for r in reasons
    )
    # Asked once for the whole run.
    asked = [path for method, path in world.sandbox.requests if "taxes/classes" in path]
    assert len(asked) == 1
