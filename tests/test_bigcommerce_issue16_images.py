"""Issue 16, BigCommerce: product and variant images (C7).

The sandbox's ``/v3/catalog/products/{id}/images`` and ``…/variants/{id}/image`` follow
``reference/catalog/products_catalog.v3.yml`` and ``product-variants_catalog.v3.yml``
(``passerelle/sandbox/bigcommerce/images.py`` cites each rule): the store downloads the
``image_url`` (loopback allowed here), refuses what the docs refuse, renames the file and
serves it at four CDN addresses, shrinking only an image larger than the address's box.
The connector's writes are read back raw (``tests/conformance/readback/bigcommerce.py``):
the bytes served, keyed by SHA-256.
"""

# The store/http fixtures are those of the catalogue tests, imported (pytest finds them by
# name, so each test's parameter "redefines" them for ruff).
# ruff: noqa: F811

from __future__ import annotations

import hashlib
import io
import ssl
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from PIL import Image

from passerelle.connectors.base import ProductWrite, WriteOutcome
from passerelle.connectors.bigcommerce.connector import BigCommerceShop
from passerelle.demo_data import demo_png
from passerelle.i18n.messages import render
from passerelle.model import MediaRef, ProductDraft
from passerelle.runner import Runner
from passerelle.sandbox.bigcommerce import BigCommerceSandbox
from passerelle.sandbox.bigcommerce.platform import BigCommercePlatform
from tests.conformance.conftest import (  # noqa: F401 - fixtures
    PlatformWorld,
    platform,
    tryton_demo_template,
)
from tests.conformance.readback import reader
from tests.conformance.test_fields_read_back import _tryton_images
from tests.integration.catalogue_helpers import file_server
from tests.test_bigcommerce_issue16_catalogue import (  # noqa: F401 - fixtures
    _connector,
    http,
    store,
)

CHAIR = {"name": "Chaise", "type": "physical", "weight": 3.5, "price": 49.9, "sku": "CHAIR"}
RED, GREEN, BLUE = demo_png((200, 30, 30)), demo_png((30, 160, 60)), demo_png((30, 60, 200))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def files(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """The merchant's published files, served on loopback."""
    folder = tmp_path / "public"
    with file_server(folder) as url:
        yield folder, url


def publish(files: tuple[Path, str], name: str, data: bytes) -> MediaRef:
    """A file as ``flows.media`` publishes it: named after its digest."""
    folder, url = files
    digest = sha(data)
    stored = f"{digest[:16]}-{name}"
    (folder / stored).write_bytes(data)
    return MediaRef(name=stored, url=url + stored, digest=digest)


def _pair(files: tuple[Path, str]) -> tuple[MediaRef, MediaRef]:
    """Red then blue, published."""
    return publish(files, "a.png", RED), publish(files, "b.png", BLUE)


def _draft(sku: str, *images: MediaRef, **changes: Any) -> ProductDraft:
    return ProductDraft(
        sku=sku, name=f"Produit {sku}", regular_price=Decimal("20"), images=images, **changes
    )


def _served(store: BigCommercePlatform, url: str) -> bytes:
    verify = ssl.create_default_context(cafile=str(store.sandbox.ca_bundle))
    with httpx.Client(verify=verify) as client:
        answer = client.get(url)
    assert answer.status_code == 200
    return answer.content


def _image_writes(store: BigCommercePlatform) -> list[tuple[str, str]]:
    return [
        (e.method, e.path)
        for e in store.sandbox.exchanges
        if "/image" in e.path and e.method != "GET"
    ]


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 20, 30)).save(out, format="PNG")
    return out.getvalue()


def _size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size


