"""Shopify: a product's images are its media, sent by URL through ``productSet`` ``files``.

First the sandbox, as the Admin GraphQL reference describes media (mutations/productSet
``files``, input-objects/FileSetInput, ProductVariantSetInput ``file``, objects/MediaImage
``status``/``mediaErrors``, objects/Image ``url``): processed over the next reads, served as
given, detached when left out of ``files``. Then the export flow against it with the Tryton
demo: every image is read back raw (``tests.conformance.readback.shopify``, the bytes behind
``image.url``) and compared with the back-office's digests or the folder's bytes, never with
what the connector meant to send.
"""

from __future__ import annotations

import hashlib
import json
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import OperationDefinitionNode, parse

from passerelle.connectors.errors import RecordError
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.shopify import media as connector_media
from passerelle.connectors.shopify.client import ShopifyClient
from passerelle.demo_data import ITEM_DOCUMENTS, ITEM_IMAGES, demo_document, demo_png
from passerelle.i18n.messages import M_
from passerelle.profiles import Profile
from passerelle.runner import Runner
from passerelle.sandbox.shopify.cost import requested_cost
from passerelle.sandbox.shopify.server import ShopifySandbox
from tests.conformance.conftest import PlatformWorld
from tests.conformance.readback.shopify import graphql, image_key, read_product
from tests.integration.catalogue_helpers import file_server
from tests.test_shopify_issue16_policy import (  # noqa: F401 - fixtures
    back_office_sets,
    shopify,
    tryton_demo_template,
)

_SET = """mutation($input: ProductSetInput!, $id: ProductSetIdentifiers) {
  productSet(input: $input, identifier: $id) {
    product { id media(first: 10) { nodes { id status } }
      variants(first: 5) { nodes { id media(first: 1) { nodes { id } } } } }
    userErrors { field message code } } }"""
_MEDIA = """query($id: ID!) { node(id: $id) { ... on Product { media(first: 10) { nodes {
  id status mediaErrors { code details message } ... on MediaImage { image { url } } } } } } }"""
_TITLE = [{"name": "Title", "values": [{"name": "Default Title"}]}]
_DEFAULT = [{"optionName": "Title", "name": "Default Title"}]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------------------- the sandbox
@pytest.fixture
def served(tmp_path: Path) -> Iterator[ShopifySandbox]:
    s = ShopifySandbox(None, cert_dir=tmp_path / "tls").start()
    yield s
    s.stop()


def _fetch(s: ShopifySandbox, url: str) -> httpx.Response:
    with httpx.Client(verify=ssl.create_default_context(cafile=str(s.ca_bundle))) as c:
        return c.get(url)


def _create(s: ShopifySandbox, files: list[dict[str, Any]], **variant: Any) -> dict[str, Any]:
    answer = s.execute(
        _SET,
        {
            "input": {
                "title": "Bol",
                "productOptions": _TITLE,
                "files": files,
                "variants": [{"price": "9.90", "optionValues": _DEFAULT, **variant}],
            }
        },
    )["data"]["productSet"]
    return dict(answer)


def _media(s: ShopifySandbox, product: str) -> list[dict[str, Any]]:
    return list(s.execute(_MEDIA, {"id": product})["data"]["node"]["media"]["nodes"])


def test_media_is_processed_over_the_next_reads_then_served_as_given(
    served: ShopifySandbox, tmp_path: Path
) -> None:
    picture = demo_png((10, 20, 30))
    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "bol.png").write_bytes(picture)
    with file_server(tmp_path / "www") as url:
        answer = _create(served, [{"originalSource": f"{url}bol.png", "contentType": "IMAGE"}])
    assert answer["userErrors"] == []
    # The mutation answers before processing (objects/MediaImage: asynchronous).
    assert [m["status"] for m in answer["product"]["media"]["nodes"]] == ["UPLOADED"]
    product = answer["product"]["id"]
    first = _media(served, product)
    assert first[0]["status"] == "PROCESSING" and first[0]["image"] is None
    (ready,) = _media(served, product)
    assert ready["status"] == "READY" and ready["mediaErrors"] == []
    served_bytes = _fetch(served, ready["image"]["url"])
    assert served_bytes.status_code == 200
    assert served_bytes.content == picture  # the original, not re-encoded
    assert served.downloads == [(f"{url}bol.png", _sha(picture))]


def test_an_address_shopify_cannot_fetch_fails_with_its_media_error(
    served: ShopifySandbox, tmp_path: Path
) -> None:
    with file_server(tmp_path / "www") as url:
        answer = _create(served, [{"originalSource": f"{url}missing.png"}])
    assert answer["userErrors"] == []  # accepted: the download happens afterwards
    product = answer["product"]["id"]
    _media(served, product)
    (failed,) = _media(served, product)
    assert failed["status"] == "FAILED"
    assert failed["image"] is None
    assert [e["code"] for e in failed["mediaErrors"]] == ["IMAGE_DOWNLOAD_FAILURE"]
    assert "404" in failed["mediaErrors"][0]["details"]


