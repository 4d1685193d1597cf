"""C7, C8: pictures and documents from Tryton and from folders reach the shop once."""

from __future__ import annotations

import json
from pathlib import Path

from trytond.pool import Pool

from passerelle.connectors.tryton.database import session
from passerelle.demo_data import (
    ITEM_DOCUMENTS,
    ITEM_IMAGES,
    ITEM_SUPPLIERS,
    demo_document,
    demo_png,
)
from tests.integration.catalogue_helpers import (
    api_product,
    file_server,
    meta,
    product_by_sku,
    run_counting,
    sha256,
    with_options,
)
from tests.integration.conftest import World


def tryton_image_digests(world: World) -> set[str]:
    """The bytes Tryton holds for the items' pictures (it stores them as JPEG)."""
    with session(world.target, readonly=True):
        images = Pool().get("product.image").search([])
        assert {
            i.product.code if i.product else i.template.products[0].code for i in images
        } == set(ITEM_IMAGES)
        return {sha256(bytes(i.image)) for i in images}


def test_images_and_documents_are_sent_once_and_again_only_when_their_bytes_change(
    world: World, tmp_path: Path
) -> None:
    images, documents, published = tmp_path / "images", tmp_path / "docs", tmp_path / "public"
    (images / "KNF-001").mkdir(parents=True)
    (images / "PAN-001_01.png").write_bytes(demo_png((10, 10, 10)))
    (images / "PAN-001_02.png").write_bytes(demo_png((20, 20, 20)))
    (images / "KNF-001" / "face.png").write_bytes(demo_png((30, 30, 30)))
    supplier_code = ITEM_SUPPLIERS["POT-003"][1]  # C8: found by the supplier's reference
    (images / f"{supplier_code}_01.png").write_bytes(demo_png((40, 40, 40)))
    documents.mkdir()
    (documents / "GLS-001.pdf").write_bytes(demo_document("GLS-001.pdf"))
    with file_server(published) as url:
        profile = with_options(
            world,
            media={
                "images_folder": str(images),
                "documents_folder": str(documents),
                "document_extensions": [".pdf"],
                "by_supplier_reference": True,
                "publish_dir": str(published),
                "public_url": url,
            },
        )
        run_counting(world, "export-products", profile)

        downloaded = {digest for _url, digest in world.sandbox.downloads}
        tryton = tryton_image_digests(world)
        folder = {sha256(p.read_bytes()) for p in images.rglob("*.png")}
        assert downloaded == tryton | folder
        assert len(api_product(world, "POT-001")["images"]) == len(ITEM_IMAGES["POT-001"])
        assert len(api_product(world, "PAN-001")["images"]) == 2
        assert len(api_product(world, "KNF-001")["images"]) == 1
        assert len(api_product(world, "POT-003")["images"]) == 1
        # C8: the pdf attached in Tryton and the one in the folder; not the .docx.
        pot_documents = meta(product_by_sku(world, "POT-003"), "passerelle_documents")
        assert [d["name"].split("-", 1)[1] for d in pot_documents] == list(
            ITEM_DOCUMENTS["POT-003"]
        )
        listed = pot_documents[0]["url"].removeprefix(url)
        assert (published / listed).read_bytes() == demo_document(ITEM_DOCUMENTS["POT-003"][0])
        assert meta(product_by_sku(world, "GLS-001"), "passerelle_documents")[0]["url"].endswith(
            "GLS-001.pdf"
        )
        knife = product_by_sku(world, "KNF-002")
        assert meta(knife, "passerelle_documents") in (None, [], json.dumps([]))

        # Nothing changed: nothing sent, nothing downloaded.
        before = len(world.sandbox.downloads)
        assert run_counting(world, "export-products", profile).requests == []
        # One picture's bytes change: one product updated, one file downloaded.
        (images / "PAN-001_02.png").write_bytes(demo_png((99, 99, 99)))
        sent = run_counting(world, "export-products", profile)
        assert sent.writes == [("POST", "/wp-json/wc/v3/products/batch")]
        assert [d for _u, d in world.sandbox.downloads[before:]] == [sha256(demo_png((99, 99, 99)))]
        assert len(api_product(world, "PAN-001")["images"]) == 2


def test_images_added_by_hand_in_the_shop_stay_when_asked(world: World, tmp_path: Path) -> None:
    images, published = tmp_path / "images", tmp_path / "public"
    images.mkdir()
    (images / "PAN-001_01.png").write_bytes(demo_png((10, 10, 10)))
    with file_server(published) as url:
        keep = with_options(
            world,
            media={
                "images_folder": str(images),
                "publish_dir": str(published),
                "public_url": url,
                "replace_shop_images": False,
            },
        )
        run_counting(world, "export-products", keep)
        pan = api_product(world, "PAN-001")
        (published / "by-hand.png").write_bytes(demo_png((1, 2, 3)))
        from tests.integration.test_flow_rules import api

        answer = api(
            world,
            "PUT",
            f"products/{pan['id']}",
            {"images": [{"id": pan["images"][0]["id"]}, {"src": f"{url}by-hand.png"}]},
        )
        assert answer.status_code == 200, answer.text
        (images / "PAN-001_01.png").write_bytes(demo_png((11, 11, 11)))
        run_counting(world, "export-products", keep)
        names = [i["name"] for i in api_product(world, "PAN-001")["images"]]
        assert "by-hand.png" in names or any("by-hand" in n for n in names), names
        assert len(names) == 2
