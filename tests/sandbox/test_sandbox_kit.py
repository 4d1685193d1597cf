"""What every sandbox owes the machine it runs on, through the shared kit: its files
only where it is told, a port of its own, and no code borrowed from the connectors."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import typer

from passerelle.cli.main import app
from passerelle.platforms import shop_kinds_with_sandbox, start_sandbox

SANDBOX_ROOT = Path(__file__).resolve().parents[2] / "passerelle" / "sandbox"


def test_each_sandbox_command_has_its_own_default_port() -> None:
    sandbox = typer.main.get_command(app).commands["sandbox"]  # type: ignore[attr-defined]
    ports = {}
    for kind in shop_kinds_with_sandbox():
        command = sandbox.commands[kind]
        (port,) = (p for p in command.params if p.name == "port")
        ports[kind] = port.default
    assert len(set(ports.values())) == len(ports), ports


@pytest.mark.parametrize("kind", sorted(shop_kinds_with_sandbox()))
def test_a_sandbox_writes_only_under_its_state_directory(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cwd, state, cache = tmp_path / "cwd", tmp_path / "state", tmp_path / "cache"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    sandbox = start_sandbox(kind, state)
    try:
        assert Path(sandbox.profile_shop()["http"]["ca_bundle"]).is_relative_to(state)
    finally:
        sandbox.stop()
    assert list(cwd.iterdir()) == []
    assert not cache.exists()  # nor in the user's cache (the seed starts no other sandbox)
    assert (state / "tls").is_dir()


def test_no_sandbox_module_imports_the_connectors() -> None:
    offenders = []
    for path in sorted(SANDBOX_ROOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(
                n == "passerelle.connectors" or n.startswith("passerelle.connectors.")
                for n in names
            ):
                offenders.append(str(path.relative_to(SANDBOX_ROOT)))
    assert offenders == []