def test_files_is_a_list_field_what_is_left_out_is_detached(
    served: ShopifySandbox, tmp_path: Path
) -> None:
    (tmp_path / "www").mkdir()
    for n in (1, 2):
        (tmp_path / "www" / f"{n}.png").write_bytes(demo_png((n, n, n)))
    with file_server(tmp_path / "www") as url:
        answer = _create(
            served, [{"originalSource": f"{url}1.png"}, {"originalSource": f"{url}2.png"}]
        )
    product = answer["product"]["id"]
    first, second = (m["id"] for m in answer["product"]["media"]["nodes"])
    # Without ``files`` the media stay (productSet: other fields only when given).
    kept = served.execute(_SET, {"input": {"title": "Bol 2"}, "id": {"id": product}})
    assert [m["id"] for m in kept["data"]["productSet"]["product"]["media"]["nodes"]] == [
        first,
        second,
    ]
    # ``files`` given: exactly those, in that order (by id: the file the shop holds).
    again = served.execute(_SET, {"input": {"files": [{"id": second}]}, "id": {"id": product}})
    assert [m["id"] for m in again["data"]["productSet"]["product"]["media"]["nodes"]] == [second]


def test_a_variant_file_must_be_one_of_the_products_files(
    served: ShopifySandbox, tmp_path: Path
) -> None:
    with file_server(tmp_path / "www") as url:
        answer = _create(served, [], file={"originalSource": f"{url}a.png"})
    assert answer["product"] is None
    assert answer["userErrors"][0]["field"] == ["input", "variants", "0", "file"]


def test_an_unknown_file_id_is_refused_and_nothing_is_written(served: ShopifySandbox) -> None:
    answer = _create(served, [{"id": "gid://shopify/MediaImage/999"}])
    assert answer["product"] is None
    assert answer["userErrors"][0]["field"] == ["input", "files", "0", "id"]


def test_the_variant_shows_its_file(served: ShopifySandbox, tmp_path: Path) -> None:
    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "a.png").write_bytes(demo_png((5, 5, 5)))
    with file_server(tmp_path / "www") as url:
        source = {"originalSource": f"{url}a.png"}
        answer = _create(served, [source], file=source)
    (media,) = answer["product"]["media"]["nodes"]
    (variant,) = answer["product"]["variants"]["nodes"]
    assert variant["media"]["nodes"] == [{"id": media["id"]}]


@pytest.mark.parametrize("variants,ids", [(1, 0), (100, 3)])
def test_the_connectors_media_reads_declare_at_least_what_shopify_asks(
    variants: int, ids: int
) -> None:
    schema = ShopifySandbox(None).schema
    given = {
        "id": "gid://shopify/Product/1",
        "ids": [f"gid://shopify/MediaImage/{n}" for n in range(ids)],
    }
    for document, cost in (
        (connector_media._state_document(variants), connector_media.state_cost(variants, ids)),
        (connector_media.STATUS, connector_media.status_cost(ids)),
        (connector_media.EXIST, ids),
    ):
        parsed = parse(document)
        (operation,) = (d for d in parsed.definitions if isinstance(d, OperationDefinitionNode))
        assert requested_cost(schema, parsed, operation, given) <= cost, document


# ---------------------------------------------------------------------------- the flow
def _with_media(world: PlatformWorld, published: Path, url: str, **options: object) -> None:
    data = world.profile.model_dump(mode="json")
    data["catalogue"]["media"] |= {"publish_dir": str(published), "public_url": url, **options}
    world.profile = Profile.model_validate(data)


def _item_digests(world: PlatformWorld, code: str) -> tuple[str, ...]:
    """The back-office's own digests of an item's images (SHA-256 of its bytes)."""
    (item,) = (i for i in world.backoffice.list_items() if i.code == code)
    return tuple(f.digest for f in item.images)


def _product_sets(world: PlatformWorld) -> int:
    return sum(1 for kind, fields in world.shop.sandbox.operations if "productSet" in fields)


def test_tryton_images_reach_shopify_and_a_second_run_sends_nothing(
    shopify: PlatformWorld,  # noqa: F811
    tmp_path: Path,
) -> None:
    with file_server(tmp_path / "public") as url:
        _with_media(shopify, tmp_path / "public", url)
        shopify.run("export-products")
        pot = read_product(shopify.shop, "POT-001")["images"]
        assert pot == _item_digests(shopify, "POT-001")
        assert len(pot) == len(ITEM_IMAGES["POT-001"])
        for code in ("TSH-RED", "TSH-BLUE"):  # variations: their variant's media
            assert read_product(shopify.shop, code)["images"] == _item_digests(shopify, code)
        assert read_product(shopify.shop, "POT-003")["images"] == ()

        downloads = len(shopify.shop.sandbox.downloads)
        shopify.shop.reset_requests()
        summary = shopify.run("export-products")
        assert summary.counts.get("updated", 0) == 0
        assert len(shopify.shop.sandbox.downloads) == downloads  # no file sent again
        assert _product_sets(shopify) == 0


