"""A staged order's summary and reason in each reader's language, on SQLite and PostgreSQL.

The flows give them as catalogue messages; the grid keeps their JSON form in the
same text columns, gives back their English as ``summary`` / ``reason`` and the
reader's language through ``summary_in`` / ``reason_in``. Rows written as plain
text before stay as they were.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from passerelle.connectors.errors import RecordError
from passerelle.flows.order_documents import PlannedOrder
from passerelle.i18n.messages import M_, said
from passerelle.model import BackOfficeSale, DocumentType
from passerelle.store import Store

FLOW = "import-orders"
DOC = json.dumps({"members": ["1"], "sales": []})


def _sale(key: str, total: str) -> BackOfficeSale:
    return BackOfficeSale(
        external_key=key,
        party_code="WEB000042",
        document_type=DocumentType.QUOTATION,
        sale_date=date(2026, 3, 1),
        currency="EUR",
        lines=(),
        expected_total=Decimal(total),
    )


def test_a_plans_summary_reads_in_french_and_stays_english_by_default() -> None:
    plan = PlannedOrder(("1",), (_sale("a", "10.50"), _sale("b", "2.00")))
    assert plan.summary == "2 documents, WEB000042, quotation, 12.50 EUR"
    assert plan.summary_said.render("fr") == "2 documents, WEB000042, devis, 12.50 EUR"
    single = PlannedOrder(("1",), (_sale("a", "10.50"),))
    assert single.summary == "WEB000042, quotation, 10.50 EUR"


def test_a_staged_orders_reason_and_summary_in_french(store: Store) -> None:
    plan = PlannedOrder(("1",), (_sale("a", "10.50"),))
    refusal = RecordError(M_("Tryton refused it: %(message)s", message="Le compte est fermé."))
    store.stage(
        "fr",
        FLOW,
        "1",
        order_number="#1",
        document_json=DOC,
        customer_json=None,
        summary=plan.summary_said,
        reason=said(refusal),
    )
    (row,) = store.staged("fr", FLOW)
    assert row.summary == "WEB000042, quotation, 10.50 EUR"
    assert row.reason == "Tryton refused it: Le compte est fermé."
    assert row.summary_in("fr") == "WEB000042, devis, 10.50 EUR"
    assert row.reason_in("fr") == "Tryton l'a refusé : Le compte est fermé."
    assert row.reason_in("en") == row.reason


def test_rows_kept_as_plain_text_read_as_they_were(store: Store) -> None:
    store.stage(
        "fr",
        FLOW,
        "2",
        order_number="#2",
        document_json=DOC,
        customer_json=None,
        summary="Jane Doe, 25.00 EUR",
        reason='{"not": "a message"}',
    )
    (row,) = store.staged("fr", FLOW)
    assert (row.summary_in("fr"), row.reason_in("fr")) == (
        "Jane Doe, 25.00 EUR",
        '{"not": "a message"}',
    )
    assert row.translatable_summary is None and row.translatable_reason is None
