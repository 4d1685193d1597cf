"""Two rules every Magento batch follows, whatever the record.

- ``in`` filters go by chunks: at most a page of values, and at most 2,000
  characters of them, so a search URL stays well under the 8 KB web servers take;
- one record's refusal (a ``RecordError``) is that record's outcome, not the end of
  the batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from passerelle.connectors.base import WriteOutcome
from passerelle.connectors.errors import RecordError
from passerelle.connectors.magento.client import PAGE_SIZE
from passerelle.i18n.messages import said

__all__ = ["FILTER_CHARS", "guard", "in_chunks"]

FILTER_CHARS = 2000  # an ``in`` filter's values per search: the URL stays well under 8 KB


def in_chunks(values: list[str]) -> Iterator[list[str]]:
    """``in``-filter groups: at most a page of values, at most ``FILTER_CHARS`` long."""
    chunk: list[str] = []
    length = 0
    for value in values:
        if chunk and (len(chunk) == PAGE_SIZE or length + len(value) + 1 > FILTER_CHARS):
            yield chunk
            chunk, length = [], 0
        chunk.append(value)
        length += len(value) + 1
    if chunk:
        yield chunk


def guard(key: str, write: Callable[[], WriteOutcome]) -> WriteOutcome:
    """One record's refusal is its outcome, not the batch's end."""
    try:
        return write()
    except RecordError as exc:
        return WriteOutcome(key, error=said(exc))
