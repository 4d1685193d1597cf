"""The sandbox's catalogue and customers against the WooCommerce v3 docs and controllers.

Images (``_products.md``, ``set_product_images``, ``wc_rest_upload_image_from_url``),
variations (``_product-variations.md``), grouped products, local attributes,
customer meta and ``is_paying_customer`` (``_customers.md``), and WPML's
``lang``/``translation_of`` (WooCommerce Multilingual REST support).
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from passerelle.sandbox.woocommerce import WooSandbox
from tests.sandbox.file_server import FileServer, serve_files

API = "/wp-json/wc/v3"
AUTH = ("ck_demo", "cs_demo")
PNG = b"\x89PNG\r\n\x1a\n" + b"passerelle-test-image" * 20


@pytest.fixture(scope="module")
def files() -> Iterator[FileServer]:
    with serve_files(
        {"/img/mug.png": PNG, "/img/other.png": PNG[::-1], "/doc/notice.pdf": b"%PDF-1.4"}
    ) as server:
        yield server


@pytest.fixture()
def sandbox(tmp_path: Path) -> Iterator[WooSandbox]:
    with WooSandbox(
        tmp_path / "shop.json", cert_dir=tmp_path / "certs", seed=False, languages=("fr", "en")
    ) as sb:
        yield sb


@pytest.fixture()
def client(sandbox: WooSandbox) -> Iterator[httpx.Client]:
    verify = ssl.create_default_context(cafile=str(sandbox.ca_bundle))
    with httpx.Client(base_url=sandbox.url + API, auth=AUTH, verify=verify, timeout=20) as c:
        yield c


def test_an_image_src_is_downloaded_into_a_new_attachment(
    sandbox: WooSandbox, client: httpx.Client, files: FileServer
) -> None:
    answer = client.post(
        "/products",
        json={
            "name": "Mug",
            "images": [{"src": files.url("/img/mug.png"), "name": "mug-abc123", "alt": "Mug"}],
        },
    )
    assert answer.status_code == 201
    image = answer.json()["images"][0]
    assert image["name"] == "mug-abc123" and image["alt"] == "Mug"
    assert image["src"].startswith(f"{sandbox.url}/wp-content/uploads/")
    assert image["src"].endswith("/mug.png")
    assert sandbox.downloads == [(files.url("/img/mug.png"), files.sha256("/img/mug.png"))]
    # The same file again is a new attachment, with a unique file name.
    again = client.post(
        "/products", json={"name": "Mug 2", "images": [{"src": files.url("/img/mug.png")}]}
    ).json()["images"][0]
    assert again["id"] != image["id"] and again["src"].endswith("/mug-1.png")
    assert again["name"] == "mug-1.png"  # titled by its stored file name when no name


def test_a_download_that_fails_refuses_the_product(
    sandbox: WooSandbox, client: httpx.Client, files: FileServer
) -> None:
    missing = files.url("/img/missing.png")
    answer = client.post("/products", json={"name": "Mug", "images": [{"src": missing}]})
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "woocommerce_product_image_upload_error"
    assert body["message"].startswith(f"Error getting remote image {missing}. Error: 404")
    assert sandbox.data.products == {} and sandbox.data.media == {}
    # Not an image file type: refused after the download.
    answer = client.post(
        "/products", json={"name": "Mug", "images": [{"src": files.url("/doc/notice.pdf")}]}
    )
    assert answer.status_code == 400
    assert "not allowed to upload this file type" in answer.json()["message"]


def test_an_image_id_is_reused_renamed_and_unknown_ids_are_refused(
    client: httpx.Client, files: FileServer
) -> None:
    first = client.post(
        "/products",
        json={
            "name": "A",
            "images": [
                {"src": files.url("/img/mug.png"), "name": "one"},
                {"src": files.url("/img/other.png"), "name": "two"},
            ],
        },
    ).json()
    one, two = (i["id"] for i in first["images"])
    second = client.post(
        "/products", json={"name": "B", "images": [{"id": two, "name": "two-renamed"}]}
    ).json()
    assert [i["id"] for i in second["images"]] == [two]
    # The attachment is shared: renamed for every product showing it.
    shown = client.get(f"/products/{first['id']}").json()["images"]
    assert [(i["id"], i["name"]) for i in shown] == [(one, "one"), (two, "two-renamed")]
    # Images not posted are dropped from the product.
    updated = client.put(f"/products/{first['id']}", json={"images": [{"id": two}]}).json()
    assert [i["id"] for i in updated["images"]] == [two]
    refused = client.put(f"/products/{first['id']}", json={"images": [{"id": 999999}]})
    assert refused.status_code == 400
    assert refused.json()["code"] == "woocommerce_product_invalid_image_id"
    assert refused.json()["message"] == "#999999 is an invalid image ID."
    assert [i["id"] for i in client.get(f"/products/{first['id']}").json()["images"]] == [two]


def test_variable_products_variations_and_their_image(
    client: httpx.Client, files: FileServer
) -> None:
    parent = client.post(
        "/products",
        json={
            "name": "T-shirt",
            "type": "variable",
            "regular_price": "10.00",
            "attributes": [
                {"name": "Size", "options": ["S", "M"], "variation": True, "visible": True},
                {"name": "Brand", "options": "Maison", "visible": True},
            ],
        },
    ).json()
    assert parent["regular_price"] == ""  # a variable product has no price of its own
    assert [(a["name"], a["options"], a["variation"]) for a in parent["attributes"]] == [
        ("Size", ["S", "M"], True),
        ("Brand", ["Maison"], False),
    ]
    answer = client.post(
        f"/products/{parent['id']}/variations/batch",
        json={
            "create": [
                {
                    "sku": "TS-S",
                    "regular_price": "12.00",
                    "attributes": [{"name": "Size", "option": "S"}],
                    "image": {"src": files.url("/img/mug.png"), "name": "ts-s"},
                },
                {"sku": "TS-M", "regular_price": "12.00", "image": {"id": 424242}},
            ]
        },
    ).json()
    created, refused = answer["create"]
    assert created["image"]["name"] == "ts-s"
    assert refused["error"]["code"] == "woocommerce_variation_invalid_image_id"
    found = client.get("/products", params={"sku": "TS-S"}).json()
    assert [(p["type"], p["parent_id"]) for p in found] == [("variation", parent["id"])]


def test_grouped_products_visibility_and_linked_products(client: httpx.Client) -> None:
    a = client.post("/products", json={"name": "A", "regular_price": "1.00"}).json()
    b = client.post("/products", json={"name": "B", "regular_price": "2.00"}).json()
    pack = client.post(
        "/products",
        json={
            "name": "Pack",
            "type": "grouped",
            "grouped_products": [a["id"], b["id"]],
            "regular_price": "3.00",
            "manage_stock": True,
            "catalog_visibility": "hidden",
            "upsell_ids": [b["id"], 0],
            "cross_sell_ids": [a["id"]],
        },
    ).json()
    assert pack["grouped_products"] == [a["id"], b["id"]]
    assert pack["regular_price"] == "" and pack["manage_stock"] is False
    assert pack["catalog_visibility"] == "hidden"
    assert pack["upsell_ids"] == [b["id"]] and pack["cross_sell_ids"] == [a["id"]]
    # grouped_products only applies to a grouped product; the type may change on update.
    simple = client.put(f"/products/{a['id']}", json={"grouped_products": [b["id"]]}).json()
    assert simple["grouped_products"] == []
    variable = client.put(f"/products/{a['id']}", json={"type": "variable"}).json()
    assert variable["type"] == "variable" and variable["regular_price"] == ""


def test_customers_meta_password_and_paying_flag(sandbox: WooSandbox, client: httpx.Client) -> None:
    answer = client.post(
        "/customers",
        json={"email": "ana@example.com", "meta_data": [{"key": "loyalty", "value": "no"}]},
    )
    assert answer.status_code == 201
    customer = answer.json()
    assert "password" not in customer and "orders_count" not in customer
    assert customer["is_paying_customer"] is False
    assert sandbox.data.customers[customer["id"]]["_password_generated"] is True
    updated = client.put(
        f"/customers/{customer['id']}", json={"meta_data": [{"key": "loyalty", "value": "yes"}]}
    ).json()
    assert [(m["key"], m["value"]) for m in updated["meta_data"]] == [("loyalty", "yes")]
    sandbox.create_order(
        {"customer_id": customer["id"], "set_paid": True, "billing": {"email": "ana@example.com"}}
    )
    assert client.get(f"/customers/{customer['id']}").json()["is_paying_customer"] is True
    assert client.get("/customers", params={"role": "administrator"}).json() == []


def test_wpml_languages_and_translations(client: httpx.Client) -> None:
    original = client.post("/products", json={"name": "Tasse"}).json()
    assert original["lang"] == "fr" and original["translations"] == []
    english = client.post(
        "/products/batch",
        json={"create": [{"name": "Mug", "lang": "en", "translation_of": original["id"]}]},
    ).json()["create"][0]
    assert english["lang"] == "en" and english["translations"] == {"fr": original["id"]}
    assert client.get(f"/products/{original['id']}").json()["translations"] == {"en": english["id"]}
    # The list shows the main language unless asked.
    assert [p["id"] for p in client.get("/products").json()] == [original["id"]]
    assert [p["id"] for p in client.get("/products", params={"lang": "en"}).json()] == [
        english["id"]
    ]
    assert len(client.get("/products", params={"lang": "all"}).json()) == 2
    bad = client.post("/products", json={"name": "X", "lang": "de"})
    assert bad.status_code == 404 and bad.json()["message"] == "Invalid language parameter: de"
    orphan = client.post("/products", json={"name": "Y", "translation_of": original["id"]})
    assert orphan.status_code == 404
