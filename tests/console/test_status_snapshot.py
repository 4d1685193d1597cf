"""The Status page reads the shop and the back-office once, then pages, filters and
searches what it read; a Refresh, a finished run or a quarter of an hour reads again.

Reads are counted by wrapping ``read_status`` (the one function that opens both
sides); the WooCommerce sandbox and the memory back-office answer it.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console
from starlette.applications import Starlette

from passerelle.connectors.errors import ConnectorError
from passerelle.profiles import Profile, ProfileRepository
from passerelle.runner import Runner
from passerelle.runner.status import RecordStatus
from passerelle.runner.status_snapshots import StatusSnapshots
from passerelle.runner.status_view import read_status
from passerelle.store import Store

from .conftest import VIEWER, TestClient, csrf_of, sign_in
from .shop_scene import PROFILE, Scene, shop_scene

PAGE = f"/status/{PROFILE}/products"
LABELS = re.compile(r'<td translate="no"><a href="[^"]+">([^<]+)</a></td>')
READING = "Reading the records"


class Reads:
    """``read_status`` counted; ``hold`` keeps each read waiting until ``release``;
    ``fail_with`` makes the next read fail (once)."""

    def __init__(self) -> None:
        self.count = 0
        self.gate = threading.Event()
        self.gate.set()
        self.fail_with: Exception | None = None

    def __call__(
        self, profile: Profile, directory: Path, store: Store, kind: str
    ) -> Sequence[RecordStatus]:
        self.count += 1
        self.gate.wait(60)
        failure, self.fail_with = self.fail_with, None
        if failure is not None:
            raise failure
        return read_status(profile, directory, store, kind)

    def hold(self) -> None:
        self.gate.clear()

    def release(self) -> None:
        self.gate.set()


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 6, 13, 2, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def scene(data_dir: Path, store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[Scene]:
    with shop_scene(data_dir, monkeypatch) as made:
        for n in range(1, 61):  # more than a page
            made.add_item(str(n), f"SKU-{n:03d}", "Mug" if n % 2 else "T-shirt")
        yield made


@pytest.fixture
def reads() -> Reads:
    return Reads()


@pytest.fixture
def moment() -> Clock:
    return Clock()


@pytest.fixture
def snapshots(
    app: Starlette, data_dir: Path, store: Store, reads: Reads, moment: Clock
) -> StatusSnapshots:
    made = StatusSnapshots(data_dir, store, read=reads, clock=moment, patience=120)
    app.state.status_snapshots = made
    return made


def _labels(page: str) -> list[str]:
    return [html.unescape(label) for label in LABELS.findall(page)]


def _profile(data_dir: Path) -> Profile:
    return ProfileRepository(data_dir).load(PROFILE)


def _refresh(client: TestClient, **fields: object) -> str:
    answer = client.post(
        "/status/refresh",
        data={"csrf_token": csrf_of(client, PAGE), "profile": PROFILE, **fields},
    )
    assert answer.status_code == 303, answer.text
    location: str = answer.headers["location"]
    return location


def test_paging_filtering_searching_and_a_history_read_nothing_again(
    scene: Scene, snapshots: StatusSnapshots, reads: Reads, client: TestClient
) -> None:
    sign_in(client, VIEWER)
    first = client.get(PAGE)
    assert len(_labels(first.text)) == 50 and reads.count == 1
    second = client.get(PAGE, params={"page": "2"})
    assert _labels(second.text) == [f"SKU-{n:03d}" for n in range(51, 61)]
    filtered = client.get(PAGE, params={"state": "not linked"})
    assert "60 records" in filtered.text
    searched = client.get(PAGE, params={"q": "SKU-00"})
    assert _labels(searched.text) == [f"SKU-{n:03d}" for n in range(1, 10)]
    history = client.get(f"{PAGE}/7")
    assert history.status_code == 200 and "SKU-007" in history.text
    assert reads.count == 1


def test_refresh_reads_again_for_a_viewer_too_and_keeps_the_filter(
    scene: Scene, snapshots: StatusSnapshots, reads: Reads, client: TestClient
) -> None:
    sign_in(client, VIEWER)  # it only reads: a viewer may
    page = client.get(PAGE)
    assert 'action="/status/refresh"' in page.text and reads.count == 1
    back = _refresh(client, kind="products", state=["not linked", "nonsense"], q="SKU-01")
    assert back == f"{PAGE}?state=not+linked&q=SKU-01"
    assert snapshots.wait(_profile(scene.data_dir), "products", 60)
    assert reads.count == 2
    client.get(back)
    assert reads.count == 2  # the refresh's read is the one shown
    assert _refresh(client, kind="orders") == f"/status/{PROFILE}/orders"
    assert 'name="key" value="7"' in client.get(f"{PAGE}/7").text
    assert _refresh(client, kind="products", key="7") == f"{PAGE}/7"  # from a record's page
    assert snapshots.wait(_profile(scene.data_dir), "products", 60)
    assert snapshots.wait(_profile(scene.data_dir), "orders", 60)
    assert (
        client.post(
            "/status/refresh",
            data={"csrf_token": csrf_of(client, PAGE), "profile": "nobody", "kind": "products"},
        ).status_code
        == 404
    )
    assert (
        client.post(
            "/status/refresh",
            data={"csrf_token": csrf_of(client, PAGE), "profile": PROFILE, "kind": "stock"},
        ).status_code
        == 404
    )
    forged = client.post("/status/refresh", data={"profile": PROFILE, "kind": "products"})
    assert forged.status_code == 403


def test_a_finished_run_of_the_kinds_flows_or_a_quarter_hour_reads_again(
    scene: Scene,
    snapshots: StatusSnapshots,
    reads: Reads,
    moment: Clock,
    store: Store,
    data_dir: Path,
    client: TestClient,
) -> None:
    sign_in(client)
    assert set(_labels(client.get(PAGE).text)) and reads.count == 1
    runner = Runner(data_dir, store=store, console=Console(quiet=True))
    runner.run(_profile(data_dir), "export-customers")  # not a flow of products
    client.get(PAGE)
    assert reads.count == 1
    runner.run(_profile(data_dir), "export-products")
    page = client.get(PAGE)
    assert reads.count == 2
    assert "synced" in page.text and "not linked" not in page.text  # what the run did
    moment.now += timedelta(minutes=14)
    client.get(PAGE)
    assert reads.count == 2
    moment.now += timedelta(minutes=1)
    client.get(PAGE)
    assert reads.count == 3


def test_an_edited_profile_is_read_again(
    scene: Scene, snapshots: StatusSnapshots, reads: Reads, data_dir: Path, client: TestClient
) -> None:
    sign_in(client)
    client.get(PAGE)
    repository = ProfileRepository(data_dir)
    edited = _profile(data_dir).model_copy(update={"mode": "test"})
    repository.save(edited)
    client.get(PAGE)
    assert reads.count == 2


def test_the_first_visit_says_it_is_reading_and_reloads_until_it_has_read(
    scene: Scene, snapshots: StatusSnapshots, reads: Reads, moment: Clock, client: TestClient
) -> None:
    snapshots.patience = 0
    reads.hold()
    sign_in(client, VIEWER)
    waiting = client.get(PAGE)
    assert waiting.status_code == 200
    assert READING in waiting.text and "refresh" in waiting.headers
    assert _labels(waiting.text) == [] and "No record to show." not in waiting.text
    again = client.get(f"{PAGE}/3")  # a record's page waits for the same read
    assert READING in again.text and "refresh" in again.headers
    reads.release()
    assert snapshots.wait(_profile(scene.data_dir), "products", 60)
    ready = client.get(PAGE)
    assert "refresh" not in ready.headers and READING not in ready.text
    assert len(_labels(ready.text)) == 50
    read_at = moment.now.astimezone().strftime("%H:%M")
    assert f"Records as read at {read_at}." in ready.text
    assert reads.count == 1  # one read, however many looked while it ran


def test_a_failed_read_is_said_and_not_kept(
    scene: Scene,
    snapshots: StatusSnapshots,
    reads: Reads,
    client: TestClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sign_in(client)
    client.headers["accept-language"] = "fr"
    reads.fail_with = ConnectorError("the shop did not answer")
    failed = client.get(PAGE)
    assert "Impossible de lire les fiches : the shop did not answer" in html.unescape(failed.text)
    assert "refresh" not in failed.headers and "lues à" not in failed.text
    ready = client.get(PAGE)  # read again: the failure was not a snapshot
    assert reads.count == 2 and len(_labels(ready.text)) == 50
    monkeypatch.delenv("SCENE_WC_KEY")
    _refresh(client, kind="products")
    missing = client.get(PAGE)
    assert "Une clé de ce profil manque" in html.unescape(missing.text)


def test_an_unexpected_fault_of_the_read_reaches_the_next_look(
    scene: Scene, snapshots: StatusSnapshots, reads: Reads, data_dir: Path
) -> None:
    reads.fail_with = RuntimeError("a bug")
    profile = _profile(data_dir)
    with pytest.raises(RuntimeError, match="a bug"):
        snapshots.look(profile, "products")
    assert snapshots.look(profile, "products").snapshot is not None
    assert reads.count == 2


def test_a_read_longer_than_the_age_limit_is_kept_from_when_it_ended(
    scene: Scene, snapshots: StatusSnapshots, reads: Reads, moment: Clock, data_dir: Path
) -> None:
    profile = _profile(data_dir)
    snapshots.patience = 0
    reads.hold()
    assert snapshots.look(profile, "products").reading
    moment.now += timedelta(minutes=20)  # a very large catalogue
    reads.release()
    assert snapshots.wait(profile, "products", 60)
    read = snapshots.look(profile, "products").snapshot
    assert read is not None and read.taken_at == moment.now - timedelta(minutes=20)
    moment.now += timedelta(minutes=14)
    assert snapshots.look(profile, "products").snapshot is read and reads.count == 1
    moment.now += timedelta(minutes=1)
    reads.hold()
    assert snapshots.look(profile, "products").reading
    reads.release()
    assert snapshots.wait(profile, "products", 60)
    assert reads.count == 2
