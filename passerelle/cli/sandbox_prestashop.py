"""``passerelle sandbox prestashop``: the PrestaShop Webservice sandbox until Ctrl-C."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from passerelle.cli.common import DataDir

__all__ = ["register"]


def register(sandbox_app: typer.Typer) -> None:
    @sandbox_app.command("prestashop")
    def sandbox_prestashop(
        port: int = 8447,
        host: str = "127.0.0.1",
        state_file: Annotated[
            Path | None, typer.Option(help="Where the shop's data is kept.")
        ] = None,
        latency: Annotated[float, typer.Option(help="Seconds added to every answer.")] = 0.0,
        fault_rate: Annotated[
            float, typer.Option(help="Share of requests answered 500 (0 to 1).")
        ] = 0.0,
        rate_limit: Annotated[
            float | None,
            typer.Option(help="Requests per second before 429 (PrestaShop documents none)."),
        ] = None,
        data_dir: DataDir = None,
    ) -> None:
        """PrestaShop 8 Webservice (/api, key as basic-auth user), seeded with the demo shop."""
        from passerelle.profiles import data_dir_from
        from passerelle.sandbox.prestashop.server import serve

        directory = data_dir_from(data_dir) / "sandbox"
        serve(
            state_file=state_file or directory / "prestashop.json",
            cert_dir=directory / "tls",
            host=host,
            port=port,
            latency=latency,
            fault_rate=fault_rate,
            rate_limit=rate_limit,
        )
