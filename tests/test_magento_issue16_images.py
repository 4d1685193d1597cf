"""Issue 16, Magento: a product's images reach its media gallery and read back as sent.

The sandbox's gallery as Magento documents it and does it (``passerelle/sandbox/magento/
media.py``): what ``POST /V1/products/{sku}/media`` accepts and refuses in Magento's
words, how it names the files (dispersion path, lowercase, ``_1`` on a clash), the roles,
the removal, the product save that carries ``media_gallery_entries``, and the original
served as uploaded under ``/media/catalog/product``. Then the connector: images written
on creation and update, replaced or kept, a variation's own, sent once, and a file that
cannot be downloaded parked with the merchant's words. Everything read back raw
(``tests/conformance/readback/magento``: the gallery, then the bytes served).
"""

from __future__ import annotations

import base64
import hashlib
import ssl
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from passerelle.connectors.base import ProductWrite
from passerelle.connectors.magento.connector import MagentoShop
from passerelle.demo_data import demo_png
from passerelle.model import MediaRef, ProductAttribute, ProductDraft
from passerelle.sandbox.magento.errors import MagentoError
from passerelle.sandbox.magento.platform import MagentoPlatform
from tests import test_magento_shop
from tests.conformance.readback import magento as readback
from tests.integration.catalogue_helpers import file_server

world = test_magento_shop.world  # the connector on a fresh sandbox

RED, GREEN, BLUE = demo_png((200, 0, 0)), demo_png((0, 200, 0)), demo_png((0, 0, 200))
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
MUG = ProductDraft(sku="MUG-1", name="Mug", regular_price=Decimal("12.50"))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _entry(
    data: bytes,
    name: str = "photo.png",
    kind: str = "image/png",
    encoded: str | None = None,
    **more: Any,
) -> Any:
    """A gallery entry as the REST tutorial "Add images to a product" posts it."""
    return {
        "entry": {
            "media_type": "image",
            "label": "Mug",
            "position": 1,
            "disabled": False,
            "types": [],
            "content": {
                "base64_encoded_data": encoded or base64.b64encode(data).decode(),
                "type": kind,
                "name": name,
            },
            **more,
        }
    }


def _served(platform: MagentoPlatform, file: str) -> httpx.Response:
    sandbox = platform.sandbox
    verify = ssl.create_default_context(cafile=str(sandbox.ca_bundle))
    return httpx.get(f"{sandbox.url}/media/catalog/product{file}", verify=verify)


@pytest.fixture
def files(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """The profile's ``publish_dir`` and the public address it is served at."""
    with file_server(tmp_path / "public") as url:
        yield tmp_path / "public", url


def _publish(files: tuple[Path, str], name: str, data: bytes) -> MediaRef:
    folder, url = files
    (folder / name).write_bytes(data)
    return MediaRef(name=name, url=url + name, digest=_sha(data))


def _made(platform: MagentoPlatform, shop: MagentoShop, draft: ProductDraft = MUG) -> str:
    outcome = shop.write_products([ProductWrite(draft.sku, draft)])[0]
    assert outcome.ok, outcome.error
    return str(outcome.shop_id)


def _writes(platform: MagentoPlatform) -> list[tuple[str, str]]:
    return [
        (e["method"], e["path"])
        for e in platform.sandbox.exchanges
        if e["method"] != "GET" or "/media" in e["path"]
    ]


# ------------------------------------------------------------------- the sandbox


def test_the_sandbox_stores_the_bytes_as_given_under_magento_s_file_names(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    platform, shop = world
    _made(platform, shop)
    first = platform.sandbox.call("POST", "products/MUG-1/media", _entry(RED, "My Photo.PNG"))
    second = platform.sandbox.call("POST", "products/MUG-1/media", _entry(GREEN, "my photo.png"))
    third = platform.sandbox.call("POST", "products/MUG-1/media", _entry(BLUE, "my_photo"))
    assert isinstance(first, int) and first < second < third
    files = [e["file"] for e in readback.gallery(platform, "MUG-1")]
    # Lowercased, a space made "_", dispersed under its first two characters, renamed
    # on a clash; a name without an extension takes the type's.
    assert files == ["/m/y/my_photo.png", "/m/y/my_photo_1.png", "/m/y/my_photo_2.png"]
    assert [_served(platform, f).content for f in files] == [RED, GREEN, BLUE]
    assert _served(platform, files[0]).headers["content-type"] == "image/png"
    assert _served(platform, "/n/o/nothing.png").status_code == 404


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            _entry(RED, encoded="not base64 at all!"),
            "The image content must be valid base64 encoded data.",
        ),
        (_entry(b"%PDF-1.4 a document"), "The image content must be valid base64 encoded data."),
        # The type sniffed must be the one sent, and among those Magento takes.
        (_entry(RED, kind="image/jpeg"), "The image MIME type is not valid or not supported."),
        (_entry(JPEG, "a.jpg", "image/jpg"), "The image MIME type is not valid or not supported."),
        (
            _entry(b"RIFF\x00\x00\x00\x00WEBPVP8 ", "a.webp", "image/webp"),
            "The image MIME type is not valid or not supported.",
        ),
        (_entry(RED, "photo (1).png"), "Provided image name contains forbidden characters."),
        ({"entry": {"media_type": "image", "types": []}}, "The image content is not valid."),
    ],
)
def test_the_sandbox_refuses_what_magento_s_validator_refuses(
    world: tuple[MagentoPlatform, MagentoShop], entry: Any, message: str
) -> None:
    platform, shop = world
    _made(platform, shop)
    with pytest.raises(MagentoError) as refused:
        platform.sandbox.call("POST", "products/MUG-1/media", entry)
    assert (refused.value.status, refused.value.message) == (400, message)
    assert readback.gallery(platform, "MUG-1") == []


