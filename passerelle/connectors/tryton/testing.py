"""Pytest fixtures giving each test module its own copy of the Tryton demo database.

Import them in a ``conftest.py`` (``from passerelle.connectors.tryton.testing
import *``) to use them from any test package:

- ``tryton_demo_template`` (session): the cached template file, built once
  (about 30 s) into ``$PASSERELLE_TRYTON_CACHE`` or pytest's cache directory;
- ``tryton_demo`` (module): a fresh copy, as a :class:`TrytonTarget`;
- ``tryton_backoffice`` (module): a :class:`TrytonBackOffice` on that copy.

Why per module and not per test: a copy takes milliseconds but trytond loads
its pool once per database name, which costs about a second; tests in a
module use distinct keys and customers so they do not see each other.
"""

from __future__ import annotations

import itertools
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.connectors.tryton.database import TrytonTarget

__all__ = [
    "demo_cache_dir",
    "tryton_backoffice",
    "tryton_demo",
    "tryton_demo_template",
    "unique_database_name",
]

CACHE_ENV = "PASSERELLE_TRYTON_CACHE"
_counter = itertools.count(1)


def demo_cache_dir(config: pytest.Config) -> Path:
    """``$PASSERELLE_TRYTON_CACHE`` if set (CI can keep it), else pytest's cache.

    With pytest's cache disabled (``-p no:cacheprovider``) the template goes
    to the system's temporary directory, so it is still built once, not per
    run, and the work tree gets no stray files.
    """
    if env := os.environ.get(CACHE_ENV):
        return Path(env)
    cache = getattr(config, "cache", None)
    if cache is not None:
        return Path(cache.mkdir("tryton-demo"))
    return Path(tempfile.gettempdir()) / "passerelle-tryton-demo"


def unique_database_name(label: str) -> str:
    """A database name unique in this process (trytond keys its caches by name)."""
    slug = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[-40:]
    return f"t{os.getpid()}_{next(_counter)}_{slug}"


@pytest.fixture(scope="session")
def tryton_demo_template(request: pytest.FixtureRequest) -> Path:
    # The demo builder (and the demo data it reads) loads only when a test asks
    # for a Tryton database, not whenever a conftest imports these fixtures.
    from passerelle.connectors.tryton.demo import ensure_demo_template

    return ensure_demo_template(demo_cache_dir(request.config))


@pytest.fixture(scope="module")
def tryton_demo(
    request: pytest.FixtureRequest,
    tryton_demo_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[TrytonTarget]:
    from passerelle.connectors.tryton.demo import copy_demo_database

    directory = tmp_path_factory.mktemp("tryton")
    name = unique_database_name(request.module.__name__)
    yield copy_demo_database(tryton_demo_template.parent, directory, name)


@pytest.fixture(scope="module")
def tryton_backoffice(tryton_demo: TrytonTarget) -> TrytonBackOffice:
    return TrytonBackOffice.from_target(tryton_demo)
