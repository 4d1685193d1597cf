"""Item reads that leave the group prices out (connectors.base.LeavesOutFields).

Inside ``leaving_out({"group_prices"})`` every item is the one a full read gives
but for its group prices, which are empty; outside (and in another thread,
whose run did not ask) they are read again.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from passerelle.connectors.base import GROUP_PRICES, LeavesOutFields
from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.connectors.tryton.database import TrytonTarget
from passerelle.model import Item


def test_items_read_without_group_prices_are_the_full_items_but_for_them(
    tryton_demo: TrytonTarget,
) -> None:
    office = TrytonBackOffice.from_target(tryton_demo)
    assert isinstance(office, LeavesOutFields)
    full = office.list_items()
    priced = [i for i in full if i.group_prices]
    assert len(priced) > 5  # the demo's price lists price most items
    ids = [i.source_id for i in priced[:4]]
    elsewhere: list[list[Item]] = []
    with office.leaving_out(frozenset({GROUP_PRICES, "not a field"})):
        lean = office.list_items()
        window = office.list_items_where(ids=ids)
        reader = threading.Thread(target=lambda: elsewhere.append(office.list_items_where(ids=ids)))
        reader.start()
        reader.join()
    assert lean == [replace(i, group_prices=()) for i in full]
    assert window == [replace(i, group_prices=()) for i in full if i.source_id in ids]
    assert elsewhere == [[i for i in full if i.source_id in ids]]  # another run's read
    assert office.list_items() == full  # given back
