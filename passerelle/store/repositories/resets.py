"""Resets: making records transferable again, and the generation count that proves it.

The statements live in :mod:`passerelle.store.generations` and
:mod:`passerelle.store.reset`, as functions on a session; this repository
checks arguments and owns the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from passerelle.store import generations, reset
from passerelle.store.batching import unique
from passerelle.store.checks import check_id, check_name
from passerelle.store.transactions import Repository

__all__ = ["ResetRepository"]


class ResetRepository(Repository):
    """Reads and writes of ``record_generations``, and the reset across tables."""

    def generation(self, profile: str, kind: str, record_key: str) -> int:
        """How many times this record was reset (O18); 0 if never.

        Flows can fold it into the key they leave on the other side, so a
        reset record is imported again rather than found under its old key.
        """
        with self._tx.session() as s:
            return generations.generation(s, profile, kind, record_key)

    def generations(self, profile: str, kind: str) -> dict[str, int]:
        """Generations of a kind in one query, for a run; absent keys are 0."""
        with self._tx.session() as s:
            return generations.generations(s, profile, kind)

    def bump_generation(
        self, profile: str, kind: str, record_keys: Iterable[str]
    ) -> dict[str, int]:
        """Add one to the generation of each key; returns the new values by key.

        Prefer :meth:`reset_records`, which also forgets bindings, staged rows
        and parked entries in the same transaction.
        """
        check_name("profile", profile)
        check_name("kind", kind)
        keys = unique(record_keys)
        for key in keys:
            check_id("record_key", key)
        with self._tx.session(write=True) as s:
            return generations.bump(s, self._tx.insert, profile, kind, keys, self._tx.now())

    def reset_records(
        self, profile: str, kind: str, flow: str, record_keys: Iterable[str] | None
    ) -> list[str]:
        """O18: make records transferable again, in one transaction; returns their keys.

        For each key: delete its binding (``kind``), its staged row and its
        parked entries, resolved ones included (``flow``), and bump its
        generation (``kind``). ``None`` means every key bound for
        ``(profile, kind)`` plus every key staged (any state) or parked in
        ``flow``, returned sorted; given keys come back deduplicated in
        order, all bumped even if the store held nothing else about them.
        Bookmarks are not moved: the caller decides how far back to read.
        """
        check_name("profile", profile)
        check_name("kind", kind)
        check_name("flow", flow)
        keys = None if record_keys is None else unique(record_keys)
        for key in keys or ():
            check_id("record_key", key)
        with self._tx.session(write=True) as s:
            return reset.reset_records(
                s,
                self._tx.insert,
                profile=profile,
                kind=kind,
                flow=flow,
                record_keys=keys,
                now=self._tx.now(),
            )
