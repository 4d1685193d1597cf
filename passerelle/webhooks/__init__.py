"""Webhook receiver (R10): shops push order events, passerelle verifies and queues them.

``passerelle serve`` runs :func:`create_app` with a :class:`QueueSink` over the
store's job queue. Each platform's module says, from its documentation, how a
delivery is signed, dated and de-duplicated (docs/webhooks.md sums them up).
"""

from passerelle.webhooks.app import MAX_BODY_BYTES, create_app
from passerelle.webhooks.delivery import Action, Delivery, Expected, Rejected
from passerelle.webhooks.server import BackgroundServer, serve
from passerelle.webhooks.settings import ProfileSettings, ReceiverSettings, verifier_for
from passerelle.webhooks.sink import DeliveryQueue, QueueSink, WebhookSink

__all__ = [
    "verifier_for",
    "MAX_BODY_BYTES",
    "Action",
    "BackgroundServer",
    "Delivery",
    "DeliveryQueue",
    "Expected",
    "ProfileSettings",
    "QueueSink",
    "ReceiverSettings",
    "Rejected",
    "WebhookSink",
    "create_app",
    "serve",
]