# ----------------------------------------------------------------------------- sandbox
def test_an_image_url_is_downloaded_renamed_and_served_unchanged_when_it_fits(
    store: BigCommercePlatform, http: httpx.Client, files: tuple[Path, str]
) -> None:
    pid = http.post("/v3/catalog/products", json=CHAIR).json()["data"]["id"]
    assert http.get(f"/v3/catalog/products/{pid}/images").status_code == 204
    ref = publish(files, "photo.png", RED)
    made = http.post(f"/v3/catalog/products/{pid}/images", json={"image_url": ref.url})
    assert made.status_code == 200
    image = made.json()["data"]
    stem = ref.name.removesuffix(".png")
    folder, sub, name = image["image_file"].split("/")
    assert len(folder) == 1 and len(sub) == 3 and name.startswith(f"{stem}__")
    for field, box in (("url_zoom", "1280.1280"), ("url_tiny", "66.100")):
        assert f".{box}.png?c=2" in image[field]
        assert _served(store, image[field]) == RED  # 8x8: within every box
    assert store.sandbox.images.downloads == [(ref.url, ref.digest)]
    listed = http.get(f"/v3/catalog/products/{pid}/images").json()["data"]
    assert [i["id"] for i in listed] == [image["id"]]


def test_an_image_larger_than_an_address_box_is_served_shrunk_there(
    store: BigCommercePlatform, http: httpx.Client, files: tuple[Path, str]
) -> None:
    pid = http.post("/v3/catalog/products", json=CHAIR).json()["data"]["id"]
    big = _png(1400, 700)
    ref = publish(files, "big.png", big)
    image = http.post(f"/v3/catalog/products/{pid}/images", json={"image_url": ref.url}).json()[
        "data"
    ]
    assert _size(_served(store, image["url_zoom"])) == (1280, 640)
    assert _size(_served(store, image["url_standard"])) == (560, 280)
    assert _size(_served(store, image["url_tiny"])) == (66, 33)
    # Deterministic: the same copy every time.
    assert _served(store, image["url_zoom"]) == _served(store, image["url_zoom"])


def test_what_the_docs_refuse_is_refused(
    http: httpx.Client, files: tuple[Path, str], tmp_path: Path
) -> None:
    pid = http.post("/v3/catalog/products", json=CHAIR).json()["data"]["id"]
    path = f"/v3/catalog/products/{pid}/images"
    assert http.post(path, json={"is_thumbnail": True}).status_code == 422
    long_url = files[1] + "x" * 250 + ".png"
    assert http.post(path, json={"image_url": long_url}).status_code == 422
    text = publish(files, "notice.png", b"not an image at all")
    assert http.post(path, json={"image_url": text.url}).status_code == 400
    assert http.post(path, json={"image_url": files[1] + "missing.png"}).status_code == 400
    assert http.post(path, json={"image_url": "ftp://example.org/a.png"}).status_code == 400
    good = publish(files, "a.png", RED)
    assert (
        http.post("/v3/catalog/products/9999/images", json={"image_url": good.url}).status_code
        == 404
    )
    # image_url as a form field: the operation's own 422 example.
    form = http.post(path, data={"image_url": good.url}, files={"x": ("", b"")})
    assert form.status_code == 422
    assert form.json()["title"] == "image_url must be present if uploading by url"
    upload = http.post(path, files={"image_file": ("upload.png", GREEN, "image/png")})
    assert upload.status_code == 200 and "/upload__" in upload.json()["data"]["image_file"]
    assert http.get(f"{path}/9999").status_code == 404


def test_one_thumbnail_a_product_and_a_deleted_image_is_gone(
    http: httpx.Client, files: tuple[Path, str]
) -> None:
    pid = http.post("/v3/catalog/products", json=CHAIR).json()["data"]["id"]
    path = f"/v3/catalog/products/{pid}/images"
    first = http.post(
        path, json={"image_url": publish(files, "a.png", RED).url, "is_thumbnail": True}
    )
    second = http.post(path, json={"image_url": publish(files, "b.png", BLUE).url})
    a, b = first.json()["data"]["id"], second.json()["data"]["id"]
    assert http.put(f"{path}/{b}", json={"is_thumbnail": True}).status_code == 200
    thumbs = {i["id"]: i["is_thumbnail"] for i in http.get(path).json()["data"]}
    assert thumbs == {a: False, b: True}
    assert http.put(f"{path}/{b}", json={"sort_order": "first"}).status_code == 422
    assert http.delete(f"{path}/{a}").status_code == 204
    assert http.delete(f"{path}/{a}").status_code == 404
    assert http.delete(f"/v3/catalog/products/{pid}").status_code == 204
    assert http.get(path).status_code == 404


