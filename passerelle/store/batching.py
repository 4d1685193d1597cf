"""Splitting id lists for ``IN (…)`` clauses.

A reset or a rejection may name thousands of records; one ``IN`` list per
:data:`CHUNK` ids keeps every statement under SQLite's and PostgreSQL's bound
parameter limits (32766 / 65535) with room to spare.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

__all__ = ["CHUNK", "chunks", "unique"]

CHUNK = 500

_T = TypeVar("_T")


def unique(ids: Iterable[str]) -> list[str]:
    """``ids`` without repeats, first occurrence order kept (so results are stable)."""
    return list(dict.fromkeys(ids))


def chunks(ids: list[_T], size: int = CHUNK) -> Iterator[list[_T]]:
    """Consecutive slices of at most ``size`` ids (none for an empty list)."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
