"""``passerelle sandbox shopify``: the Shopify Admin GraphQL sandbox until Ctrl-C."""

from __future__ import annotations

import time
from pathlib import Path

import typer

__all__ = ["register"]


def register(sandbox_app: typer.Typer) -> None:
    @sandbox_app.command("shopify")
    def shopify(
        port: int = typer.Option(8444, help="TCP port on 127.0.0.1"),
        latency: float = typer.Option(0.0, help="seconds added to every answer"),
        fault_rate: float = typer.Option(0.0, help="share of requests answered with a fault"),
        state_dir: Path = typer.Option(
            Path("shopify-sandbox"),  # noqa: B008 - typer idiom
            help="state and TLS files",
        ),
    ) -> None:
        """Serve the Shopify sandbox (Standard-plan cost bucket: 100 points/s, 2,000)."""
        from passerelle.sandbox.shopify.platform import TOKEN, start
        from passerelle.sandbox.woocommerce.faults import Faults

        faults = Faults(rate=fault_rate, kinds=("500",)) if fault_rate else None
        platform = start(state_dir, port=port, latency=latency, faults=faults)
        typer.echo(f"Shopify sandbox: {platform.sandbox.endpoint}")
        typer.echo(f"CA certificate to trust: {platform.sandbox.ca_bundle}")
        typer.echo(f"Access token (X-Shopify-Access-Token): {TOKEN}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            typer.echo("stopping…")
        finally:
            platform.stop()
