"""``passerelle --version``: the installed package's version, as pip and the wheel know it."""

from __future__ import annotations

from typing import Annotated

import typer

from passerelle.i18n import _
from passerelle.release import installed_version

__all__ = ["installed_version", "register"]


def _show(value: bool) -> None:
    if value:
        typer.echo(f"passerelle {installed_version()}")
        raise typer.Exit(0)


def _root(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_show,
            is_eager=True,
            help=_("Print the installed version and exit."),
        ),
    ] = False,
) -> None:
    pass


def register(app: typer.Typer) -> None:
    """Give ``app`` its ``--version`` option (the root callback)."""
    app.callback()(_root)
