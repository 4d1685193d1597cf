"""The shared connector kit: paginators, field tables, ``HttpShop`` plumbing, ``OrdersVia``.

Every shop client walks its lists through one paginator of ``kit/paging.py``
and most of its translators copy flat fields through ``kit/fields.py``; a slip
in either is a slip in all five connectors at once. So each paginator is
checked against a fake list server (a plain ``fetch`` callable) for the exact
page parameters it asks, where it stops, and that it asks nothing after the
last page; each field reader for what it makes of a present, missing and
malformed value. ``HttpShop`` runs over a real ``RetryingClient`` on an
``httpx.MockTransport``: no network, no sandbox.
"""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, ClassVar

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passerelle.connectors.errors import ConnectorError, RecordError
from passerelle.connectors.http import HttpOptions, RetryingClient
from passerelle.connectors.kit.base import HttpShop, without_scheme
from passerelle.connectors.kit.fields import (
    FieldTable,
    as_sent,
    optional_text,
    read_fields,
    required,
    text,
    value,
    wire,
)
from passerelle.connectors.kit.orders import OrdersVia
from passerelle.connectors.kit.paging import (
    Cursors,
    OffsetLimit,
    Page,
    PageNumbers,
    Paginator,
    SearchCriteria,
)
from passerelle.connectors.reading import each_record, read_record
from passerelle.connectors.woocommerce.translate_values import money, parse_datetime

Query = dict[str, Any]
SIZES = st.integers(min_value=1, max_value=7)
COUNTS = st.integers(min_value=0, max_value=40)


class _Runaway(Exception):
    """The fake server's guard: the paginator asked far more pages than exist."""


@dataclass
class FakeList:
    """A list of ``0 .. count-1`` served by page; records every query it is sent.

    ``answer(query)`` builds the page for one query; a query past ``limit`` calls
    raises, so a paginator that never stops fails instead of hanging.
    """

    answer: Callable[[Query], Page[int]]
    limit: int = 200
    queries: list[Query] = field(default_factory=list)

    def __call__(self, query: Query) -> Page[int]:
        self.queries.append(dict(query))
        if len(self.queries) > self.limit:
            raise _Runaway(f"{len(self.queries)} requests")
        return self.answer(query)


def _chunk(count: int, start: int, size: int) -> list[int]:
    return list(range(count))[start : start + size]


def woo_pages(count: int, size: int, *, header: bool = True) -> FakeList:
    """WooCommerce/BigCommerce: ``page``/``per_page``, page count told or not."""
    pages = math.ceil(count / size)

    def answer(query: Query) -> Page[int]:
        rows = _chunk(count, (query["page"] - 1) * size, size)
        return Page(rows, total_pages=pages if header else None)

    return FakeList(answer)


def offset_pages(count: int) -> FakeList:
    return FakeList(lambda q: Page(_chunk(count, q["offset"], q["limit"])))


def magento_pages(count: int) -> FakeList:
    """Magento: beyond the last page it answers the last page again (its real quirk)."""

    def answer(query: Query) -> Page[int]:
        size = query["searchCriteria[pageSize]"]
        last = max(1, math.ceil(count / size))
        page = min(query["searchCriteria[currentPage]"], last)
        return Page(_chunk(count, (page - 1) * size, size), total_count=count)

    return FakeList(answer)


def cursor_pages(chunks: Sequence[Sequence[int]]) -> FakeList:
    """Shopify: cursor ``c<i>`` names page ``i``; the first page is asked without one."""

    def answer(query: Query) -> Page[int]:
        cursor = query["after"]
        index = 0 if cursor is None else int(cursor[1:])
        has_next = index + 1 < len(chunks)
        return Page(chunks[index], has_next=has_next, next_cursor=f"c{index + 1}")

    return FakeList(answer)


# --- PageNumbers ---------------------------------------------------------------


