"""``/webhooks``: webhooks kept like WooCommerce keeps them, and delivered like it delivers them.

Docs: woocommerce-rest-api-docs ``wp-api-v3/_webhooks.md`` (properties ``id,
name, status, topic, resource, event, hooks, delivery_url, secret`` (write
only), dates; create / retrieve / list (``status`` = all, active, paused,
disabled) / update / delete (``force``) / batch; § Delivery/payload, §
Logging: "After 5 consecutive failed deliveries ... the webhook is disabled").
Behaviour from ``class-wc-rest-webhooks-v1-controller.php`` and
``class-wc-webhook.php``:

- ``topic`` and ``delivery_url`` are required (``rest_missing_callback_param``);
  a topic outside the core topics and ``action.*`` is
  ``woocommerce_rest_shop_webhook_invalid_topic``, a URL not http(s) is
  ``woocommerce_rest_shop_webhook_invalid_delivery_url`` (400);
- a new webhook is ``active`` whatever ``status`` was posted, named "Webhook
  created on <date>" without a name, with a random 50-character secret
  without one (``wp_generate_password(50, true, true)``); the 201 answer is
  built, then a ping (``webhook_id=N``) is posted to the URL, whose failure
  does not fail the creation;
- the secret is never rendered; an unknown id is 400 "ID is invalid." for
  read and update, 404 "Invalid ID." for delete, and delete needs
  ``force=true`` (``woocommerce_rest_trash_not_supported``, 501);
- ``hooks`` are the topic's WordPress actions (``get_default_topic_hooks``);
- delivery: when an order is created (``woocommerce_new_order``), updated
  (``woocommerce_update_order``) or trashed, each ``active`` webhook of that
  topic gets the order as ``GET /orders/<id>`` renders it (``{"id": N}`` for
  ``deleted``), signed, in the background (Action Scheduler), once: a failure
  is counted (a 2xx, 301 or 302 answer resets the count) and the webhook is
  disabled when the count was already over 5 (``failed_delivery``). Nothing
  is retried.

Sandbox deviations: only order topics deliver (products, coupons and
customers are accepted and listed but never fire); WordPress refuses delivery
URLs on private or loopback addresses (``wp_safe_remote_request``), which the
sandbox must allow since everything here runs on loopback.
"""

from __future__ import annotations

import secrets
import string
import time
from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from passerelle.sandbox.webhook_sender import (
    WebhookSender,
    woocommerce_delivery,
    woocommerce_delivery_id,
    woocommerce_ping,
)

from ..errors import ApiError, missing_param
from ..http import NAMESPACE, Request, Response, Router, wp_json_encode
from ..pagination import paginate
from ..params import SITE_TZ, Params
from .common import (
    Shop,
    crud_routes,
    filter_dates,
    filter_ids,
    links,
    order_and_sort,
    set_dates,
)

__all__ = ["STATUSES", "TOPIC_HOOKS", "WebhookService", "register"]

STATUSES = ("active", "paused", "disabled")
# WC_Webhook::get_default_topic_hooks: the valid core topics and their actions.
TOPIC_HOOKS: dict[str, list[str]] = {
    "coupon.created": ["woocommerce_process_shop_coupon_meta", "woocommerce_new_coupon"],
    "coupon.updated": ["woocommerce_process_shop_coupon_meta", "woocommerce_update_coupon"],
    "coupon.deleted": ["wp_trash_post"],
    "coupon.restored": ["untrashed_post"],
    "customer.created": [
        "user_register",
        "woocommerce_created_customer",
        "woocommerce_new_customer",
    ],
    "customer.updated": ["profile_update", "woocommerce_update_customer"],
    "customer.deleted": ["delete_user"],
    "order.created": ["woocommerce_new_order"],
    "order.updated": [
        "woocommerce_update_order",
        "woocommerce_order_refunded",
        "woocommerce_delete_order_refund",
    ],
    "order.deleted": ["wp_trash_post", "woocommerce_trash_order"],
    "order.restored": ["untrashed_post", "woocommerce_untrash_order"],
    "product.created": [
        "woocommerce_process_product_meta",
        "woocommerce_new_product",
        "woocommerce_new_product_variation",
    ],
    "product.updated": [
        "woocommerce_process_product_meta",
        "woocommerce_update_product",
        "woocommerce_update_product_variation",
    ],
    "product.deleted": ["wp_trash_post"],
    "product.restored": ["untrashed_post"],
    "product.published": ["woocommerce_product_published"],
}
MAX_FAILURES = 5  # woocommerce_max_webhook_delivery_failures
PING_TIMEOUT = 5.0  # wp_remote_post's default; deliveries wait a minute (MINUTE_IN_SECONDS)
WP_VERSION = "6.7.1"  # as the sandbox's system status reports it
_DRAFTS = frozenset({"checkout-draft", "auto-draft"})  # never delivered (is_valid_resource)
_PASSWORD_CHARS = string.ascii_letters + string.digits + "!@#$%^&*()-_ []{}<>~`+=,.;:/?|"

