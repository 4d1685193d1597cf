"""The command line's language: chosen once, from the terminal, before any help is built.

Why at import time, in ``passerelle/cli/__init__.py``: Typer takes a command's
and an option's help when the command is declared, that is when its module is
imported. So the commands write ``help=_("...")`` (their docstring stays, short,
for developers) and the language must be set before the first command module
is imported; ``passerelle.cli`` is imported first, whatever command runs. A lazy
string was the other way; Click and Rich split, wrap and compare help texts as
``str``, so a lazy object would be turned into English text somewhere on the way.

The words Typer and Click write themselves (panel titles, ``--help``'s help,
``[default: ...]``) are English literals in those libraries; :func:`start` and
:func:`translate_tree` put the catalogue's French in their place.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from contextlib import AbstractContextManager

import typer.rich_utils as rich_utils
from typer._click.core import Command, Context, Parameter
from typer.core import TyperGroup

from passerelle.i18n import N_, _, current_language, language_from_env, translations, using

__all__ = [
    "LIBRARY_HELP",
    "start",
    "translate_option",
    "translate_tree",
    "translated",
]

#: Typer's panel titles and notes (attributes of ``typer.rich_utils``), in English.
_PANEL_TEXTS = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "ERRORS_PANEL_TITLE": N_("Error"),
    "ABORTED_TEXT": N_("Aborted."),
    "DEFAULT_STRING": N_("[default: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "RICH_HELP": N_("Try [blue]'{command_path} {help_option}'[/] for help."),
}

#: Help of the options Typer and Click add to every command or to the root.
LIBRARY_HELP = (
    N_("Show this message and exit."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)

_started: list[str] = []
_scopes: list[AbstractContextManager[str]] = []


def start(environ: Mapping[str, str] = os.environ) -> str:
    """Speak the terminal's language for the rest of the process; returns it.

    Called once, by ``passerelle/cli/__init__.py``; later calls keep the first choice.
    """
    if _started:
        return _started[0]
    scope = using(language_from_env(environ))
    language = scope.__enter__()
    # Kept referenced: a collected scope would close its generator, which resets the language.
    _scopes.append(scope)
    _started.append(language)
    for name, english in _PANEL_TEXTS.items():
        setattr(rich_utils, name, _(english))
    return language


def translate_option(param: Parameter) -> None:
    """Give ``param`` the French of its help if Typer or Click wrote it."""
    text = getattr(param, "help", None)
    if text in LIBRARY_HELP:
        param.help = _(text)  # type: ignore[attr-defined]


def translate_tree(command: Command) -> None:
    """Give ``command`` and every command under it the French of Typer's own option help."""
    options = list(command.params)
    helper = command.get_help_option(Context(command))
    if helper is not None:
        options.append(helper)
    for param in options:
        translate_option(param)
    if isinstance(command, TyperGroup):
        for child in command.commands.values():
            translate_tree(child)


def translated(text: str) -> str:
    """``text``, marked with ``N_`` where it is written (a platform's option help),
    in the current language: for text the CLI receives and does not write itself."""
    return translations(current_language()).ugettext(text)
