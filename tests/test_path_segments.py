"""Data put in a URL path is one encoded segment: it can name a record, never another route.

Unit tests of ``connectors/paths.py``, a property over any text, and the
WooCommerce connector against its sandbox: an order id ``../products/1``
reaches the sandbox under ``orders/`` and is answered 404, where before it
was resolved by the HTTP client into ``PUT products/1`` (writing an order's
sale number onto a product).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from passerelle.connectors.errors import NotFoundError, RecordError
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.paths import numeric_id, segment
from passerelle.connectors.woocommerce.connector import WooCommerceShop
from passerelle.sandbox.woocommerce import WooSandbox

API = "/wp-json/wc/v3"


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        ("727", "727"),
        (727, "727"),
        ("../products/1", "..%2Fproducts%2F1"),
        ("..", "%2E%2E"),
        (".", "%2E"),
        ("A/B", "A%2FB"),
        ("a b?c#d", "a%20b%3Fc%23d"),
        ("12\x00", "12%00"),
        ("é%", "%C3%A9%25"),
        ("MUG-01_x.y~z", "MUG-01_x.y~z"),
    ],
)
def test_segment_encodes_everything_that_could_leave_the_segment(
    value: object, encoded: str
) -> None:
    assert segment(value) == encoded


def test_an_empty_segment_is_refused_since_it_would_name_the_list() -> None:
    with pytest.raises(RecordError):
        segment("")


@given(st.text(min_size=1))
def test_any_text_stays_one_segment_under_its_parent(text: str) -> None:
    """Whatever the text, httpx sends ``orders/<it>/notes``: three segments, the middle
    one decoding back to the text."""
    request = httpx.Request("GET", f"https://shop.test{API}/orders/{segment(text)}/notes")
    parts = request.url.raw_path.decode("ascii").split("/")
    assert parts[:4] == ["", "wp-json", "wc", "v3"]
    assert len(parts) == 7 and parts[4] == "orders" and parts[6] == "notes"
    assert unquote(parts[5]) == text


@pytest.mark.parametrize("value", ["1", "727", "9" * 20])
def test_numeric_ids_are_kept(value: str) -> None:
    assert numeric_id(value, "order") == value


@pytest.mark.parametrize(
    "value",
    [
        "0",
        "-5",
        "007",
        "[1, 2]",
        "{'id': 1}",
        "../products/1",
        "9" * 5000,
        "12\x00",
        "",
        " 12",
        "1e3",
        "9" * 21,
    ],
)
def test_other_ids_are_that_records_error_with_a_printable_key(value: str) -> None:
    with pytest.raises(RecordError) as caught:
        numeric_id(value, "order")
    error = caught.value
    assert error.record_id is not None and error.record_id.isprintable()
    assert len(error.record_id) <= 200 and len(str(error)) < 300
    assert "order id" in str(error)


@pytest.fixture()
def sandbox(tmp_path: Path) -> Iterator[WooSandbox]:
    with WooSandbox(tmp_path / "shop.json", cert_dir=tmp_path / "certs") as sb:
        yield sb


@pytest.fixture()
def shop(sandbox: WooSandbox) -> Iterator[WooCommerceShop]:
    with WooCommerceShop(
        sandbox.url, "ck_demo", "cs_demo", options=HttpOptions(verify=sandbox.ca_bundle)
    ) as connector:
        yield connector


def test_a_path_like_order_id_reaches_the_sandbox_as_one_segment_and_is_404(
    sandbox: WooSandbox, shop: WooCommerceShop
) -> None:
    product = sandbox.seed_products(1)[0]["id"]
    before = dict(sandbox.data.products[product])
    sandbox.reset_requests()
    with pytest.raises(NotFoundError):
        shop.write_order_result(f"../products/{product}", document_number="SO-1", status=None)
    with pytest.raises(NotFoundError):
        shop.order_notes(f"../products/{product}")
    # The sandbox logs the decoded path: still under orders/, never products/<id>.
    assert sandbox.requests == [
        ("PUT", f"{API}/orders/../products/{product}"),
        ("GET", f"{API}/orders/../products/{product}/notes"),
    ]
    assert sandbox.data.products[product] == before


def test_get_order_refuses_an_id_that_cannot_be_an_order_before_asking(
    sandbox: WooSandbox, shop: WooCommerceShop
) -> None:
    sandbox.reset_requests()
    with pytest.raises(RecordError) as caught:
        shop.get_order("../products/1")
    assert caught.value.record_id == "../products/1"
    assert sandbox.requests == []
