"""The one place a shop platform or a back-office is registered, and found again.

A platform is one :class:`ShopPlatform` (a back-office one
:class:`BackOfficePlatform`) handed to :func:`register_shop`
(:func:`register_backoffice`): its settings model, how its connector is built
from those settings and the secrets they name, and what the rest of
passerelle asks of it (webhook verification, sandbox, ``profile create``
options, capabilities). The profiles validate their ``shop`` and
``backoffice`` tables against the registered models; the runner, the CLI and
the webhook receiver find everything else here. Connectors themselves know
nothing of profiles.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any, TypeVar

from passerelle.connectors.base import BackOffice, Shop
from passerelle.connectors.http import HttpOptions
from passerelle.i18n.messages import M_, Message, SaidError
from passerelle.platforms.secrets import SecretResolver, resolve_secret
from passerelle.platforms.settings import BackOfficeSettingsBase, ShopSettingsBase, http_options
from passerelle.platforms.support import Decision

__all__ = [
    "CAPABILITIES",
    "BackOfficePlatform",
    "ProfileOption",
    "ShopPlatform",
    "UnknownPlatform",
    "backoffice_platform",
    "backoffice_platforms",
    "build_backoffice",
    "build_shop",
    "default_backoffice",
    "register_backoffice",
    "register_shop",
    "shop_kinds_with_sandbox",
    "shop_platform",
    "shop_platforms",
    "start_sandbox",
]

#: What a shop connector may do; a platform lists the ones it does.
CAPABILITIES: tuple[str, ...] = (
    "read_products",
    "write_products",
    "categories",
    "stock",
    "customers",
    "customer_groups",
    "orders",
    "shipments",
    "webhooks",
)


class UnknownPlatform(SaidError, LookupError):
    """No platform of that kind is registered; the message (kept, see
    :func:`passerelle.i18n.messages.said`) names the known ones."""

    def __init__(self, message: Message) -> None:
        super().__init__(message)
        self.said: Message = message


@dataclass(frozen=True)
class ProfileOption:
    """One ``profile create`` option: the settings field it fills and its command-line flag.

    Platforms asking the same thing (the shop's address) share a flag, so
    ``--shop-url`` means the same for every platform that has one.
    """

    field: str  # the settings field it fills
    flag: str  # without the leading dashes: "shop-url"
    help: str
    secret: bool = False  # a reference (env:VARIABLE or keyring:SERVICE/USER), not a value
    required: bool = True


def _load(reference: str) -> Any:
    """The object a ``"module:name"`` reference names, imported only when asked for."""
    module, _, name = reference.partition(":")
    return getattr(import_module(module), name)


ShopBuilder = Callable[[Any, SecretResolver, HttpOptions], Shop]
BackOfficeBuilder = Callable[[Any, SecretResolver, Path], BackOffice]


@dataclass(frozen=True)
class ShopPlatform:
    """Everything passerelle needs to know about one shop platform."""

    kind: str
    label: str
    settings: type[ShopSettingsBase]
    #: (settings, secret resolver, HTTP options) -> the connector; imports it lazily.
    build: ShopBuilder
    capabilities: frozenset[str]
    #: What ``profile create --shop KIND`` asks for.
    profile_options: tuple[ProfileOption, ...] = ()
    #: ``[orders]`` entries ``profile create`` writes: the platform's own order
    #: status names, so a new profile's ``profile test`` finds them in the shop.
    profile_orders: Mapping[str, Any] = field(default_factory=dict)
    #: "module:function" verifying a signed webhook delivery (None: no webhooks).
    webhook_verifier: str | None = None
    #: "module:start" starting the platform's sandbox (a ``ShopSandbox``, see
    #: passerelle.sandbox.platforms); the only place a sandbox is registered.
    sandbox: str | None = None
    #: The port ``passerelle sandbox KIND`` listens on by default (one per platform,
    #: so several sandboxes run side by side; 0: any free port).
    sandbox_port: int = 0
    #: Options of ``passerelle sandbox KIND`` beyond the common ones that this
    #: sandbox accepts: ``"rate_limit"`` (requests a second before a 429).
    sandbox_extras: frozenset[str] = frozenset()
    #: The capability matrix's row of this platform: every option of
    #: ``passerelle.platforms.matrix.OPTIONS`` (its profile path) → what the
    #: platform does with it (a test holds it complete).
    supports: Mapping[str, Decision] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.capabilities) - set(CAPABILITIES)
        if unknown:
            raise ValueError(  # internal: a platform declared in the code
                f"{self.kind}: unknown capabilities {sorted(unknown)}"
            )

    def verifier(self) -> Callable[..., Any] | None:
        """The webhook verifier, imported now (the webhook receiver asks for it)."""
        return _load(self.webhook_verifier) if self.webhook_verifier else None

    def start_sandbox(self, state_dir: Path, **options: Any) -> Any:
        """Start the platform's sandbox with its state (and TLS files) under ``state_dir``:
        a ``passerelle.sandbox.platforms.ShopSandbox``, not named here since the
        flows, which import the platforms, may not import the sandboxes."""
        if self.sandbox is None:
            raise UnknownPlatform(M_("%(platform)s has no sandbox", platform=self.label))
        return _load(self.sandbox)(state_dir, **options)


@dataclass(frozen=True)
class BackOfficePlatform:
    """Everything passerelle needs to know about one back-office."""

    kind: str
    label: str
    settings: type[BackOfficeSettingsBase]
    #: (settings, secret resolver, data directory) -> the connector; imports it lazily.
    build: BackOfficeBuilder
    #: The back-office of a profile whose ``[backoffice]`` names no kind.
    default: bool = False


_SHOPS: dict[str, ShopPlatform] = {}
_BACKOFFICES: dict[str, BackOfficePlatform] = {}


_P = TypeVar("_P", ShopPlatform, BackOfficePlatform)


def _register(table: dict[str, _P], platform: _P, what: str) -> _P:
    known = table.get(platform.kind)
    if known is not None and known != platform:
        raise ValueError(  # internal: two platforms of one kind in the code
            f"a {what} of kind {platform.kind!r} is registered already"
        )
    table[platform.kind] = platform
    return platform


def register_shop(platform: ShopPlatform) -> ShopPlatform:
    """Make ``platform`` known to the profiles, the runner and the CLI (once per kind)."""
    return _register(_SHOPS, platform, "shop platform")


def register_backoffice(platform: BackOfficePlatform) -> BackOfficePlatform:
    """Make the back-office known to the profiles and the runner (once per kind)."""
    if platform.default and any(
        p.default for p in _BACKOFFICES.values() if p.kind != platform.kind
    ):
        raise ValueError("only one back-office is the default")  # internal: code
    return _register(_BACKOFFICES, platform, "back-office")


def shop_platform(kind: str) -> ShopPlatform:
    try:
        return _SHOPS[kind]
    except KeyError:
        raise UnknownPlatform(
            M_(
                "this version of passerelle has no connector for the shop platform %(kind)r "
                "(it has: %(known)s)",
                kind=kind,
                known=list(_SHOPS),
            )
        ) from None


def shop_platforms() -> dict[str, ShopPlatform]:
    """Every registered shop platform by kind, in registration order."""
    return dict(_SHOPS)


def shop_kinds_with_sandbox() -> tuple[str, ...]:
    """The kinds of the registered shop platforms that have a sandbox, in registration
    order: what the demo, ``passerelle sandbox`` and the conformance suite may start."""
    return tuple(kind for kind, platform in _SHOPS.items() if platform.sandbox)


def start_sandbox(kind: str, state_dir: Path, **options: Any) -> Any:
    """Start ``kind``'s sandbox with its state under ``state_dir`` (UnknownPlatform
    when no such platform is registered or it has no sandbox)."""
    return shop_platform(kind).start_sandbox(state_dir, **options)


def backoffice_platform(kind: str) -> BackOfficePlatform:
    try:
        return _BACKOFFICES[kind]
    except KeyError:
        raise UnknownPlatform(
            M_(
                "this version of passerelle has no connector for the back-office %(kind)r "
                "(it has: %(known)s)",
                kind=kind,
                known=list(_BACKOFFICES),
            )
        ) from None


def backoffice_platforms() -> dict[str, BackOfficePlatform]:
    return dict(_BACKOFFICES)


def default_backoffice() -> str:
    """The kind a ``[backoffice]`` table without one is."""
    return next(kind for kind, p in _BACKOFFICES.items() if p.default)


def build_shop(settings: ShopSettingsBase, resolve: SecretResolver = resolve_secret) -> Shop:
    """The connector of a profile's shop, its secrets resolved now (and only now)."""
    return shop_platform(settings.kind).build(
        settings, resolve, http_options(settings.http, resolve)
    )


def build_backoffice(
    settings: BackOfficeSettingsBase, data_dir: Path, resolve: SecretResolver = resolve_secret
) -> BackOffice:
    """The connector of a profile's back-office; ``data_dir`` holds its local files."""
    return backoffice_platform(settings.kind).build(settings, resolve, data_dir)
