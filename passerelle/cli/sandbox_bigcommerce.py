"""``passerelle sandbox bigcommerce``: the BigCommerce REST sandbox until Ctrl-C."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from passerelle.cli.common import DataDir

__all__ = ["register"]


def register(sandbox_app: typer.Typer) -> None:
    @sandbox_app.command("bigcommerce")
    def bigcommerce(
        port: int = typer.Option(8445, help="TCP port on 127.0.0.1"),
        latency: float = typer.Option(0.0, help="seconds added to every answer"),
        fault_rate: float = typer.Option(0.0, help="share of requests answered 429 or 500"),
        quota: int = typer.Option(150, help="requests per 30-second window (Standard: 150)"),
        state_dir: Annotated[
            Path | None,
            typer.Option(help="State and TLS files (default: the data directory's sandbox/)."),
        ] = None,
        data_dir: DataDir = None,
    ) -> None:
        """Serve the BigCommerce sandbox (v3 catalog/inventory/customers, v2 orders)."""
        from passerelle.profiles import data_dir_from
        from passerelle.sandbox.bigcommerce.server import serve

        directory = state_dir or data_dir_from(data_dir) / "sandbox"
        directory.mkdir(parents=True, exist_ok=True)
        serve(
            state_file=directory / "bigcommerce.json",
            port=port,
            latency=latency,
            fault_rate=fault_rate,
            quota=quota,
            cert_dir=directory / "tls",
        )
