"""What the catalogue feature tests share: a profile with options, the shop's records,
the back-office edits a merchant makes, the requests a run sent, a file server."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from trytond.pool import Pool

from passerelle.connectors.tryton.database import session
from passerelle.demo_files import serve_folder
from passerelle.profiles import Profile
from passerelle.runner import RunSummary
from tests.integration.conftest import World

__all__ = [
    "Sent",
    "api_product",
    "file_server",
    "meta",
    "product_by_sku",
    "run_counting",
    "set_attribute",
    "set_product",
    "sha256",
    "variations_of",
    "with_options",
]


def with_options(world: World, **tables: dict[str, Any]) -> Profile:
    """The world's profile with ``catalogue`` tables (and top-level options) merged in."""
    data = world.profile.model_dump(mode="json")
    for name, value in tables.items():
        if isinstance(value, dict) and isinstance(data["catalogue"].get(name), dict):
            data["catalogue"][name] = {**data["catalogue"][name], **value}
        else:
            data["catalogue"][name] = value
    return Profile.model_validate(data)


def product_by_sku(world: World, sku: str) -> dict[str, Any]:
    found = [
        p
        for p in world.sandbox.data.products.values()
        if p["sku"] == sku and p["status"] != "trash"
    ]
    assert len(found) == 1, f"{len(found)} shop products carry SKU {sku}"
    return found[0]


def api_product(world: World, sku: str) -> dict[str, Any]:
    """The product as the shop's API shows it (images with their src, name and id)."""
    from tests.integration.test_flow_rules import api

    (product,) = [p for p in api(world, "GET", f"products?sku={sku}").json() if p["sku"] == sku]
    return product


def variations_of(world: World, product: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        world.sandbox.data.variations[v]["sku"]: world.sandbox.data.variations[v]
        for v in product["variations"]
    }


def meta(record: dict[str, Any], key: str) -> Any:
    values = [m["value"] for m in record["meta_data"] if m["key"] == key]
    return values[0] if values else None


class Sent:
    """The requests one run sent: all of them, and the writes among them."""

    def __init__(self, requests: list[tuple[str, str]], summary: RunSummary) -> None:
        self.requests = requests
        self.summary = summary

    @property
    def writes(self) -> list[tuple[str, str]]:
        return [(m, p) for m, p in self.requests if m != "GET"]


def run_counting(
    world: World, flow: str, profile: Profile | None = None, *, outcome: str = "succeeded"
) -> Sent:
    """Run ``flow`` and keep its requests; ``outcome`` is how the run must end
    ("with_problems" when records are parked for a person)."""
    world.sandbox.reset_requests()
    summary = world.run(flow, profile)
    assert summary.status == outcome, summary
    return Sent(list(world.sandbox.requests), summary)


def set_product(world: World, item_code: str, /, **values: Any) -> None:
    """A merchant's edit of a variant (``product.product``) in the back-office."""
    from trytond.transaction import Transaction

    with session(world.target), Transaction().set_context(active_test=False):
        Product = Pool().get("product.product")
        (product,) = Product.search([("code", "=", item_code)])
        Product.write([product], values)


def set_attribute(world: World, code: str, name: str, value: Any) -> None:
    """A merchant's edit of one custom field of an item (a Tryton product attribute)."""
    with session(world.target):
        Product = Pool().get("product.product")
        (product,) = Product.search([("code", "=", code)])
        attributes = dict(product.attributes or {})
        attributes[name] = value
        Product.write([product], {"attributes": attributes})


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@contextmanager
def file_server(directory: Path) -> Iterator[str]:
    """Serve ``directory`` over HTTP on loopback, as the merchant's web server would."""
    with serve_folder(directory, port=0) as url:
        yield url
