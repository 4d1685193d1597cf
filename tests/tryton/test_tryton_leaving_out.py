"""Item reads that leave fields out (connectors.base.LeavesOutFields).

Inside ``leaving_out(fields)`` every item is the one a full read gives but for
those fields, which are empty; outside (and in another thread, whose run did not
ask) they are read again.
"""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from passerelle.connectors.base import (
    DOCUMENTS,
    GROUP_PRICES,
    IMAGES,
    TRANSLATIONS,
    LeavesOutFields,
)
from passerelle.connectors.tryton import catalogue
from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.connectors.tryton.database import TrytonTarget
from passerelle.model import Item

_EVERY = (GROUP_PRICES, IMAGES, DOCUMENTS, TRANSLATIONS)


@pytest.mark.parametrize("batch", [None, 10])  # one batch, or many (tables read whole)
@pytest.mark.parametrize("fields", [*((f,) for f in _EVERY), _EVERY])
def test_items_read_without_fields_are_the_full_items_but_for_them(
    tryton_demo: TrytonTarget,
    fields: tuple[str, ...],
    batch: int | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if batch is not None:
        monkeypatch.setattr(catalogue, "BATCH_SIZE", batch)
    office = TrytonBackOffice.from_target(tryton_demo)
    assert isinstance(office, LeavesOutFields)
    full = office.list_items()
    for name in fields:  # the demo's items carry each of them
        assert sum(1 for i in full if getattr(i, name)) >= 2, name
    having = [i for i in full if any(getattr(i, name) for name in fields)]
    ids = [i.source_id for i in having[:4]]
    empty = dict.fromkeys(fields, ())
    elsewhere: list[list[Item]] = []
    with office.leaving_out(frozenset({*fields, "not a field"})):
        lean = office.list_items()
        window = office.list_items_where(ids=ids)
        reader = threading.Thread(target=lambda: elsewhere.append(office.list_items_where(ids=ids)))
        reader.start()
        reader.join()
    assert lean == [replace(i, **empty) for i in full]
    assert window == [replace(i, **empty) for i in full if i.source_id in ids]
    assert elsewhere == [[i for i in full if i.source_id in ids]]  # another run's read
    assert office.list_items() == full  # given back
