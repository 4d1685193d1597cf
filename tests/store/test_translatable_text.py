"""Journal lines and problem reasons are kept as messages and shown in the reader's language.

Rows written before messages were kept (English text only) still show, in English.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from passerelle.i18n import using
from passerelle.i18n.messages import M_, Message, Mn_, _encode_params
from passerelle.journal import render
from passerelle.store import Store, make_engine, sqlite_url, upgrade
from passerelle.store.records import JournalEntry


def _reason() -> Message:
    return M_(
        "%(where)s: %(reason)s",
        where=M_("order %(number)s", number="1001"),
        reason=M_("nothing refunded"),
    )


def test_a_kept_line_is_shown_in_each_reader_s_language(store: Store) -> None:
    run_id = store.start_run("p", "import-orders")
    counts = (
        Mn_("%(num)s created", "%(num)s created", 2),
        Mn_("%(num)s failed", "%(num)s failed", 1),
    )
    store.add_journal_many(
        run_id,
        [
            JournalEntry.of("warning", _reason(), "order 1001", 3, 20),
            JournalEntry.of(
                "info", M_("%(status)s: %(counts)s", status=M_("failed"), counts=counts)
            ),
            JournalEntry("info", "plain text, as exceptions say it"),
        ],
    )
    lines = store.journal(run_id)
    assert [line.message for line in lines] == [
        "order 1001: nothing refunded",
        "failed: 2 created, 1 failed",
        "plain text, as exceptions say it",
    ]
    assert [render(line, "fr") for line in lines] == [
        "3/20 - order 1001: commande 1001 : rien n'est remboursé",
        "échouée : 2 créés, 1 en échec",
        "plain text, as exceptions say it",
    ]
    with using("fr"):  # what the CLI and the console set for their reader
        assert lines[1].text == "échouée : 2 créés, 1 en échec"
    assert lines[1].text == "failed: 2 created, 1 failed"


def test_a_kept_reason_is_shown_in_each_reader_s_language(store: Store) -> None:
    parked = store.park("p", "import-orders", "1001", _reason(), "error")
    assert parked.reason == "order 1001: nothing refunded"
    assert parked.reason_in("fr") == "commande 1001 : rien n'est remboursé"
    again = store.park("p", "import-orders", "1001", "a plain reason now", "error")
    assert again.tries == 2
    assert again.reason_in("fr") == "a plain reason now"  # the new reason, not the old message


def test_rows_written_before_the_migration_show_their_english(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path))
    upgrade(engine, "0005_shop_identities")
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO runs (profile, flow, started_at, status, counts, owner, heartbeat_at)"
                " VALUES ('p', 'import-orders', :now, 'succeeded', '{}', 'me', :now)"
            ),
            {"now": now},
        )
        conn.execute(
            text(
                "INSERT INTO journal_lines (run_id, at, level, message)"
                " VALUES (1, :now, 'info', 'written by an older version')"
            ),
            {"now": now},
        )
        conn.execute(
            text(
                "INSERT INTO parked (profile, flow, record_key, kind, reason, severity,"
                " first_seen, last_seen, tries) VALUES ('p', 'import-orders', '7', 'record',"
                " 'an old reason', 'error', :now, :now, 1)"
            ),
            {"now": now},
        )
    engine.dispose()
    with Store.open_data_dir(tmp_path) as store:  # migrates to head
        (line,) = store.journal(1)
        assert line.translatable is None
        assert render(line, "fr") == "written by an older version"
        (problem,) = store.parked("p")
        assert problem.reason_in("fr") == "an old reason"


def test_a_translation_that_lost_a_placeholder_falls_back_to_english() -> None:
    broken = Message("%(where)s: %(reason)s", {"where": "x"})  # no "reason" given
    assert broken.render("fr") == broken.id  # neither language can fill it: the id
    assert M_("order %(number)s", number=5).render("fr") == "commande 5"


def test_stored_parameters_round_trip() -> None:
    message = M_(
        "%(status)s: %(counts)s",
        status=M_("failed"),
        counts=(Mn_("%(num)s created", "%(num)s created", 1), "3 things"),
    )
    again = Message.from_stored(message.id, message.stored_params())
    assert again == message
    assert again.render("fr") == "échouée : 1 créé, 3 things"


def test_the_journal_speaks_the_reader_s_language_and_logs_in_english(tmp_path: Path) -> None:
    import io

    from rich.console import Console

    from passerelle.journal import Journal

    store = Store.open_data_dir(tmp_path)
    run_id = store.start_run("p", "import-orders")
    screen = io.StringIO()
    journal = Journal(
        run_id=run_id,
        flow="import-orders",
        sink=store,
        log_path=tmp_path / "run.log",
        console=Console(file=screen, width=200),
    )
    with using("fr"):  # a French terminal
        journal.record(
            "parked",
            M_("order %(number)s", number="1001"),
            M_("nothing refunded"),
            position=1,
            total=2,
        )
    journal.close()
    assert "1/2 - commande 1001: rien n'est remboursé" in screen.getvalue()
    assert "WARNING 1/2 - order 1001: nothing refunded" in (tmp_path / "run.log").read_text()
    (line,) = store.journal(run_id)
    assert line.record_key == "order 1001"  # what a search by record finds
    assert render(line, "fr") == "1/2 - commande 1001: rien n'est remboursé"
    assert render(line, "en") == "1/2 - order 1001: nothing refunded"
    store.close()


@given(
    st.dictionaries(
        st.text(max_size=5),
        st.one_of(
            st.text(max_size=8),
            st.integers(),
            st.booleans(),
            st.sampled_from([M_("failed"), ("a", M_("failed"))]),
        ),
        max_size=4,
    ),
    st.sampled_from([None, "%(num)s things"]),
)
def test_stored_parameters_are_the_encoder_s_text(
    params: dict[str, Any], plural: str | None
) -> None:
    """Text and whole numbers are written without the encoder (a journal line's shop id):
    the very text it writes, so lines read back as they were kept."""
    message = Message("%(x)s", params, plural)
    expected = json.dumps(_encode_params(message), ensure_ascii=False, sort_keys=True)
    assert message.stored_params() == expected
    assert Message.from_stored(message.id, message.stored_params()) == Message.from_stored(
        message.id, expected
    )
