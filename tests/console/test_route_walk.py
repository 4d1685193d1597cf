"""Every page of the console, as ``passerelle serve`` runs it, asks a signed-out
visitor to sign in first — but ``/health``, ``/login`` and the static files.

The test walks the app's route table, so a page added later is walked too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount, Route

from passerelle.cli.serve import build_app
from passerelle.store import Store

from .conftest import TestClient, client_of, sign_in

#: Public GET pages (``/metrics`` has its own token rule); everything else redirects
#: to the login page.
PUBLIC = {"/health", "/login", "/metrics"}
#: Dummy values for path parameters, by convertor.
DUMMIES = {
    "int": "1",
    "float": "1.5",
    "path": "some/where",
    "uuid": "0" * 8 + "-0000-0000-0000-" + "0" * 12,
}


def _filled(path_format: str, param_convertors: dict[str, object]) -> str:
    path = path_format
    for name, convertor in param_convertors.items():
        kind = type(convertor).__name__.removesuffix("Convertor").lower()
        path = path.replace("{" + name + "}", DUMMIES.get(kind, "x"))
    return path


def _get_pages(routes: list[BaseRoute], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(filled path, route path) of every GET route, mounts included (static files aside)."""
    for route in routes:
        if isinstance(route, Route) and "GET" in (route.methods or ()):
            yield prefix + _filled(route.path_format, route.param_convertors), route.path
        elif isinstance(route, Mount):
            if route.path == "/static":
                continue
            yield from _get_pages(list(route.routes), prefix + route.path)


@pytest.fixture
def served(data_dir: Path, store: Store) -> Starlette:
    return build_app(data_dir, store)


def test_the_walk_sees_the_pages(served: Starlette) -> None:
    paths = {path for path, _ in _get_pages(list(served.routes))}
    assert {"/", "/login", "/health", "/metrics"} <= paths


def test_every_page_but_the_public_ones_redirects_to_login(served: Starlette) -> None:
    client = client_of(served)
    for path, route in _get_pages(list(served.routes)):
        answer = client.get(path)
        if route in PUBLIC:
            assert answer.status_code != 303, path
            continue
        assert answer.status_code == 303, path
        expected = "/login" if path == "/" else "/login?next=" + quote(path, safe="")
        assert answer.headers["location"] == expected, path


def test_paths_outside_the_table_redirect_to_login_too(served: Starlette) -> None:
    client = client_of(served)
    for path in ("/nothing-here", "/admin", "/login/../secret", "/webhooksx"):
        assert client.get(path).status_code == 303, path


def test_static_files_and_webhooks_need_no_login(served: Starlette) -> None:
    client = client_of(served)
    assert client.get("/static/console.css").status_code == 200
    # The receiver answers by itself (no such profile), not with the login page.
    answer = client.post("/webhooks/nobody", content=b"{}")
    assert answer.status_code == 404


def test_signed_in_no_page_fails(served: Starlette) -> None:
    client: TestClient = client_of(served)
    sign_in(client)
    for path, _route in _get_pages(list(served.routes)):
        answer = client.get(path)
        assert answer.status_code < 500, path
