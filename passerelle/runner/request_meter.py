"""A run's shop requests, counted and timed, kept with the run for the metrics.

Every HTTP shop counts its requests and the time spent waiting for answers
(:class:`~passerelle.connectors.kit.base.HttpShop`); a shop handed to several
runs (a test's, an XML file's) keeps counting, so the meter takes what the
shop says at the start of the run and keeps the difference at its end.
"""

from __future__ import annotations

from dataclasses import dataclass

from passerelle.connectors.base import Shop
from passerelle.store import Store

__all__ = ["RequestMeter"]


def _requests(shop: Shop) -> int:
    # Read leniently: a test's stand-in shop may count nothing, and a run must not
    # fail for want of a number only the metrics use.
    return int(getattr(shop, "request_count", 0))


def _seconds(shop: Shop) -> float:
    # Not part of the Shop protocol: a shop that sends no HTTP (an XML file) has none.
    return float(getattr(shop, "request_seconds", 0.0))


@dataclass
class RequestMeter:
    """What ``shop`` had sent when the run started."""

    shop: Shop
    platform: str
    requests: int
    seconds: float

    @classmethod
    def start(cls, shop: Shop, platform: str) -> RequestMeter:
        return cls(
            shop, getattr(shop, "platform", None) or platform, _requests(shop), _seconds(shop)
        )

    def record(self, store: Store, run_id: int) -> None:
        """Keep the requests sent since :meth:`start` with run ``run_id``."""
        store.record_shop_requests(
            run_id,
            self.platform,
            max(_requests(self.shop) - self.requests, 0),
            max(_seconds(self.shop) - self.seconds, 0.0),
        )
