"""The Jobs page: the queue as the store holds it, and the workers that heartbeat."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from typer.testing import CliRunner

from passerelle.cli.main import app as cli
from passerelle.runner.worker_threads import WorkerThreads
from passerelle.store import Store

from .conftest import VIEWER, TestClient, client_of, csrf_of, sign_in
from .flows_scene import FLOW, PROFILE, english_left, save_profile, worker_running


def _section(page: str, name: str) -> str:
    return page.split(f'id="{name}"', 1)[1].split("</section>", 1)[0]


def test_a_queued_job_is_listed_as_waiting_and_a_viewer_sees_it(
    app: Starlette, client: TestClient, data_dir: Path, store: Store
) -> None:
    save_profile(data_dir)
    sign_in(client)
    token = csrf_of(client, f"/flows/{PROFILE}/{FLOW}")
    client.post(f"/flows/{PROFILE}/{FLOW}/run", data={"csrf_token": token})
    (job,) = store.queue.jobs()
    viewer = client_of(app)
    sign_in(viewer, VIEWER)
    page = viewer.get("/jobs").text
    waiting = _section(page, "queued")
    assert f"#{job.id}" in waiting and "Products from the shop" in waiting
    assert "a person" in waiting
    assert f"#{job.id}" not in _section(page, "done")
    assert "No worker is running" in page


def test_a_worker_shows_alive_and_a_done_job_links_its_journal(
    client: TestClient, data_dir: Path, store: Store
) -> None:
    save_profile(data_dir)
    sign_in(client)
    token = csrf_of(client, f"/flows/{PROFILE}/{FLOW}")
    location = client.post(f"/flows/{PROFILE}/{FLOW}/run", data={"csrf_token": token})
    with worker_running(data_dir, store) as threads:
        # the live journal ends when the run has: no waiting on time
        with client.stream("GET", f"/flows/{PROFILE}/{FLOW}/live?after=0") as answer:
            list(answer.iter_lines())
        page = client.get("/jobs").text
        (worker,) = threads.workers
        workers = page.split("</section>", 1)[0]
        assert worker.id in workers and "alive" in workers
    assert location.status_code == 303
    (job,) = store.queue.jobs()
    done = _section(page, "done")
    assert f"#{job.id}" in done and f'href="/runs/{job.run_id}"' in done
    assert "No worker is running" in client.get("/jobs").text  # stopped with the server


def test_the_jobs_page_in_french(app: Starlette, data_dir: Path, store: Store) -> None:
    save_profile(data_dir)
    store.queue.enqueue(PROFILE, "stock-check", source="schedule")
    store.queue.register_worker()
    english = client_of(app, headers={"Accept-Language": "en"})
    french = client_of(app, headers={"Accept-Language": "fr"})
    sign_in(english, VIEWER)
    sign_in(french, VIEWER)
    words = french.get("/jobs").text
    assert "Tâches" in words and "planification" in words and "actif" in words
    assert english_left(english.get("/jobs").text, words) == []


def test_serve_runs_its_workers_in_threads_and_stops_them(data_dir: Path, store: Store) -> None:
    """``passerelle serve --workers N``: N registered workers while it serves, none after."""
    result = CliRunner().invoke(cli, ["serve", "--help"], env={"COLUMNS": "200"})
    assert "--workers" in result.output
    with WorkerThreads(data_dir, store, 2, schedules=False, poll_every=0.05) as threads:
        assert {w.id for w in store.queue.workers()} == {w.id for w in threads.workers}
        assert len(threads.workers) == 2
    assert store.queue.workers() == []
    with WorkerThreads(data_dir, store, 0):
        assert store.queue.workers() == []
