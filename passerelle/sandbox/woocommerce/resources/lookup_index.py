"""Indexes of the shop's products by SKU and by slug: a look-up without a scan.

Why: WooCommerce finds a SKU (``wc_get_product_id_by_sku``, the unique-SKU check
of every product write) with one SQL query on ``wc_product_meta_lookup.sku``, and
WordPress a free slug (``wp_unique_post_slug``) with one on ``wp_posts.post_name``,
both indexed columns. Walking every product and variation for each write made the
sandbox's own time per product grow with the catalogue: at 10,000 products a batch
of 100 creations spent about half a second on these walks. The answers are the
same: an index only narrows the records a look-up reads; each candidate is read
again as it stands (still in the shop, its value still the one asked, and whatever
else the caller checks).

The product service notes every record it stores (:meth:`FieldIndex.note`); a
collection that grew or shrank otherwise (products put in ``data`` by hand, a state
loaded from a file) is indexed again from scratch at the next look-up. A value
written into a stored record in place, bypassing the service, is not seen: nothing
in the sandbox does so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["FieldIndex"]

Records = dict[int, dict[str, Any]]
Record = dict[str, Any]


class FieldIndex:
    """A value of each record (``value_of``) → ids, per collection, first collection first."""

    def __init__(
        self, pools: Callable[[], Sequence[Records]], value_of: Callable[[Record], str]
    ) -> None:
        self._pools = pools
        self._value_of = value_of
        self._ids: list[dict[str, set[int]]] = []
        self._seen: tuple[int, ...] = ()

    @staticmethod
    def _shape(pools: Sequence[Records]) -> tuple[int, ...]:
        return tuple(n for pool in pools for n in (id(pool), len(pool)))

    def _current(self) -> Sequence[Records]:
        """The collections, indexed again if they changed other than through :meth:`note`."""
        pools = self._pools()
        if self._shape(pools) != self._seen:
            self._ids = [{} for _ in pools]
            for index, pool in zip(self._ids, pools, strict=True):
                for record_id, record in pool.items():
                    index.setdefault(self._value_of(record), set()).add(record_id)
            self._seen = self._shape(pools)
        return pools

    def note(self, record: Record, pool: int = 0) -> None:
        """``record`` was just stored (created, or written again) in collection ``pool``."""
        shape = self._shape(self._pools())
        created = list(self._seen)
        if created:
            created[2 * pool + 1] += 1
        if self._seen and shape in (self._seen, tuple(created)):
            self._ids[pool].setdefault(self._value_of(record), set()).add(record["id"])
            self._seen = shape
        else:  # changed otherwise too: indexed again at the next look-up
            self._seen = ()

    def find(self, value: str, keep: Callable[[Record], bool]) -> Record | None:
        """The first record whose value is ``value`` (first collection first, lowest id
        first) that ``keep`` accepts, read as it stands."""
        pools = self._current()  # first: it may index again, replacing the index
        for index, pool in zip(self._ids, pools, strict=True):
            for record_id in sorted(index.get(value, ())):
                record = pool.get(record_id)
                if record is not None and self._value_of(record) == value and keep(record):
                    return record
        return None