def test_a_new_picture_replaces_the_old_one_and_an_unchanged_one_is_referred_to(
    shopify: PlatformWorld,  # noqa: F811
    tmp_path: Path,
) -> None:
    folder = tmp_path / "images"
    folder.mkdir()
    (folder / "POT-003_01.png").write_bytes(demo_png((1, 2, 3)))
    (folder / "POT-003_02.png").write_bytes(demo_png((4, 5, 6)))
    with file_server(tmp_path / "public") as url:
        _with_media(shopify, tmp_path / "public", url, images_folder=str(folder))
        shopify.run("export-products")
        assert read_product(shopify.shop, "POT-003")["images"] == (
            image_key(demo_png((1, 2, 3))),
            image_key(demo_png((4, 5, 6))),
        )
        downloads = len(shopify.shop.sandbox.downloads)
        (folder / "POT-003_01.png").write_bytes(demo_png((7, 8, 9)))
        shopify.run("export-products")
        assert read_product(shopify.shop, "POT-003")["images"] == (
            image_key(demo_png((7, 8, 9))),
            image_key(demo_png((4, 5, 6))),
        )
        # Only the new bytes were downloaded: the unchanged file went by its media id.
        assert shopify.shop.sandbox.downloads[downloads:] == [
            (d_url, _sha(demo_png((7, 8, 9))))
            for d_url, _d in shopify.shop.sandbox.downloads[downloads:]
        ]
        assert len(shopify.shop.sandbox.downloads) == downloads + 1


def _merchant_adds_image(world: PlatformWorld, sku: str, source: str) -> None:
    """The merchant adds a picture in the admin: productSet ``files`` with the product's
    media as they are (by id) and the new one."""
    (node,) = graphql(
        world.shop,
        """query($q: String) { productVariants(first: 1, query: $q) { nodes {
          product { id media(first: 10) { nodes { id } } } } } }""",
        {"q": f"sku:{sku}"},
    )["productVariants"]["nodes"]
    product = node["product"]
    files = [{"id": m["id"]} for m in product["media"]["nodes"]] + [{"originalSource": source}]
    answer = graphql(world.shop, _SET, {"input": {"files": files}, "id": {"id": product["id"]}})
    assert answer["productSet"]["userErrors"] == []
    # the merchant's admin shows it once processed
    graphql(world.shop, _MEDIA, {"id": product["id"]})
    graphql(world.shop, _MEDIA, {"id": product["id"]})


@pytest.mark.parametrize("replace", [False, True])
def test_the_merchants_own_picture_stays_only_when_asked(
    shopify: PlatformWorld,  # noqa: F811
    tmp_path: Path,
    replace: bool,
) -> None:
    folder, public = tmp_path / "images", tmp_path / "public"
    folder.mkdir()
    (folder / "POT-003_01.png").write_bytes(demo_png((1, 1, 1)))
    with file_server(public) as url:
        _with_media(shopify, public, url, images_folder=str(folder), replace_shop_images=replace)
        shopify.run("export-products")
        (public / "by-hand.png").write_bytes(demo_png((9, 9, 9)))
        _merchant_adds_image(shopify, "POT-003", f"{url}by-hand.png")
        assert len(read_product(shopify.shop, "POT-003")["images"]) == 2

        (folder / "POT-003_01.png").write_bytes(demo_png((2, 2, 2)))  # ours changes
        shopify.run("export-products")
        shown = read_product(shopify.shop, "POT-003")["images"]
        ours, merchants = image_key(demo_png((2, 2, 2))), image_key(demo_png((9, 9, 9)))
        # The old picture passerelle sent is gone either way; the merchant's stays on keep.
        assert shown == ((ours,) if replace else (ours, merchants))


def test_a_file_shopify_cannot_download_is_that_products_error_the_others_go_on(
    shopify: PlatformWorld,  # noqa: F811
    tmp_path: Path,
) -> None:
    folder, public = tmp_path / "images", tmp_path / "public"
    folder.mkdir()
    (folder / "POT-003_01.png").write_bytes(demo_png((3, 3, 3)))
    with file_server(tmp_path / "elsewhere") as url:  # not where the files are published
        _with_media(shopify, public, url, images_folder=str(folder), item_images=False)
        runner = Runner(shopify.data_dir, store=shopify.store, console=shopify.console)
        summary = runner.run(shopify.profile, "export-products")
    parked = {
        p.record_key: p.reason for p in shopify.store.parked(shopify.profile.name, severity="error")
    }
    (reason,) = [r for r in parked.values() if "POT-003" in str(r) or "Shopify" in str(r)]
    assert f"{url}" in str(reason) and "could not take the image" in str(reason), reason
    assert read_product(shopify.shop, "POT-001")["sku"] == "POT-001"  # the others were sent
    assert summary.counts.get("created", 0) > 1


