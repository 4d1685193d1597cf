"""What a unit of work has already looked up by key, so that each look-up is asked once.

Why: an order's unit asks Tryton for its sale by key when deciding what to do,
again before writing it and again in ``create_sale``; for its buyer by e-mail,
then by code before the upsert, in the upsert and when building the sale. All
of it runs in the unit's one transaction, where an answer changes only through
the unit's own writes, which are noted here as they are made: the first answer
stands for the later ones.

What is kept is record ids, not records: a record asked for again is read afresh
from the transaction (its fields as the unit's writes left them). The look-up
that makes a replay safe is still made, the first time, in the unit's
transaction; a replay is a new unit and keeps nothing of the undone one. Outside
a unit (one transaction per call) :data:`NO_LOOKUPS` keeps nothing: every call
asks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["NO_LOOKUPS", "Lookups"]


class Lookups:
    """Record ids found (or found missing, ``None``) by model and key, in one transaction."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, str], int | None] = {}

    def find(self, pool: Any, model: str, key: str, search: Callable[[], Any | None]) -> Any | None:
        """The record of ``model`` under ``key``: ``search()``'s answer, asked the first time."""
        if (model, key) in self._ids:
            known = self._ids[(model, key)]
            return None if known is None else pool.get(model)(known)
        record = search()
        self._ids[(model, key)] = None if record is None else int(record.id)
        return record

    def note(self, model: str, key: str, record: Any) -> None:
        """``record`` is now what ``key`` finds (the unit just wrote it, or found it so)."""
        self._ids[(model, key)] = int(record.id)


class _NoLookups(Lookups):
    """Outside a unit of work: every look-up asked, nothing kept."""

    def find(self, pool: Any, model: str, key: str, search: Callable[[], Any | None]) -> Any | None:
        return search()

    def note(self, model: str, key: str, record: Any) -> None:
        pass


NO_LOOKUPS: Lookups = _NoLookups()
