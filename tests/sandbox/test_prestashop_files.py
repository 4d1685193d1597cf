"""The PrestaShop sandbox's product images and attachments, as PrestaShop 8 documents and
codes them (``passerelle/sandbox/prestashop/files.py`` cites each behaviour's source)."""

from __future__ import annotations

import hashlib
import io
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from passerelle.demo_data import demo_png
from passerelle.sandbox.prestashop import DEMO_KEY
from passerelle.sandbox.prestashop.platform import PrestaShopPlatform, start
from tests.conformance.readback.prestashop import image_key

RED, BLUE = demo_png((200, 30, 30)), demo_png((30, 60, 200))
COMBINATION = (
    "<prestashop><combination><id_product>{product}</id_product>"
    "<minimal_quantity>1</minimal_quantity><reference>{reference}</reference>"
    "<associations><images>{images}</images></associations></combination></prestashop>"
)


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[tuple[PrestaShopPlatform, httpx.Client]]:
    platform = start(tmp_path)
    platform.sandbox.seed_products(2)
    verify = ssl.create_default_context(cafile=str(platform.sandbox.ca_bundle))
    client = httpx.Client(base_url=f"{platform.url}/api/", auth=(DEMO_KEY, ""), verify=verify)
    try:
        yield platform, client
    finally:
        client.close()
        platform.stop()


def _upload(
    client: httpx.Client, product: int, data: bytes, name: str = "a.png", mime: str = "image/png"
) -> httpx.Response:
    return client.post(
        f"images/products/{product}",
        files={"image": (name, data, mime)},
        params={"output_format": "JSON"},
    )


def _error(answer: httpx.Response) -> tuple[int, int]:
    return answer.status_code, int(answer.json()["errors"][0]["code"])


def _product(client: httpx.Client, product: int) -> dict[str, Any]:
    answer = client.get(f"products/{product}", params={"output_format": "JSON"})
    return dict(answer.json()["product"])


def _images(record: dict[str, Any]) -> list[str]:
    return [i["id"] for i in record.get("associations", {}).get("images", [])]


def test_an_uploaded_image_is_redrawn_as_a_progressive_jpeg_and_the_first_is_the_cover(
    shop: tuple[PrestaShopPlatform, httpx.Client],
) -> None:
    _, client = shop
    first, second = _upload(client, 1, RED), _upload(client, 1, BLUE, "b.png")
    assert first.status_code == second.status_code == 200
    assert first.json()["image"] == {"id": 1, "id_product": "1", "position": "1", "cover": "1"}
    assert "cover" not in second.json()["image"]  # 0: dropped from the JSON answer
    served = client.get("images/products/1/1")
    assert served.headers["content-type"] == "image/jpeg"
    assert served.content != RED and image_key(served.content) == image_key(RED)
    with Image.open(io.BytesIO(served.content)) as picture:
        assert picture.format == "JPEG" and picture.info.get("progressive")
    record = _product(client, 1)
    assert (_images(record), record["id_default_image"]) == (["1", "2"], "1")
    assert client.get("images/products/1/bin").content == served.content
    listed = client.get("images/products/1")
    assert 'declination id="2"' in listed.text
    xml = client.post("images/products/1", files={"image": ("c.png", RED, "image/png")})
    assert '<content encode="base64">' in xml.text and "<cover><![CDATA[0]]>" in xml.text


def test_what_the_images_route_refuses(shop: tuple[PrestaShopPlatform, httpx.Client]) -> None:
    _, client = shop
    assert _error(_upload(client, 1, b"\0" * 3_000_001)) == (400, 72)
    assert _error(_upload(client, 1, b"not an image at all")) == (400, 76)
    assert _error(_upload(client, 1, RED, "a.webp", "image/webp")) == (400, 76)
    assert _error(_upload(client, 99, RED)) == (400, 76)
    no_file = client.post(
        "images/products/1", data={"x": "1"}, files={"other": ("a", b"a", "text/plain")}
    )
    assert no_file.status_code == 500
    assert client.get("images/products/1").status_code == 404  # no image yet
    _upload(client, 2, RED)
    assert _error(client.delete("images/products/1/1", params={"output_format": "JSON"})) == (
        400,
        57,
    )
    assert _error(client.get("images/products/2/1/huge", params={"output_format": "JSON"})) == (
        400,
        58,
    )


