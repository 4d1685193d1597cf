"""Where a verified order delivery goes: the job queue, behind a one-method protocol.

The receiver only *accepts* work (DESIGN: "webhooks verify the signature and
only queue work"): recording the delivery and queueing the order's import
happen in the store, in one transaction, and the worker does the rest. The
protocol keeps the receiver testable without a database and lets another
queue be plugged in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

__all__ = ["DeliveryQueue", "QueueSink", "WebhookSink"]


class WebhookSink(Protocol):
    def accept(
        self, profile: str, source: str, delivery_id: str, topic: str, resource_id: str
    ) -> bool:
        """Take one order event; True when new, False when this delivery was seen before."""
        ...


class DeliveryQueue(Protocol):
    """The part of the store's job queue (``passerelle.store.queue``) a sink needs."""

    def accept_delivery(
        self,
        profile: str,
        source: str,
        delivery_id: str,
        *,
        flow: str,
        payload: dict[str, Any],
        dedupe_key: str,
        lane: str,
        shop_key: str,
    ) -> Any:
        """Record the delivery and queue its job; None when the delivery was recorded before."""
        ...


class QueueSink:
    """Each new order delivery becomes an ``import-orders`` job for that order.

    ``dedupe_key`` ``order:<id>``: while a job for the order waits, more
    deliveries about it (created, then paid, then updated) join it instead of
    queueing more imports. ``shop_key`` comes from the profile, for the
    per-shop concurrency limit.
    """

    def __init__(self, queue: DeliveryQueue, shop_key: Callable[[str], str]) -> None:
        self.queue = queue
        self.shop_key = shop_key

    def accept(
        self, profile: str, source: str, delivery_id: str, topic: str, resource_id: str
    ) -> bool:
        from passerelle.runner.jobs import JOBS  # the runner loads every flow: only when used

        kind = JOBS["import-orders"]
        job = self.queue.accept_delivery(
            profile,
            source,
            delivery_id,
            flow=kind.name,
            payload={"order_ids": [resource_id]},
            dedupe_key=f"order:{resource_id}",
            lane=kind.lane,
            shop_key=self.shop_key(profile),
        )
        return job is not None
