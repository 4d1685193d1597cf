"""The `error-digest` job (R9) through the worker, against a real local SMTP server.

The digest holds exactly the errors first seen since the last one; nothing new
sends nothing; a mail server down makes the job retriable and loses nothing;
the password reaches no log, journal, problem or database.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console

from passerelle.profiles import Profile
from passerelle.runner import Runner
from passerelle.runner.error_digest import FLOW
from passerelle.runner.execute import JobOutcome
from passerelle.runner.scheduler import enqueue_due
from passerelle.runner.worker import Worker
from passerelle.store import Store
from tests.notify.conftest import (
    PASSWORD_ENV,
    SMTP_PASSWORD,
    SMTP_USER,
    mail_settings,
    make_profile,
)
from tests.notify.smtp_server import MailServer

LOGIN = {"user": SMTP_USER, "password": f"env:{PASSWORD_ENV}"}
NOW = datetime.now(UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open_data_dir(tmp_path)
    try:
        yield opened
    finally:
        opened.close()


def run_digest(tmp_path: Path, store: Store) -> JobOutcome:
    """One digest job as a worker runs it: queued, claimed, executed."""
    job = store.queue.enqueue("shop", FLOW, lane="notifications", source="schedule")
    worker = Worker(tmp_path, store=store, schedules=False, poll_every=0.01)
    try:
        outcome = worker.run_job(job.id, timeout=30)
    finally:
        worker.close()
    assert isinstance(outcome, JobOutcome)
    return outcome


def problems_in(body: str) -> list[str]:
    return re.findall(r"^\s+Reason: (.*?)\r?$", body, flags=re.MULTILINE)


def test_the_digest_holds_exactly_the_new_errors_then_nothing(
    tmp_path: Path, store: Store, mail_server: MailServer
) -> None:
    make_profile(tmp_path, **mail_settings(mail_server, **LOGIN))
    tax = store.park(
        "shop",
        "export-products",
        "41",
        "item AR0041: back-office tax 'VAT 7%' has no entry in catalogue.tax_classes",
        "error",
    )
    mapping = store.park(
        "shop",
        "import-orders",
        "1093",
        "order 1093: payment method 'klarna' has no entry in [orders.payments]",
        "error",
    )
    job = store.park(
        "shop",
        "import-orders",
        "job-7",
        "import-orders: gave up after 5 tries: the shop answered 503",
        "error",
        kind="job",
    )
    store.park(
        "shop",
        "import-orders",
        "1094",
        "order 1094 is 'pending' (awaiting payment): imported once it is paid",
        "retry",
    )
    store.park("shop", "import-orders", "1095", "order 1095 is 'cancelled'", "info")
    store.park("shop", "export-customers", "C9", "fixed meanwhile", "error")
    store.resolve("shop", "export-customers", "C9")
    store.park("other-shop", "export-products", "5", "another profile's problem", "error")

    assert run_digest(tmp_path, store).status == "done"
    (delivered,) = mail_server.received
    message = delivered.message
    assert delivered.recipients == ["owner@shop.test", "accounts@shop.test"]
    assert message["Subject"] == "passerelle [shop]: 3 new problems"
    body = message.get_content()
    assert problems_in(body) == [tax.reason, mapping.reason, job.reason]  # oldest first
    assert "1. export-products · record 41 (problem" in body
    assert "2. import-orders · record 1093" in body
    assert "3. the import-orders job itself (job 7)" in body
    for entry in (tax, mapping, job):
        assert f"then: passerelle problems retry {entry.id} --profile shop" in body

    # Nothing new: no e-mail. A problem seen again (tries + 1) is not new either.
    store.park("shop", "export-products", "41", tax.reason, "error")
    assert run_digest(tmp_path, store).status == "done"
    assert len(mail_server.received) == 1
    last_run = store.list_runs(profile="shop", flow=FLOW, limit=1)[0]
    assert [line.message for line in store.journal(last_run.id)][
        1
    ] == "no new problem since the last digest: no e-mail"

    # A new error: the next digest holds it alone.
    stock = store.park(
        "shop", "update-stock", "77", "item AR0077: the shop refused the quantity", "error"
    )
    assert run_digest(tmp_path, store).status == "done"
    assert len(mail_server.received) == 2
    second = mail_server.received[1].message
    assert second["Subject"] == "passerelle [shop]: 1 new problem"
    assert problems_in(second.get_content()) == [stock.reason]


def test_a_mail_server_down_retries_with_back_off_and_loses_nothing(
    tmp_path: Path, store: Store
) -> None:
    server = MailServer(login=(SMTP_USER, SMTP_PASSWORD))  # not started yet: refused
    data = mail_settings(server, **LOGIN)
    profile = make_profile(tmp_path, **data)
    _fast_retries(tmp_path, profile)
    entry = store.park("shop", "export-products", "41", "item AR0041: no tax class", "error")

    failed = run_digest(tmp_path, store)
    assert failed.status == "retry"
    assert f"127.0.0.1:{server.port}: connection refused" in failed.message
    waiting = store.queue.get(failed.job_id)
    assert waiting is not None and (waiting.status, waiting.attempts) == ("queued", 1)
    assert store.get_bookmark("shop", FLOW) is None  # nothing was accepted: nothing moves

    server.start()
    try:
        time.sleep(0.05)  # the back-off of the profile below
        worker = Worker(tmp_path, store=store, schedules=False, poll_every=0.01)
        try:
            again = worker.run_job(failed.job_id, timeout=30)
        finally:
            worker.close()
        assert isinstance(again, JobOutcome) and again.status == "done"
        (delivered,) = server.received
        assert problems_in(delivered.message.get_content()) == [entry.reason]
        assert store.get_bookmark("shop", FLOW) is not None
    finally:
        server.stop()


def test_the_password_reaches_no_log_journal_problem_or_database(
    tmp_path: Path, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    # A server that quotes the password in its refusal, the worst case.
    server = MailServer(
        login=(SMTP_USER, "the-right-one"), refusal=f"535 5.7.8 {SMTP_PASSWORD} refused"
    ).start()
    try:
        make_profile(tmp_path, **mail_settings(server, **LOGIN))
        store.park("shop", "export-products", "41", "item AR0041: no tax class", "error")
        with caplog.at_level(logging.DEBUG):
            outcome = run_digest(tmp_path, store)
    finally:
        server.stop()
    assert outcome.status == "failed"  # a refused login needs a person, not retries
    assert f"refused the login of user '{SMTP_USER}'" in outcome.message
    parked = store.parked("shop", FLOW, kind="job")  # the digest job's own problem
    assert len(parked) == 1 and "refused the login" in parked[0].reason
    journal = [
        line.message for run in store.list_runs(profile="shop") for line in store.journal(run.id)
    ]
    store.close()
    ours = [r.getMessage() for r in caplog.records if r.name != "mail.log"]  # not the server's
    assert not any(SMTP_PASSWORD in line for line in ours)
    assert not any(SMTP_PASSWORD in line for line in journal)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert SMTP_PASSWORD.encode() not in path.read_bytes(), path


def test_without_notifications_the_job_does_nothing_and_says_so(
    tmp_path: Path, store: Store
) -> None:
    profile = make_profile(tmp_path)
    store.park("shop", "export-products", "41", "item AR0041: no tax class", "error")
    summary = Runner(tmp_path, store=store, console=Console(quiet=True)).run(profile, FLOW)
    assert summary.status == "succeeded"
    said = [line.message for line in store.journal(summary.run_id)]
    assert [m for m in said if "notifications" in m] == [
        "notifications are not configured (no [notifications] host in the profile): "
        "no digest is sent"
    ]
    assert store.get_bookmark("shop", FLOW) is None


def test_the_digest_is_scheduled_hourly_by_default(
    tmp_path: Path, store: Store, mail_server: MailServer
) -> None:
    profile = make_profile(tmp_path, **mail_settings(mail_server))
    schedule = profile.schedules.schedule(FLOW)
    assert schedule.interval is not None and schedule.interval.total_seconds() == 3600
    queued = enqueue_due(store.queue, profile, NOW)
    assert FLOW in {job.job for job in queued}


def _fast_retries(data_dir: Path, profile: Profile) -> None:
    """The profile's back-off shortened, so the test need not wait the default 5 s."""
    from passerelle.profiles import ProfileRepository

    faster = profile.model_copy(
        update={
            "worker": profile.worker.model_copy(
                update={"retry_base_seconds": 0.01, "retry_cap_seconds": 0.02}
            )
        }
    )
    ProfileRepository(data_dir).save(faster)
