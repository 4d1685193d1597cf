"""Options and output shared by the command groups."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

__all__ = ["DataDir", "ProfileName", "console", "err", "fail"]

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
