"""R9: e-mail the problems that need a person, once each, as they appear.

Scheduled hourly by default. Each run e-mails the parked problems of severity
"error" first seen since the last digest (passerelle.notify.digest), each
with its record, its reason and what to do; with nothing new it sends
nothing. The bookmark moves only after the mail server accepted the e-mail,
so a server down loses nothing: the run fails as retriable, the worker tries
again with back-off, and the problems stay new until one digest gets through.

It reads the state store only: it writes neither to the shop nor to the
back-office, so it runs in test mode too.

A runner job rather than a flow: it transfers nothing between the shop and the
back-office, and it needs the mailer (``notify``), which reads how the runner
keys its job problems. It is registered with the flows when the runner is
imported, so ``passerelle run error-digest``, ``passerelle flows`` and the
worker's schedule see it as before.
"""

from __future__ import annotations

from email.utils import parseaddr

from passerelle.flows.base import FlowContext, flow
from passerelle.i18n import N_
from passerelle.i18n.messages import M_, Mn_
from passerelle.notify import DigestBookmark, Mailer, digest_message

__all__ = ["FLOW"]

FLOW = "error-digest"


# R9
@flow(FLOW, writes_shop=False, summary=N_("e-mails the new problems that need a person"))
def run(ctx: FlowContext) -> None:
    settings = ctx.profile.notifications
    if not settings.configured:
        ctx.journal.info(
            M_(
                "notifications are not configured (no [notifications] host in the profile): "
                "no digest is sent"
            )
        )
        return
    if not settings.digest:
        ctx.journal.info(M_("the digest is off (notifications.digest = false): nothing sent"))
        return
    bookmark = DigestBookmark.parse(_stored(ctx))
    window = bookmark.window(ctx.store.parked(ctx.name, severity="error", kind=None))
    new = bookmark.new(window)
    if not new:
        ctx.journal.info(M_("no new problem since the last digest: no e-mail"))
        return
    mailer = Mailer.from_settings(settings)
    refused = mailer.send(digest_message(settings, ctx.name, new, ctx.now))
    ctx.store.set_bookmark(ctx.name, FLOW, bookmark.after(window, new).value())
    accepted = [a for a in settings.to_addresses if parseaddr(a)[1] not in refused]
    ctx.journal.info(
        M_(
            "digest of %(problems)s sent through %(server)s to %(recipients)s",
            problems=Mn_("%(num)s new problem", "%(num)s new problems", len(new)),
            server=mailer.where,
            recipients=", ".join(accepted) or "-",
        )
    )
    for address, (code, text) in refused.items():
        ctx.journal.warning(
            M_(
                "the mail server refused recipient %(address)s: %(code)s %(answer)s",
                address=address,
                code=code,
                answer=text.decode("utf-8", "replace"),
            )
        )


def _stored(ctx: FlowContext) -> str | None:
    bookmark = ctx.store.get_bookmark(ctx.name, FLOW)
    return bookmark.value if bookmark else None
