"""Bookmarks: how far each flow of each profile has read (a date or a cursor).

A date bookmark is a :class:`~passerelle.store.bookmark_value.BookmarkValue`, stored in
its one text encoding (the error digest's too); any other bookmark (a cursor) is text kept as
given.
"""

from __future__ import annotations

from sqlalchemy import select

from passerelle.store.bookmark_value import BookmarkValue
from passerelle.store.checks import check_name
from passerelle.store.models import BookmarkRow
from passerelle.store.records import Bookmark
from passerelle.store.transactions import Repository

__all__ = ["BookmarkRepository"]


class BookmarkRepository(Repository):
    """Reads and writes of the ``bookmarks`` table."""

    def get_bookmark(self, profile: str, flow: str) -> Bookmark | None:
        """A flow's bookmark, or ``None`` before its first completed read."""
        with self._tx.session() as s:
            row = s.get(BookmarkRow, (profile, flow))
            return _bookmark(row) if row else None

    def clear_bookmark(self, profile: str, flow: str) -> bool:
        """Forget a flow's bookmark (its next run reads everything); False if it had none."""
        check_name("profile", profile)
        check_name("flow", flow)
        with self._tx.session(write=True) as s:
            row = s.get(BookmarkRow, (profile, flow))
            if row is None:
                return False
            s.delete(row)
            return True

    def set_bookmark(self, profile: str, flow: str, value: str | BookmarkValue) -> Bookmark:
        """Move a flow's bookmark (a date bookmark, stored encoded, or a cursor as text).

        **Rule:** call this only *after* the records the bookmark covers are
        committed (bound, imported). Saving it when a run starts, or before
        the writes, means an interrupted run leaves records that are never
        fetched again. Polling windows should overlap the previous bookmark a
        little; bindings drop what was already handled.
        """
        check_name("profile", profile)
        check_name("flow", flow)
        if isinstance(value, BookmarkValue):
            value = value.encode()
        if not isinstance(value, str):
            raise TypeError(  # internal: the store API misused (a bug)
                f"bookmark value must be a string, got {type(value).__name__}"
            )
        now = self._tx.now()
        with self._tx.session(write=True) as s:
            stmt = self._tx.insert(BookmarkRow).values(
                profile=profile, flow=flow, value=value, updated_at=now
            )
            s.execute(
                stmt.on_conflict_do_update(
                    index_elements=["profile", "flow"],
                    set_={"value": stmt.excluded.value, "updated_at": stmt.excluded.updated_at},
                )
            )
        return Bookmark(profile=profile, flow=flow, value=value, updated_at=now)

    def bookmarks(self, profile: str) -> dict[str, Bookmark]:
        """All bookmarks of a profile, keyed by flow."""
        with self._tx.session() as s:
            rows = s.scalars(select(BookmarkRow).where(BookmarkRow.profile == profile))
            return {row.flow: _bookmark(row) for row in rows}


def _bookmark(row: BookmarkRow) -> Bookmark:
    return Bookmark(profile=row.profile, flow=row.flow, value=row.value, updated_at=row.updated_at)
