"""``passerelle sandbox magento``: a Magento 2 REST sandbox on loopback until Ctrl-C."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from passerelle.cli.common import DataDir

__all__ = ["register"]


def register(sandbox_app: typer.Typer) -> None:
    @sandbox_app.command("magento")
    def sandbox_magento(
        port: int = 8446,
        state_file: Annotated[
            Path | None, typer.Option(help="Where the shop's data is kept.")
        ] = None,
        latency: Annotated[float, typer.Option(help="Seconds added to every answer.")] = 0.0,
        fault_rate: Annotated[float, typer.Option(help="Share of requests that fail (0–1).")] = 0.0,
        token: Annotated[
            str,
            typer.Option(
                envvar="PASSERELLE_DEMO_MAGENTO_TOKEN",
                help="The integration access token (Bearer).",
            ),
        ] = "demo-integration-token",
        data_dir: DataDir = None,
    ) -> None:
        """Serve a Magento 2 / Adobe Commerce REST API sandbox on loopback until Ctrl-C."""
        from passerelle.profiles import data_dir_from
        from passerelle.sandbox.magento.server import serve

        directory = data_dir_from(data_dir)
        serve(
            state_file=state_file or directory / "sandbox" / "magento.json",
            port=port,
            latency=latency,
            fault_rate=fault_rate,
            token=token,
            cert_dir=directory / "sandbox" / "tls",
        )
