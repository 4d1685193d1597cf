"""The command line's language: chosen once, from the terminal, before any help is built.

Why at import time, in ``passerelle/cli/__init__.py``: Typer takes a command's
and an option's help when the command is declared, that is when its module is
imported. So the commands write ``help=_("...")`` (their docstring stays, short,
for developers) and the language must be set before the first command module
is imported; ``passerelle.cli`` is imported first, whatever command runs. A lazy
string was the other way; Click and Rich split, wrap and compare help texts as
``str``, so a lazy object would be turned into English text somewhere on the way.

The words Typer and Click write themselves (panel titles, the ``Usage:`` label,
``--help``'s help, ``[default: ...]``, command-line errors such as ``No such
option``) are English literals in those libraries; :func:`start`,
:func:`translate_tree` and :func:`translate_error` put the catalogue's French in
their place, and leave English as the libraries write it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping

import typer.rich_utils as rich_utils
from typer._click.core import Command, Context, Parameter
from typer._click.exceptions import ClickException
from typer._click.formatting import HelpFormatter
from typer.core import TyperGroup

from passerelle.i18n import (
    DEFAULT_LANGUAGE,
    N_,
    _,
    current_language,
    language_from_env,
    speak_by_default,
    translations,
)

__all__ = [
    "LIBRARY_HELP",
    "start",
    "translate_error",
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

#: Click's command-line errors, as its English reads, and what the catalogue says instead.
_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"No such option: (?P<option>\S+)$"), N_("No such option: %(option)s")),
    (
        re.compile(r"No such option: (?P<option>\S+) \(Possible options: (?P<options>.*)\)$"),
        N_("No such option: %(option)s (possible options: %(options)s)"),
    ),
    (re.compile(r"No such command '(?P<command>.*)'\.$"), N_("No such command '%(command)s'.")),
    (re.compile(r"Missing command\.$"), N_("Missing command.")),
    (re.compile(r"Missing argument (?P<name>.*?)\.$"), N_("Missing argument %(name)s.")),
    (re.compile(r"Missing option (?P<name>.*?)\.$"), N_("Missing option %(name)s.")),
    (
        re.compile(r"Invalid value for (?P<name>.*?): (?P<reason>.*)$", re.S),
        N_("Invalid value for %(name)s: %(reason)s"),
    ),
    (
        re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<arguments>.*)\)$"),
        N_("Unexpected extra arguments (%(arguments)s)"),
    ),
)

_started: list[str] = []


def start(environ: Mapping[str, str] = os.environ) -> str:
    """Speak the terminal's language for the rest of the process; returns it.

    Called once, by ``passerelle/cli/__init__.py``; later calls keep the first choice.
    """
    if _started:
        return _started[0]
    language = speak_by_default(language_from_env(environ))
    _started.append(language)
    for name, english in _PANEL_TEXTS.items():
        setattr(rich_utils, name, _(english))
    rich_utils.rich_format_error = _saying_errors(rich_utils.rich_format_error)  # type: ignore[assignment]
    HelpFormatter.write_usage = _usage_in(HelpFormatter.write_usage)  # type: ignore[method-assign,assignment]
    return language


def _usage_in(
    write: Callable[[HelpFormatter, str, str, str | None], None],
) -> Callable[[HelpFormatter, str, str, str | None], None]:
    """Click's usage line, its ``Usage:`` label in the current language."""

    def write_usage(
        formatter: HelpFormatter, prog: str, args: str = "", prefix: str | None = None
    ) -> None:
        write(formatter, prog, args, _("Usage: ") if prefix is None else prefix)

    return write_usage


def translate_error(message: str) -> str:
    """A command-line error of Click's (``No such option: --x``) in the current language."""
    if current_language() == DEFAULT_LANGUAGE:
        return message  # Click's own words
    for pattern, english in _ERRORS:
        found = pattern.match(message)
        if found:
            return translated(english) % found.groupdict()
    return message


def _saying_errors(
    show: Callable[[ClickException], None],
) -> Callable[[ClickException], None]:
    """Typer's error printer, showing Click's English errors in the current language."""

    def show_translated(error: ClickException) -> None:
        english = error.format_message()
        error.format_message = lambda: translate_error(english)  # type: ignore[method-assign]
        show(error)

    return show_translated


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
