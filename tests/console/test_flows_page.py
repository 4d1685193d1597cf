"""The Flows page against real runs: Run now queues a job, a worker runs it, the journal
streams live; run history, the journal by level and by record; viewers look only.

The static catalogue shop and the memory back-office (tests/console/flows_scene.py)
make a real ``import-products`` run take a blink.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from starlette.applications import Starlette

from passerelle.console.pages.flows import live
from passerelle.runner.scheduler import enqueue_due
from passerelle.store import JobStatus, Run, RunStatus, Store

from .conftest import OPERATOR, VIEWER, TestClient, client_of, csrf_of, sign_in
from .flows_scene import FLOW, PROFILE, english_left, save_profile, worker_running

PAGE = f"/flows/{PROFILE}/{FLOW}"
LIVE = re.compile(r'data-live="([^"]+)"')


def run_now(client: TestClient, flow: str = FLOW) -> str:
    """Press Run now on the flow's page; where the console sends the browser next."""
    token = csrf_of(client, f"/flows/{PROFILE}/{flow}")
    answer = client.post(f"/flows/{PROFILE}/{flow}/run", data={"csrf_token": token})
    assert answer.status_code == 303, answer.text
    location: str = answer.headers["location"]
    return location


def stream(client: TestClient, source: str, **headers: str) -> list[tuple[str, str, dict]]:
    """Read the live journal until the server ends it: (event, id, data) in order."""
    with client.stream("GET", source, headers=headers) as answer:
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/event-stream")
        return list(_events(answer.iter_lines()))


def _events(lines: Iterator[str]) -> Iterator[tuple[str, str, dict]]:
    """Server-sent events as (event, id, data), as they are read."""
    kind = event_id = ""
    for line in lines:
        if line.startswith("event: "):
            kind = line.removeprefix("event: ")
        elif line.startswith("id: "):
            event_id = line.removeprefix("id: ")
        elif line.startswith("data: "):
            yield kind, event_id, json.loads(line.removeprefix("data: "))
            kind = event_id = ""


def ran_once(client: TestClient, data_dir: Path, store: Store) -> tuple[str, Run]:
    """Run now pressed by an operator, a worker's run streamed to its end: the flow page
    Run now led to, and the run."""
    save_profile(data_dir)
    sign_in(client)
    location = run_now(client)
    with worker_running(data_dir, store):
        stream(client, f"{PAGE}/live?after=0")
    (run,) = store.list_runs(profile=PROFILE, flow=FLOW)
    return location, run


