"""The runner records every run, whatever way the flow ends."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from passerelle.connectors.errors import FatalError
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.connectors.woocommerce.connector import WooCommerceShop
from passerelle.flows.base import FLOWS, FlowContext, FlowInfo
from passerelle.profiles import ProfileRepository
from passerelle.runner import Runner
from passerelle.store import Store
from tests.test_profiles import VALID


def register(monkeypatch: pytest.MonkeyPatch, name: str, fn) -> None:  # noqa: ANN001
    monkeypatch.setitem(FLOWS, name, FlowInfo(name, fn, False, "test flow"))


def run(tmp_path: Path, flow: str) -> tuple[Store, object]:
    store = Store.open_data_dir(tmp_path)
    profile = ProfileRepository(tmp_path).validate(dict(VALID))
    runner = Runner(tmp_path, store=store, console=Console(quiet=True))
    with WooCommerceShop("https://shop.invalid", "k", "s") as shop:
        return store, runner.run(profile, flow, backoffice=MemoryBackOffice(), shop=shop)


def test_a_fatal_connector_error_fails_the_run_with_its_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def flow(ctx: FlowContext) -> None:
        ctx.journal.record("created", "A1", "created (shop id 1)")
        raise FatalError("the shop moved: check its URL")

    register(monkeypatch, "failing", flow)
    store, summary = run(tmp_path, "failing")
    assert summary.status == "failed" and summary.error == "the shop moved: check its URL"
    recorded = store.get_run(summary.run_id)
    assert recorded.status == "failed" and recorded.counts["created"] == 1
    assert any("run stopped: the shop moved" in line.text for line in store.journal(recorded.id))
    assert "the shop moved" in summary.log_path.read_text()
    store.close()


def test_an_unexpected_error_is_recorded_then_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def flow(ctx: FlowContext) -> None:
        raise ZeroDivisionError("boom")

    register(monkeypatch, "broken", flow)
    with pytest.raises(ZeroDivisionError):
        run(tmp_path, "broken")
    store = Store.open_data_dir(tmp_path)
    (recorded,) = store.list_runs(flow="broken")
    assert recorded.status == "failed" and recorded.finished_at is not None
    assert any("ZeroDivisionError: boom" in line.text for line in store.journal(recorded.id))
    store.close()
