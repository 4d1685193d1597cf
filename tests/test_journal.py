"""The journal: numbered lines on screen, in the log file and in the store; heartbeats."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from passerelle.journal import Journal, _second
from passerelle.store import Store


def test_lines_reach_screen_file_and_store_with_their_position(tmp_path: Path) -> None:
    store = Store.open_data_dir(tmp_path)
    run_id = store.start_run("p", "export-products")
    screen = io.StringIO()
    journal = Journal(
        run_id=run_id,
        flow="export-products",
        sink=store,
        log_path=tmp_path / "run.log",
        console=Console(file=screen, width=200),
    )
    journal.record("created", "AR0003", "created (shop id 7)", position=3, total=20)
    journal.record("parked", "AR0004", "no tax class", position=4, total=20)
    journal.count("unchanged", 18)
    journal.close()
    assert "3/20 - AR0003: created (shop id 7)" in screen.getvalue()
    log = (tmp_path / "run.log").read_text()
    assert "SUCCESS 3/20 - AR0003: created (shop id 7)" in log
    assert "WARNING 4/20 - AR0004: no tax class" in log
    assert [line.text for line in store.journal(run_id)] == [
        "3/20 - AR0003: created (shop id 7)",
        "4/20 - AR0004: no tax class",
    ]
    assert journal.counts["created"] == 1 and journal.counts["unchanged"] == 18
    store.close()


def test_a_quiet_run_still_beats(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    beats: list[int] = []

    class Sink:
        def add_journal_many(self, run_id: int, entries: list) -> int:  # noqa: ARG002
            return 0

        def heartbeat(self, run_id: int) -> None:
            beats.append(run_id)

    clock = iter([0.0, 10.0, 31.0, 40.0, 62.0])
    monkeypatch.setattr("passerelle.journal.time.monotonic", lambda: next(clock))
    journal = Journal(run_id=5, flow="f", sink=Sink(), log_path=None, console=Console(quiet=True))
    for _ in range(4):
        journal.count("unchanged")
    assert beats == [5, 5]


def test_lines_reach_the_file_and_the_store_together_a_flush_at_a_time(tmp_path: Path) -> None:
    """Written in batches, never more than one flush's worth behind, file and store alike."""
    store = Store.open_data_dir(tmp_path)
    run_id = store.start_run("p", "update-stock")
    log_path = tmp_path / "run.log"
    journal = Journal(
        run_id=run_id,
        flow="update-stock",
        sink=store,
        log_path=log_path,
        console=Console(quiet=True),
    )
    for n in range(Journal.FLUSH_EVERY + 2):
        journal.record("updated", f"AR{n:04d}", "updated (shop id 7)", position=n + 1, total=999)
    # The first FLUSH_EVERY lines are written on their own; the last two wait.
    written = log_path.read_text().splitlines()
    assert len(written) == Journal.FLUSH_EVERY == len(store.journal(run_id))
    assert written[0].endswith("SUCCESS 1/999 - AR0000: updated (shop id 7)")
    # A line of the run itself reaches the file at once, after the record lines before it.
    journal.warning("the shop is slow")
    written = log_path.read_text().splitlines()
    assert len(written) == Journal.FLUSH_EVERY + 3
    assert written[-2].endswith(f"AR{Journal.FLUSH_EVERY + 1:04d}: updated (shop id 7)")
    assert written[-1].endswith("WARNING the shop is slow")
    journal.flush()  # a flow's flush, or the run's end, writes the rest to the store
    assert len(log_path.read_text().splitlines()) == Journal.FLUSH_EVERY + 3  # none twice
    assert [line.text for line in store.journal(run_id)][-2:] == [
        f"{Journal.FLUSH_EVERY + 2}/999 - AR{Journal.FLUSH_EVERY + 1:04d}: updated (shop id 7)",
        "the shop is slow",
    ]
    journal.close()
    store.close()


@given(
    st.lists(
        st.datetimes(
            min_value=datetime(1960, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
        )
        | st.datetimes(
            max_value=datetime(2100, 1, 1),
            timezones=st.sampled_from([timezone(timedelta(hours=2)), None]),
        ),
        max_size=20,
    )
)
def test_a_log_line_s_time_is_its_second_whatever_came_before(times: list[datetime]) -> None:
    """The log file's time of a line, made once per second and kept for the next lines,
    is always the line's own second (one apart, a second boundary, any order)."""
    for at in times:
        last = at.replace(microsecond=999_999)
        for near in (at, last, at.replace(microsecond=0), last + timedelta(microseconds=1)):
            assert _second(near) == near.isoformat(timespec="seconds")