@pytest.fixture(autouse=True)
def _bounded_streams(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stream that would never end fails the test instead of hanging it."""
    monkeypatch.setattr(live, "STREAM_SECONDS", 120.0)


def test_run_now_queues_a_job_that_a_worker_runs_and_its_journal_streams(
    app: Starlette, client: TestClient, data_dir: Path, store: Store
) -> None:
    save_profile(data_dir)
    sign_in(client)
    location = run_now(client)
    assert location.startswith(PAGE + "?job=")
    (job,) = store.queue.jobs(profile=PROFILE)
    assert (job.flow, job.status, job.source.value) == (FLOW, JobStatus.QUEUED, "manual")
    page = client.get(location).text
    assert f"Run queued (job {job.id})" in page
    assert "No worker is running" in page
    source = html.unescape(LIVE.search(page).group(1))  # type: ignore[union-attr]
    assert f"job={job.id}" in source

    with worker_running(data_dir, store):
        events = stream(client, source)  # ends when the run has ended, however long it takes

    lines = [data for kind, _id, data in events if kind == "line"]
    texts = [f"{line['label']} {line['text']}" for line in lines]
    assert any("POT-001" in text and "created" in text for text in texts), texts
    assert sum("RAKE-01" in text for text in texts) == 2
    kind, _id, end = events[-1]
    assert kind == "end" and end["status"] == "succeeded"
    assert "1 created" in end["said"] and "3 skipped" in end["said"]
    done = store.queue.get(job.id)
    assert done is not None and done.status == JobStatus.DONE and done.run_id is not None
    run = store.get_run(done.run_id)
    assert run is not None and run.status is RunStatus.SUCCEEDED
    assert [line.id for line in store.journal(run.id)] == [
        int(i.split(":")[1]) for _k, i, _d in events if i
    ]
    assert end["url"] == f"/runs/{run.id}"


def test_lines_arrive_while_the_run_writes_them(
    client: TestClient, data_dir: Path, store: Store
) -> None:
    """The stream is open before the run starts; each line is read before the next is written."""
    save_profile(data_dir)
    sign_in(client)
    with client.stream("GET", f"{PAGE}/live?after=0") as answer:
        events = _events(answer.iter_lines())
        run_id = store.start_run(PROFILE, FLOW)
        store.add_journal(run_id, "info", "first line")
        assert next(events)[2]["text"] == "first line"
        store.add_journal(run_id, "warning", "second line", record_key="POT-001")
        kind, event_id, line = next(events)
        assert (kind, line["text"], line["label"]) == ("line", "second line", "POT-001")
        assert line["level"] == "warning" and event_id.startswith(f"{run_id}:")
        store.finish_run(run_id, "with_problems", {"parked": 1})
        kind, _id, end = next(events)
        assert kind == "end" and end["status"] == "with_problems" and "1 parked" in end["said"]


def test_a_reconnected_stream_goes_on_after_the_last_line_it_had(
    client: TestClient, data_dir: Path, store: Store
) -> None:
    _location, run = ran_once(client, data_dir, store)
    first = stream(client, f"{PAGE}/live?run={run.id}")
    seen = [i for kind, i, _d in first if kind == "line"]
    again = stream(client, f"{PAGE}/live?after=0", **{"Last-Event-ID": seen[2]})
    assert [i for kind, i, _d in again if kind == "line"] == seen[3:]
    assert again[-1][0] == "end"


def test_a_viewer_sees_the_flows_but_cannot_run_one(
    app: Starlette, data_dir: Path, store: Store
) -> None:
    save_profile(data_dir)
    viewer = client_of(app)
    sign_in(viewer, VIEWER)
    page = viewer.get("/flows").text
    assert PROFILE in page and "Products from the shop" in page and "Run now" not in page
    token = csrf_of(viewer, PAGE)
    answer = viewer.post(f"{PAGE}/run", data={"csrf_token": token})
    assert answer.status_code == 403
    assert store.queue.jobs() == []


def test_a_flow_writing_to_the_shop_is_refused_in_test_mode(
    client: TestClient, data_dir: Path, store: Store
) -> None:
    save_profile(data_dir, mode="test")
    sign_in(client)
    assert "Not in test mode" in client.get("/flows").text
    location = run_now(client, "export-products")
    assert location.endswith("?refused=1")
    assert "does not run" in client.get(location).text
    assert store.queue.jobs() == []


def test_schedules_and_next_runs_come_from_the_scheduler(
    client: TestClient, data_dir: Path, store: Store
) -> None:
    profile = save_profile(data_dir)
    sign_in(client)
    row = _row(client.get("/flows").text, "Stock check")
    assert "0 3 * * *" in row and "at the next worker" in row
    assert "not scheduled" in _row(client.get("/flows").text, "Products from the shop")
    enqueue_due(store.queue, profile, datetime.now(UTC))  # a worker's tick: slots claimed
    slot = store.queue.slots(PROFILE)["stock-check"]
    assert slot.astimezone().strftime("%Y-%m-%d %H:%M") in _row(
        client.get("/flows").text, "Stock check"
    )


def test_run_history_and_a_runs_journal_by_level_and_by_record(
    client: TestClient, data_dir: Path, store: Store
) -> None:
    _location, run = ran_once(client, data_dir, store)
    history = client.get(PAGE).text.split("Run history", 1)[1]
    assert f'href="/runs/{run.id}"' in history and "succeeded" in history
    assert "1 created, 3 skipped" in history

    everything = client.get(f"/runs/{run.id}").text
    assert "POT-001" in everything and "Rake bis" in everything and "Nameless" in everything
    successes = client.get(f"/runs/{run.id}?severity=success").text
    assert "POT-001" in successes and "Rake" not in successes
    rakes = client.get(f"/runs/{run.id}?q=rake").text
    assert rakes.count('<li class="line') == 2 and "POT-001" not in rakes
    both = client.get(f"/runs/{run.id}?severity=info&q=RAKE").text
    assert both.count('<li class="line') == 2
    assert client.get(f"/runs/{run.id}?severity=error").text.count('<li class="line') == 0
    assert client.get("/runs/999").status_code == 404


def test_the_flow_pages_in_french_have_no_english_left(
    app: Starlette, client: TestClient, data_dir: Path, store: Store
) -> None:
    location, run = ran_once(client, data_dir, store)
    english = client_of(app, headers={"Accept-Language": "en"})
    french = client_of(app, headers={"Accept-Language": "fr"})
    sign_in(english, OPERATOR)
    sign_in(french, OPERATOR)
    for page in ("/flows", location, f"/runs/{run.id}", f"/runs/{run.id}?severity=success"):
        words = french.get(page).text
        assert 'lang="fr"' in words
        assert english_left(english.get(page).text, words) == [], page
    assert "Lancer maintenant" in french.get("/flows").text
    events = stream(french, f"{PAGE}/live?run={run.id}")
    assert "créé" in " ".join(data["text"] for kind, _i, data in events if kind == "line")
    assert "réussie" in events[-1][2]["said"]


def test_the_home_page_leads_to_the_flow_pages(client: TestClient, data_dir: Path) -> None:
    save_profile(data_dir)
    sign_in(client)
    home = client.get("/").text
    assert f'href="/flows/{PROFILE}/import-orders"' in home
    assert f'href="/flows#profile-{PROFILE}"' in home
    assert client.get(f"/flows/{PROFILE}/{FLOW}").status_code == 200
    assert client.get(f"/flows/{PROFILE}/no-such-flow").status_code == 404
    assert client.get(f"/flows/nobody/{FLOW}").status_code == 404


def _row(page: str, title: str) -> str:
    return page.split(title, 1)[1].split("</tr>", 1)[0]
