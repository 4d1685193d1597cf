"""Receiver fixtures: a data directory with the webhook secret set, a sink, a real receiver."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from passerelle.runner.scheduler import shop_key
from passerelle.store import Store
from passerelle.webhooks import BackgroundServer, ProfileSettings, QueueSink, create_app

from .support import SECRET, MemorySink


@pytest.fixture
def sink() -> MemorySink:
    return MemorySink()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WEBHOOK_SECRET", SECRET)
    return tmp_path / "data"


@pytest.fixture
def receiver(data_dir: Path, sink: MemorySink) -> Iterator[str]:
    """The receiver's base URL, on a free loopback port, over ``data_dir``'s profiles."""
    with BackgroundServer(create_app(data_dir, sink)) as server:
        yield server.url


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open_data_dir(tmp_path / "store")
    yield store
    store.close()


@pytest.fixture
def queued(data_dir: Path, store: Store) -> Iterator[str]:
    """A receiver over the real store's queue; its base URL."""
    profiles = ProfileSettings(data_dir)
    sink = QueueSink(store.queue, lambda name: shop_key(profiles.profile(name)))
    with BackgroundServer(create_app(data_dir, sink, profiles=profiles)) as server:
        yield server.url
