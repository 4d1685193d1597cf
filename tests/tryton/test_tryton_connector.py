"""The Tryton connector against a copy of the demo database (real trytond, SQLite)."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from passerelle import demo_data
from passerelle.connectors.base import BackOffice
from passerelle.connectors.errors import RecordError
from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.connectors.tryton.constants import PAYMENT_JOURNALS
from passerelle.connectors.tryton.database import TrytonTarget, session
from passerelle.model import (
    Address,
    BackOfficePayment,
    BackOfficeSale,
    Customer,
    DocumentType,
    SaleLine,
)

CENT = Decimal("0.01")
TODAY = dt.date.today()


@pytest.fixture(scope="module")
def taxes(tryton_backoffice: TrytonBackOffice) -> dict[Decimal, str]:
    """Tax id by rate."""
    return {t.rate: t.source_id for t in tryton_backoffice.list_taxes()}


def _tax_of(code: str) -> Decimal:
    return next(t.rate for t in demo_data.TAXES if t.code == code)


def _expected_totals(lines: list[tuple[Decimal, Decimal, Decimal]]) -> tuple[Decimal, Decimal]:
    """(untaxed, tax) as a shop rounding tax per line: independent of Tryton."""
    untaxed = Decimal(0)
    tax = Decimal(0)
    for quantity, price, rate in lines:
        amount = (quantity * price).quantize(CENT, ROUND_HALF_UP)
        untaxed += amount
        tax += (amount * rate).quantize(CENT, ROUND_HALF_UP)
    return untaxed, tax


def _sale_count(target: TrytonTarget) -> int:
    from trytond.pool import Pool

    with session(target, readonly=True):
        return Pool().get("sale.sale").search_count([])


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


def test_is_a_backoffice_and_connects(tryton_backoffice: TrytonBackOffice) -> None:
    assert isinstance(tryton_backoffice, BackOffice)
    report = tryton_backoffice.test_connection()
    assert report.ok, report.message
    assert demo_data.COMPANY in report.message


def test_missing_database_reports_not_ok(tmp_path: Path) -> None:
    report = TrytonBackOffice("nope", path=tmp_path).test_connection()
    assert not report.ok
    assert "does not exist" in report.message


def test_taxes(tryton_backoffice: TrytonBackOffice) -> None:
    """Catalogue VAT and the taxes only orders use (compound GST/PST, 0 % VAT)."""
    taxes = tryton_backoffice.list_taxes()
    assert sorted((t.name, t.rate) for t in taxes) == sorted(
        (t.name, t.rate) for t in (*demo_data.TAXES, *demo_data.ORDER_TAXES)
    )


def test_categories_are_the_catalogue_ones_with_parents(
    tryton_backoffice: TrytonBackOffice,
) -> None:
    categories = tryton_backoffice.list_categories()
    by_id = {c.source_id: c for c in categories}
    got = {(c.name, by_id[c.parent_id].name if c.parent_id else None) for c in categories}
    names = {c.code: c.name for c in demo_data.CATEGORIES}
    expected = {(c.name, names[c.parent] if c.parent else None) for c in demo_data.CATEGORIES}
    assert got == expected


def test_items_match_demo_data(tryton_backoffice: TrytonBackOffice) -> None:
    items = {i.code: i for i in tryton_backoffice.list_items()}
    categories = {c.source_id: c.name for c in tryton_backoffice.list_categories()}
    category_names = {c.code: c.name for c in demo_data.CATEGORIES}
    specials = {i.code for i in demo_data.SPECIAL_ITEMS}
    assert set(items) == (
        {i.code for i in demo_data.CATALOGUE_ITEMS} | specials | {demo_data.RETIRED_ITEM.code}
    )
    for demo in demo_data.ITEMS:
        item = items[demo.code]
        assert item.name == demo.name
        assert item.sale_price == demo.price  # to the cent, excl. tax
        assert [t.rate for t in item.taxes] == [_tax_of(demo.tax)]
        assert [categories[c] for c in item.category_ids] == [category_names[demo.category]]
        assert item.weight == demo.weight
        assert item.barcode == demo.barcode
        assert item.description == demo.description
        assert item.active and item.salable and item.stocked
        assert item.modified_at is not None and item.modified_at.tzinfo is not None
    for code in specials:
        assert not items[code].stocked and items[code].salable and items[code].active, code
    retired = items[demo_data.RETIRED_ITEM.code]
    assert not retired.active and retired.stocked


def test_items_modified_since(tryton_backoffice: TrytonBackOffice) -> None:
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    assert tryton_backoffice.list_items(modified_since=future) == []
    past = dt.datetime.now(dt.UTC) - dt.timedelta(days=3650)
    assert len(tryton_backoffice.list_items(modified_since=past)) == (
        len(demo_data.CATALOGUE_ITEMS) + len(demo_data.SPECIAL_ITEMS) + 1
    )


def test_item_codes(tryton_backoffice: TrytonBackOffice) -> None:
    codes = tryton_backoffice.item_codes()
    assert {i.code for i in demo_data.ITEMS} <= codes
    assert {i.code for i in demo_data.SPECIAL_ITEMS} <= codes
    assert demo_data.RETIRED_ITEM.code not in codes


def test_stock_levels_per_warehouse(tryton_backoffice: TrytonBackOffice) -> None:
    levels = tryton_backoffice.stock_levels()
    got = {(s.item_code, s.warehouse): s.quantity for s in levels}
    goods = [i for i in demo_data.CATALOGUE_ITEMS if not i.components]
    for demo in goods:
        for warehouse, quantity in zip(demo_data.WAREHOUSES, demo.stock, strict=True):
            assert got[(demo.code, warehouse)] == quantity, (demo.code, warehouse)
    # Goods and kits (a kit's level comes from its components).
    assert len(levels) == len(demo_data.CATALOGUE_ITEMS) * len(demo_data.WAREHOUSES)
    assert any(q < 0 for q in got.values()) and any(q == 0 for q in got.values())


def test_stock_levels_filtered(tryton_backoffice: TrytonBackOffice) -> None:
    some = [i.source_id for i in tryton_backoffice.list_items()[:3]]
    levels = tryton_backoffice.stock_levels(warehouses=["WH2"], item_ids=some)
    assert {s.warehouse for s in levels} == {"WH2"}
    assert sorted(s.item_id for s in levels) == sorted(some)
    with pytest.raises(RecordError, match="NOPE"):
        tryton_backoffice.stock_levels(warehouses=["NOPE"])


def test_stock_levels_of_most_items_are_the_whole_reads_for_them(
    tryton_backoffice: TrytonBackOffice,
) -> None:
    """Asked for most of the catalogue (a run's read-ahead), the read searches every
    item and keeps those asked: the same levels, in the same order, as a read naming
    a few ids or none."""
    every = tryton_backoffice.stock_levels()
    ids = [i.source_id for i in tryton_backoffice.list_items()]
    for asked in (ids[1:], ids[: len(ids) // 2 + 2], ids[2:5]):
        kept = set(asked)
        assert tryton_backoffice.stock_levels(item_ids=asked) == [
            level for level in every if level.item_id in kept
        ]
    assert tryton_backoffice.stock_levels(item_ids=[]) == []


def test_customers(tryton_backoffice: TrytonBackOffice) -> None:
    customers = {c.code: c for c in tryton_backoffice.list_customers()}
    assert set(customers) == {c.code for c in (*demo_data.CUSTOMERS, demo_data.INACTIVE_CUSTOMER)}
    for demo in demo_data.CUSTOMERS:
        customer = customers[demo.code]
        assert customer.name == f"{demo.first_name} {demo.last_name}"
        assert customer.email == demo.email
        (address,) = customer.addresses
        assert (address.street, address.postal_code, address.city, address.country_code) == (
            demo.street,
            demo.postal_code,
            demo.city,
            demo.country,
        )
        assert customer.company == demo.company
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    assert tryton_backoffice.list_customers(modified_since=future) == []


def test_find_customer(tryton_backoffice: TrytonBackOffice) -> None:
    found = tryton_backoffice.find_customer(code="C0002")
    assert found is not None and found.email == "louis.bernard@example.org"
    by_email = tryton_backoffice.find_customer(email="Louis.Bernard@EXAMPLE.org")
    assert by_email is not None and by_email.code == "C0002"
    assert tryton_backoffice.find_customer(code="C9999") is None
    assert tryton_backoffice.find_customer(email="nobody@example.org") is None


# --------------------------------------------------------------------------
# Writing customers
# --------------------------------------------------------------------------


def test_upsert_customer_twice_does_not_duplicate(tryton_backoffice: TrytonBackOffice) -> None:
    address = Address(
        first_name="Zoé",
        last_name="Lambert",
        street="5 rue Neuve",
        postal_code="21000",
        city="Dijon",
        country_code="FR",
    )
    customer = Customer(
        source_id="",
        name="Zoé Lambert",
        email="zoe@example.org",
        code="WEB-0042",
        addresses=(address,),
    )
    first = tryton_backoffice.upsert_customer(customer)
    second = tryton_backoffice.upsert_customer(
        Customer(
            source_id="",
            name="Zoé Lambert-Roux",
            email="zoe.lr@example.org",
            code="WEB-0042",
            addresses=(address,),
        )
    )
    assert first.source_id == second.source_id
    assert second.name == "Zoé Lambert-Roux" and second.email == "zoe.lr@example.org"
    assert len(second.addresses) == 1
    assert [c.code for c in tryton_backoffice.list_customers()].count("WEB-0042") == 1


def test_upsert_customer_new_country_and_numbering(tryton_backoffice: TrytonBackOffice) -> None:
    created = tryton_backoffice.upsert_customer(
        Customer(
            source_id="",
            name="Ana Silva",
            email="ana@example.org",
            addresses=(
                Address(street="Rua 1", postal_code="1000", city="Lisboa", country_code="PT"),
            ),
        )
    )
    assert created.code  # numbered by Tryton's party sequence
    assert created.addresses[0].country_code == "PT"


# --------------------------------------------------------------------------
# Writing sales
# --------------------------------------------------------------------------


def _sale(
    key: str,
    taxes: dict[Decimal, str],
    *,
    document_type: DocumentType = DocumentType.ORDER,
    party: str = "C0003",
    items: tuple[tuple[str, str], ...] = (("POT-001", "2"), ("TEA-001", "3"), ("GRD-002", "1")),
    payment_journal: str = "WEB-CARD",
    paid: bool = True,
) -> tuple[BackOfficeSale, Decimal]:
    demo = {i.code: i for i in demo_data.ITEMS}
    lines = [
        SaleLine(
            code, demo[code].name, Decimal(qty), demo[code].price, (taxes[_tax_of(demo[code].tax)],)
        )
        for code, qty in items
    ]
    lines.append(
        SaleLine("SHIPPING", "Colissimo", Decimal(1), Decimal("4.99"), (taxes[Decimal("0.20")],))
    )
    untaxed, tax = _expected_totals(
        [(Decimal(qty), demo[code].price, _tax_of(demo[code].tax)) for code, qty in items]
        + [(Decimal(1), Decimal("4.99"), Decimal("0.20"))]
    )
    total = untaxed + tax
    payments = (BackOfficePayment(payment_journal, total, TODAY, f"txn-{key}"),) if paid else ()
    sale = BackOfficeSale(
        external_key=key,
        party_code=party,
        document_type=document_type,
        sale_date=TODAY,
        currency="EUR",
        lines=tuple(lines),
        reference=f"Web {key}",
        description="Commande web",
        comment="Laisser chez le voisin",
        shipment_address=Address(
            first_name="Marc",
            last_name="Dubois",
            street="2 rue Haute",
            postal_code="31000",
            city="Toulouse",
            country_code="FR",
        ),
        payments=payments,
        warehouse="WH2",
    )
    return sale, total


def test_create_confirmed_sale_with_shipping_and_payment(
    tryton_backoffice: TrytonBackOffice, tryton_demo: TrytonTarget, taxes: dict[Decimal, str]
) -> None:
    sale, total = _sale("wc-1001", taxes)
    result = tryton_backoffice.create_sale(sale)
    assert result.state == "confirmed"
    assert result.number
    assert result.total_amount == total
    assert result.untaxed_amount + result.tax_amount == total
    assert result.payments_total == total
    assert [line.item_code for line in result.lines] == [line.item_code for line in sale.lines]
    assert [line.tax_ids for line in result.lines] == [line.tax_ids for line in sale.lines]
    assert result.external_key == "wc-1001" and result.party_code == "C0003"

    found = tryton_backoffice.find_sale("wc-1001")
    assert found is not None and found.number == result.number
    # Tryton processed the confirmed sale after the commit (shipment, invoice).
    assert found.state == "processing"

    from trytond.pool import Pool

    with session(tryton_demo, readonly=True):
        record = Pool().get("sale.sale")(int(result.source_id))
        assert record.warehouse.code == "WH2"
        assert record.reference == "Web wc-1001" and record.comment == "Laisser chez le voisin"
        assert record.shipment_address.city == "Toulouse"
        assert record.shipment_address.party_name == "Marc Dubois"
        assert [p.state for p in record.payments] == ["succeeded"]
        assert record.payments[0].journal.name == "WEB-CARD"


def test_create_quotation_with_payment(
    tryton_backoffice: TrytonBackOffice, tryton_demo: TrytonTarget, taxes: dict[Decimal, str]
) -> None:
    sale, total = _sale(
        "wc-1002",
        taxes,
        document_type=DocumentType.QUOTATION,
        items=(("OIL-001", "1"), ("KNF-002", "2")),
        payment_journal="WEB-PAYPAL",
    )
    result = tryton_backoffice.create_sale(sale)
    assert result.state == "quotation"
    assert result.total_amount == total
    assert result.payments_total == total
    assert tryton_backoffice.find_sale("wc-1002").state == "quotation"


def test_create_sale_twice_writes_once(
    tryton_backoffice: TrytonBackOffice, tryton_demo: TrytonTarget, taxes: dict[Decimal, str]
) -> None:
    sale, _ = _sale("wc-1003", taxes, paid=False, document_type=DocumentType.QUOTATION)
    first = tryton_backoffice.create_sale(sale)
    count = _sale_count(tryton_demo)
    again = tryton_backoffice.create_sale(sale)
    assert again.source_id == first.source_id
    assert _sale_count(tryton_demo) == count


def test_find_unknown_sale(tryton_backoffice: TrytonBackOffice) -> None:
    assert tryton_backoffice.find_sale("never-imported") is None


def test_unknown_item_is_a_record_error(
    tryton_backoffice: TrytonBackOffice, taxes: dict[Decimal, str]
) -> None:
    sale, _ = _sale("wc-1004", taxes)
    bad = BackOfficeSale(
        **{
            **_fields(sale),
            "lines": (*sale.lines, SaleLine("NOT-AN-ITEM", "?", Decimal(1), Decimal(1))),
        }
    )
    with pytest.raises(RecordError, match="NOT-AN-ITEM") as error:
        tryton_backoffice.create_sale(bad)
    assert "Web wc-1004" in str(error.value)
    assert tryton_backoffice.find_sale("wc-1004") is None


def test_unknown_party_is_a_record_error(
    tryton_backoffice: TrytonBackOffice, taxes: dict[Decimal, str]
) -> None:
    sale, _ = _sale("wc-1005", taxes, party="C4242")
    with pytest.raises(RecordError, match="C4242") as error:
        tryton_backoffice.create_sale(sale)
    assert "Web wc-1005" in str(error.value)


def test_failure_mid_sale_leaves_nothing(
    tryton_backoffice: TrytonBackOffice, tryton_demo: TrytonTarget, taxes: dict[Decimal, str]
) -> None:
    """The unknown payment journal is found after the sale, lines and address were written."""
    before = _sale_count(tryton_demo)
    addresses_before = len(tryton_backoffice.find_customer(code="C0003").addresses)
    sale, _ = _sale("wc-1006", taxes, payment_journal="WEB-BITCOIN")
    with pytest.raises(RecordError, match="WEB-BITCOIN"):
        tryton_backoffice.create_sale(sale)
    assert _sale_count(tryton_demo) == before
    assert tryton_backoffice.find_sale("wc-1006") is None
    assert len(tryton_backoffice.find_customer(code="C0003").addresses) == addresses_before


def test_total_mismatch_is_refused(
    tryton_backoffice: TrytonBackOffice, tryton_demo: TrytonTarget, taxes: dict[Decimal, str]
) -> None:
    sale, total = _sale("wc-1007", taxes)
    if "expected_total" not in _fields(sale):
        pytest.skip("model without expected_total")
    before = _sale_count(tryton_demo)
    off = BackOfficeSale(**{**_fields(sale), "expected_total": total + CENT})
    with pytest.raises(RecordError, match=str(total + CENT)):
        tryton_backoffice.create_sale(off)
    assert _sale_count(tryton_demo) == before
    ok = BackOfficeSale(
        **{**_fields(sale), "expected_total": total + CENT, "total_tolerance": CENT}
    )
    assert tryton_backoffice.create_sale(ok).total_amount == total


def test_payment_journals_exist(tryton_demo: TrytonTarget) -> None:
    from trytond.pool import Pool

    with session(tryton_demo, readonly=True):
        names = {j.name for j in Pool().get("account.payment.journal").search([])}
    assert set(PAYMENT_JOURNALS) <= names


def _fields(record: object) -> dict[str, object]:
    return {name: getattr(record, name) for name in record.__slots__}  # type: ignore[attr-defined]


# --------------------------------------------------------------------------
# PostgreSQL (in a subprocess: trytond's configuration is process-global)
# --------------------------------------------------------------------------

PG_URI = os.environ.get("PASSERELLE_TRYTON_PG_URI", "postgresql://postgres@127.0.0.1:5432/")

_PG_SCRIPT = """
import datetime as dt, sys
from decimal import Decimal
from passerelle.connectors.tryton.demo import copy_demo_database
from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.model import BackOfficeSale, DocumentType, SaleLine

uri, name = sys.argv[1], sys.argv[2]
target = copy_demo_database(None, None, name, uri=uri)
bo = TrytonBackOffice.from_target(target)
report = bo.test_connection()
assert report.ok, report.message
levels = {(s.item_code, s.warehouse): s.quantity for s in bo.stock_levels()}
assert levels[("POT-001", "WH")] == Decimal(3), levels[("POT-001", "WH")]
# The catalogue read selects rows through trytond's connection: its SQL must hold on
# PostgreSQL too (typed parameters), not only on SQLite.
pot = {i.code: i for i in bo.list_items()}["POT-001"]
assert (pot.sale_price, pot.cost_price, pot.variant_count) == (
    Decimal("24.90"), Decimal("11.20"), 1), pot
assert dict(pot.group_prices) == {
    "Professionnels": Decimal("22.4100"), "Revendeurs": Decimal("19.9200")}, pot.group_prices
vat = {t.rate: t.source_id for t in bo.list_taxes()}[Decimal("0.20")]
result = bo.create_sale(BackOfficeSale(
    external_key="pg-1", party_code="C0001", document_type=DocumentType.ORDER,
    sale_date=dt.date.today(), currency="EUR",
    lines=(SaleLine("POT-001", "Casserole", Decimal(1), Decimal("24.90"), (vat,)),)))
assert result.total_amount == Decimal("29.88"), result
assert bo.find_sale("pg-1").number == result.number
print("PG-OK", result.number)
"""


def _pg_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=2):
            pass
        import psycopg

        psycopg.connect(PG_URI.rstrip("/") + "/postgres", connect_timeout=3).close()
        return True
    except Exception:  # noqa: BLE001 - any failure means "skip"
        return False


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.long  # minutes when the PostgreSQL template must be built: started first
def test_demo_on_postgresql() -> None:
    if not _pg_reachable():
        pytest.skip(f"PostgreSQL unreachable at {PG_URI}")
    try:
        import psycopg_pool  # noqa: F401 - trytond's PostgreSQL backend needs it
    except ImportError:
        pytest.skip("psycopg-pool is not installed (trytond's PostgreSQL backend needs it)")
    name = f"passerelle_test_{os.getpid()}"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH")])
        ),
    }
    done = subprocess.run(
        [sys.executable, "-c", _PG_SCRIPT, PG_URI, name],
        capture_output=True,
        text=True,
        # A hang guard only, not a speed test: building the PostgreSQL template (once
        # per demo version) takes minutes, many more on a loaded machine.
        timeout=3600,
        env=env,
    )
    try:
        assert done.returncode == 0, done.stderr[-4000:]
        assert "PG-OK" in done.stdout
    finally:
        import psycopg

        with psycopg.connect(PG_URI.rstrip("/") + "/postgres", autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
            )
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
