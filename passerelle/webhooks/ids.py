"""The id a delivery names, checked against the platform's documented type before queueing.

Why here, before the queue: the order id of a delivery becomes a job's
``order_ids`` and then a URL path segment of ``get_order``. A signed body can
still carry anything — a list, a dict, a negative number, ``../products/1``, a
NUL byte, thousands of digits (a buggy plugin, a leaked secret) — and once
queued such an id joins the job of legitimate ids waiting for the same shop.
So each platform module reads the id through :func:`order_id`, and anything
that is not the documented type is answered 400 with nothing queued.

The documented types (all three send a JSON integer, never a string):

- WooCommerce: the order as the REST API renders it, ``id`` "integer",
  a WordPress post id (``BIGINT(20) UNSIGNED``: at most 20 digits).
- Shopify: the REST order, ``id`` an integer (64-bit: at most 19 digits), with
  ``admin_graphql_api_id`` ``gid://shopify/Order/<id>`` beside it.
- BigCommerce: ``data: {"type": "order", "id": 250}`` (``events/index.mdx``).

Reasons never quote the value itself: it may be huge or hold control
characters, and the sender knows what it sent.
"""

from __future__ import annotations

from typing import Any

from passerelle.webhooks.delivery import Rejected

__all__ = ["SHOPIFY_MAX_DIGITS", "WORDPRESS_MAX_DIGITS", "order_id", "plain_id"]

WORDPRESS_MAX_DIGITS = 20  # BIGINT(20) UNSIGNED
SHOPIFY_MAX_DIGITS = 19  # a signed 64-bit integer


def order_id(value: Any, *, field: str, max_digits: int) -> str:
    """``value`` as the order id's text when it is a positive JSON integer of at most
    ``max_digits`` digits; :class:`Rejected` (400) saying what it is otherwise."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise Rejected(
            400, f"the order id ({field}) is {_kind(value)}, not a positive whole number"
        )
    if value <= 0:
        raise Rejected(
            400,
            f"the order id ({field}) is {'zero' if value == 0 else 'negative'}"
            ", not a positive whole number",
        )
    if value >= 10**max_digits:
        raise Rejected(400, f"the order id ({field}) has more than {max_digits} digits")
    return str(value)


def plain_id(value: Any, max_digits: int) -> str:
    """The id of a topic passerelle ignores, for the log and the key only: its text when
    it is a sane id, else empty (such a delivery is acknowledged, never queued)."""
    try:
        return order_id(value, field="id", max_digits=max_digits)
    except Rejected:
        return ""


def _kind(value: Any) -> str:
    """What a JSON value is, in words (never the value itself)."""
    if value is None:
        return "missing"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, str):
        return "a string" if value else "an empty string"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