def test_a_variant_takes_one_gif_jpeg_or_png_image(
    store: BigCommercePlatform, http: httpx.Client, files: tuple[Path, str]
) -> None:
    made = http.post(
        "/v3/catalog/products",
        json={
            **CHAIR,
            "variants": [
                {
                    "sku": "CHAIR-R",
                    "option_values": [{"option_display_name": "Couleur", "label": "Rouge"}],
                }
            ],
        },
    )
    product = made.json()["data"]
    vid = next(v["id"] for v in product["variants"] if v["option_values"])
    path = f"/v3/catalog/products/{product['id']}/variants/{vid}/image"
    bmp = io.BytesIO()
    Image.new("RGB", (4, 4)).save(bmp, format="BMP")
    refused = http.post(path, json={"image_url": publish(files, "v.bmp", bmp.getvalue()).url})
    assert refused.status_code == 422
    for data in (RED, BLUE):  # the second overwrites the first
        answer = http.post(path, json={"image_url": publish(files, "v.png", data).url})
        assert answer.status_code == 200
    url = answer.json()["data"]["image_url"]
    assert "/product_images/attribute_rule_images/" in url
    assert _served(store, url) == BLUE
    assert (
        http.post(f"/v3/catalog/products/{product['id']}/variants/9999/image", json={}).status_code
        == 404
    )


# --------------------------------------------------------------------------- connector
def test_a_new_product_gets_its_images_in_order_read_back_by_their_bytes(
    store: BigCommercePlatform, files: tuple[Path, str]
) -> None:
    red, blue = publish(files, "a.png", RED), publish(files, "b.png", BLUE)
    with _connector(store) as shop:
        (outcome,) = shop.write_products([ProductWrite("p", _draft("POT-1", red, blue))])
    assert outcome.ok and "images" not in outcome.unsupported
    assert set(outcome.media_ids) == {red.digest, blue.digest}
    assert all(v.startswith(f"{outcome.shop_id}/") for v in outcome.media_ids.values())
    assert reader("bigcommerce").read_product(store, "POT-1")["images"] == (sha(RED), sha(BLUE))


def test_an_update_with_the_same_images_sends_no_file_and_writes_nothing(
    store: BigCommercePlatform, files: tuple[Path, str]
) -> None:
    red, blue = _pair(files)
    with _connector(store) as shop:
        (made,) = shop.write_products([ProductWrite("p", _draft("POT-1", red, blue))])
        bound = tuple(replace(r, shop_id=made.media_ids[r.digest]) for r in (red, blue))
        before = len(store.sandbox.images.downloads)
        store.sandbox.exchanges.clear()
        (again,) = shop.write_products(
            [ProductWrite("p", _draft("POT-1", *bound), made.shop_id, frozenset({"images"}))]
        )
    assert again.ok and again.media_ids == made.media_ids
    assert _image_writes(store) == []
    assert len(store.sandbox.images.downloads) == before


def test_an_image_is_recognised_by_its_digest_even_renamed_by_the_store(
    store: BigCommercePlatform, files: tuple[Path, str]
) -> None:
    """Nothing bound (a lost binding): the published name's digest prefix is enough."""
    red = publish(files, "Photo-Rouge.png", RED)
    with _connector(store) as shop:
        (made,) = shop.write_products([ProductWrite("p", _draft("POT-1", red))])
        for image in store.sandbox.data["product_images"].values():  # shortened, lower case
            image["image_file"] = f"a/001/{red.digest[:16]}-photo__12345.png"
        store.sandbox.exchanges.clear()
        (again,) = shop.write_products(
            [ProductWrite("p", _draft("POT-1", red), made.shop_id, frozenset({"images"}))]
        )
    assert again.ok and _image_writes(store) == []
    assert again.media_ids == made.media_ids


