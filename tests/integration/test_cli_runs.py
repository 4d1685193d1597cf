"""`passerelle run`, `runs` and `runs show` over a real profile; secrets stay out of every file."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from passerelle.cli.main import app
from passerelle.demo import DEMO_SECRET
from passerelle.profiles import ProfileRepository
from tests.integration.conftest import World


def test_run_then_list_and_show_the_journal(world: World) -> None:
    ProfileRepository(world.data_dir).save(world.profile)
    world.store.close()  # the CLI opens the data directory's store itself
    runner = CliRunner()
    data = ["--data-dir", str(world.data_dir)]
    ran = runner.invoke(app, ["run", "export-categories", "--profile", "demo", *data])
    assert ran.exit_code == 0, ran.output
    listing = runner.invoke(app, ["runs", *data])
    assert listing.exit_code == 0
    row = next(line for line in listing.output.splitlines() if "export-categories" in line)
    assert row.split()[5:7] == ["succeeded", "8"]  # after the date and time: status, created
    shown = runner.invoke(app, ["runs", "show", row.split()[0], *data])
    assert shown.exit_code == 0, shown.output
    assert re.search(r"success +1/5 - \S", shown.output), shown.output
    assert shown.output.count("created (shop id") == 8
    logs = list((world.data_dir / "logs" / "demo").glob("*export-categories.log"))
    assert len(logs) == 1 and logs[0].read_text().count("created (shop id") == 8

    unknown = runner.invoke(app, ["run", "export-everything", "--profile", "demo", *data])
    assert unknown.exit_code == 2 and "unknown flow" in unknown.output


def test_no_secret_reaches_a_file_of_the_data_directory(world: World) -> None:
    profile = world.profile.model_copy(deep=True)
    # The import reads the last day's orders (two of the seeded shop's): documents and
    # log lines written, without minutes of Tryton documents for the whole history.
    profile.orders.period_days = 1
    ProfileRepository(world.data_dir).save(profile)
    for flow in ("export-products", "import-orders"):
        assert world.run(flow, profile).status == "succeeded"
    assert world.sales_by_key(), "the import wrote no sale"
    world.store.close()
    for path in world.data_dir.rglob("*"):
        if path.is_file() and path.suffix in (".toml", ".log", ".db", ".txt"):
            assert DEMO_SECRET.encode() not in path.read_bytes(), path
