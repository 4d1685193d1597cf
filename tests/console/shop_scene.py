"""A profile on the WooCommerce sandbox and the memory back-office, for the status and
stock pages: the back-office is one object the test holds (every build of the profile's
back-office returns it), so a change made in it is what the next read sees."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from passerelle.connectors.memory import MemoryBackOffice
from passerelle.model import Item
from passerelle.profiles import ProfileRepository
from passerelle.runner import run_now
from passerelle.sandbox.woocommerce import WooSandbox

PROFILE = "boutique"
WAREHOUSE = "WH"


@dataclass
class Scene:
    sandbox: WooSandbox
    backoffice: MemoryBackOffice
    data_dir: Path

    def add_item(self, item_id: str, code: str, name: str, quantity: int = 5) -> Item:
        item = Item(item_id, code, name, Decimal("12.50"))
        self.backoffice.items[item_id] = item
        self.backoffice.set_stock(item_id, WAREHOUSE, Decimal(quantity))
        return item


@contextmanager
def shop_scene(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, mode: str = "production"
) -> Iterator[Scene]:
    """The sandbox shop (empty), the memory back-office, and the profile naming both."""
    monkeypatch.setenv("SCENE_WC_KEY", "ck_demo")
    monkeypatch.setenv("SCENE_WC_SECRET", "cs_demo")
    with WooSandbox(data_dir / "shop.json", seed=False, cert_dir=data_dir / "tls") as sandbox:
        backoffice = MemoryBackOffice()
        monkeypatch.setattr(run_now, "build_backoffice", lambda settings, directory: backoffice)
        repo = ProfileRepository(data_dir)
        repo.save(
            repo.validate(
                {
                    "name": PROFILE,
                    "mode": mode,
                    "backoffice": {"kind": "memory"},
                    "shop": {
                        "url": sandbox.url,
                        "consumer_key": "env:SCENE_WC_KEY",
                        "consumer_secret": "env:SCENE_WC_SECRET",
                        "http": {"timeout": 5, "max_tries": 1, "ca_bundle": str(sandbox.ca_bundle)},
                    },
                    "catalogue": {"default_tax_class": "standard"},
                    "orders": {
                        "shipping_item": "SHIPPING",
                        "misc_item": "MISC",
                        "gift_wrap_item": "WRAP",
                        "gap_item": "GAP",
                    },
                }
            )
        )
        yield Scene(sandbox, backoffice, data_dir)
