"""The e-mails passerelle writes: the test e-mail and the digest of new problems.

Pure functions from settings and parked records to :class:`EmailMessage`, so
what a merchant reads is tested without a server. Plain text: it reads the
same in every mail client and in a terminal, and carries no remote content.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from passerelle.profiles.notification_settings import NotificationSettings
from passerelle.store.problem_keys import JOB_PROBLEM_PREFIX, UNREACHABLE_FLOW
from passerelle.store.records import ParkedRecord

__all__ = ["DIGEST_LIMIT", "digest_message", "problem_lines", "trial_message"]

#: Problems listed one by one in a digest; the rest are counted, `passerelle problems` has all.
DIGEST_LIMIT = 200


def _message(
    settings: NotificationSettings, subject: str, body: str, now: datetime
) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.from_address or ""
    message["To"] = ", ".join(settings.to_addresses)
    message["Date"] = format_datetime(now.astimezone(UTC))
    message["Message-ID"] = make_msgid(domain=_domain(settings))
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies, please
    message.set_content(body)
    return message


def _domain(settings: NotificationSettings) -> str:
    address = settings.from_address or ""
    domain = address.rpartition("@")[2].strip(" >")
    return domain or socket.getfqdn()


def trial_message(settings: NotificationSettings, profile: str, now: datetime) -> EmailMessage:
    """``passerelle notify test``: proves the server, the login and the addresses work."""
    body = (
        f"This is a test e-mail from passerelle, profile {profile}.\n\n"
        f"It was sent through {settings.describe()} to {', '.join(settings.to_addresses)}.\n"
        "If you read it, notifications work: "
        + (
            "the digest of new problems comes at most hourly, only when there is something new."
            if settings.digest
            else "the digest of new problems is off (notifications.digest)."
        )
        + "\n"
    )
    return _message(settings, f"passerelle [{profile}]: test e-mail", body, now)


def problem_lines(entry: ParkedRecord, profile: str, position: int) -> list[str]:
    """One problem as the digest shows it: the record, the reason, what to do."""
    seen = entry.first_seen.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    retry = f"passerelle problems retry {entry.id} --profile {profile}"
    if entry.kind == "job" and entry.flow == UNREACHABLE_FLOW:
        record = f"the shop {entry.record_key}"
        todo = (
            f"check the shop is up and its address in the profile; the next job that "
            f"reaches it closes this problem, or: {retry}"
        )
    elif entry.kind == "job":
        record = f"the {entry.flow} job itself (job {entry.record_key[len(JOB_PROBLEM_PREFIX) :]})"
        todo = f"fix what the reason names (profile, credentials, a system down), then: {retry}"
    else:
        record = f"{entry.flow} · record {entry.record_key}"
        todo = (
            f"fix what the reason names (in the profile, the back-office or the shop), "
            f"then: {retry} (or let the next run of {entry.flow} pick it up)"
        )
    tries = f", {entry.tries} tries" if entry.tries > 1 else ""
    return [
        f"{position}. {record} (problem {entry.id}, first seen {seen}{tries})",
        f"   Reason: {' '.join(entry.reason.split())}",
        f"   What to do: {todo}",
    ]


def digest_message(
    settings: NotificationSettings, profile: str, problems: Sequence[ParkedRecord], now: datetime
) -> EmailMessage:
    """The digest: every problem new since the last one, oldest first."""
    count = len(problems)
    plural = "s" if count > 1 else ""
    lines = [
        f"passerelle, profile {profile}: {count} new problem{plural} need{'' if plural else 's'} "
        "a person.",
        "Each was set aside with its reason; the other records went on.",
        "",
    ]
    ordered = sorted(problems, key=lambda p: (p.first_seen, p.id))
    for position, entry in enumerate(ordered[:DIGEST_LIMIT], 1):
        lines += [*problem_lines(entry, profile, position), ""]
    if count > DIGEST_LIMIT:
        lines += [f"… and {count - DIGEST_LIMIT} more.", ""]
    lines += [
        f"All open problems: passerelle problems --profile {profile}",
        f"Send them all again once fixed: passerelle problems retry ALL --profile {profile}",
    ]
    subject = f"passerelle [{profile}]: {count} new problem{plural}"
    return _message(settings, subject, "\n".join(lines) + "\n", now)
