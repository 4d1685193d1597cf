"""The sandbox finds a SKU and a free slug through indexes, with the answers of a walk.

WooCommerce looks a SKU up with one indexed SQL query (``wc_product_meta_lookup``),
WordPress a slug with one (``wp_posts.post_name``); the sandbox keeps indexes of its
own, so these check that it never answers other than reading every product and
variation would: case ignored, trash left out, products before variations, and
records that changed since (SKU rewritten, deleted, added straight into the data,
loaded from the state file).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from passerelle.sandbox.woocommerce import WooSandbox
from passerelle.sandbox.woocommerce.errors import ApiError

API = "/wc/v3"


def _walk(sandbox: WooSandbox, sku: str) -> dict[str, Any] | None:
    """What the look-up answered before the index: every record read in turn."""
    for pool in (sandbox.data.products, sandbox.data.variations):
        for item in pool.values():
            if item["sku"].casefold() == sku.casefold() and item.get("status") != "trash":
                return item
    return None


def _found(sandbox: WooSandbox, sku: str) -> dict[str, Any] | None:
    return sandbox._products.find_by_sku(sku)  # noqa: SLF001


def _refused(sandbox: WooSandbox, method: str, route: str, body: dict[str, Any]) -> int:
    with pytest.raises(ApiError) as refused:
        sandbox.call(method, route, body)
    assert refused.value.code == "product_invalid_sku"
    return int(refused.value.extra_data["resource_id"])


def test_the_sku_index_answers_as_a_walk_over_every_record(tmp_path: Path) -> None:
    with WooSandbox(tmp_path / "shop.json", seed=False, cert_dir=tmp_path / "tls") as sandbox:
        kit = sandbox.call("POST", f"{API}/products", {"name": "Kit", "sku": "Kit-1"})
        assert (
            _refused(sandbox, "POST", f"{API}/products", {"name": "K", "sku": "kit-1"}) == kit["id"]
        )
        tee = sandbox.call(
            "POST",
            f"{API}/products",
            {
                "name": "Tee",
                "type": "variable",
                "sku": "TEE",
                "attributes": [{"name": "Size", "options": ["S", "M"], "variation": True}],
            },
        )
        small = sandbox.call(
            "POST",
            f"{API}/products/{tee['id']}/variations",
            {"sku": "TEE-S", "attributes": [{"name": "Size", "option": "S"}]},
        )
        assert (
            _refused(sandbox, "POST", f"{API}/products", {"name": "T", "sku": "tee-s"})
            == small["id"]
        )
        # A SKU rewritten frees the old one; a trashed product's and a deleted one's are free.
        sandbox.call("PUT", f"{API}/products/{kit['id']}", {"sku": "Kit-2"})
        again = sandbox.call("POST", f"{API}/products", {"name": "Kit again", "sku": "KIT-1"})
        sandbox.call("DELETE", f"{API}/products/{again['id']}")  # to the trash
        sandbox.call(
            "PUT", f"{API}/products/{tee['id']}/variations/{small['id']}", {"sku": "TEE-SMALL"}
        )
        sandbox.call("DELETE", f"{API}/products/{kit['id']}", query={"force": "true"})
        # Straight into the data, as benchmarks seed a catalogue.
        sandbox.seed_products(3, prefix="SEED-")
        for sku in ("Kit-1", "kit-2", "TEE", "tee-s", "TEE-small", "SEED-00002", "none"):
            assert _found(sandbox, sku) is _walk(sandbox, sku), sku
        assert _found(sandbox, "kit-2") is None and _found(sandbox, "kit-1") is None
        assert _found(sandbox, "tee-small") is sandbox.data.variations[small["id"]]
        assert _found(sandbox, "seed-00002") is not None
        sandbox.call("POST", f"{API}/products", {"name": "Kit back", "sku": "Kit-2"})
        _refused(sandbox, "POST", f"{API}/products", {"name": "S", "sku": "seed-00001"})
        # Slugs: free ones as WordPress numbers them, a product keeping its own.
        slugs = [
            sandbox.call("POST", f"{API}/products", {"name": name})["slug"]
            for name in ("Kit", "Kit", "Produit SEED-00001")
        ]
        assert slugs == ["kit", "kit-2", "produit-seed-00001-2"]  # the first Kit was deleted
        renamed = sandbox.call("PUT", f"{API}/products/{tee['id']}", {"name": "Tee", "slug": "tee"})
        assert renamed["slug"] == "tee"
    with WooSandbox(tmp_path / "shop.json", seed=False, cert_dir=tmp_path / "tls") as restarted:
        for sku in ("Kit-2", "TEE", "TEE-SMALL", "SEED-00003"):
            assert _found(restarted, sku) is not None and _found(restarted, sku) is _walk(
                restarted, sku
            )
