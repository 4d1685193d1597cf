"""``passerelle user add|passwd|remove|list``: who may sign in to the console.

Passwords are typed twice at a hidden prompt, or read from standard input
with ``--password-stdin`` (one line, for scripts); they are never echoed,
never taken as an argument (it would sit in the shell's history and in
``ps``), and only their argon2id hash is stored. Messages follow the
terminal's language (``PASSERELLE_LANG``, ``LANG``...).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from passerelle.cli.common import DataDir, console, fail
from passerelle.cli.json_output import JsonFlag, emit, when
from passerelle.console.passwords import hash_password, password_problem
from passerelle.i18n import _, language_from_env, using
from passerelle.profiles import data_dir_from
from passerelle.runner import open_store
from passerelle.store.repositories.users import Role, UserExists, UserRepository, users_of

__all__ = ["register", "user_app"]

user_app = typer.Typer(
    help=_(
        "Console users: who may sign in, and whether they may act (operator) or only look (viewer)."
    ),
    no_args_is_help=True,
)

UserName = Annotated[str, typer.Argument(help=_("The name to sign in with."), show_default=False)]
PasswordStdin = Annotated[
    bool,
    typer.Option(
        "--password-stdin", help=_("Read the password from the first line of standard input.")
    ),
]


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")


@contextmanager
def _users(data_dir: Path | None) -> Iterator[UserRepository]:
    """The users of the data directory's store, in the terminal's language."""
    with using(language_from_env()), open_store(data_dir_from(data_dir)) as store:
        yield users_of(store)


def _read_password(from_stdin: bool) -> str:
    """A new password, checked; exits 2 saying why it cannot be used."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt(_("Password"), hide_input=True, default="", show_default=False)
        again = typer.prompt(
            _("Repeat the password"), hide_input=True, default="", show_default=False
        )
        if password != again:
            fail(_("The two passwords differ; nothing was changed."), code=2)
    problem = password_problem(password)
    if problem is not None:
        fail(problem, code=2)
    return password


@user_app.command("add", help=_("Add a console user, asking for their password."))
def user_add(
    name: UserName,
    role: Annotated[
        Role, typer.Option(help=_("operator: runs, validates, edits; viewer: reads only."))
    ] = Role.VIEWER,
    password_stdin: PasswordStdin = False,
    data_dir: DataDir = None,
) -> None:
    """Add a console user, asking for their password."""
    with _users(data_dir) as users:
        if users.get(name) is not None:
            fail(_("A user named %(name)s already exists.", name=name), code=2)
        password = _read_password(password_stdin)
        try:
            users.add(name, hash_password(password), role)
        except UserExists:
            fail(_("A user named %(name)s already exists.", name=name), code=2)
        except ValueError:
            fail(_("A user name is 1 to 100 characters, without spaces around it."), code=2)
        console.print(
            _("User %(name)s added (%(role)s).", name=name, role=_role(role)),
            markup=False,
            highlight=False,
        )


@user_app.command("passwd", help=_("Change a user's password; their open console sessions end."))
def user_passwd(
    name: UserName, password_stdin: PasswordStdin = False, data_dir: DataDir = None
) -> None:
    """Change a user's password; their open console sessions end."""
    with _users(data_dir) as users:
        if users.get(name) is None:
            fail(_("No user named %(name)s.", name=name))
        password = _read_password(password_stdin)
        if not users.set_password_hash(name, hash_password(password)):
            fail(_("No user named %(name)s.", name=name))
        console.print(_("Password of %(name)s changed.", name=name), markup=False, highlight=False)


@user_app.command("remove", help=_("Remove a user; their open console sessions end."))
def user_remove(name: UserName, data_dir: DataDir = None) -> None:
    """Remove a user; their open console sessions end."""
    with _users(data_dir) as users:
        if not users.remove(name):
            fail(_("No user named %(name)s.", name=name))
        console.print(_("User %(name)s removed.", name=name), markup=False, highlight=False)


@user_app.command("list", help=_("List the console users and their roles."))
def user_list(
    as_json: JsonFlag = False,
    data_dir: DataDir = None,
) -> None:
    """List the console users and their roles."""
    with _users(data_dir) as users:
        listed = users.list()
        if as_json:
            emit(
                {
                    "users": [
                        {
                            "name": user.name,
                            "role": user.role.value,
                            "language": user.language,
                            "created_at": when(user.created_at),
                            "updated_at": when(user.updated_at),
                        }
                        for user in listed
                    ]
                }
            )
            return
        if not listed:
            console.print(
                _("No console user yet: add one with `passerelle user add NAME`."),
                markup=False,
                highlight=False,
            )
            return
        table = Table(_("name"), _("role"), _("language"), _("created"), box=None)
        for user in listed:
            table.add_row(
                user.name,
                _role(user.role),
                user.language or _("automatic"),
                user.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            )
        console.print(table)


def _role(role: Role) -> str:
    return _("operator") if role is Role.OPERATOR else _("viewer")
