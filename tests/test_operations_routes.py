"""``/health`` and ``/metrics`` as a load balancer and Prometheus see them.

The metrics are read back with prometheus-client's own parser: what a scrape
gets is valid exposition format, and its numbers are the store's.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette

from passerelle.console.operations import OPERATIONS_PUBLIC_PATHS, operations_routes
from passerelle.profiles import ProfileRepository
from passerelle.store import Store
from passerelle.store.records import RunStatus
from tests.test_exit_codes import PROFILE, write_profile

with warnings.catch_warnings():
    # Starlette asks for httpx2 under its TestClient; the installed httpx does the same work.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

SECRET = "cs_very_secret_value"
LOCAL = ("127.0.0.1", 40000)
AWAY = ("203.0.113.9", 40000)


def _profile(data_dir: Path, name: str, backoffice: dict[str, Any]) -> None:
    """The exit-code tests' profile (made first) under ``name``, with ``backoffice``."""
    if name == PROFILE:
        write_profile(data_dir, backoffice=backoffice)
        return
    repo = ProfileRepository(data_dir)
    saved = repo.load(PROFILE).model_dump(mode="json", exclude_none=True)
    repo.save(repo.validate({**saved, "name": name, "backoffice": backoffice}))


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setenv("WC_KEY", "ck_key")
    monkeypatch.setenv("WC_SECRET", SECRET)
    monkeypatch.delenv("PASSERELLE_METRICS_TOKEN", raising=False)
    _profile(tmp_path, PROFILE, {"kind": "memory", "items": ["SHIPPING"]})
    with Store.open_data_dir(tmp_path) as opened:
        yield opened


def _client(data_dir: Path, store: Store, client: tuple[str, int] = LOCAL, **kw: Any) -> TestClient:
    return TestClient(Starlette(routes=operations_routes(data_dir, store, **kw)), client=client)


def _samples(body: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    }


def test_metrics_are_the_store_totals_in_prometheus_format(tmp_path: Path, store: Store) -> None:
    for status, counts in (
        (RunStatus.SUCCEEDED, {"created": 3, "updated": 1}),
        (RunStatus.WITH_PROBLEMS, {"created": 1, "failed": 2}),
    ):
        run_id = store.start_run("shop-fr", "import-orders")
        store.finish_run(run_id, status, counts)
        store.record_shop_requests(run_id, "woocommerce", 10, 1.5)
    store.park("shop-fr", "import-orders", "1042", "no payment mapping", "error")
    store.queue.enqueue("shop-fr", "update-stock", payload={}, lane="catalogue", shop_key="w")

    answer = _client(tmp_path, store).get("/metrics")

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    got = _samples(answer.text)
    flow = ("flow", "import-orders")
    assert got[("passerelle_runs_total", (flow, ("outcome", "succeeded")))] == 1
    assert got[("passerelle_runs_total", (flow, ("outcome", "with_problems")))] == 1
    assert got[("passerelle_records_total", (flow, ("outcome", "created")))] == 4
    assert got[("passerelle_records_total", (flow, ("outcome", "failed")))] == 2
    assert got[("passerelle_queue_jobs", (("state", "queued"),))] == 1
    assert got[("passerelle_queue_jobs", (("state", "running"),))] == 0
    errors = (("profile", "shop-fr"), ("severity", "error"))
    assert got[("passerelle_open_problems", errors)] == 1
    woo = (("platform", "woocommerce"),)
    assert got[("passerelle_shop_request_duration_seconds_count", woo)] == 20
    assert got[("passerelle_shop_request_duration_seconds_sum", woo)] == 3.0


def test_metrics_answer_this_machine_only_without_a_token(tmp_path: Path, store: Store) -> None:
    assert _client(tmp_path, store, AWAY).get("/metrics").status_code == 403
    assert _client(tmp_path, store, LOCAL).get("/metrics").status_code == 200


def test_metrics_with_a_token_need_it_from_anywhere(tmp_path: Path, store: Store) -> None:
    client = _client(tmp_path, store, AWAY, metrics_token="s3cret-token")
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer nope"}).status_code == 401
    ok = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"})
    assert ok.status_code == 200 and "passerelle_build_info" in ok.text


def test_health_is_public_and_says_what_answers(tmp_path: Path, store: Store) -> None:
    assert OPERATIONS_PUBLIC_PATHS == {"/health", "/metrics"}
    answer = _client(tmp_path, store, AWAY).get("/health")
    assert answer.status_code == 200
    assert answer.json() == {
        "ok": True,
        "store": {"ok": True},
        "backoffices": {"shop-fr": {"kind": "memory", "ok": True}},
    }


def test_health_is_503_when_a_backoffice_does_not_answer(tmp_path: Path, store: Store) -> None:
    _profile(
        tmp_path,
        "erp-gone",
        {"kind": "tryton", "database": "gone", "uri": "sqlite://", "path": str(tmp_path / "no")},
    )
    answer = _client(tmp_path, store).get("/health")
    assert answer.status_code == 503
    body = answer.json()
    assert body["ok"] is False and body["store"] == {"ok": True}
    assert body["backoffices"]["erp-gone"] == {"kind": "tryton", "ok": False}
    assert body["backoffices"]["shop-fr"]["ok"] is True
    assert SECRET not in answer.text and "shop.invalid" not in answer.text
