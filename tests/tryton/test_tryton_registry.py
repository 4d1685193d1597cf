"""Databases with the same modules share one trytond model registry, and nothing else.

Each database opened in a process used to build trytond's model classes again
(about a second each). Copies of one demo now share the first one's classes;
what each database holds, and trytond's caches of it, stay its own.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.connectors.tryton.database import TrytonTarget, session
from passerelle.connectors.tryton.demo import copy_demo_database
from passerelle.connectors.tryton.testing import tryton_demo_template, unique_database_name

__all__ = ["tryton_demo_template"]  # the fixture, used below


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The databases whose registry trytond builds (``Pool.init``) from now on."""
    from trytond.pool import Pool

    built: list[str] = []
    init = Pool.init

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        built.append(self.database_name)
        return init(self, *args, **kwargs)

    monkeypatch.setattr(Pool, "init", counted)
    return built


def _copy(template: Path, tmp_path: Path, label: str) -> TrytonTarget:
    return copy_demo_database(template.parent, tmp_path, unique_database_name(label))


def _name(target: TrytonTarget, code: str) -> str:
    from trytond.pool import Pool

    with session(target, readonly=True):
        (product,) = Pool().get("product.product").search([("code", "=", code)])
        return str(product.name)


def _rename(target: TrytonTarget, code: str, name: str) -> None:
    from trytond.pool import Pool

    with session(target):
        (product,) = Pool().get("product.product").search([("code", "=", code)])
        product.template.name = name
        product.template.save()


def test_copies_of_one_database_share_its_classes_and_keep_their_own_records(
    tryton_demo_template: Path, tmp_path: Path, builds: list[str]
) -> None:
    from trytond.pool import Pool

    first = _copy(tryton_demo_template, tmp_path, "first")
    second = _copy(tryton_demo_template, tmp_path, "second")
    before = _name(first, "POT-001")
    assert _name(second, "POT-001") == before
    assert second.database not in builds
    assert Pool(second.database).get("product.product") is Pool(first.database).get(
        "product.product"
    )

    _rename(second, "POT-001", "Renamed in the second copy only")
    assert _name(second, "POT-001") == "Renamed in the second copy only"
    assert _name(first, "POT-001") == before  # neither its record nor a cache of it moved
    items = {i.code: i for i in TrytonBackOffice.from_target(first).list_items()}
    assert items["POT-001"].name == before
    renamed = {i.code: i for i in TrytonBackOffice.from_target(second).list_items()}
    assert renamed["POT-001"].name == "Renamed in the second copy only"


def test_a_database_with_a_module_still_to_upgrade_builds_its_own(
    tryton_demo_template: Path, tmp_path: Path, builds: list[str]
) -> None:
    from trytond.pool import Pool

    first = _copy(tryton_demo_template, tmp_path, "settled")
    _name(first, "POT-001")
    pending = _copy(tryton_demo_template, tmp_path, "pending")
    assert pending.sqlite_file is not None
    with sqlite3.connect(pending.sqlite_file) as conn:
        conn.execute("UPDATE ir_module SET state = 'to upgrade' WHERE name = 'sale'")
    conn.close()
    _name(pending, "POT-001")
    assert pending.database in builds
    assert Pool(pending.database).get("product.product") is not Pool(first.database).get(
        "product.product"
    )
