"""The e-mails passerelle writes: the test e-mail and the digest of new problems.

Pure functions from settings and parked records to :class:`EmailMessage`, so
what a merchant reads is tested without a server. They are written in the
recipients' language (``notifications.language``, English when unset): an
e-mail has no reader at hand to ask, and problems' reasons are rendered in it.
Plain text: it reads the same in every mail client and in a terminal, and
carries no remote content.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from passerelle.i18n import _, ngettext, using
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
    with using(settings.language):
        digest = (
            _("the digest of new problems comes at most hourly, only when there is something new.")
            if settings.digest
            else _("the digest of new problems is off (notifications.digest).")
        )
        body = (
            _("This is a test e-mail from passerelle, profile %(profile)s.", profile=profile)
            + "\n\n"
            + _(
                "It was sent through %(server)s to %(recipients)s.",
                server=settings.describe(),
                recipients=", ".join(settings.to_addresses),
            )
            + "\n"
            + _("If you read it, notifications work: %(digest)s", digest=digest)
            + "\n"
        )
        subject = _("passerelle [%(profile)s]: test e-mail", profile=profile)
    return _message(settings, subject, body, now)


def problem_lines(entry: ParkedRecord, profile: str, position: int) -> list[str]:
    """One problem as the digest shows it, in the current language: the record, the reason,
    what to do."""
    seen = entry.first_seen.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    retry = f"passerelle problems retry {entry.id} --profile {profile}"
    if entry.kind == "job" and entry.flow == UNREACHABLE_FLOW:
        record = _("the shop %(shop)s", shop=entry.record_key)
        todo = _(
            "check the shop is up and its address in the profile; the next job that reaches "
            "it closes this problem, or: %(command)s",
            command=retry,
        )
    elif entry.kind == "job":
        record = _(
            "the %(flow)s job itself (job %(job)s)",
            flow=entry.flow,
            job=entry.record_key[len(JOB_PROBLEM_PREFIX) :],
        )
        todo = _(
            "fix what the reason names (profile, credentials, a system down), then: %(command)s",
            command=retry,
        )
    else:
        record = _("%(flow)s · record %(record)s", flow=entry.flow, record=entry.record_key)
        todo = _(
            "fix what the reason names (in the profile, the back-office or the shop), then: "
            "%(command)s (or let the next run of %(flow)s pick it up)",
            command=retry,
            flow=entry.flow,
        )
    heading = (
        _(
            "%(position)s. %(record)s (problem %(id)s, first seen %(seen)s, %(tries)s tries)",
            position=position,
            record=record,
            id=entry.id,
            seen=seen,
            tries=entry.tries,
        )
        if entry.tries > 1
        else _(
            "%(position)s. %(record)s (problem %(id)s, first seen %(seen)s)",
            position=position,
            record=record,
            id=entry.id,
            seen=seen,
        )
    )
    return [
        heading,
        "   " + _("Reason: %(reason)s", reason=" ".join(entry.reason_in().split())),
        "   " + _("What to do: %(todo)s", todo=todo),
    ]


def digest_message(
    settings: NotificationSettings, profile: str, problems: Sequence[ParkedRecord], now: datetime
) -> EmailMessage:
    """The digest: every problem new since the last one, oldest first, in the recipients'
    language (``notifications.language``)."""
    count = len(problems)
    with using(settings.language):
        lines = [
            ngettext(
                "passerelle, profile %(profile)s: %(num)s new problem needs a person.",
                "passerelle, profile %(profile)s: %(num)s new problems need a person.",
                count,
                profile=profile,
            ),
            _("Each was set aside with its reason; the other records went on."),
            "",
        ]
        ordered = sorted(problems, key=lambda p: (p.first_seen, p.id))
        for position, entry in enumerate(ordered[:DIGEST_LIMIT], 1):
            lines += [*problem_lines(entry, profile, position), ""]
        if count > DIGEST_LIMIT:
            lines += [_("… and %(count)s more.", count=count - DIGEST_LIMIT), ""]
        lines += [
            _(
                "All open problems: %(command)s",
                command=" ".join(("passerelle problems --profile", profile)),
            ),
            _(
                "Send them all again once fixed: %(command)s",
                command=" ".join(("passerelle problems retry ALL --profile", profile)),
            ),
        ]
        subject = ngettext(
            "passerelle [%(profile)s]: %(num)s new problem",
            "passerelle [%(profile)s]: %(num)s new problems",
            count,
            profile=profile,
        )
    return _message(settings, subject, "\n".join(lines) + "\n", now)
