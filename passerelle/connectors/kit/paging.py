"""The ways the shop platforms split a list into pages, each walked by one paginator.

A paginator knows only the paging: which query parameters ask for the next
page and when the walk is over. The platform's client gives it ``fetch``, which
sends one request with those parameters (merged into its own filters) and
reads the answer into a :class:`Page`: the rows, and whatever the platform
tells of what is left (a page count, a total count, a cursor). So every
platform asks exactly the pages it asked before, no request more or less:

- :class:`PageNumbers`: ``page`` and a page size, the page count from the
  answer (WooCommerce's ``X-WP-TotalPages`` header, BigCommerce v3's
  ``meta.pagination.total_pages``), else a short page ends it (BigCommerce v2).
- :class:`OffsetLimit`: an offset and a count (PrestaShop's ``limit=offset,count``),
  until a short page.
- :class:`Cursors`: an opaque cursor to the next page (Shopify GraphQL
  ``pageInfo { hasNextPage endCursor }``).
- :class:`SearchCriteria`: Magento's ``searchCriteria[currentPage]`` and
  ``[pageSize]``, until the pages ``total_count`` makes.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from passerelle.connectors.errors import RetriableError
from passerelle.i18n.messages import M_

__all__ = ["Cursors", "OffsetLimit", "Page", "PageNumbers", "Paginator", "SearchCriteria"]

T = TypeVar("T")
Query = dict[str, Any]


@dataclass(frozen=True)
class Page(Generic[T]):
    """One answer of a list: its rows and what it tells of the pages left.

    ``total_pages`` (page numbers) and ``total_count`` (searchCriteria) are None when
    the answer does not say; ``has_next`` and ``next_cursor`` are the cursor style's.
    """

    rows: Sequence[T]
    total_pages: int | None = None
    total_count: int | None = None
    has_next: bool = False
    next_cursor: str | None = None


Fetch = Callable[[Query], Page[T]]


class Paginator(ABC):
    """Walks a list page by page through ``fetch``."""

    @abstractmethod
    def pages(self, fetch: Fetch[T]) -> Iterator[Sequence[T]]:
        """The rows of every page, one request per page, in the platform's order."""

    def items(self, fetch: Fetch[T]) -> Iterator[T]:
        """Every row of every page."""
        for rows in self.pages(fetch):
            yield from rows


@dataclass(frozen=True)
class PageNumbers(Paginator):
    """``page=1, 2, …`` with ``size`` rows a page.

    The walk ends on an empty page; else, when the answer tells the page count, at
    the last page (re-read from every answer, so a count that grows is followed);
    when it does not, at the first short page.
    """

    size: int
    page_param: str = "page"
    size_param: str = "per_page"

    def pages(self, fetch: Fetch[T]) -> Iterator[Sequence[T]]:
        page = 1
        while True:
            got = fetch({self.page_param: page, self.size_param: self.size})
            yield got.rows
            if not got.rows:
                return
            if got.total_pages is not None:
                if page >= got.total_pages:
                    return
            elif len(got.rows) < self.size:
                return
            page += 1


def _offset_and_limit(offset: int, size: int) -> Query:
    return {"offset": offset, "limit": size}


@dataclass(frozen=True)
class OffsetLimit(Paginator):
    """Rows ``offset`` to ``offset + size``, until a page comes back short.

    ``query`` writes the two numbers the platform's way (PrestaShop wants them in
    one parameter, ``limit=<offset>,<count>``).
    """

    size: int
    query: Callable[[int, int], Query] = _offset_and_limit

    def pages(self, fetch: Fetch[T]) -> Iterator[Sequence[T]]:
        offset = 0
        while True:
            got = fetch(self.query(offset, self.size))
            yield got.rows
            if len(got.rows) < self.size:
                return
            offset += self.size


@dataclass(frozen=True)
class Cursors(Paginator):
    """First page without a cursor, then each next one from the cursor the last gave,
    while the answer says there is a next page."""

    cursor_param: str = "after"

    def pages(self, fetch: Fetch[T]) -> Iterator[Sequence[T]]:
        cursor: str | None = None
        while True:
            got = fetch({self.cursor_param: cursor})
            yield got.rows
            if not got.has_next:
                return
            if not got.next_cursor:
                # Asking again without a cursor would read the first page for ever.
                raise RetriableError(
                    M_(
                        "the shop's answer says more pages follow but gives no cursor to ask "
                        "for the next one; the list is read again at the next run"
                    )
                )
            cursor = got.next_cursor


@dataclass(frozen=True)
class SearchCriteria(Paginator):
    """Magento's ``searchCriteria`` pages: ``currentPage`` 1, 2, … of ``pageSize``
    items, as many as the answer's ``total_count`` makes (at least the first)."""

    size: int

    def pages(self, fetch: Fetch[T]) -> Iterator[Sequence[T]]:
        page, pages = 1, 1
        while page <= pages:
            got = fetch(
                {"searchCriteria[pageSize]": self.size, "searchCriteria[currentPage]": page}
            )
            yield got.rows
            pages = math.ceil((got.total_count or 0) / self.size)
            page += 1
