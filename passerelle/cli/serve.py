"""``passerelle serve``: the web console and the webhook receiver (R10), in the foreground.

One server, one port: the console's pages behind its sign-in, and the
receiver at ``POST /webhooks/<profile>``, which stays open to the shops
(each delivery is checked by its platform's signature instead).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from starlette.applications import Starlette

from passerelle.cli.common import DataDir, console
from passerelle.i18n import _
from passerelle.store import Store

__all__ = ["build_app", "register"]


def build_app(directory: Path, store: Store, *, health_timeout: float = 5.0) -> Starlette:
    """The console with the webhook receiver's routes, as ``passerelle serve`` runs it."""
    from passerelle.console import create_console_app
    from passerelle.runner.scheduler import shop_key
    from passerelle.webhooks import ProfileSettings, QueueSink, create_app

    profiles = ProfileSettings(directory)
    sink = QueueSink(store.queue, lambda name: shop_key(profiles.profile(name)))
    receiver = create_app(directory, sink, profiles=profiles)
    return create_console_app(
        directory,
        store,
        profiles=profiles.repository,
        extra_routes=receiver.routes,
        health_timeout=health_timeout,
    )


def register(app: typer.Typer) -> None:
    @app.command(
        "serve",
        help=_(
            "Serve the web console at http://HOST:PORT/ and receive shop webhooks at "
            "POST /webhooks/<profile>: verified, then queued for the workers (WooCommerce, "
            "Shopify, BigCommerce; see docs/webhooks.md)."
        ),
    )
    def serve_command(
        host: Annotated[str, typer.Option(help=_("Address to listen on."))] = "127.0.0.1",
        port: Annotated[int, typer.Option(help=_("TCP port."))] = 8090,
        forwarded_allow_ips: Annotated[
            str,
            typer.Option(
                help=_(
                    "Proxies whose X-Forwarded-For is believed (comma list, '*' for any); "
                    "the allowlist of each profile then applies to the original client."
                )
            ),
        ] = "127.0.0.1",
        workers: Annotated[
            int,
            typer.Option(
                min=0,
                help=_(
                    "Workers run in this process for queued and scheduled jobs "
                    "(0: none, when `passerelle worker` processes run them)."
                ),
            ),
        ] = 1,
        data_dir: DataDir = None,
    ) -> None:
        """Serve the web console at http://HOST:PORT/ and receive shop webhooks at
        POST /webhooks/<profile>: verified, then queued for the workers (WooCommerce,
        Shopify, BigCommerce; see docs/webhooks.md)."""
        from passerelle.profiles import data_dir_from
        from passerelle.runner import open_store
        from passerelle.runner.worker_threads import WorkerThreads
        from passerelle.store.repositories.users import users_of
        from passerelle.webhooks import ProfileSettings, Rejected, serve

        directory = data_dir_from(data_dir)
        store = open_store(directory)
        profiles = ProfileSettings(directory)
        for name in profiles.repository.names():
            try:
                settings = profiles.get(name)
            except Rejected as refused:
                console.print(f"  {name}: [yellow]{refused.reason}[/yellow]", highlight=False)
            else:
                console.print(
                    "  "
                    + _(
                        "%(name)s: %(platform)s deliveries to %(url)s",
                        name=name,
                        platform=settings.platform,
                        url=f"http://{host}:{port}/webhooks/{name}",
                    ),
                    highlight=False,
                )
        url = f"http://{host}:{port}/"
        console.print("  " + _("Console: %(url)s", url=url), highlight=False, markup=False)
        if not users_of(store).list():
            hint = _("No console user yet: add one with `passerelle user add NAME`.")
            console.print("  " + hint, style="yellow", highlight=False, markup=False)
        with WorkerThreads(directory, store, workers):
            serve(
                build_app(directory, store),
                host=host,
                port=port,
                forwarded_allow_ips=forwarded_allow_ips,
            )