RenderOrder = Callable[[dict[str, Any]], dict[str, Any]]


def _valid_topic(topic: str) -> bool:
    """``wc_is_webhook_valid_topic``: a core topic, or ``action.<hook>``."""
    return topic in TOPIC_HOOKS or (topic.startswith("action.") and len(topic) > 7)


def _valid_url(url: str) -> bool:
    """``wc_is_valid_url``: http(s) with a host."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


class WebhookService:
    """Webhook records and their deliveries. The store's lock is held by callers."""

    def __init__(
        self,
        shop: Shop,
        sender: WebhookSender,
        *,
        site_url: Callable[[], str],
        render_order: RenderOrder,
        wc_version: str,
    ) -> None:
        self.shop = shop
        self.sender = sender
        self.site_url = site_url
        self.render_order = render_order
        self.user_agent = f"WooCommerce/{wc_version} Hookshot (WordPress/{WP_VERSION})"
        self.salt = secrets.token_hex(32)  # wp_salt('auth'), new for each sandbox run
        self.clock: Callable[[], float] = time.time  # a test may freeze the delivery second

    def get(
        self, record_id: int, *, status: int = 400, message: str = "ID is invalid."
    ) -> dict[str, Any]:
        hook = self.shop.data.webhooks.get(record_id)
        if hook is None:
            raise ApiError(status, "woocommerce_rest_shop_webhook_invalid_id", message)
        return hook

    # -- records ------------------------------------------------------------------------------
    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("id"):
            raise ApiError(
                400, "woocommerce_rest_shop_webhook_exists", "Cannot create existing shop_webhook."
            )
        missing = [k for k in ("topic", "delivery_url") if k not in body]
        if missing:
            raise missing_param(missing)
        p = Params({}, body, {})
        p.enum("status", STATUSES)  # validated by the schema, then ignored on create
        topic = str(body.get("topic") or "").lower()
        if not _valid_topic(topic):
            raise ApiError(
                400,
                "woocommerce_rest_shop_webhook_invalid_topic",
                "Webhook topic is required and must be valid.",
            )
        url = str(body.get("delivery_url") or "")
        if not _valid_url(url):
            raise _invalid_url()
        moment = self.shop.now()
        name = p.string("name") or "Webhook created on " + moment.astimezone(SITE_TZ).strftime(
            "%b %d, %Y @ %I:%M %p"
        )
        secret = p.string("secret") or "".join(secrets.choice(_PASSWORD_CHARS) for _ in range(50))
        hook: dict[str, Any] = {
            "id": self.shop.store.next_id("webhook"),
            "name": name,
            "status": "active",
            "topic": topic,
            "delivery_url": url,
            "secret": secret,
            "failure_count": 0,
            "pending_delivery": True,
        }
        set_dates(hook, moment, created=True)
        self.shop.data.webhooks[hook["id"]] = hook
        self.shop.store.mark_dirty()
        return hook

    def update(self, record_id: int, body: dict[str, Any]) -> dict[str, Any]:
        hook = self.get(record_id)
        p = Params({}, body, {})
        topic = str(body.get("topic") or "").lower()
        if topic:
            if not _valid_topic(topic):
                raise ApiError(
                    400,
                    "woocommerce_rest_shop_webhook_invalid_topic",
                    "Webhook topic must be valid.",
                )
            hook["topic"] = topic
        url = str(body.get("delivery_url") or "")
        if url:
            if not _valid_url(url):
                raise _invalid_url()
            hook["delivery_url"] = url
        if body.get("secret"):
            hook["secret"] = str(body["secret"])
        status = p.enum("status", STATUSES)
        if status:
            hook["status"] = status
            if status == "active":
                hook["failure_count"] = 0
        if body.get("name"):
            hook["name"] = str(body["name"])
        set_dates(hook, self.shop.now(), created=False)
        self.shop.store.mark_dirty()
        return hook

    def delete(self, record_id: int, force: bool) -> dict[str, Any]:
        if not force:
            raise ApiError(
                501, "woocommerce_rest_trash_not_supported", "Webhooks do not support trashing."
            )
        hook = self.get(record_id, status=404, message="Invalid ID.")
        del self.shop.data.webhooks[record_id]
        self.shop.store.mark_dirty()
        return hook

    def render(self, req: Request, record: dict[str, Any]) -> dict[str, Any]:
        hook = record
        resource, _, event = hook["topic"].partition(".")
        hooks = [event] if resource == "action" else list(TOPIC_HOOKS.get(hook["topic"], []))
        return {
            "id": hook["id"],
            "name": hook["name"],
            "status": hook["status"],
            "topic": hook["topic"],
            "resource": resource,
            "event": event,
            "hooks": hooks,
            "delivery_url": hook["delivery_url"],
            **{
                k: hook[k]
                for k in ("date_created", "date_created_gmt", "date_modified", "date_modified_gmt")
            },
            "_links": links(req, "webhooks", hook["id"]),
        }

    # -- delivery -----------------------------------------------------------------------------
    def ping(self, webhook_id: int) -> None:
        """``deliver_ping``, sent in the creating request; only a 200 counts."""
        with self.shop.store.lock:
            hook = self.shop.data.webhooks.get(webhook_id)
            if hook is None:
                return
            delivery = woocommerce_ping(
                url=hook["delivery_url"], webhook_id=webhook_id, user_agent=self.user_agent
            )
        if self.sender.send(delivery, timeout=PING_TIMEOUT) == 200:
            with self.shop.store.lock:
                hook["pending_delivery"] = False
                self.shop.store.mark_dirty()

    def order_event(self, event: str, order: dict[str, Any]) -> None:
        """An order was created, updated or trashed: queue one delivery per active webhook."""
        topic = f"order.{event}"
        targets = [
            h
            for h in self.shop.data.webhooks.values()
            if h["status"] == "active" and h["topic"] == topic
        ]
        if not targets or order.get("status") in _DRAFTS:
            return
        payload = {"id": order["id"]} if event == "deleted" else self.render_order(order)
        body = wp_json_encode(payload)
        now = self.clock()
        for hook in targets:
            delivery = woocommerce_delivery(
                url=hook["delivery_url"],
                secret=hook["secret"],
                webhook_id=hook["id"],
                topic=topic,
                body=body,
                source=f"{self.site_url()}/",
                delivery_id=woocommerce_delivery_id(hook["id"], now, self.salt),
                user_agent=self.user_agent,
            )
            self.sender.submit(delivery, partial(self._delivered, hook["id"]))

    def _delivered(self, webhook_id: int, status: int | None) -> None:
        """``log_delivery``: success resets the failure count, a failure may disable."""
        with self.shop.store.lock:
            hook = self.shop.data.webhooks.get(webhook_id)
            if hook is None:
                return
            if status is not None and 200 <= status < 303:
                hook["failure_count"] = 0
            elif hook["failure_count"] > MAX_FAILURES:
                hook["status"] = "disabled"
            else:
                hook["failure_count"] += 1
            self.shop.store.mark_dirty()


