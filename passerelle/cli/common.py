"""Options and output shared by the command groups."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from passerelle.profiles.schema import Profile

__all__ = ["DataDir", "ProfileName", "console", "err", "fail", "load_profile"]

console = Console()
err = Console(stderr=True)

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", "-d", help="Data directory (default: $PASSERELLE_DATA or "
                 "./passerelle-data).", show_default=False),
]
ProfileName = Annotated[
    str | None, typer.Option("--profile", "-p", help="Profile name (default: the default one).")
]


def fail(message: str, code: int = 1) -> None:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(code)


def load_profile(profile: str | None, data_dir: Path | None) -> tuple[Profile, Path]:
    """The profile named (or the default one) and its data directory; exits saying why not."""
    from rich.markup import escape

    from passerelle.profiles import ProfileError, ProfileRepository, data_dir_from

    directory = data_dir_from(data_dir)
    try:
        return ProfileRepository(directory).load(profile), directory
    except ProfileError as exc:
        fail(escape(str(exc)))
        raise AssertionError("fail() exits") from exc
