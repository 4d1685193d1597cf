"""``profile create``'s shop options, generated from the platforms' registrations.

Each registered platform lists the connection settings ``profile create``
asks for (:class:`~passerelle.platforms.ProfileOption`); the command gets one
option per distinct flag (``--shop-url`` is shared by the platforms that have
an address), and fills the ``[shop]`` table of the kind chosen with
``--shop`` from them. A new platform's options appear without editing the CLI.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any

import typer

from passerelle.cli.language import translated
from passerelle.i18n import _
from passerelle.platforms import ProfileOption, ShopPlatform

__all__ = ["OptionProblem", "shop_table", "with_platform_options"]


class OptionProblem(ValueError):
    """The options given do not fit the platform chosen; says which to give instead."""


def _param(flag: str) -> str:
    return flag.replace("-", "_")


def _flags(platforms: Mapping[str, ShopPlatform]) -> dict[str, tuple[ProfileOption, list[str]]]:
    """Each flag → (its first declaration, the labels of the platforms taking it)."""
    flags: dict[str, tuple[ProfileOption, list[str]]] = {}
    for platform in platforms.values():
        for option in platform.profile_options:
            first, labels = flags.setdefault(option.flag, (option, []))
            labels.append(platform.label)
    return flags


def with_platform_options(
    command: Callable[..., None], platforms: Mapping[str, ShopPlatform]
) -> Callable[..., None]:
    """``command`` (whose ``**shop_values`` collects the platform options) with one
    typer option per flag the ``platforms`` declare, as typer reads a signature."""
    signature = inspect.signature(command, eval_str=True)
    fixed = [p for p in signature.parameters.values() if p.kind is not p.VAR_KEYWORD]
    extra = []
    for flag, (option, labels) in _flags(platforms).items():
        help_text = translated(option.help)
        if len(labels) > 1:
            help_text += f" ({', '.join(labels)})"
        extra.append(
            inspect.Parameter(
                _param(flag),
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[
                    str | None, typer.Option(f"--{flag}", help=help_text, show_default=False)
                ],
            )
        )
    names = {p.name for p in fixed}

    def generated(**values: Any) -> None:
        given = {k: v for k, v in values.items() if k in names}
        command(**given, **{k: v for k, v in values.items() if k not in names})

    generated.__name__ = command.__name__
    generated.__doc__ = command.__doc__
    params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in fixed]
    generated.__signature__ = signature.replace(parameters=[*params, *extra])  # type: ignore[attr-defined]
    generated.__annotations__ = {p.name: p.annotation for p in [*params, *extra]}
    return generated


def shop_table(
    platform: ShopPlatform, values: Mapping[str, str | None], *, ca_bundle: Path | None
) -> dict[str, Any]:
    """The ``[shop]`` table of a new profile from the options given on the command line."""
    own = {_param(option.flag) for option in platform.profile_options}
    foreign = sorted(k for k, v in values.items() if v is not None and k not in own)
    if foreign:
        flags = ", ".join("--" + k.replace("_", "-") for k in foreign)
        raise OptionProblem(
            _(
                "%(flags)s: not an option of %(platform)s shops",
                flags=flags,
                platform=platform.label,
            )
        )
    missing = [
        "--" + option.flag
        for option in platform.profile_options
        if option.required and values.get(_param(option.flag)) is None
    ]
    if missing:
        raise OptionProblem(
            _(
                "a %(platform)s shop needs %(flags)s",
                platform=platform.label,
                flags=", ".join(missing),
            )
        )
    table: dict[str, Any] = {"kind": platform.kind}
    for option in platform.profile_options:
        value = values.get(_param(option.flag))
        if value is not None:
            table[option.field] = value
    if ca_bundle is not None:
        table["http"] = {"ca_bundle": str(ca_bundle.absolute())}
    return table
