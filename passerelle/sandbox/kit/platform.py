"""What every platform's ``platform.py`` shares: the started sandbox behind the
platform-neutral contract of ``sandbox/platforms.py`` (url, request log, stop) and
how it is started under a state directory."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from .sandbox import LoopbackSandbox

__all__ = ["Merchant", "MerchantPlatform", "SandboxPlatform", "start_under"]

S = TypeVar("S", bound=LoopbackSandbox)


class SandboxPlatform(Generic[S]):  # noqa: UP046 - Python 3.11 has no PEP 695 syntax
    """The part of a ``ShopSandbox`` that only forwards to the sandbox."""

    def __init__(self, sandbox: S) -> None:
        self.sandbox = sandbox

    @property
    def url(self) -> str:
        return self.sandbox.url

    @property
    def requests(self) -> list[tuple[str, str]]:
        return self.sandbox.requests

    def reset_requests(self) -> None:
        self.sandbox.reset_requests()

    def stop(self) -> None:
        self.sandbox.stop()

    def http_options(self) -> dict[str, Any]:
        """A profile's ``[shop.http]`` table trusting the sandbox's CA."""
        return {"ca_bundle": str(self.sandbox.ca_bundle), "timeout": 10}


class Merchant(Protocol):
    """What a buyer and the merchant do in the shop (a platform's test hooks)."""

    def place_order(self, lines: Mapping[str, int], *, state: str = "paid") -> str: ...

    def set_order_state(self, order_id: str, state: str) -> None: ...

    def delete_product(self, sku: str) -> None: ...


class MerchantPlatform(SandboxPlatform[S]):
    """A platform whose test hooks are one :class:`Merchant` object's."""

    merchant: Merchant

    def place_order(self, lines: Mapping[str, int], *, state: str = "paid") -> str:
        return self.merchant.place_order(lines, state=state)

    def set_order_state(self, order_id: str, state: str) -> None:
        self.merchant.set_order_state(order_id, state)

    def delete_product(self, sku: str) -> None:
        self.merchant.delete_product(sku)


def start_under(factory: Callable[..., S], state_dir: Path, kind: str, **options: Any) -> S:
    """``factory(state_dir/<kind>.json, cert_dir=state_dir/tls, **options)``, started:
    every file of the sandbox under ``state_dir``."""
    state_dir.mkdir(parents=True, exist_ok=True)
    sandbox = factory(state_dir / f"{kind}.json", cert_dir=state_dir / "tls", **options)
    return sandbox.start()
