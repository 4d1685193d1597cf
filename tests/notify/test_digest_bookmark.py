"""The digest's bookmark: every problem e-mailed once, none skipped at the edge."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from passerelle.notify.digest import OVERLAP, DigestBookmark
from passerelle.store.bookmark_value import BookmarkValue
from passerelle.store.records import ParkedRecord, Severity

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def problem(id_: int, minutes: float) -> ParkedRecord:
    seen = T0 + timedelta(minutes=minutes)
    return ParkedRecord(
        id_,
        "shop",
        "export-products",
        f"item-{id_}",
        "no tax class",
        Severity.ERROR,
        seen,
        seen,
        1,
        None,
    )


def test_the_first_digest_takes_every_open_problem() -> None:
    first = DigestBookmark.parse(None)
    open_problems = [problem(1, -600), problem(2, 0)]
    window = first.window(open_problems)
    assert first.new(window) == open_problems


def test_what_was_sent_is_not_sent_again_and_what_is_new_is() -> None:
    sent_once = [problem(1, 0), problem(2, 1)]
    bookmark = DigestBookmark.parse(DigestBookmark().after(sent_once, sent_once).value().encode())
    assert bookmark.until == T0 + timedelta(minutes=1)
    later = [*sent_once, problem(3, 30)]
    window = bookmark.window(later)
    assert [p.id for p in bookmark.new(window)] == [3]


def test_a_problem_committed_late_inside_the_overlap_is_still_sent() -> None:
    """Problem 5 took its timestamp before the last digest's newest problem but was not
    yet visible when that digest read the store: a plain "after the bookmark" misses it."""
    sent = [problem(4, 10)]
    bookmark = DigestBookmark().after(sent, sent)
    late = problem(5, 9)
    window = bookmark.window([*sent, late])
    assert [p.id for p in bookmark.new(window)] == [5]


def test_problems_older_than_the_overlap_are_not_looked_at_again() -> None:
    sent = [problem(6, 60)]
    bookmark = DigestBookmark().after(sent, sent)
    stale = problem(7, 60 - OVERLAP.total_seconds() / 60 - 1)  # e-mailed by an older digest
    assert bookmark.window([stale, *sent]) == [sent[0]]


def test_the_remembered_ids_are_only_those_near_the_edge() -> None:
    early, edge = problem(8, 0), problem(9, 120)
    bookmark = DigestBookmark().after([early, edge], [early, edge])
    assert bookmark.sent == {9}  # 8 is far behind the bookmark: its date alone keeps it out
    nothing = DigestBookmark().after([], [])
    assert nothing == DigestBookmark()


def test_the_bookmark_is_stored_as_every_date_bookmark_is() -> None:
    sent = [problem(10, 0), problem(11, 5)]
    value = DigestBookmark().after(sent, sent).value()
    assert value == BookmarkValue(T0 + timedelta(minutes=5), handled=frozenset({"10", "11"}))
    assert json.loads(value.encode()) == {
        "at": "2025-03-01T12:05:00+00:00",
        "handled": ["10", "11"],
    }
    with pytest.raises(ValueError, match="no digest was sent"):
        DigestBookmark().value()


def test_a_bookmark_stored_by_an_earlier_version_still_reads() -> None:
    """Installations hold the digest's own JSON of earlier versions: it means the same."""
    old = '{"until": "2025-03-01T12:05:00+00:00", "sent": [10, 11]}'
    bookmark = DigestBookmark.parse(old)
    assert bookmark == DigestBookmark(T0 + timedelta(minutes=5), frozenset({10, 11}))
    window = bookmark.window([problem(10, 0), problem(11, 5), problem(12, 6)])
    assert [p.id for p in bookmark.new(window)] == [12]
    # A digest never sent stored nothing, but such a value reads as "every problem is new".
    assert DigestBookmark.parse('{"until": null, "sent": []}') == DigestBookmark()