def test_page_numbers_stops_at_the_total_pages_header_even_on_a_full_page() -> None:
    fetch = woo_pages(6, 3)

    assert list(PageNumbers(3).items(fetch)) == [0, 1, 2, 3, 4, 5]
    assert fetch.queries == [{"page": 1, "per_page": 3}, {"page": 2, "per_page": 3}]


def test_page_numbers_without_a_header_stops_at_the_first_short_page() -> None:
    fetch = woo_pages(7, 3, header=False)

    assert list(PageNumbers(3, size_param="limit").items(fetch)) == list(range(7))
    assert fetch.queries == [{"page": p, "limit": 3} for p in (1, 2, 3)]


def test_page_numbers_without_a_header_needs_the_empty_page_after_a_full_one() -> None:
    fetch = woo_pages(6, 3, header=False)

    assert list(PageNumbers(3).items(fetch)) == list(range(6))
    assert [q["page"] for q in fetch.queries] == [1, 2, 3]


def test_page_numbers_an_empty_page_ends_the_walk_whatever_the_header_says() -> None:
    fetch = FakeList(lambda q: Page([1, 2] if q["page"] == 1 else [], total_pages=9))

    assert list(PageNumbers(2).items(fetch)) == [1, 2]
    assert [q["page"] for q in fetch.queries] == [1, 2]


def test_page_numbers_an_empty_first_page_is_the_only_request() -> None:
    fetch = woo_pages(0, 5)

    assert list(PageNumbers(5).pages(fetch)) == [[]]
    assert fetch.queries == [{"page": 1, "per_page": 5}]


def test_page_numbers_follow_a_page_count_that_grows_and_a_short_page_before_it() -> None:
    """The count is re-read from every answer; with a count told, a short page is not the end."""
    answers = {
        1: Page([1], total_pages=2),
        2: Page([2], total_pages=3),
        3: Page([3], total_pages=3),
    }
    fetch = FakeList(lambda q: answers[q["page"]])

    assert list(PageNumbers(5).items(fetch)) == [1, 2, 3]
    assert [q["page"] for q in fetch.queries] == [1, 2, 3]


def test_page_numbers_custom_parameter_names() -> None:
    fetch = woo_pages(3, 2)

    list(
        PageNumbers(2, page_param="p", size_param="n").items(
            _renamed(fetch, p="page", n="per_page")
        )
    )
    assert fetch.queries == [{"page": 1, "per_page": 2}, {"page": 2, "per_page": 2}]


def _renamed(fetch: FakeList, **names: str) -> Callable[[Query], Page[int]]:
    """``fetch`` asked with the parameter names a paginator was given (checks they are used)."""

    def call(query: Query) -> Page[int]:
        assert set(query) == set(names), query
        return fetch({names[k]: v for k, v in query.items()})

    return call


@settings(max_examples=150, deadline=None)
@given(count=COUNTS, size=SIZES)
def test_page_numbers_with_header_property(count: int, size: int) -> None:
    """N items in pages of k with the count told: ceil(N/k) requests (one when empty)."""
    fetch = woo_pages(count, size)

    assert list(PageNumbers(size).items(fetch)) == list(range(count))
    pages = max(1, math.ceil(count / size))
    assert fetch.queries == [{"page": p, "per_page": size} for p in range(1, pages + 1)]


