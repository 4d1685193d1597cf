"""A catalogue taken a window of items at a time, so a run holds a bounded share of it.

Why: 1,000,000 items are about 2 GB of :class:`~passerelle.model.Item` records,
and a product export or a stock update needs only a few of them at once. A run
goes over what it read twice:

1. a first pass (:meth:`ItemWindows.scan`) keeps compact facts per item: its
   id, code and family, what the rules over the whole catalogue need (unique
   references, variable products built from whole families, the items a pack
   or a related product names);
2. then the run takes the catalogue a window of whole families at a time
   (:func:`windows`), reads that window's items again (:meth:`ItemWindows.fetch`)
   and maps, compares and sends them.

The second read is from the spool the first pass wrote (:mod:`.item_spool`) when
the catalogue is larger than :data:`KEEP` items and comes from a back-office that
can read items by id (:class:`~passerelle.connectors.base.ReadsChanges`); if the
disk refuses the spool, from the back-office again, by id. A catalogue of at most
:data:`KEEP` items, a delta read (a handful of items, in memory already) and a
back-office that cannot read by id (the file back-office: a small catalogue) are
kept from the first pass and read once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import TypeVar

from passerelle.connectors.base import BackOffice, ReadsChanges
from passerelle.flows.item_spool import ItemSpool, SpoolRefused
from passerelle.model import Item

__all__ = ["KEEP", "WINDOW", "ItemWindows", "chunks", "window_size", "windows"]

#: Items mapped and sent together: whole families, so a window may hold more.
WINDOW = 1000
#: A catalogue of at most this many items is kept from the first pass, not read again.
KEEP = 20_000

T = TypeVar("T")


def window_size(batch: int) -> int:
    """:data:`WINDOW` rounded up to whole batches of ``batch`` records (what the shop
    takes in one request): a window never splits a batch the shop could take whole."""
    batch = max(batch, 1)
    return -(-WINDOW // batch) * batch


def chunks(values: Iterable[T], size: int | None = None) -> Iterator[list[T]]:
    """``values`` in lists of ``size`` (:data:`WINDOW` when not given), lazily."""
    size = size or WINDOW
    it = iter(values)
    while chunk := list(islice(it, size)):
        yield chunk


class ItemWindows:
    r"""Where a run's items come from: the first pass over what was read, then from the
    spool (or by id). The run :meth:`close`\ s it."""

    def __init__(self, backoffice: BackOffice, full: bool) -> None:
        self._backoffice = backoffice
        # A full read from a back-office that can read by id is spooled once it is
        # larger than KEEP (read again by id if the spool is refused); anything else
        # is kept from the first pass.
        self._reread = full and isinstance(backoffice, ReadsChanges)
        self._kept: dict[str, Item] | None = {}
        self._spool: ItemSpool | None = None

    def scan(self, items: Iterable[Item]) -> Iterator[Item]:
        """The first pass: each item once, kept while the catalogue is small, then spooled."""
        for item in items:
            if self._kept is not None:
                self._kept[item.source_id] = item
                if self._reread and len(self._kept) > KEEP:
                    kept, self._kept = self._kept, None  # large: each window read again
                    self._spool_all(kept.values())
            elif self._spool is not None:
                self._spool_all((item,))
            yield item

    def fetch(self, ids: Sequence[str]) -> list[Item]:
        """The items of ``ids``, in that order; one the back-office no longer has is left out."""
        if self._kept is not None:
            kept = self._kept
            return [kept[key] for key in ids if key in kept]
        if self._spool is not None:
            try:
                return self._spool.get(ids)
            except SpoolRefused:
                self._spool = None  # closed: read by id from now on
        backoffice = self._backoffice
        assert isinstance(backoffice, ReadsChanges)  # see __init__
        by_id = {i.source_id: i for i in backoffice.list_items_where(ids=ids)}
        return [by_id[key] for key in ids if key in by_id]

    def close(self) -> None:
        """The spool's file removed (the run is over: its windows were read)."""
        if self._spool is not None:
            self._spool.close()
            self._spool = None

    def _spool_all(self, items: Iterable[Item]) -> None:
        """``items`` into the spool, opened the first time; a refusal ends the spool."""
        try:
            if self._spool is None:
                self._spool = ItemSpool()
            for item in items:
                self._spool.add(item)
        except SpoolRefused:
            self._spool = None  # the windows are read by id


def windows(
    ids: Iterable[str], family_of: Mapping[str, str], size: int | None = None
) -> Iterator[list[str]]:
    """``ids`` in windows of about ``size`` (:data:`WINDOW`) ids, each family whole.

    ``family_of`` gives the family of the ids that have one (a variable product
    is built from all its items at once); a family comes in the window of its
    first member, with every member of ``ids`` in it, in their order.
    """
    size = size or WINDOW
    members: dict[str, list[str]] = {}
    order: list[str] = []  # each single id, and each family's first id
    for key in ids:
        family = family_of.get(key)
        if family is None:
            order.append(key)
        elif family in members:
            members[family].append(key)
        else:
            members[family] = [key]
            order.append(key)
    window: list[str] = []
    for key in order:
        family = family_of.get(key)
        window += [key] if family is None else members[family]
        if len(window) >= size:
            yield window
            window = []
    if window:
        yield window