def test_a_jpeg_sent_as_image_jpeg_is_taken(world: tuple[MagentoPlatform, MagentoShop]) -> None:
    platform, shop = world
    _made(platform, shop)
    platform.sandbox.call("POST", "products/MUG-1/media", _entry(JPEG, "a.jpg", "image/jpeg"))
    [entry] = readback.gallery(platform, "MUG-1")
    assert _served(platform, entry["file"]).content == JPEG


def test_roles_belong_to_one_entry_and_a_removed_entry_takes_its_roles_and_file_away(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    platform, shop = world
    _made(platform, shop)
    roles = ["image", "small_image", "thumbnail"]
    first = platform.sandbox.call("POST", "products/MUG-1/media", _entry(RED, types=roles))
    second = platform.sandbox.call("POST", "products/MUG-1/media", _entry(GREEN, types=roles))
    record = readback.product_record(platform, "MUG-1")
    held = {e["id"]: e for e in record["media_gallery_entries"]}
    assert held[first]["types"] == [] and held[second]["types"] == roles
    assert readback.custom_attribute(record, "image") == held[second]["file"]
    assert platform.sandbox.call("DELETE", f"products/MUG-1/media/{second}") is True
    record = readback.product_record(platform, "MUG-1")
    assert readback.custom_attribute(record, "image") is None
    assert _served(platform, held[second]["file"]).status_code == 404
    with pytest.raises(MagentoError) as refused:
        platform.sandbox.call("DELETE", f"products/MUG-1/media/{second}")
    assert (refused.value.status, refused.value.message) == (
        404,
        "There is no image with provided ID.",
    )


def test_a_product_save_listing_media_gallery_entries_removes_those_it_leaves_out(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    platform, shop = world
    _made(platform, shop)
    kept = platform.sandbox.call("POST", "products/MUG-1/media", _entry(RED))
    platform.sandbox.call("POST", "products/MUG-1/media", _entry(GREEN, "other.png"))
    platform.sandbox.call(
        "PUT",
        "products/MUG-1",
        {"product": {"sku": "MUG-1", "media_gallery_entries": [{"id": kept}]}},
    )
    assert [e["id"] for e in readback.gallery(platform, "MUG-1")] == [kept]
    # Left out, the gallery stays.
    platform.sandbox.call("PUT", "products/MUG-1", {"product": {"sku": "MUG-1", "name": "Mug"}})
    assert [e["id"] for e in readback.gallery(platform, "MUG-1")] == [kept]


# ----------------------------------------------------------------- the connector


def test_a_new_product_s_images_read_back_in_order_with_the_first_as_cover(
    world: tuple[MagentoPlatform, MagentoShop], files: tuple[Path, str]
) -> None:
    platform, shop = world
    refs = (_publish(files, "a1-red.png", RED), _publish(files, "b2-green.png", GREEN))
    outcome = shop.write_products([ProductWrite("m", replace(MUG, images=refs))])[0]
    assert outcome.ok, outcome.error
    assert readback.read_product(platform, "MUG-1")["images"] == (_sha(RED), _sha(GREEN))
    entries = readback.gallery(platform, "MUG-1")
    assert entries[0]["types"] == ["image", "small_image", "thumbnail"]
    assert outcome.media_ids == {r.digest: str(e["id"]) for r, e in zip(refs, entries, strict=True)}
    assert "images" not in outcome.unsupported


def test_a_second_write_with_the_same_images_sends_no_file_and_writes_nothing_to_the_gallery(
    world: tuple[MagentoPlatform, MagentoShop], files: tuple[Path, str]
) -> None:
    platform, shop = world
    refs = (_publish(files, "a1-red.png", RED), _publish(files, "b2-green.png", GREEN))
    made = shop.write_products([ProductWrite("m", replace(MUG, images=refs))])[0]
    bound = tuple(replace(r, shop_id=made.media_ids[r.digest]) for r in refs)
    platform.sandbox.record_exchanges = True
    again = shop.write_products(
        [ProductWrite("m", replace(MUG, images=bound), "MUG-1", frozenset({"images"}))]
    )[0]
    assert again.ok, again.error
    assert _writes(platform) == [("PUT", "/rest/default/V1/products/MUG-1"),
                                 ("GET", "/rest/default/V1/products/MUG-1/media")]  # fmt: skip
    assert again.media_ids == made.media_ids
    assert readback.read_product(platform, "MUG-1")["images"] == (_sha(RED), _sha(GREEN))


def test_an_update_replaces_the_gallery_with_the_draft_s_images_in_their_order(
    world: tuple[MagentoPlatform, MagentoShop], files: tuple[Path, str]
) -> None:
    platform, shop = world
    red, green = _publish(files, "a1-red.png", RED), _publish(files, "b2-green.png", GREEN)
    made = shop.write_products([ProductWrite("m", replace(MUG, images=(red, green)))])[0]
    by_hand = platform.sandbox.call("POST", "products/MUG-1/media", _entry(BLUE, "hand.png"))
    blue = _publish(files, "c3-blue.png", BLUE)
    green = replace(green, shop_id=made.media_ids[green.digest])
    outcome = shop.write_products(
        [ProductWrite("m", replace(MUG, images=(green, blue)), "MUG-1", frozenset({"images"}))]
    )[0]
    assert outcome.ok, outcome.error
    # Red no longer listed and the merchant's own picture: removed; green, kept, is the cover.
    assert readback.read_product(platform, "MUG-1")["images"] == (_sha(GREEN), _sha(BLUE))
    entries = readback.gallery(platform, "MUG-1")
    assert str(entries[0]["id"]) == green.shop_id and by_hand not in [e["id"] for e in entries]
    assert (
        readback.custom_attribute(readback.product_record(platform, "MUG-1"), "thumbnail")
        == (entries[0]["file"])
    )


def test_the_shop_s_own_images_stay_when_asked_and_passerelle_s_old_ones_go(
    world: tuple[MagentoPlatform, MagentoShop], files: tuple[Path, str]
) -> None:
    platform, shop = world
    red = _publish(files, "a1-red.png", RED)
    made = shop.write_products([ProductWrite("m", replace(MUG, images=(red,)))])[0]
    platform.sandbox.call("POST", "products/MUG-1/media", _entry(BLUE, "hand.png", position=5))
    green = _publish(files, "b2-green.png", GREEN)
    outcome = shop.write_products(
        [
            ProductWrite(
                "m",
                replace(MUG, images=(green,)),
                "MUG-1",
                frozenset({"images"}),
                keep_other_images=True,
                own_media_ids=frozenset(made.media_ids.values()),
            )
        ]
    )[0]
    assert outcome.ok, outcome.error
    assert readback.read_product(platform, "MUG-1")["images"] == (_sha(GREEN), _sha(BLUE))


def test_a_variation_has_its_own_image_and_its_parent_shows_it_without_a_second_upload(
    world: tuple[MagentoPlatform, MagentoShop], files: tuple[Path, str]
) -> None:
    platform, shop = world
    red = _publish(files, "a1-red.png", RED)
    parent = ProductDraft(
        sku="TSH",
        name="T-shirt",
        regular_price=Decimal("15"),
        kind="variable",
        manage_stock=False,
        attributes=(ProductAttribute("Scent", ("Lavande",), variation=True),),
        images=(red,),
    )
    made = shop.write_products([ProductWrite("p", parent)])[0]
    assert made.ok, made.error
    child = ProductDraft(
        sku="TSH-L",
        name="T-shirt Lavande",
        regular_price=Decimal("15"),
        kind="variation",
        variation_options=(("Scent", "Lavande"),),
        images=(replace(red, shop_id=made.media_ids[red.digest]),),
    )
    kid = shop.write_variations("TSH", [ProductWrite("c", child)])[0]
    assert kid.ok, kid.error
    assert readback.read_product(platform, "TSH-L")["images"] == (_sha(RED),)
    assert kid.media_ids[red.digest] != made.media_ids[red.digest]  # each product's entry
    # The parent, written again with the variation's entry id bound: found by its file.
    platform.sandbox.record_exchanges = True
    again = shop.write_products(
        [
            ProductWrite(
                "p",
                replace(parent, images=(replace(red, shop_id=kid.media_ids[red.digest]),)),
                "TSH",
                frozenset({"images"}),
            )
        ]
    )[0]
    assert again.ok, again.error
    assert not [w for w in _writes(platform) if "/media" in w[1] and w[0] != "GET"]
    assert readback.read_product(platform, "TSH")["images"] == (_sha(RED),)


def test_an_image_that_cannot_be_downloaded_parks_its_product_only(
    world: tuple[MagentoPlatform, MagentoShop], files: tuple[Path, str]
) -> None:
    platform, shop = world
    red = _publish(files, "a1-red.png", RED)
    missing = MediaRef(name="zz-gone.png", url=files[1] + "zz-gone.png", digest="0" * 64)
    pdf = _publish(files, "doc.png", b"%PDF-1.4 not a picture")
    other = replace(MUG, sku="MUG-2", name="Mug 2")
    outcomes = shop.write_products(
        [
            ProductWrite("m", replace(MUG, images=(red, missing))),
            ProductWrite("n", replace(other, images=(pdf,))),
            ProductWrite("o", replace(other, sku="MUG-3", name="Mug 3", images=(red,))),
        ]
    )
    assert "zz-gone.png" in str(outcomes[0].error) and missing.url in str(outcomes[0].error)
    assert "not a JPEG, PNG or GIF picture" in str(outcomes[1].error)
    assert outcomes[2].ok, outcomes[2].error
    # Nothing of the first product's images was written: its gallery is as it was.
    assert readback.read_product(platform, "MUG-1")["images"] == ()
    assert readback.read_product(platform, "MUG-3")["images"] == (_sha(RED),)


def test_a_profile_that_never_sent_a_file_leaves_the_merchant_s_gallery_alone(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    platform, shop = world
    _made(platform, shop)
    platform.sandbox.call("POST", "products/MUG-1/media", _entry(BLUE, "hand.png"))
    platform.sandbox.record_exchanges = True
    outcome = shop.write_products([ProductWrite("m", MUG, "MUG-1", frozenset({"images"}))])[0]
    assert outcome.ok, outcome.error
    assert not [w for w in _writes(platform) if "/media" in w[1]]  # not even read
    assert readback.read_product(platform, "MUG-1")["images"] == (_sha(BLUE),)
    # Once passerelle sent files, a draft without images empties the gallery (replace).
    emptied = shop.write_products(
        [ProductWrite("m", MUG, "MUG-1", frozenset({"images"}), own_media_ids=frozenset({"1"}))]
    )[0]
    assert emptied.ok, emptied.error
    assert readback.read_product(platform, "MUG-1")["images"] == ()
