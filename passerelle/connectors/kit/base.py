"""The plumbing every HTTP shop connector has: identity, request count, retries, close.

Each connector talks to its shop through one wire client that owns a
:class:`~passerelle.connectors.http.RetryingClient` (``client.http``). What the
runner asks of any connector around the work itself — which shop it is, how
many requests it sent, who hears of a retry, closing the connection — is the
same for all of them, so it is written once here. A connector that sends
requests through something else too (Shopify's bulk downloads) adds those.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Generic, Protocol, Self, TypeVar

from passerelle.connectors.base import address_identity
from passerelle.connectors.http import RetryingClient

__all__ = ["HttpShop", "WireClient", "without_scheme"]


class WireClient(Protocol):
    """A platform's wire client, as the kit sees it: its HTTP client and its address."""

    @property
    def http(self) -> RetryingClient: ...

    @property
    def site_url(self) -> str: ...


ClientT = TypeVar("ClientT", bound=WireClient)


def without_scheme(url: str) -> str:
    """``https://host:port/path`` -> ``host:port/path``: a platform's own name for a
    shop when its API address names it (Shopify's myshopify.com domain, BigCommerce's
    store hash), kept exactly as it was first recorded."""
    return url.split("://", 1)[-1]


class HttpShop(Generic[ClientT]):
    """Base of the HTTP shop connectors: the parts of the ``Shop`` protocol that are
    only plumbing over ``self.client.http``.

    ``identity`` defaults to the shop's address (host, port unless 443, path), what
    a platform without a store id of its own is called; a platform with one
    overrides it.
    """

    platform: ClassVar[str]
    client: ClientT

    @property
    def identity(self) -> str:
        """The shop's address, recorded by the profile at its first contact and kept."""
        return address_identity(self.client.site_url)

    @property
    def request_count(self) -> int:
        """Requests sent so far, retries included (what the journal reports)."""
        return self.client.http.request_count

    @property
    def request_seconds(self) -> float:
        """Seconds spent waiting for the shop's answers so far (the metrics' latency)."""
        return self.client.http.request_seconds

    def on_retry(self, listener: Callable[[str], None] | None) -> None:
        """Tell ``listener`` of each retry as it happens (the runner's journal)."""
        self.client.http.on_retry = listener

    def close(self) -> None:
        self.client.http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
