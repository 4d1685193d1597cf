"""Retention: the worker's daily chore prunes old journal lines and log files, once a day
whatever the number of workers; runs and open problems stay."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from passerelle.runner.retention import (
    DEFAULT_RETENTION_DAYS,
    RETENTION_ENV,
    prune,
    prune_if_due,
    retention_days,
)
from passerelle.store import Store
from passerelle.store.records import RunStatus

NOW = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)


def _log(data_dir: Path, name: str, written: datetime) -> Path:
    path = data_dir / "logs" / "shop" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("a line\n")
    os.utime(path, (written.timestamp(), written.timestamp()))
    return path


def _store_with_an_old_run(data_dir: Path) -> tuple[Store, int]:
    store = Store.open_data_dir(data_dir, clock=lambda: NOW - timedelta(days=120))
    run_id = store.start_run("shop", "import-orders")
    store.add_journal(run_id, "info", "order 1: imported", record_key="1")
    store.finish_run(run_id, RunStatus.SUCCEEDED, {"created": 1})
    store.close()
    return Store.open_data_dir(data_dir, clock=lambda: NOW), run_id


def test_prune_removes_old_lines_and_logs_and_keeps_the_run(tmp_path: Path) -> None:
    store, run_id = _store_with_an_old_run(tmp_path)
    old = _log(tmp_path, "20260101-import-orders.log", NOW - timedelta(days=120))
    recent = _log(tmp_path, "20260530-import-orders.log", NOW - timedelta(days=2))
    with store:
        report = prune(store, tmp_path, 90, NOW)
        assert (report.journal_lines, report.log_files) == (1, 1)
        assert not old.exists() and recent.exists()
        assert store.journal(run_id) == [] and store.get_run(run_id) is not None


def test_zero_days_keeps_everything(tmp_path: Path) -> None:
    store, run_id = _store_with_an_old_run(tmp_path)
    with store:
        assert prune(store, tmp_path, 0, NOW).journal_lines == 0
        assert len(store.journal(run_id)) == 1


def test_the_chore_runs_once_a_day_across_workers(tmp_path: Path) -> None:
    store, _ = _store_with_an_old_run(tmp_path)
    with store:
        assert prune_if_due(store, tmp_path, 90, NOW) is not None
        assert prune_if_due(store, tmp_path, 90, NOW + timedelta(hours=1)) is None
        assert prune_if_due(store, tmp_path, 90, NOW + timedelta(days=1, minutes=1)) is not None


def test_retention_days_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(RETENTION_ENV, raising=False)
    assert retention_days() == DEFAULT_RETENTION_DAYS == 90
    monkeypatch.setenv(RETENTION_ENV, "30")
    assert retention_days() == 30
    assert retention_days(7) == 7
    with pytest.raises(ValueError):
        retention_days(-1)


def test_a_worker_prunes_as_one_of_its_scheduled_chores(tmp_path: Path) -> None:
    from passerelle.runner.worker import Worker

    store, run_id = _store_with_an_old_run(tmp_path)
    with store:
        worker = Worker(tmp_path, store=store, keep_days=90, clock=lambda: NOW)
        try:
            assert worker.tick() is None  # no job queued: only the chores ran
        finally:
            worker.close()
        assert store.journal(run_id) == []
        assert store.get_run(run_id) is not None
