"""``passerelle sandbox KIND``: one command per registered shop platform with a sandbox.

The commands are made from the platform registry, so a new platform's sandbox is
on the command line as soon as it is registered, with the same options as the
others: its address and CA to trust, then the ``[shop]`` table and environment
variables a profile pointing at it needs, printed before it serves until Ctrl-C.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from passerelle.cli.common import DataDir
from passerelle.i18n import _
from passerelle.platforms import ShopPlatform, shop_kinds_with_sandbox, shop_platforms

__all__ = ["register", "sandbox_kinds"]

Port = Annotated[int, typer.Option(help=_("TCP port on 127.0.0.1 (0: any free port)."))]
Latency = Annotated[float, typer.Option(help=_("Seconds added to every answer."))]
FaultRate = Annotated[float, typer.Option(help=_("Share of requests that fail (0 to 1)."))]
FaultKinds = Annotated[
    str,
    typer.Option(help=_("What a failing request gets, comma list: 429,500,timeout,malformed.")),
]
RateLimit = Annotated[
    float | None,
    typer.Option(help=_("Requests a second before answering 429 (none: no limit).")),
]
StateDir = Annotated[
    Path | None,
    typer.Option(help=_("State and TLS files (default: the data directory's sandbox/).")),
]


def sandbox_kinds() -> list[str]:
    """The kinds of the registered shop platforms that have a sandbox, in registration order."""
    return list(shop_kinds_with_sandbox())


def register(sandbox_app: typer.Typer) -> None:
    """Add ``sandbox KIND`` to ``sandbox_app`` for every platform with a sandbox."""
    for kind in sandbox_kinds():
        platform = shop_platforms()[kind]
        sandbox_app.command(kind, help=_help(platform))(_command(platform))


def _help(platform: ShopPlatform) -> str:
    return _(
        "Serve the %(platform)s sandbox on loopback until Ctrl-C, seeded with the demo shop, "
        "and print what a profile needs to use it.",
        platform=platform.label,
    )


def _command(platform: ShopPlatform) -> Callable[..., None]:
    """The command's function; its signature (read by typer) lists only the options
    this platform's sandbox accepts."""

    def command(
        port: Port = platform.sandbox_port,
        latency: Latency = 0.0,
        fault_rate: FaultRate = 0.0,
        fault_kinds: FaultKinds = "500",
        rate_limit: RateLimit = None,
        state_dir: StateDir = None,
        data_dir: DataDir = None,
    ) -> None:
        options: dict[str, Any] = {"port": port, "latency": latency}
        if rate_limit is not None:
            options["rate_limit"] = rate_limit
        serve(platform, state_dir, data_dir, fault_rate, fault_kinds, options)

    # Typer reads the signature: the annotations resolved (this module postpones
    # them), without the extras this platform's sandbox does not take.
    signature = inspect.signature(command, eval_str=True)
    kept = [
        parameter
        for name, parameter in signature.parameters.items()
        if name != "rate_limit" or "rate_limit" in platform.sandbox_extras
    ]
    command.__signature__ = signature.replace(parameters=kept)  # type: ignore[attr-defined]
    command.__name__ = f"sandbox_{platform.kind}"
    return command


def serve(
    platform: ShopPlatform,
    state_dir: Path | None,
    data_dir: Path | None,
    fault_rate: float,
    fault_kinds: str,
    options: dict[str, Any],
) -> None:
    """Start ``platform``'s sandbox, print how to reach it, serve until Ctrl-C, stop."""
    import tomli_w

    from passerelle.profiles import data_dir_from
    from passerelle.sandbox.kit import faults_at, run_in_foreground

    kinds = tuple(k.strip() for k in fault_kinds.split(",") if k.strip())
    try:
        faults = faults_at(fault_rate, kinds)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    directory = state_dir or data_dir_from(data_dir) / "sandbox"
    # A platform's ShopSandbox (sandbox/platforms.py); run_in_foreground only stops it.
    started = platform.start_sandbox(directory, faults=faults, **options)
    shop = started.profile_shop()
    ca_bundle = shop.get("http", {}).get("ca_bundle") or _("(none)")
    lines = [
        _("%(platform)s sandbox: %(url)s", platform=platform.label, url=started.url),
        _("CA certificate to trust: %(path)s", path=ca_bundle),
        _("State files: %(path)s", path=directory),
        "",
        _("A profile's shop table:"),
        tomli_w.dumps({"shop": shop}).rstrip(),
        "",
        _("Environment variables the profile's secrets name:"),
        *(f"export {name}={value}" for name, value in started.secrets().items()),
    ]
    run_in_foreground(started, lines)