def test_a_profile_sending_no_files_leaves_the_merchants_pictures_alone(
    shopify: PlatformWorld,  # noqa: F811
    tmp_path: Path,
) -> None:
    shopify.run("export-products")  # no publish_dir / public_url: no file is sent
    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "by-hand.png").write_bytes(demo_png((9, 9, 9)))
    with file_server(tmp_path / "www") as url:
        _merchant_adds_image(shopify, "POT-003", f"{url}by-hand.png")
    back_office_sets(shopify, "POT-003", name="Faitout fonte 24 cm — nouveau")
    assert shopify.run("export-products").counts["updated"] == 1
    shown = read_product(shopify.shop, "POT-003")
    assert shown["name"] == "Faitout fonte 24 cm — nouveau"
    assert shown["images"] == (image_key(demo_png((9, 9, 9))),)


# ---------------------------------------------------------------------------- documents
_DOCUMENTS = """query($q: String) { productVariants(first: 1, query: $q) { nodes { product {
  documents: metafield(namespace: "passerelle", key: "documents") { type value } } } } }"""
_METAFIELDS_SET = """mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) {
  userErrors { field message code } } }"""


def test_a_json_metafield_must_hold_json(served: ShopifySandbox) -> None:
    product = _create(served, [])["product"]["id"]
    bad = {"ownerId": product, "namespace": "passerelle", "key": "documents", "type": "json"}
    answer = served.execute(_METAFIELDS_SET, {"m": [bad | {"value": "[{"}]})
    assert answer["data"]["metafieldsSet"]["userErrors"][0]["code"] == "INVALID_VALUE"
    answer = served.execute(_METAFIELDS_SET, {"m": [bad | {"value": "[]"}]})
    assert answer["data"]["metafieldsSet"]["userErrors"] == []


def test_documents_are_listed_in_the_products_metafield_with_their_address(
    shopify: PlatformWorld,  # noqa: F811
    tmp_path: Path,
) -> None:
    public = tmp_path / "public"
    with file_server(public) as url:
        _with_media(shopify, public, url, document_extensions=[".pdf"])
        shopify.run("export-products")
        (node,) = graphql(shopify.shop, _DOCUMENTS, {"q": "sku:POT-003"})["productVariants"][
            "nodes"
        ]
        metafield = node["product"]["documents"]
        assert metafield["type"] == "json"
        (document,) = json.loads(metafield["value"])
        assert document["name"].endswith(ITEM_DOCUMENTS["POT-003"][0])
        with httpx.Client() as client:  # the address lists the published file itself
            assert client.get(document["url"]).content == demo_document(
                ITEM_DOCUMENTS["POT-003"][0]
            )
        shopify.shop.reset_requests()
        assert shopify.run("export-products").counts.get("updated", 0) == 0
        assert not [o for o in shopify.shop.sandbox.operations if "metafieldsSet" in o[1]]


def test_media_still_processing_after_the_last_read_is_the_records_error(
    served: ShopifySandbox, tmp_path: Path
) -> None:
    """The wait is bounded: a media not READY after the last read fails the record (the
    next run checks again), and the reads are counted in the bucket."""
    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "a.png").write_bytes(demo_png((6, 6, 6)))
    with file_server(tmp_path / "www") as url:
        answer = _create(served, [{"originalSource": f"{url}a.png"}])
    (media,) = answer["product"]["media"]["nodes"]
    client = ShopifyClient(served.url, "shpat_demo", options=HttpOptions(verify=served.ca_bundle))
    pauses: list[float] = []
    try:
        hasty = connector_media.MediaCalls(client, sleep=pauses.append, polls=1)
        with pytest.raises(RecordError, match="still processing"):
            hasty.wait_ready([media["id"].rsplit("/", 1)[1]], M_("product %(sku)s", sku="X"))
        patient = connector_media.MediaCalls(client, sleep=pauses.append)
        (state,) = patient.wait_ready([media["id"].rsplit("/", 1)[1]], M_("x")).values()
    finally:
        client.close()
    assert state["status"] == "READY"
    assert pauses == [0.05, 0.05]  # one pause before each read
    # each read asked the shop for the cost the connector declared to its bucket
    assert [asked for asked, _actual in served.costs[-2:]] == [connector_media.status_cost(1)] * 2
