"""``passerelle notify test``: one e-mail through the profile's server, or what stopped it."""

from __future__ import annotations

from datetime import UTC, datetime

import typer
from rich.markup import escape

from passerelle.cli.common import DataDir, ProfileName, console, fail
from passerelle.connectors.errors import ConnectorError
from passerelle.i18n import _
from passerelle.i18n.messages import render, said
from passerelle.notify import Mailer, trial_message
from passerelle.profiles import ProfileError, ProfileRepository, data_dir_from

__all__ = ["register"]

notify_app = typer.Typer(
    help=_("E-mail notifications of problems that need a person: the test e-mail."),
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(notify_app, name="notify")


@notify_app.command(
    "test",
    help=_("Send a test e-mail to the profile's recipients; says what failed (no password shown)."),
)
def notify_test(profile: ProfileName = None, data_dir: DataDir = None) -> None:
    """Send a test e-mail to the profile's recipients; says what failed (no password shown)."""
    try:
        loaded = ProfileRepository(data_dir_from(data_dir)).load(profile)
    except ProfileError as exc:
        fail(escape(render(said(exc))))
        return
    settings = loaded.notifications
    if not settings.configured:
        fail(
            escape(
                _(
                    "profile %(profile)s has no [notifications] host: add host, from_address "
                    "and to_addresses (and user, password if the server needs a login)",
                    profile=loaded.name,
                )
            ),
            code=2,
        )
        return
    try:
        mailer = Mailer.from_settings(settings)
        refused = mailer.send(trial_message(settings, loaded.name, datetime.now(UTC)))
    except ConnectorError as exc:
        fail(escape(_("no test e-mail sent: %(reason)s", reason=render(said(exc)))))
        return
    console.print(
        _(
            "test e-mail sent through %(server)s to %(addresses)s",
            server=mailer.where,
            addresses=", ".join(settings.to_addresses),
        ),
        highlight=False,
    )
    for address, (code, text) in refused.items():
        console.print(
            "[yellow]"
            + escape(_("but the server refused %(address)s:", address=address))
            + f"[/yellow] {code} {text.decode('utf-8', 'replace')}",
            highlight=False,
        )
    if refused:
        raise typer.Exit(1)