def test_replace_leaves_exactly_the_draft_images_in_the_new_order(
    store: BigCommercePlatform, http: httpx.Client, files: tuple[Path, str]
) -> None:
    red, blue, green = (
        publish(files, n, d) for n, d in (("a.png", RED), ("b.png", BLUE), ("c.png", GREEN))
    )
    with _connector(store) as shop:
        (made,) = shop.write_products([ProductWrite("p", _draft("POT-1", red, blue))])
        pid = made.shop_id
        hand = publish(files, "hand.png", demo_png((1, 2, 3)))
        http.post(f"/v3/catalog/products/{pid}/images", json={"image_url": hand.url})
        store.sandbox.exchanges.clear()
        (updated,) = shop.write_products(
            [ProductWrite("p", _draft("POT-1", green, blue), pid, frozenset({"images"}))]
        )
        assert updated.ok
        # Red and the merchant's go, green comes; blue stays second: not touched.
        assert [m for m, _p in _image_writes(store)] == ["DELETE", "DELETE", "POST"]
        read = reader("bigcommerce")
        assert read.read_product(store, "POT-1")["images"] == (sha(GREEN), sha(BLUE))
        store.sandbox.exchanges.clear()
        bound = [replace(r, shop_id=updated.media_ids[r.digest]) for r in (blue, green)]
        (swapped,) = shop.write_products(
            [ProductWrite("p", _draft("POT-1", *bound), pid, frozenset({"images"}))]
        )
    assert swapped.ok and [m for m, _p in _image_writes(store)] == ["PUT", "PUT"]
    assert read.read_product(store, "POT-1")["images"] == (sha(BLUE), sha(GREEN))


def test_keep_leaves_the_merchants_images_and_removes_only_ours(
    store: BigCommercePlatform, http: httpx.Client, files: tuple[Path, str]
) -> None:
    red, blue = _pair(files)
    with _connector(store) as shop:
        (made,) = shop.write_products([ProductWrite("p", _draft("POT-1", red, blue))])
        pid = made.shop_id
        hand = publish(files, "hand.png", GREEN)
        http.post(
            f"/v3/catalog/products/{pid}/images", json={"image_url": hand.url, "sort_order": 9}
        )
        (kept,) = shop.write_products(
            [
                ProductWrite(
                    "p",
                    _draft("POT-1", replace(blue, shop_id=made.media_ids[blue.digest])),
                    pid,
                    frozenset({"images"}),
                    keep_other_images=True,
                    own_media_ids=frozenset(made.media_ids.values()),
                )
            ]
        )
    assert kept.ok
    assert reader("bigcommerce").read_product(store, "POT-1")["images"] == (sha(BLUE), sha(GREEN))


def test_a_variation_image_goes_to_its_variant_and_is_sent_once(
    store: BigCommercePlatform, files: tuple[Path, str]
) -> None:
    red = publish(files, "red.png", RED)
    variation = _draft("TSH-RED", red, kind="variation", variation_options=(("Couleur", "Rouge"),))
    with _connector(store) as shop:
        (parent,) = shop.write_products([ProductWrite("t", _draft("TSH", kind="variable"))])
        (made,) = shop.write_variations(str(parent.shop_id), [ProductWrite("v", variation)])
        assert made.ok and made.media_ids == {red.digest: f"{made.shop_id}/image"}
        assert reader("bigcommerce").read_product(store, "TSH-RED")["images"] == (sha(RED),)
        store.sandbox.exchanges.clear()
        bound = replace(variation, images=(replace(red, shop_id=made.media_ids[red.digest]),))
        (again,) = shop.write_variations(
            str(parent.shop_id),
            [ProductWrite("v", bound, made.shop_id, frozenset({"images"}))],
        )
    assert again.ok and _image_writes(store) == []


def _parent_and_variation(
    shop: BigCommerceShop, ref: MediaRef, ids: tuple[str, str] | None
) -> tuple[WriteOutcome, WriteOutcome]:
    """TSH showing its variation TSH-RED's picture (parent_image_from_variant), as the flow
    sends them: the parent first, the variation referring to the file by its binding."""
    fields = None if ids is None else frozenset({"images"})
    (parent,) = shop.write_products(
        [ProductWrite("t", _draft("TSH", ref, kind="variable"), ids and ids[0], fields)]
    )
    bound = replace(ref, shop_id=parent.media_ids[ref.digest])
    variation = _draft(
        "TSH-RED", bound, kind="variation", variation_options=(("Couleur", "Rouge"),)
    )
    (child,) = shop.write_variations(
        str(parent.shop_id), [ProductWrite("v", variation, ids and ids[1], fields)]
    )
    assert parent.ok and child.ok, (parent.error, child.error)
    return parent, child


