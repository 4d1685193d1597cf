"""Console fixtures: a data directory with a store, two users, a fake clock and a client."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from starlette.applications import Starlette

from passerelle.console import create_console_app
from passerelle.console.passwords import hash_password
from passerelle.store import Store
from passerelle.store.repositories.users import users_of

with warnings.catch_warnings():
    # Starlette asks for httpx2 under its TestClient; the installed httpx works the same
    # for these tests, and the warning (an error in this suite) is about the client only.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

OPERATOR, VIEWER = "olga", "victor"
PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class FakeClock:
    """Seconds since the epoch that move only when a test says so."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@cache
def password_hash() -> str:
    """One argon2id hash for every test user: hashing is slow on purpose."""
    return hash_password(PASSWORD)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    with Store.open_data_dir(data_dir) as opened:
        users = users_of(opened)
        users.add(OPERATOR, password_hash(), "operator")
        users.add(VIEWER, password_hash(), "viewer")
        yield opened


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app(data_dir: Path, store: Store, clock: FakeClock) -> Starlette:
    return create_console_app(data_dir, store, clock=clock)


def client_of(app: Starlette, **kwargs: object) -> TestClient:
    return TestClient(app, follow_redirects=False, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def client(app: Starlette) -> TestClient:
    return client_of(app)


def csrf_of(client: TestClient, page: str = "/login") -> str:
    """The CSRF token written in ``page``'s forms."""
    found = CSRF.search(client.get(page).text)
    assert found, f"no CSRF field on {page}"
    return found.group(1)


def sign_in(client: TestClient, name: str = OPERATOR, password: str = PASSWORD) -> None:
    answer = client.post(
        "/login", data={"name": name, "password": password, "csrf_token": csrf_of(client)}
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/"
