"""``passerelle serve``: the webhook receiver (R10) in the foreground, until Ctrl-C."""

from __future__ import annotations

from typing import Annotated

import typer

from passerelle.cli.common import DataDir, console

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_command(
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="TCP port.")] = 8090,
        forwarded_allow_ips: Annotated[
            str,
            typer.Option(
                help="Proxies whose X-Forwarded-For is believed (comma list, '*' for any); "
                "the allowlist of each profile then applies to the original client."
            ),
        ] = "127.0.0.1",
        data_dir: DataDir = None,
    ) -> None:
        """Receive shop webhooks at POST /webhooks/<profile>: verified, then queued for the
        workers (WooCommerce, Shopify, BigCommerce; see docs/webhooks.md)."""
        from passerelle.profiles import data_dir_from
        from passerelle.runner import open_store
        from passerelle.runner.scheduler import shop_key
        from passerelle.webhooks import ProfileSettings, QueueSink, Rejected, create_app, serve

        directory = data_dir_from(data_dir)
        store = open_store(directory)
        queue = store.queue
        profiles = ProfileSettings(directory)
        for name in profiles.repository.names():
            try:
                settings = profiles.get(name)
            except Rejected as refused:
                console.print(f"  {name}: [yellow]{refused.reason}[/yellow]", highlight=False)
            else:
                console.print(
                    f"  {name}: {settings.platform} deliveries to "
                    f"http://{host}:{port}/webhooks/{name}",
                    highlight=False,
                )
        sink = QueueSink(queue, lambda name: shop_key(profiles.profile(name)))
        serve(
            create_app(directory, sink, profiles=profiles),
            host=host,
            port=port,
            forwarded_allow_ips=forwarded_allow_ips,
        )