def test_a_picture_the_parent_shares_with_its_variation_is_sent_once_to_each(
    store: BigCommercePlatform, files: tuple[Path, str]
) -> None:
    """One file, one binding naming both places: neither is sent the file again."""
    red = publish(files, "red.png", RED)
    with _connector(store) as shop:
        parent, child = _parent_and_variation(shop, red, None)
        shop_id = child.media_ids[red.digest]
        assert set(shop_id.split("|")) == {
            parent.media_ids[red.digest],
            f"{child.shop_id}/image",
        }
        store.sandbox.exchanges.clear()
        ids = (str(parent.shop_id), str(child.shop_id))
        _again, child_again = _parent_and_variation(shop, replace(red, shop_id=shop_id), ids)
    assert child_again.media_ids[red.digest] == shop_id and _image_writes(store) == []
    read = reader("bigcommerce")
    assert read.read_product(store, "TSH")["images"] == (sha(RED),)
    assert read.read_product(store, "TSH-RED")["images"] == (sha(RED),)


def test_a_file_the_store_cannot_download_is_that_records_error_and_others_go_on(
    store: BigCommercePlatform, files: tuple[Path, str]
) -> None:
    red = publish(files, "a.png", RED)
    lost = MediaRef(name="lost.png", url=files[1] + "lost.png", digest="0" * 64)
    with _connector(store) as shop:
        broken, fine = shop.write_products(
            [
                ProductWrite("p", _draft("POT-1", lost)),
                ProductWrite("q", _draft("POT-2", red)),
            ]
        )
    assert not broken.ok and broken.shop_id  # created: found by SKU next time
    message = render(broken.error)
    assert "lost.png" in message and files[1] + "lost.png" in message and "POT-1" in message
    assert fine.ok
    assert reader("bigcommerce").read_product(store, "POT-2")["images"] == (sha(RED),)


# ------------------------------------------------------------------------------- flows
def _with_media(platform: PlatformWorld, publish_dir: Path, public_url: str) -> None:
    data = platform.profile.model_dump()
    data["catalogue"]["media"] |= {"publish_dir": publish_dir, "public_url": public_url}
    platform.profile = type(platform.profile).model_validate(data)


def _export(platform: PlatformWorld) -> None:
    for flow in ("export-categories", "export-products"):
        platform.run(flow)


@pytest.mark.parametrize("platform", [("tryton", "bigcommerce")], indirect=True)
def test_the_flow_sends_the_items_images_once_and_the_store_serves_their_bytes(
    platform: PlatformWorld, tmp_path: Path
) -> None:
    published = tmp_path / "public"
    with file_server(published) as url:
        _with_media(platform, published, url)
        _export(platform)
        box = cast(BigCommerceSandbox, platform.shop.sandbox)
        expected = tuple(sha(data) for data in _tryton_images(platform, "POT-001"))
        assert len(expected) == 2
        assert reader("bigcommerce").read_product(platform.shop, "POT-001")["images"] == expected
        before = len(box.images.downloads)
        box.exchanges.clear()
        _export(platform)  # nothing changed: no file sent, nothing written
    assert len(box.images.downloads) == before
    assert [e.path for e in box.exchanges if "/image" in e.path] == []


@pytest.mark.parametrize("platform", [("tryton", "bigcommerce")], indirect=True)
def test_a_file_the_store_cannot_fetch_is_parked_in_the_merchants_words(
    platform: PlatformWorld, tmp_path: Path
) -> None:
    published, elsewhere = tmp_path / "public", tmp_path / "elsewhere"
    with file_server(elsewhere) as url:  # the public address serves another folder
        _with_media(platform, published, url)
        platform.run("export-categories")
        runner = Runner(platform.data_dir, store=platform.store, console=platform.console)
        summary = runner.run(platform.profile, "export-products")
    assert summary.status.value == "with_problems"
    reasons = [p.reason for p in platform.store.parked(platform.profile.name, severity="error")]
    pot = [r for r in reasons if "POT-001" in r]
    assert pot and all("could not download it from " + url in r for r in pot), reasons
    # The other records went on.
    assert reader("bigcommerce").read_product(platform.shop, "PLT-001")["sku"] == "PLT-001"