def test_deleting_an_image_unlinks_it_renumbers_and_leaves_no_cover(
    shop: tuple[PrestaShopPlatform, httpx.Client],
) -> None:
    platform, client = shop
    for data in (RED, BLUE, RED):
        _upload(client, 1, data)
    made = client.post(
        "combinations",
        content=COMBINATION.format(
            product=1, reference="C-1", images="<image><id>1</id></image><image><id>3</id></image>"
        ),
        params={"output_format": "JSON"},
    )
    combination = made.json()["combination"]
    assert [i["id"] for i in combination["associations"]["images"]] == ["1", "3"]
    assert client.delete("images/products/1/1").status_code == 200
    again = client.get(f"combinations/{combination['id']}", params={"output_format": "JSON"})
    assert [i["id"] for i in again.json()["combination"]["associations"]["images"]] == ["3"]
    assert _product(client, 1)["id_default_image"] == ""
    rows = platform.sandbox.engine.data["images"]
    assert [(rows[i]["position"]) for i in (2, 3)] == ["1", "2"]


def test_the_cover_moves_with_id_default_image_and_a_products_images_are_not_written(
    shop: tuple[PrestaShopPlatform, httpx.Client],
) -> None:
    _, client = shop
    _upload(client, 1, RED)
    _upload(client, 1, BLUE)
    body = (
        "<prestashop><product><id>1</id><price>9.9</price><id_default_image>2</id_default_image>"
        "<associations><images><image><id>1</id></image></images></associations>"
        "</product></prestashop>"
    )
    assert client.put("products/1", content=body).status_code == 200
    record = _product(client, 1)
    assert (record["id_default_image"], _images(record)) == ("2", ["1", "2"])


def test_an_attachment_keeps_its_bytes_and_a_product_links_the_list_it_is_given(
    shop: tuple[PrestaShopPlatform, httpx.Client],
) -> None:
    _, client = shop
    pdf = b"%PDF-1.4 notice\r\n\r\n--binary--\r\n"
    made = client.post(
        "attachments/file",
        files={"file": ("notice.pdf", pdf, "application/x-declared")},
        data={"name": "A name longer than thirty-two characters"},
        params={"output_format": "JSON"},
    )
    attachment = made.json()["attachment"]
    assert (attachment["file_name"], attachment["mime"], attachment["file_size"]) == (
        "notice.pdf",
        "application/x-declared",  # as declared, not sniffed
        str(len(pdf)),
    )
    assert attachment["name"] == [{"id": "1", "value": "A name longer than thirty-two ch"}]
    assert len(attachment["file"]) == 40
    served = client.get(f"attachments/file/{attachment['id']}")
    assert hashlib.sha256(served.content).digest() == hashlib.sha256(pdf).digest()
    assert served.headers["content-disposition"] == 'attachment; filename="notice.pdf"'
    body = (
        "<prestashop><product><id>1</id><price>9.9</price><associations><attachments>"
        "<attachment><id>{id}</id></attachment><attachment><id>77</id></attachment>"
        "</attachments></associations></product></prestashop>"
    )
    client.put("products/1", content=body.format(id=attachment["id"]))
    record = _product(client, 1)
    assert record["associations"]["attachments"] == [{"id": str(attachment["id"])}]
    assert record["cache_has_attachments"] == "1"
    # DELETE on /file deletes nothing (the handler loads attachment 0); the resource does.
    client.delete(f"attachments/file/{attachment['id']}")
    assert client.get(f"attachments/file/{attachment['id']}").status_code == 200
    client.delete(f"attachments/{attachment['id']}")
    assert "attachments" not in _product(client, 1).get("associations", {})
