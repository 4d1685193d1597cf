"""A profile's ``[webhooks]`` table made ready to check deliveries with.

Profiles are read from the data directory on demand and kept until their file
changes, so a merchant who edits a profile (a new secret, another network)
needs no restart, and a delivery does not pay for TOML and keyring each time.
Secrets are resolved here, held in memory only, and never put in a message.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from passerelle.platforms import UnknownPlatform, shop_platform
from passerelle.profiles import Profile, ProfileError, ProfileRepository, SecretError
from passerelle.profiles.secrets import resolve_secret
from passerelle.webhooks.delivery import Delivery, Expected, Rejected

__all__ = ["ProfileSettings", "ReceiverSettings", "verifier_for"]

Verifier = Callable[[Mapping[str, str], bytes, Expected], Delivery]


def verifier_for(kind: str) -> Verifier | None:
    """How a shop platform's deliveries are verified, as its registration says; None for
    a platform without signed webhooks (PrestaShop, Magento: their orders come by the poll).
    """
    try:
        platform = shop_platform(kind)
    except UnknownPlatform:
        return None
    verifier: Verifier | None = platform.verifier()
    return verifier


_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")  # Profile.name's pattern
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class ReceiverSettings:
    """One profile's receiver: who may deliver, and what a delivery is checked with."""

    profile: Profile = field(repr=False)
    secret: str = field(repr=False)
    networks: tuple[IPNetwork, ...]
    max_age: int
    # (lower-case name, value) each delivery must carry
    headers: tuple[tuple[str, str], ...] = field(repr=False)

    @property
    def platform(self) -> str:
        return self.profile.shop.kind

    def allows(self, host: str | None) -> bool:
        """R10: whether a client address may deliver (any, when no network is listed)."""
        if not self.networks:
            return True
        try:
            address = ipaddress.ip_address(host or "")
        except ValueError:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        return any(address in network for network in self.networks)

    def check_headers(self, headers: Mapping[str, str]) -> None:
        """The headers the profile requires, compared in constant time (401 otherwise)."""
        for name, value in self.headers:
            given = headers.get(name)
            if given is None or not hmac.compare_digest(given.encode(), value.encode()):
                raise Rejected(401, f"header {name!r} missing or not the expected value")

    def verify(self, headers: Mapping[str, str], body: bytes, now: float) -> Delivery:
        self.check_headers(headers)
        expected = Expected(self.secret, self.max_age, now, self.profile.shop)
        verify = verifier_for(self.platform)
        if verify is None:  # the profile's shop changed platform since it was loaded
            raise Rejected(404, f"{self.platform} sends no signed webhooks")
        return verify(headers, body, expected)


class ProfileSettings:
    """Receiver settings by profile name, from ``<data dir>/profiles``, cached by file time."""

    def __init__(self, data_dir: Path) -> None:
        self.repository = ProfileRepository(data_dir)
        self._cache: dict[str, tuple[int, ReceiverSettings]] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> ReceiverSettings:
        """The settings, or :class:`Rejected`: 404 when this profile takes no webhooks,
        503 when it should but cannot be checked now (invalid profile, secret missing)."""
        try:  # the repository refuses a name that is not plain or leads outside its folder
            path = self.repository.path(name) if _NAME.fullmatch(name) else None
        except ProfileError:
            path = None
        if path is None or not path.is_file():
            raise Rejected(404, f"no profile {name!r}")
        stamp = path.stat().st_mtime_ns
        with self._lock:
            cached = self._cache.get(name)
            if cached is not None and cached[0] == stamp:
                return cached[1]
        settings = self._load(name)
        with self._lock:
            self._cache[name] = (stamp, settings)
        return settings

    def _load(self, name: str) -> ReceiverSettings:
        try:
            profile = self.repository.load(name)
        except ProfileError as exc:
            raise Rejected(503, f"profile {name!r} cannot be read: {exc}") from None
        options = profile.webhooks
        if verifier_for(profile.shop.kind) is None:
            raise Rejected(404, f"profile {name!r}: {profile.shop.kind} sends no signed webhooks")
        if options.secret is None:
            raise Rejected(404, f"profile {name!r} takes no webhooks ([webhooks] secret unset)")
        try:
            secret = resolve_secret(options.secret, field="webhooks.secret")
            headers = tuple(
                (header.lower(), resolve_secret(ref, field=f"webhooks.headers.{header}"))
                for header, ref in options.headers.items()
            )
        except SecretError as exc:
            raise Rejected(503, f"profile {name!r}: {exc}") from None
        networks = tuple(ipaddress.ip_network(n) for n in options.allow_ips)
        return ReceiverSettings(profile, secret, networks, options.max_age_seconds, headers)

    def profile(self, name: str) -> Profile:
        """The profile behind a name the receiver accepted (for the sink's shop key)."""
        return self.get(name).profile
