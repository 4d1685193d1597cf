"""What a verified delivery is, and how one is refused.

Each platform module turns (headers, raw body, secret) into a :class:`Delivery`
or raises :class:`Rejected`; the receiver only maps those to HTTP answers and
to the sink, so the rules of each platform stay in its own module.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum
from typing import Any

__all__ = ["Action", "Delivery", "Expected", "Rejected", "json_body"]


class Action(Enum):
    """What the receiver does with a delivery it answers 200."""

    ORDER = "order"  # queue the import of one order
    IGNORE = "ignore"  # a topic passerelle does not act on (yet): acknowledged, logged
    PING = "ping"  # WooCommerce's test request on creation: acknowledged, nothing queued
    STALE = "stale"  # signed but too old to act on: acknowledged, nothing queued (Shopify)


@dataclass(frozen=True, slots=True)
class Delivery:
    platform: str
    action: Action
    delivery_id: str = ""  # de-duplication key: the same event delivered again has the same
    topic: str = ""
    resource_id: str = ""  # the order id for Action.ORDER


class Rejected(Exception):
    """The delivery is refused with ``status``; ``reason`` is logged and answered.

    Reasons never quote a secret or a signature: they say what was missing or
    wrong, which is all the sender (or an attacker) needs to know.
    """

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def json_body(body: bytes) -> dict[str, Any]:
    """The delivery's JSON object; a signed body that is not one is the sender's error (400)."""
    try:
        decoded = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise Rejected(400, "the body is not JSON") from None
    if not isinstance(decoded, dict):
        raise Rejected(400, "the body is not a JSON object")
    return decoded


@dataclass(frozen=True, slots=True)
class Expected:
    """What a delivery is checked against: the profile's secret and shop, the clock."""

    secret: str
    max_age: int  # seconds a platform-dated delivery may be off from ``now``
    now: float  # seconds since the epoch
    shop: Any  # the profile's ShopSettings (shop domain, store hash)
