"""A run's candidates share their field sets (equal sets are one object, the value is
kept), and a run reads each kind of binding once."""

from __future__ import annotations

import importlib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from sqlalchemy import event

from passerelle.flows.exporting import PRODUCT_KINDS, Candidate
from passerelle.runner import Runner
from passerelle.store import Store


def test_equal_field_sets_are_one_object_and_keep_their_value() -> None:
    names = [f"field_{n}" for n in range(40)]
    first = Candidate("1", "A", object(), "h", fields=frozenset(names))
    second = Candidate("2", "B", object(), "h", fields=frozenset(reversed(names)))
    other = Candidate("3", "C", object(), "h", fields=frozenset(names[:3]))
    assert first.fields is second.fields
    assert first.fields == frozenset(names)
    assert other.fields == frozenset(names[:3]) and other.fields is not first.fields
    assert Candidate("4", "D", object(), "h").fields is None


def test_the_shared_sets_stay_few() -> None:
    """However many distinct sets a process sees, it keeps a bounded number of them."""
    from passerelle.flows import exporting

    for n in range(1000):
        assert Candidate(str(n), "X", None, "h", fields=frozenset({f"f{n}"})).fields == {f"f{n}"}
    assert len(exporting._SHARED) <= 256


def test_a_product_export_reads_each_binding_kind_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing changed: the export reads the product and state bindings once each, not
    per step (planning, comparison, an empty second send), and still finds them all."""
    monkeypatch.syspath_prepend(str(Path(__file__).parents[1] / "benchmarks"))
    bench = importlib.import_module("local_overhead")
    office, shop = bench.backoffice(30), bench.InstantShop()
    with Store.open_data_dir(tmp_path) as store:
        runner = Runner(tmp_path, store=store, console=Console(quiet=True))
        profile = bench.profile()
        assert (
            runner.run(profile, "export-products", backoffice=office, shop=shop).counts["created"]
            == 30
        )
        reads: Counter[str] = Counter()
        digests: Counter[str] = Counter()

        def count(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
            # Statements that load binding rows; the delta read's one-row digest
            # (count(*) and maxima, see lean_bindings.bound_digest) loads none.
            loads_rows = "count(*)" not in statement.lower()
            if statement.lstrip().startswith("SELECT") and "FROM bindings" in statement:
                reads.update(p for p in params if p in PRODUCT_KINDS and loads_rows)
                digests.update(p for p in params if p in PRODUCT_KINDS and not loads_rows)

        event.listen(store.engine, "before_cursor_execute", count)
        again = runner.run(profile, "export-products", backoffice=office, shop=shop)
        event.remove(store.engine, "before_cursor_execute", count)
        assert again.counts["unchanged"] == 30 and again.counts["created"] == 0
        # The product bindings: once by the export, compared and sent with that one read
        # (the selection asks which items are in the shop only for an item it would leave
        # out: here every item is for the shop); the states once.
        assert reads == {"product": 1, "product_state": 1}
        # Whether another run bound or unbound products: one aggregate before the read
        # and one after the run, never the product bindings themselves.
        assert digests == {"product": 2}