@settings(max_examples=150, deadline=None)
@given(count=COUNTS, size=SIZES)
def test_page_numbers_without_header_property(count: int, size: int) -> None:
    """N items in pages of k, no count told: floor(N/k) + 1 requests (the last one short)."""
    fetch = woo_pages(count, size, header=False)

    assert list(PageNumbers(size).items(fetch)) == list(range(count))
    assert [q["page"] for q in fetch.queries] == list(range(1, count // size + 2))


# --- OffsetLimit ---------------------------------------------------------------


def test_offset_limit_stops_at_the_short_page() -> None:
    fetch = offset_pages(5)

    assert list(OffsetLimit(2).items(fetch)) == [0, 1, 2, 3, 4]
    assert fetch.queries == [
        {"offset": 0, "limit": 2},
        {"offset": 2, "limit": 2},
        {"offset": 4, "limit": 2},
    ]


def test_offset_limit_asks_one_empty_page_after_a_full_last_page() -> None:
    fetch = offset_pages(4)

    assert list(OffsetLimit(2).pages(fetch)) == [[0, 1], [2, 3], []]
    assert [q["offset"] for q in fetch.queries] == [0, 2, 4]


def test_offset_limit_in_prestashop_form() -> None:
    """PrestaShop's one parameter ``limit=<offset>,<count>``, written by ``query``."""

    def prestashop(offset: int, count: int) -> Query:
        return {"limit": f"{offset},{count}"}

    def answer(query: Query) -> Page[int]:
        offset, count = map(int, query["limit"].split(","))
        return Page(_chunk(7, offset, count))

    fetch = FakeList(answer)

    assert list(OffsetLimit(3, prestashop).items(fetch)) == list(range(7))
    assert fetch.queries == [{"limit": "0,3"}, {"limit": "3,3"}, {"limit": "6,3"}]


@settings(max_examples=150, deadline=None)
@given(count=COUNTS, size=SIZES)
def test_offset_limit_property(count: int, size: int) -> None:
    """N items in pages of k: floor(N/k) + 1 requests at offsets 0, k, 2k, …"""
    fetch = offset_pages(count)

    assert list(OffsetLimit(size).items(fetch)) == list(range(count))
    expected = [{"offset": i * size, "limit": size} for i in range(count // size + 1)]
    assert fetch.queries == expected


# --- Cursors -------------------------------------------------------------------


def test_cursors_first_page_without_cursor_then_each_given_cursor() -> None:
    fetch = cursor_pages([[1, 2], [3], [4, 5]])

    assert list(Cursors("after").items(fetch)) == [1, 2, 3, 4, 5]
    assert fetch.queries == [{"after": None}, {"after": "c1"}, {"after": "c2"}]


def test_cursors_stop_when_no_next_page_even_with_a_cursor() -> None:
    """Shopify gives an ``endCursor`` on the last page too: ``hasNextPage`` decides."""
    fetch = FakeList(lambda q: Page([1], has_next=False, next_cursor="more?"))

    assert list(Cursors().items(fetch)) == [1]
    assert fetch.queries == [{"after": None}]


def test_cursors_custom_parameter_name() -> None:
    fetch = cursor_pages([[1], [2]])

    list(Cursors("cursor").items(_renamed(fetch, cursor="after")))
    assert fetch.queries == [{"after": None}, {"after": "c1"}]


def test_cursors_never_ask_the_first_page_twice() -> None:
    fetch = FakeList(lambda q: Page([1], has_next=True, next_cursor=None), limit=3)

    with contextlib.suppress(_Runaway, ConnectorError, ValueError):
        list(Cursors().items(fetch))
    assert fetch.queries == [{"after": None}]


@settings(max_examples=150, deadline=None)
@given(chunks=st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=12))
def test_cursors_property(chunks: list[int]) -> None:
    """One request per page the server has, each page's rows once and in order."""
    pages, start = [], 0
    for length in chunks:
        pages.append(list(range(start, start + length)))
        start += length
    fetch = cursor_pages(pages)

    assert list(Cursors().items(fetch)) == list(range(start))
    assert fetch.queries == [{"after": None}] + [{"after": f"c{i}"} for i in range(1, len(pages))]


# --- SearchCriteria ------------------------------------------------------------


def test_search_criteria_stops_when_total_count_is_reached() -> None:
    fetch = magento_pages(6)

    assert list(SearchCriteria(3).items(fetch)) == list(range(6))
    assert fetch.queries == [
        {"searchCriteria[pageSize]": 3, "searchCriteria[currentPage]": 1},
        {"searchCriteria[pageSize]": 3, "searchCriteria[currentPage]": 2},
    ]


def test_search_criteria_an_empty_list_is_one_request() -> None:
    fetch = magento_pages(0)

    assert list(SearchCriteria(3).pages(fetch)) == [[]]
    assert len(fetch.queries) == 1


def test_search_criteria_a_missing_total_count_ends_after_the_first_page() -> None:
    fetch = FakeList(lambda q: Page([1, 2]))

    assert list(SearchCriteria(2).items(fetch)) == [1, 2]
    assert len(fetch.queries) == 1


def test_search_criteria_follow_a_total_count_that_grows() -> None:
    counts = {1: 4, 2: 6, 3: 6}  # a third page appears while the walk is on page 1
    fetch = FakeList(
        lambda q: Page(
            [q["searchCriteria[currentPage]"]] * 2,
            total_count=counts[q["searchCriteria[currentPage]"]],
        )
    )

    assert list(SearchCriteria(2).items(fetch)) == [1, 1, 2, 2, 3, 3]
    assert [q["searchCriteria[currentPage]"] for q in fetch.queries] == [1, 2, 3]


@settings(max_examples=150, deadline=None)
@given(count=COUNTS, size=SIZES)
def test_search_criteria_property(count: int, size: int) -> None:
    """ceil(N/k) requests (one when empty); Magento's repeated last page is never read."""
    fetch = magento_pages(count)

    assert list(SearchCriteria(size).items(fetch)) == list(range(count))
    pages = max(1, math.ceil(count / size))
    assert fetch.queries == [
        {"searchCriteria[pageSize]": size, "searchCriteria[currentPage]": p}
        for p in range(1, pages + 1)
    ]


# --- every paginator -----------------------------------------------------------

LAZY_CASES: list[tuple[Paginator, Callable[[], FakeList]]] = [
    (PageNumbers(2), lambda: woo_pages(10, 2)),
    (PageNumbers(2), lambda: woo_pages(10, 2, header=False)),
    (OffsetLimit(2), lambda: offset_pages(10)),
    (Cursors(), lambda: cursor_pages([[0, 1], [2, 3], [4, 5]])),
    (SearchCriteria(2), lambda: magento_pages(10)),
]


@pytest.mark.parametrize(("paginator", "make"), LAZY_CASES)
def test_a_page_is_asked_only_when_the_reader_gets_to_it(
    paginator: Paginator, make: Callable[[], FakeList]
) -> None:
    """A reader that stops early (a budget, an error) sends no request for pages it skips."""
    fetch = make()
    items: Iterator[int] = paginator.items(fetch)

    assert fetch.queries == []
    assert [next(items), next(items)] == [0, 1]
    assert len(fetch.queries) == 1
    assert next(items) == 2
    assert len(fetch.queries) == 2


@pytest.mark.parametrize(("paginator", "make"), LAZY_CASES)
def test_a_failed_page_request_ends_the_walk_with_its_error(
    paginator: Paginator, make: Callable[[], FakeList]
) -> None:
    """The wire's error goes up as it is (no page skipped, no retry of its own)."""
    inner = make()
    calls = []

    def fetch(query: Query) -> Page[int]:
        calls.append(query)
        if len(calls) == 2:
            raise ConnectorError("the shop answered 500")
        return inner(query)

    got: list[int] = []
    with pytest.raises(ConnectorError, match="500"):
        got.extend(paginator.items(fetch))
    assert got == [0, 1]
    assert len(calls) == 2


# --- fields --------------------------------------------------------------------

_TABLE: FieldTable = {
    "city": text("city"),
    "phone": optional_text("phone"),
    "discount_total": value("discount_total", money),
    "paid_at": value("date_paid_gmt", parse_datetime),
    "meta": as_sent("meta"),
    "transaction": text("payment.last_trans_id"),
}


def test_read_fields_copies_each_field_with_its_converter() -> None:
    read = read_fields(
        _TABLE,
        {
            "city": "Lyon",
            "phone": 612345678,
            "discount_total": "12.30",
            "date_paid_gmt": "2024-03-01T10:20:30",
            "meta": '{"a": 1}',
            "payment": {"last_trans_id": 99},
        },
    )

    assert read == {
        "city": "Lyon",
        "phone": "612345678",
        "discount_total": Decimal("12.30"),
        "paid_at": datetime(2024, 3, 1, 10, 20, 30, tzinfo=UTC),
        "meta": '{"a": 1}',
        "transaction": "99",
    }
    assert str(read["discount_total"]) == "12.30"  # the shop's places kept
    assert read["paid_at"].tzinfo is not None


def test_read_fields_missing_optional_fields() -> None:
    assert read_fields(_TABLE, {}) == {
        "city": "",
        "phone": None,
        "discount_total": Decimal(0),
        "paid_at": None,
        "meta": "",
        "transaction": "",
    }


@pytest.mark.parametrize("empty", [None, ""])
def test_read_fields_null_and_empty_are_missing(empty: Any) -> None:
    data = {"city": empty, "phone": empty, "meta": empty, "payment": {"last_trans_id": empty}}

    read = read_fields(_TABLE, data)

    assert (read["city"], read["phone"], read["meta"], read["transaction"]) == ("", None, "", "")


def test_dotted_key_reads_a_null_parent_as_empty() -> None:
    assert wire({"payment": None}, "payment.last_trans_id") is None
    assert wire({"a": {"b": {"c": 3}}}, "a.b.c") == 3
    assert text("payment.last_trans_id")({"payment": None}) == ""


def test_text_makes_text_of_numbers() -> None:
    assert text("zip")({"zip": 69001}) == "69001"


def test_as_sent_keeps_the_value_exactly() -> None:
    sent = ' {"gift": true} '
    assert as_sent("meta")({"meta": sent}) is sent
    assert as_sent("n")({"n": 5}) == 5


def test_value_hands_the_wire_value_unchanged_and_none_when_missing() -> None:
    seen: list[Any] = []
    reader = value("x.y", lambda v: seen.append(v) or v)

    marker = object()
    assert reader({"x": {"y": marker}}) is marker
    assert reader({"x": {}}) is None
    assert seen == [marker, None]


@given(st.decimals(allow_nan=False, allow_infinity=False, places=4))
def test_an_amount_is_the_exact_decimal_the_shop_wrote(amount: Decimal) -> None:
    read = value("total", money)({"total": str(amount)})

    assert type(read) is Decimal
    assert read == amount
    assert str(read) == str(amount)


@pytest.mark.parametrize(("sent", "expected"), [(0.1, "0.1"), (19.99, "19.99"), (1.15, "1.15")])
def test_an_amount_sent_as_a_json_number_never_goes_through_binary_float(
    sent: float, expected: str
) -> None:
    read = value("total", money)({"total": sent})

    assert type(read) is Decimal
    assert read == Decimal(expected)
    assert read != Decimal(sent)  # not the binary float's long expansion


def _read_order(data: dict[str, Any]) -> dict[str, Any]:
    return read_record(str(data.get("id")), lambda: read_fields(_TABLE, data))


@pytest.mark.parametrize(
    ("key", "bad"),
    [("discount_total", "12,30 €"), ("date_paid_gmt", "yesterday"), ("date_paid_gmt", 1700000000)],
)
def test_a_malformed_value_is_the_records_error(key: str, bad: Any) -> None:
    with pytest.raises(RecordError) as caught:
        _read_order({"id": 42, key: bad})

    assert caught.value.record_id == "42"


def test_a_malformed_value_does_not_stop_the_read() -> None:
    raws = [{"id": 1, "city": "A"}, {"id": 2, "discount_total": "n/a"}, {"id": 3, "city": "C"}]

    got = list(each_record(raws, lambda raw: read_fields(_TABLE, raw)))

    assert [g["city"] if isinstance(g, dict) else g.record_id for g in got] == ["A", "2", "C"]
    assert isinstance(got[1], RecordError)


@pytest.mark.parametrize(
    ("key", "field_name", "bad"),
    [("discount_total", "discount_total", "12,30 €"), ("date_paid_gmt", "paid_at", "yesterday")],
)
def test_a_malformed_value_error_names_the_field(key: str, field_name: str, bad: Any) -> None:
    with pytest.raises(RecordError) as caught:
        _read_order({"id": 42, key: bad})

    message = str(caught.value)
    assert key in message or field_name in message, message


def test_a_required_field_is_read_like_value_and_its_absence_refuses_the_record() -> None:
    reader = required("totalPriceSet.shopMoney.amount", lambda a: Decimal(str(a or "0")))

    assert reader({"totalPriceSet": {"shopMoney": {"amount": "9.90"}}}) == Decimal("9.90")
    assert reader({"totalPriceSet": None}) == Decimal(0)  # present, even null: convert's call
    assert required("name")({"name": "Pot"}) == "Pot"
    with pytest.raises(RecordError) as missing:
        read_record("42", lambda: required("name")({"id": 42}))
    assert missing.value.record_id == "42"
    assert "the field 'name' is missing" in str(missing.value)
    with pytest.raises(RecordError, match="'totalPriceSet.shopMoney.amount' holds 'n/a'"):
        reader({"totalPriceSet": {"shopMoney": {"amount": "n/a"}}})


# --- HttpShop ------------------------------------------------------------------


class _Transport(httpx.MockTransport):
    """A mock shop that also records being closed."""

    def __init__(self, handler: Callable[[httpx.Request], httpx.Response]) -> None:
        super().__init__(handler)
        self.closed = False

    def close(self) -> None:
        self.closed = True


@dataclass
class _Wire:
    http: RetryingClient
    site_url: str


class _Shop(HttpShop[_Wire]):
    platform: ClassVar[str] = "Test"

    def __init__(self, client: _Wire) -> None:
        self.client = client


def _shop(
    handler: Callable[[httpx.Request], httpx.Response] | None = None,
    site_url: str = "https://shop.example/",
) -> tuple[_Shop, _Transport]:
    transport = _Transport(handler or (lambda request: httpx.Response(200, json={})))
    http = RetryingClient(
        base_url=site_url,
        platform="Test",
        options=HttpOptions(max_tries=3, backoff_base=0, backoff_max=0),
        sleep=lambda seconds: None,
        transport=transport,
    )
    return _Shop(_Wire(http, site_url)), transport


@pytest.mark.parametrize(
    ("url", "identity"),
    [
        ("https://shop.example/", "shop.example"),
        ("https://shop.example:443/wp", "shop.example/wp"),
        ("http://shop.example:8080/store/", "shop.example:8080/store"),
    ],
)
def test_identity_is_the_shop_address(url: str, identity: str) -> None:
    shop, _ = _shop(site_url=url)

    assert shop.identity == identity


def test_without_scheme() -> None:
    assert without_scheme("https://abc.myshopify.com") == "abc.myshopify.com"
    assert without_scheme("https://api.example/stores/h4sh") == "api.example/stores/h4sh"
    assert without_scheme("abc.myshopify.com") == "abc.myshopify.com"


def test_request_count_includes_retries_and_the_listener_hears_each_retry() -> None:
    answers = iter([httpx.Response(503), httpx.Response(503), httpx.Response(200, json=[])])
    shop, _ = _shop(lambda request: next(answers))
    heard: list[str] = []

    assert shop.request_count == 0
    shop.on_retry(heard.append)
    shop.client.http.request("GET", "/orders")

    assert shop.request_count == 3
    assert len(heard) == 2
    assert all(note.startswith("Test: try") and "retrying" in note for note in heard)


def test_on_retry_none_silences_the_listener() -> None:
    answers = iter([httpx.Response(503), httpx.Response(200, json=[])])
    shop, _ = _shop(lambda request: next(answers))
    heard: list[str] = []

    shop.on_retry(heard.append)
    shop.on_retry(None)
    shop.client.http.request("GET", "/orders")

    assert heard == []
    assert shop.request_count == 2


def test_close_closes_the_connection() -> None:
    shop, transport = _shop()

    shop.close()

    assert transport.closed


def test_with_gives_the_shop_and_closes_it_even_on_error() -> None:
    shop, transport = _shop()

    with shop as entered:
        assert entered is shop
        assert not transport.closed
    assert transport.closed

    shop, transport = _shop()
    with pytest.raises(KeyError), shop:
        raise KeyError("boom")
    assert transport.closed


def test_the_five_shops_are_http_shops() -> None:
    from passerelle.connectors.bigcommerce.connector import BigCommerceShop
    from passerelle.connectors.magento.connector import MagentoShop
    from passerelle.connectors.prestashop.connector import PrestaShopShop
    from passerelle.connectors.shopify.connector import ShopifyShop
    from passerelle.connectors.woocommerce.connector import WooCommerceShop

    for shop in (BigCommerceShop, MagentoShop, PrestaShopShop, ShopifyShop, WooCommerceShop):
        assert issubclass(shop, HttpShop), shop
    for shop in (BigCommerceShop, MagentoShop, ShopifyShop):
        assert issubclass(shop, OrdersVia), shop


# --- OrdersVia -----------------------------------------------------------------


@dataclass
class _OrderPart:
    """Records each call as (method, args, kwargs) and answers a marker."""

    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = field(default_factory=list)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, args, kwargs))
            return ("answer", name)

        return call


class _Via(OrdersVia):
    def __init__(self) -> None:
        self.part = _OrderPart()
        self.orders = self.part  # type: ignore[assignment]


def test_iter_orders_forwards_every_filter_with_its_defaults() -> None:
    via = _Via()

    assert via.iter_orders() == ("answer", "iter_orders")
    after = datetime(2024, 1, 1, tzinfo=UTC)
    via.iter_orders(statuses=["processing"], modified_after=after, include_archived=True)

    none = {
        "statuses": None,
        "created_after": None,
        "created_before": None,
        "modified_after": None,
        "include_archived": False,
    }
    assert via.part.calls == [
        ("iter_orders", (), none),
        (
            "iter_orders",
            (),
            dict(none, statuses=["processing"], modified_after=after, include_archived=True),
        ),
    ]


def test_the_other_order_methods_are_forwarded_as_called() -> None:
    via = _Via()
    shipped = datetime(2024, 5, 6, tzinfo=UTC)

    assert via.iter_open_orders() == ("answer", "iter_open_orders")
    assert via.get_order("17") == ("answer", "get_order")
    via.write_shipment(
        "17",
        carrier="colissimo",
        tracking_number="6A123",
        shipped_at=shipped,
        notify_customer=True,
        status="completed",
    )
    via.write_order_result("17", document_number="SO-9", status=None)

    assert via.part.calls == [
        ("iter_open_orders", (), {}),
        ("get_order", ("17",), {}),
        (
            "write_shipment",
            ("17",),
            {
                "carrier": "colissimo",
                "tracking_number": "6A123",
                "shipped_at": shipped,
                "notify_customer": True,
                "status": "completed",
            },
        ),
        ("write_order_result", ("17",), {"document_number": "SO-9", "status": None}),
    ]


def test_with_notes_returns_the_order_without_a_request() -> None:
    via = _Via()
    order = object()

    assert via.with_notes(order) is order  # type: ignore[arg-type]
    assert via.part.calls == []


# --- the five clients walk their lists through the kit --------------------------

Handler = Callable[[httpx.Request], httpx.Response]


def _wired(client: Any, handler: Handler) -> list[httpx.Request]:
    """``client.http`` swapped for one over a mock shop; the requests it gets, in order."""
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    client.http = RetryingClient(
        base_url=str(client.http._http.base_url),
        platform="Test",
        options=HttpOptions(max_tries=1),
        transport=httpx.MockTransport(record),
    )
    return seen


def _records(count: int, start: int, size: int) -> list[dict[str, int]]:
    return [{"id": i} for i in range(start, min(count, start + size))]


def test_woocommerce_pages_until_x_wp_totalpages() -> None:
    from passerelle.connectors.woocommerce.client import WooCommerceClient

    client = WooCommerceClient("https://shop.example", "ck", "cs")

    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        rows = _records(200, (page - 1) * 100, 100)
        return httpx.Response(200, json=rows, headers={"X-WP-TotalPages": "2"})

    seen = _wired(client, handler)

    assert len(list(client.iter_all("orders", {"status": "processing"}))) == 200
    assert [dict(r.url.params) for r in seen] == [
        {"status": "processing", "page": str(p), "per_page": "100"} for p in (1, 2)
    ]


def test_bigcommerce_v3_pages_until_total_pages_and_v2_until_a_short_page() -> None:
    from passerelle.connectors.bigcommerce.client import BigCommerceClient

    client = BigCommerceClient("https://api.example", "h4sh", "token")

    def v3(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        meta = {"pagination": {"total_pages": 2}}
        return httpx.Response(
            200, json={"data": _records(300, (page - 1) * 250, 250), "meta": meta}
        )

    seen = _wired(client, v3)
    assert len(list(client.iter_v3("v3/catalog/products"))) == 300
    assert [(r.url.params["page"], r.url.params["limit"]) for r in seen] == [
        ("1", "250"),
        ("2", "250"),
    ]

    def v2(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        rows = _records(250, (page - 1) * 250, 250)
        return httpx.Response(200, json=rows) if rows else httpx.Response(204)

    seen = _wired(client, v2)
    assert len(list(client.iter_v2("v2/orders"))) == 250
    assert [r.url.params["page"] for r in seen] == ["1", "2"]  # the full page, then 204


def test_magento_pages_until_total_count() -> None:
    from passerelle.connectors.magento.client import PAGE_SIZE, MagentoClient

    client = MagentoClient("https://shop.example", "token")
    count = PAGE_SIZE + 1

    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["searchCriteria[currentPage]"])
        page = min(page, 2)  # Magento answers the last page again past the end
        rows = _records(count, (page - 1) * PAGE_SIZE, PAGE_SIZE)
        return httpx.Response(200, json={"items": rows, "total_count": count})

    seen = _wired(client, handler)

    assert [row["id"] for row in client.search("orders")] == list(range(count))
    assert [
        (r.url.params["searchCriteria[currentPage]"], r.url.params["searchCriteria[pageSize]"])
        for r in seen
    ] == [("1", str(PAGE_SIZE)), ("2", str(PAGE_SIZE))]


def test_prestashop_pages_by_limit_offset_count_until_a_short_page() -> None:
    from passerelle.connectors.prestashop.client import PrestaShopClient

    client = PrestaShopClient("https://shop.example", "key")

    def handler(request: httpx.Request) -> httpx.Response:
        offset, size = map(int, request.url.params["limit"].split(","))
        return httpx.Response(200, json={"orders": _records(5, offset, size)})

    seen = _wired(client, handler)

    assert [len(rows) for rows in client.pages("orders", page=2)] == [2, 2, 1]
    assert [r.url.params["limit"] for r in seen] == ["0,2", "2,2", "4,2"]


def test_shopify_pages_by_cursor_until_has_next_page_is_false() -> None:
    from passerelle.connectors.shopify.client import ShopifyClient

    client = ShopifyClient("https://abc.myshopify.com", "token")
    pages = {None: ([1, 2], True, "c1"), "c1": ([3], False, "c2")}

    def handler(request: httpx.Request) -> httpx.Response:
        nodes, has_next, cursor = pages[json.loads(request.content)["variables"]["after"]]
        info = {"hasNextPage": has_next, "endCursor": cursor}
        data = {"products": {"nodes": [{"id": n} for n in nodes], "pageInfo": info}}
        return httpx.Response(200, json={"data": data})

    seen = _wired(client, handler)

    got = client.pages("query($after: String) {}", "products", cost=1, what="products")
    assert [node["id"] for node in got] == [1, 2, 3]
    assert [json.loads(r.content)["variables"] for r in seen] == [{"after": None}, {"after": "c1"}]