def _invalid_url() -> ApiError:
    return ApiError(
        400,
        "woocommerce_rest_shop_webhook_invalid_delivery_url",
        "Webhook delivery URL must be a valid URL starting with http:// or https://.",
    )


def register(router: Router, service: WebhookService) -> WebhookService:
    shop = service.shop
    lock = shop.store.lock
    base = f"/{NAMESPACE}/webhooks"

    def list_route(req: Request) -> Response:
        p = req.params
        with lock:
            status = p.enum("status", ["all", *STATUSES], "all")
            items = [h for h in shop.data.webhooks.values() if status in ("all", h["status"])]
            search = (p.string("search") or "").casefold()
            if search:
                items = [h for h in items if search in h["name"].casefold()]
            items, include = filter_ids(items, p)
            items = filter_dates(items, p)
            items = order_and_sort(
                items,
                p,
                {
                    "date": lambda h: h["date_created_gmt"],
                    "id": lambda h: h["id"],
                    "title": lambda h: h["name"],
                },
                default_orderby="date",
                default_order="desc",
                include=include,
            )
            page, headers = paginate(items, p, collection_url=req.url(base), query=req.query)
            return Response([service.render(req, h) for h in page], headers=headers)

    crud_routes(
        router,
        "webhooks",
        service,
        shop.store,
        list_route=list_route,
        after_create=lambda hook: service.ping(hook["id"]),
    )
    return service
