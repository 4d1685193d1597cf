"""What a merchant reads carries no SPEC identifiers ("(R8)", "C1–C22"): those are
for the code's comments. Checked on the help of the commands and on the flows'
summaries (``passerelle flows``), as they are printed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from passerelle.cli.main import app
from passerelle.flows import FLOWS

SPEC_ID = re.compile(r"\b[A-Z]{1,2}\d{1,2}\b")

# Every command group and command of the CLI, with the help it prints.
SWEPT = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
NOT_YET_SWEPT_COMMANDS: set[str] = set()
NOT_YET_SWEPT_FLOWS: set[str] = set()


def _commands(command: Any, path: list[str]) -> list[list[str]]:
    found = [path]
    if hasattr(command, "commands"):  # a group (typer's own click classes)
        for name, sub in command.commands.items():
            found += _commands(sub, [*path, name])
    return found


def _swept_commands() -> list[list[str]]:
    root: Any = typer.main.get_command(app)
    return [
        path
        for top in SWEPT
        for path in _commands(root.commands[top], [top])
        if " ".join(path) not in NOT_YET_SWEPT_COMMANDS
    ]


@pytest.mark.parametrize("path", _swept_commands(), ids=" ".join)
def test_command_help_names_no_spec_id(path: list[str]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert not SPEC_ID.findall(result.output), result.output


def test_flow_summaries_name_no_spec_id() -> None:
    assert len(FLOWS) > len(NOT_YET_SWEPT_FLOWS)
    for name, info in FLOWS.items():
        if name not in NOT_YET_SWEPT_FLOWS:
            assert not SPEC_ID.search(info.summary), (name, info.summary)


def test_customer_export_journal_says_what_it_reads_in_merchant_words(tmp_path: Path) -> None:
    from passerelle.flows.export_customers import FLOW
    from passerelle.store import Store
    from tests.test_customer_flows import BackOffice, FakeShop, World, _customer

    with Store.open_data_dir(tmp_path) as store:
        world = World(tmp_path, store, BackOffice(), FakeShop())
        world.backoffice.customers["K"] = _customer("K", "k@example.org")
        world.run(FLOW)
        lines = [t for t in world.journal(world.run(FLOW)) if "changed since" in t]
    assert len(lines) == 1 and "only customers changed since" in lines[0]
    assert not SPEC_ID.search(lines[0]), lines[0]
