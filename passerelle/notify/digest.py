"""Which parked problems are new since the last digest: a bookmark that never skips one.

A problem is new when it was *first seen* after the last digest. A plain
"first seen after T" bookmark could skip a problem whose transaction took
its timestamp just before T but committed just after the digest read
(DESIGN.md: "let consecutive polling windows overlap"). So the window
reaches :data:`OVERLAP` back before the bookmark, and the bookmark also
keeps the ids already e-mailed inside that overlap, which are dropped. It is
stored as every date bookmark is, a
:class:`~passerelle.store.bookmark_value.BookmarkValue` (its ``handled`` ids
are the ones e-mailed), which also reads the digest's own JSON of earlier
versions.

The bookmark moves only once the mail server accepted the digest: a digest
that failed leaves its problems new for the next try.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from passerelle.store.bookmark_value import BookmarkValue
from passerelle.store.records import ParkedRecord

__all__ = ["OVERLAP", "DigestBookmark"]

#: How far before the bookmark each digest looks again.
OVERLAP = timedelta(minutes=10)


@dataclass(frozen=True)
class DigestBookmark:
    """Problems first seen up to ``until`` were e-mailed; ``sent`` the ids near that edge."""

    until: datetime | None = None
    sent: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def parse(cls, value: str | None) -> DigestBookmark:
        """The stored text (``None``, or text that is no date bookmark: never a digest,
        every open problem is new)."""
        stored = BookmarkValue.decode(value) if value else None
        if stored is None:
            return cls()
        return cls(stored.at, frozenset(int(i) for i in stored.handled if i.isdecimal()))

    def value(self) -> BookmarkValue:
        """What the store keeps; only once a digest was sent, which sets ``until``."""
        if self.until is None:
            raise ValueError(  # internal: called only after a digest was sent
                "no digest was sent: there is no bookmark to store"
            )
        return BookmarkValue(self.until, handled=frozenset(str(i) for i in self.sent))

    def window(self, open_problems: Iterable[ParkedRecord]) -> list[ParkedRecord]:
        """The problems the next digest looks at (its new ones and the overlap's)."""
        if self.until is None:
            return list(open_problems)
        start = self.until - OVERLAP
        return [p for p in open_problems if p.first_seen > start]

    def new(self, window: Sequence[ParkedRecord]) -> list[ParkedRecord]:
        """What a digest must e-mail: the window less what an earlier one sent."""
        return [p for p in window if p.id not in self.sent]

    def after(self, window: Sequence[ParkedRecord], sent: Sequence[ParkedRecord]) -> DigestBookmark:
        """The bookmark once ``sent`` is accepted by the mail server."""
        newest = max((p.first_seen for p in sent), default=self.until)
        if self.until is not None and newest is not None:
            newest = max(newest, self.until)
        if newest is None:
            return self
        edge = newest - OVERLAP
        near = {p.id for p in [*window, *sent] if p.first_seen > edge}
        return DigestBookmark(newest, frozenset(near))
