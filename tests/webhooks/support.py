"""What the webhook tests share: profiles in a data directory, an in-memory sink."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from passerelle.profiles import ProfileRepository
from passerelle.sandbox.webhook_sender import WebhookSender
from passerelle.sandbox.woocommerce import WooSandbox

ORDERS = {
    "shipping_item": "SHIPPING",
    "misc_item": "MISC",
    "gift_wrap_item": "WRAP",
    "gap_item": "GAP",
}
SHOPS: dict[str, dict[str, Any]] = {
    "woocommerce": {
        "kind": "woocommerce",
        "url": "https://shop.example.org",
        "consumer_key": "env:WC_KEY",
        "consumer_secret": "env:WC_SECRET",
    },
    "shopify": {
        "kind": "shopify",
        "url": "https://maison-passerelle.myshopify.com",
        "access_token": "env:SHOPIFY_TOKEN",
    },
    "bigcommerce": {"kind": "bigcommerce", "store_hash": "abcde", "access_token": "env:BC_TOKEN"},
    "prestashop": {
        "kind": "prestashop",
        "url": "https://shop.example.org",
        "api_key": "env:PS_KEY",
    },
}
SECRET = "whsec-test-0123456789abcdef"  # the value behind env:WEBHOOK_SECRET


class MemorySink:
    """The sink protocol over a set: what a queue records, without a database."""

    def __init__(self) -> None:
        self.seen: set[tuple[str, str, str]] = set()
        self.calls: list[tuple[str, str, str, str, str]] = []
        self.accepted: list[tuple[str, str, str, str, str]] = []
        self.fail = False
        self._lock = threading.Lock()

    def accept(
        self, profile: str, source: str, delivery_id: str, topic: str, resource_id: str
    ) -> bool:
        call = (profile, source, delivery_id, topic, resource_id)
        with self._lock:
            self.calls.append(call)
            if self.fail:
                raise RuntimeError("the store is down")
            if (profile, source, delivery_id) in self.seen:
                return False
            self.seen.add((profile, source, delivery_id))
            self.accepted.append(call)
            return True


def write_profile(data_dir: Path, name: str, kind: str, **webhooks: Any) -> None:
    """A valid profile of ``kind`` whose ``[webhooks]`` table is ``webhooks``."""
    data = {
        "name": name,
        "backoffice": {"database": "erp"},
        "shop": dict(SHOPS[kind]),
        "orders": dict(ORDERS),
        "webhooks": webhooks,
    }
    repo = ProfileRepository(data_dir)
    repo.save(repo.validate(data))


@contextmanager
def running_shop(
    folder: Path,
    sender: WebhookSender | None = None,
) -> Iterator[tuple[WooSandbox, httpx.Client]]:
    """A WooCommerce sandbox kept in ``folder`` and a REST client trusting it."""
    with WooSandbox(folder / "shop.json", cert_dir=folder / "certs", webhook_sender=sender) as shop:
        trust = ssl.create_default_context(cafile=str(shop.ca_bundle))
        with httpx.Client(
            base_url=f"{shop.url}/wp-json/wc/v3",
            auth=("ck_demo", "cs_demo"),
            verify=trust,
            timeout=30,
        ) as api:
            yield shop, api
