"""Options and output shared by the command groups."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from passerelle.i18n import _
from passerelle.i18n.messages import Text, render, said
from passerelle.profiles.schema import Profile
from passerelle.runner.outcomes import exit_code, worst
from passerelle.store.records import RunStatus

__all__ = [
    "DataDir",
    "ProfileName",
    "console",
    "err",
    "exit_with",
    "fail",
    "interruptible",
    "load_profile",
]

console = Console()
err = Console(stderr=True)

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        "-d",
        help=_("Data directory (default: $PASSERELLE_DATA or ./passerelle-data)."),
        show_default=False,
    ),
]
ProfileName = Annotated[
    str | None, typer.Option("--profile", "-p", help=_("Profile name (default: the default one)."))
]


def fail(message: Text, code: int = 1) -> None:
    """Print ``message`` (a kept message is shown in the terminal's language) and exit."""
    err.print("[red]" + _("error:") + f"[/red] {render(message)}", highlight=False)
    raise typer.Exit(code)


def load_profile(profile: str | None, data_dir: Path | None) -> tuple[Profile, Path]:
    """The profile named (or the default one) and its data directory; exits saying why not."""
    from rich.markup import escape

    from passerelle.profiles import ProfileError, ProfileRepository, data_dir_from

    directory = data_dir_from(data_dir)
    try:
        return ProfileRepository(directory).load(profile), directory
    except ProfileError as exc:
        fail(escape(render(said(exc))))
        raise AssertionError("fail() exits") from exc  # internal: fail() exits


def exit_with(statuses: Iterable[RunStatus | str]) -> NoReturn:
    """Exit with the code of the worst outcome: 0, 3 (with problems), 1 (failed), 130."""
    raise typer.Exit(exit_code(worst(statuses)))


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(  # internal: SIGTERM takes the path of Ctrl-C
        f"signal {signum}"
    )


@contextmanager
def interruptible() -> Iterator[None]:
    """Ctrl-C or SIGTERM stop the run at hand: recorded as interrupted, exit 130.

    SIGTERM is turned into the same KeyboardInterrupt as Ctrl-C, so a run
    stopped by a service manager or ``kill`` goes through the runner's
    bookkeeping (journal line, run status) instead of vanishing.
    """
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if in_main else None
    try:
        yield
    except KeyboardInterrupt:
        err.print(
            "[yellow]"
            + _("interrupted:")
            + "[/yellow] "
            + _(
                "the run is recorded as interrupted; what was written so far is kept and the "
                "next run goes on from there"
            ),
            highlight=False,
        )
        raise typer.Exit(exit_code(RunStatus.INTERRUPTED)) from None
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)
