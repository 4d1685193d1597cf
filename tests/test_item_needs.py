"""A run leaves out of the back-office's reads the item fields it does not use.

A stock run never looks at group prices, images, documents or the other
languages' texts; a price run looks at the group prices only when the profile
sends them or takes its promotion price from a price list; a product run looks
at each only when the profile sends it. The back-office hears it for the length
of the run: every item read inside the run happens while the fields are left
out, and none after it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from passerelle.connectors import base
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.model import Item
from passerelle.profiles.schema import Profile
from passerelle.runner import Runner
from passerelle.store import Store
from tests.test_export_windows import RecordingShop, catalogue, profile


class _Noting(MemoryBackOffice):
    """The memory back-office, noting what was left out at each item read."""

    def __init__(self) -> None:
        office = catalogue()
        super().__init__(
            taxes=office.taxes, categories=office.categories, items=office.items, stock=office.stock
        )
        self.left_out: frozenset[str] = frozenset()
        self.reads: list[frozenset[str]] = []

    @contextmanager
    def leaving_out(self, fields: frozenset[str]) -> Iterator[None]:
        before, self.left_out = self.left_out, self.left_out | fields
        try:
            yield
        finally:
            self.left_out = before

    def list_items(self, modified_since: datetime | None = None) -> Sequence[Item]:
        self.reads.append(self.left_out)
        return super().list_items(modified_since)

    def list_items_where(
        self, *, ids: base.Keys = (), codes: base.Keys = (), templates: base.Keys = ()
    ) -> list[Item]:
        self.reads.append(self.left_out)
        return super().list_items_where(ids=ids, codes=codes, templates=templates)


def _with(catalogue: dict[str, Any]) -> Profile:
    data = profile().model_dump(mode="json", exclude_unset=True)
    data["catalogue"].update(catalogue)
    return Profile.model_validate(data)


_ALL = {"group_prices", "images", "documents", "translations"}
_FILES = {"publish_dir": "/srv/files", "public_url": "https://files.example/"}


@pytest.mark.parametrize(
    ("catalogue", "by_export", "by_prices"),
    [
        ({}, _ALL, _ALL),
        ({"prices": {"group_prices": True}}, _ALL - {"group_prices"}, _ALL - {"group_prices"}),
        (
            {"prices": {"promotion_price_list": "Sales"}},
            _ALL - {"group_prices"},
            _ALL - {"group_prices"},
        ),
        ({"media": _FILES}, _ALL - {"images"}, _ALL),
        ({"media": {**_FILES, "item_images": False}}, _ALL, _ALL),
        (
            {"media": {**_FILES, "document_extensions": ["pdf"]}},
            _ALL - {"images", "documents"},
            _ALL,
        ),
        ({"languages": {"en": "en", "fr": "fr"}}, _ALL - {"translations"}, _ALL),
        ({"languages": {"en": "en", "fr": "fr"}, "all_languages": False}, _ALL, _ALL),
    ],
)
def test_each_run_reads_without_what_it_does_not_use(
    tmp_path: Path, catalogue: dict[str, Any], by_export: set[str], by_prices: set[str]
) -> None:
    office = _Noting()
    assert isinstance(office, base.LeavesOutFields)
    bench = _with(catalogue)
    seen: dict[str, set[frozenset[str]]] = {}
    with Store.open_data_dir(tmp_path) as store:
        runner = Runner(tmp_path, store=store, console=Console(quiet=True))
        for flow in ("export-products", "update-prices", "update-stock"):
            office.reads.clear()
            summary = runner.run(bench, flow, backoffice=office, shop=RecordingShop())
            assert summary.counts["failed"] == 0, (flow, summary.counts)
            assert office.reads, flow
            seen[flow] = set(office.reads)
            assert office.left_out == frozenset()  # given back at the run's end
    assert seen["export-products"] == {frozenset(by_export)}
    assert seen["update-prices"] == {frozenset(by_prices)}
    assert seen["update-stock"] == {frozenset(_ALL)}
