"""``passerelle sandbox bigcommerce``: the BigCommerce REST sandbox until Ctrl-C."""

from __future__ import annotations

from pathlib import Path

import typer

__all__ = ["register"]


def register(sandbox_app: typer.Typer) -> None:
    @sandbox_app.command("bigcommerce")
    def bigcommerce(
        port: int = typer.Option(8445, help="TCP port on 127.0.0.1"),
        latency: float = typer.Option(0.0, help="seconds added to every answer"),
        fault_rate: float = typer.Option(0.0, help="share of requests answered 429 or 500"),
        quota: int = typer.Option(150, help="requests per 30-second window (Standard: 150)"),
        state_dir: Path = typer.Option(
            Path("bigcommerce-sandbox"),  # noqa: B008 - typer idiom
            help="state and TLS files",
        ),
    ) -> None:
        """Serve the BigCommerce sandbox (v3 catalog/inventory/customers, v2 orders)."""
        from passerelle.sandbox.bigcommerce.server import serve

        state_dir.mkdir(parents=True, exist_ok=True)
        serve(
            state_file=state_dir / "bigcommerce.json",
            port=port,
            latency=latency,
            fault_rate=fault_rate,
            quota=quota,
        )
