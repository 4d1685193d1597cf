"""``passerelle sandbox shopify``: the Shopify Admin GraphQL sandbox until Ctrl-C."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from passerelle.cli.common import DataDir

__all__ = ["register"]


def register(sandbox_app: typer.Typer) -> None:
    @sandbox_app.command("shopify")
    def shopify(
        port: int = typer.Option(8444, help="TCP port on 127.0.0.1"),
        latency: float = typer.Option(0.0, help="seconds added to every answer"),
        fault_rate: float = typer.Option(0.0, help="share of requests answered with a fault"),
        state_dir: Annotated[
            Path | None,
            typer.Option(help="State and TLS files (default: the data directory's sandbox/)."),
        ] = None,
        data_dir: DataDir = None,
    ) -> None:
        """Serve the Shopify sandbox (Standard-plan cost bucket: 100 points/s, 2,000)."""
        from passerelle.profiles import data_dir_from
        from passerelle.sandbox.kit import Faults, run_in_foreground
        from passerelle.sandbox.shopify.platform import TOKEN, start

        faults = Faults(rate=fault_rate, kinds=("500",)) if fault_rate else None
        directory = state_dir or data_dir_from(data_dir) / "sandbox"
        platform = start(directory, port=port, latency=latency, faults=faults)
        run_in_foreground(
            platform.sandbox,
            [
                f"Shopify sandbox: {platform.sandbox.endpoint}",
                f"CA certificate to trust: {platform.sandbox.ca_bundle}",
                f"Access token (X-Shopify-Access-Token): {TOKEN}",
            ],
        )
