"""The media gallery's exchanges (C7 images) against Magento's official OpenAPI extract.

What the connector sends and the sandbox answers for a product's images — uploads, the
list, a removal, a kept image made the cover — and the refusals asked directly, replayed
against ``admin-schema-2.4.9`` (``tests/data/openapi/magento``) as
``test_magento_sandbox.py`` replays the other flows; the connector's gallery endpoints
are exactly ``GALLERY_ENDPOINTS``.
"""

from __future__ import annotations

import base64
import hashlib
import ssl
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from passerelle.connectors.base import ProductWrite
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.magento.connector import MagentoShop
from passerelle.connectors.magento.endpoints import GALLERY_ENDPOINTS
from passerelle.demo_data import demo_png
from passerelle.model import MediaRef, ProductDraft
from passerelle.sandbox.magento import MagentoSandbox
from tests.integration.catalogue_helpers import file_server
from tests.sandbox.test_magento_sandbox import _check, _Spec


def _drive(sandbox: MagentoSandbox, folder: Path, url: str) -> None:
    refs = []
    for index, colour in enumerate(((9, 9, 9), (99, 99, 99), (199, 199, 199))):
        data = demo_png(colour)
        (folder / f"img-{index}.png").write_bytes(data)
        refs.append(
            MediaRef(f"img-{index}.png", url + f"img-{index}.png", hashlib.sha256(data).hexdigest())
        )
    shop = MagentoShop(sandbox.url, sandbox.token, options=HttpOptions(verify=sandbox.ca_bundle))
    try:
        draft = ProductDraft(sku="IMG-1", name="Images", regular_price=Decimal("3"), images=())
        made = shop.write_products([ProductWrite("i", replace(draft, images=tuple(refs[:2])))])[0]
        assert made.ok, made.error
        kept = replace(refs[1], shop_id=made.media_ids[refs[1].digest])
        again = shop.write_products(
            [
                ProductWrite(
                    "i", replace(draft, images=(kept, refs[2])), "IMG-1", frozenset({"images"})
                )
            ]
        )[0]
        assert again.ok, again.error
    finally:
        shop.close()


def _refusals(sandbox: MagentoSandbox) -> None:
    with httpx.Client(
        base_url=f"{sandbox.url}/rest/default/V1/",
        verify=ssl.create_default_context(cafile=str(sandbox.ca_bundle)),
        headers={"Authorization": f"Bearer {sandbox.token}"},
    ) as client:
        content = {"base64_encoded_data": base64.b64encode(b"text").decode(), "type": "image/png"}
        entry = {"media_type": "image", "label": "x", "position": 1, "disabled": False}
        refused = client.post(
            "products/IMG-1/media",
            json={"entry": {**entry, "types": [], "content": {**content, "name": "a.png"}}},
        )
        assert refused.status_code == 400
        assert client.delete("products/IMG-1/media/999999").status_code == 404
        assert client.get("products/IMG-1/media/999999").status_code == 404


def test_the_gallery_exchanges_conform_to_the_official_openapi(tmp_path: Path) -> None:
    sandbox = MagentoSandbox(None, cert_dir=tmp_path / "tls").start()
    sandbox.record_exchanges = True
    try:
        with file_server(tmp_path / "public") as url:
            _drive(sandbox, tmp_path / "public", url)
        connector = list(sandbox.exchanges)
        _refusals(sandbox)
    finally:
        sandbox.stop()
    spec = _Spec()
    assert [p for e in sandbox.exchanges for p in _check(spec, e)] == []
    covered: set[tuple[str, str]] = set()
    for exchange in connector:
        found = spec.operation(exchange["method"], exchange["path"])
        assert found is not None, (exchange["method"], exchange["path"])
        covered.add((exchange["method"], found[0]))
    assert {c for c in covered if "/media" in c[1]} == GALLERY_ENDPOINTS
    statuses: dict[str, Any] = {e["method"]: e["status"] for e in sandbox.exchanges[-3:]}
    assert statuses == {"POST": 400, "DELETE": 404, "GET": 404}
