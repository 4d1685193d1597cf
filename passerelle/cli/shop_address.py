"""``passerelle profile move-shop``: the profile's shop answers at a new address.

Parsing and printing only: the checks and the store live in ``flows/shop_move.py``.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from passerelle.cli.common import DataDir, ProfileName, console, fail, load_profile
from passerelle.i18n import _
from passerelle.i18n.messages import render, said

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add ``move-shop`` to the ``profile`` commands (it changes a profile file)."""
    from passerelle.cli.profile import profile_app

    del app  # the command belongs with the profile commands
    profile_app.command(
        "move-shop",
        help=_(
            "Point the profile at its shop's new address: nothing is imported again.\n\n"
            "The orders already imported keep their keys (the shop's identity, recorded "
            "once, does not change with its address). Refused when the new address does not "
            "answer, or answers as a different shop."
        ),
    )(move_shop)


def move_shop(
    url: Annotated[
        str,
        typer.Option(
            "--url", help=_("The shop's new address (https://…; BigCommerce: its API address).")
        ),
    ],
    profile: ProfileName = None,
    data_dir: DataDir = None,
    no_check: Annotated[
        bool,
        typer.Option(
            "--no-check",
            help=_(
                "Move without asking the new address whether it is the same shop (when the "
                "shop cannot answer now)."
            ),
        ),
    ] = False,
    new_shop: Annotated[
        bool,
        typer.Option(
            "--new-shop",
            help=_(
                "The profile now serves another shop: its orders are kept apart from the old "
                "shop's (imported as new orders)."
            ),
        ),
    ] = False,
) -> None:
    """Point the profile at its shop's new address: nothing is imported again.

    The orders already imported keep their keys (the shop's identity, recorded once,
    does not change with its address). Refused when the new address does not answer,
    or answers as a different shop.
    """
    from passerelle.flows.shop_move import MoveRefused, finish_move, plan_move
    from passerelle.profiles import ProfileError, ProfileRepository
    from passerelle.runner import open_store

    loaded, directory = load_profile(profile, data_dir)
    store = open_store(directory)
    try:
        try:
            move = plan_move(loaded, store, url, check=not no_check, new_shop=new_shop)
        except MoveRefused as exc:
            fail(
                escape(
                    _(
                        "profile %(profile)r not moved: %(reason)s",
                        profile=loaded.name,
                        reason=render(said(exc)),
                    )
                )
            )
            return
        try:
            ProfileRepository(directory).save(move.profile)
        except ProfileError as exc:
            fail(escape(render(said(exc))))
            return
        recorded = finish_move(store, move)
    finally:
        store.close()
    facts = {
        "profile": loaded.name,
        "address": move.address,
        "identity": recorded.identity,
        "checked": render(move.checked),
    }
    said_text = (
        _(
            "profile %(profile)r now serves the shop at %(address)s, known as "
            "%(identity)s: %(checked)s.",
            **facts,
        )
        if move.new_shop
        else _(
            "profile %(profile)r now reaches its shop at %(address)s; its orders stay keyed "
            "as shop %(identity)s, so nothing is imported again. Checked: %(checked)s.",
            **facts,
        )
    )
    console.print(said_text, markup=False, highlight=False)
