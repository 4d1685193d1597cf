"""Customers (K7, O5, O6), stock on hand and reference checks (O14) on the real demo database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from passerelle import demo_data
from passerelle.connectors.base import REFERENCE_KINDS
from passerelle.connectors.errors import RecordError
from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.connectors.tryton.constants import PAYMENT_JOURNALS
from passerelle.connectors.tryton.database import TrytonTarget
from passerelle.model import Address, Customer, DocumentType
from tests.tryton.builders import item_line, make_sale, sale_record, tax_ids, tryton

ADDRESS = Address(street="8 rue du Port", postal_code="29200", city="Brest", country_code="FR")


def _new_customer(code: str, **extra: str) -> Customer:
    return Customer(
        source_id="",
        name="Yann Le Gall",
        email=f"{code.lower()}@example.org",
        code=code,
        addresses=(ADDRESS,),
        **extra,
    )


# --------------------------------------------------------------------------
# Finding customers
# --------------------------------------------------------------------------


def test_find_by_tax_identifier_ignores_spaces_and_case(
    tryton_backoffice: TrytonBackOffice,
) -> None:
    found = tryton_backoffice.find_customer(tax_identifier="fr 40 303 265 045")
    assert found is not None and found.code == "C0008"
    assert found.tax_identifier == "FR40303265045"
    assert tryton_backoffice.find_customer(tax_identifier="FR00000000000") is None


def test_find_falls_through_code_then_email_then_number(
    tryton_backoffice: TrytonBackOffice,
) -> None:
    by_email = tryton_backoffice.find_customer(code="C9999", email="LEA.ROBERT@example.org")
    assert by_email is not None and by_email.code == "C0005"
    by_number = tryton_backoffice.find_customer(
        email="nobody@example.org", tax_identifier="FR40303265045"
    )
    assert by_number is not None and by_number.code == "C0008"
    assert tryton_backoffice.find_customer() is None


def test_demo_vat_number_is_valid_and_typed(tryton_demo: TrytonTarget) -> None:
    from stdnum.eu import vat

    with tryton(tryton_demo) as pool:
        (identifier,) = pool.get("party.identifier").search([("party.code", "=", "C0008")])
        assert identifier.type == "eu_vat" and vat.is_valid(identifier.code)


def test_carriers_and_representatives_are_not_customers(
    tryton_backoffice: TrytonBackOffice,
) -> None:
    names = {c.name for c in tryton_backoffice.list_customers()}
    assert not names & {*demo_data.CARRIERS, *demo_data.REPRESENTATIVES}


# --------------------------------------------------------------------------
# Creating customers (O5, O6)
# --------------------------------------------------------------------------


def test_new_customer_gets_number_account_category_and_representative(
    tryton_backoffice: TrytonBackOffice, tryton_demo: TrytonTarget
) -> None:
    created = tryton_backoffice.upsert_customer(
        _new_customer(
            "W000530",
            tax_identifier="FR 40 303 265 045",
            receivable_account="411W000530",
            category="Clients pro",
            representative="Sophie Laurent",
        )
    )
    assert created.tax_identifier == "FR40303265045"
    assert created.receivable_account == "411W000530"
    assert created.category == "Clients pro"
    assert created.representative == "Sophie Laurent"
    with tryton(tryton_demo) as pool:
        party = pool.get("party.party")(int(created.source_id))
        account = party.account_receivable
        default = pool.get("account.configuration")(1).default_account_receivable
        assert account.code == "411W000530" and account.name == "Clients — Yann Le Gall"
        assert account.type == default.type and account.parent == default.parent
        assert account.reconcile and account.party_required
        assert [c.name for c in party.categories] == ["Clients pro"]
        (identifier,) = party.identifiers
        assert (identifier.type, identifier.code) == ("eu_vat", "FR40303265045")


def test_sale_of_new_customer_uses_its_account_and_representative(
    tryton_backoffice: TrytonBackOffice, tryton_demo: TrytonTarget
) -> None:
    tryton_backoffice.upsert_customer(
        _new_customer("W000531", receivable_account="411W000531", representative="Sophie Laurent")
    )
    taxes = tax_ids(tryton_backoffice)
    result = tryton_backoffice.create_sale(
        make_sale(
            "c-invoice",
            (item_line("POT-002", "1", taxes),),
            party="W000531",
            document_type=DocumentType.INVOICE,
        )
    )
    draft = tryton_backoffice.create_sale(
        make_sale(
            "c-draft",
            (item_line("POT-002", "1", taxes),),
            party="W000531",
            document_type=DocumentType.DRAFT,
        )
    )
    with tryton(tryton_demo) as pool:
        record = sale_record(pool, result.source_id)
        assert record.agent.party.name == "Sophie Laurent"
        assert sale_record(pool, draft.source_id).agent.party.name == "Sophie Laurent"
        (invoice,) = record.invoices
        assert invoice.account.code == "411W000531"
        assert invoice.agent.party.name == "Sophie Laurent"


def test_existing_account_is_reused_and_must_be_receivable(
    tryton_backoffice: TrytonBackOffice,
) -> None:
    tryton_backoffice.upsert_customer(_new_customer("W000532", receivable_account="411W000530"))
    with pytest.raises(RecordError, match="account 1.1.1 .* not an open receivable"):
        tryton_backoffice.upsert_customer(_new_customer("W000533", receivable_account="1.1.1"))
    assert tryton_backoffice.find_customer(code="W000533") is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("category", "Clients martiens", "customer category 'Clients martiens'"),
        ("representative", "Nobody", "sales representative 'Nobody'"),
    ],
)
def test_unknown_category_or_representative_writes_nothing(
    tryton_backoffice: TrytonBackOffice, field: str, value: str, message: str
) -> None:
    with pytest.raises(RecordError, match=message):
        tryton_backoffice.upsert_customer(_new_customer("W000540", **{field: value}))
    assert tryton_backoffice.find_customer(code="W000540") is None


def test_existing_customer_keeps_its_settings_and_addresses_when_asked(
    tryton_backoffice: TrytonBackOffice,
) -> None:
    before = tryton_backoffice.find_customer(code="C0004")
    assert before is not None
    elsewhere = Address(
        street="1 rue Autre", postal_code="33000", city="Bordeaux", country_code="FR"
    )
    updated = tryton_backoffice.upsert_customer(
        Customer(
            source_id="",
            name=before.name,
            email=before.email,
            code="C0004",
            addresses=(elsewhere,),
            category="Clients pro",
            receivable_account="411W999999",
        ),
        update_addresses=False,
    )
    assert updated.addresses == before.addresses
    assert updated.category == "" and updated.receivable_account == ""
    again = tryton_backoffice.upsert_customer(
        Customer(source_id="", name=before.name, code="C0004", addresses=(elsewhere,))
    )
    assert len(again.addresses) == len(before.addresses) + 1


# --------------------------------------------------------------------------
# Stock and references
# --------------------------------------------------------------------------


def test_item_quantities_sum_warehouses_of_goods(tryton_backoffice: TrytonBackOffice) -> None:
    demo = demo_data.ITEMS[3]
    quantities = tryton_backoffice.item_quantities([demo.code, "SHIPPING", "NOPE"])
    assert quantities == {demo.code: sum(demo.stock, Decimal(0))}
    negative = next(i for i in demo_data.ITEMS if i.stock[0] < 0)
    assert tryton_backoffice.item_quantities([negative.code])[negative.code] < 0
    assert tryton_backoffice.item_quantities([]) == {}


EXISTING = {
    "item": ["POT-001", "SHIPPING", "DISC-FID"],
    "tax": [t.name for t in (*demo_data.TAXES, *demo_data.ORDER_TAXES)],
    "tax_rule": [r.name for r in demo_data.TAX_RULES],
    "carrier": list(demo_data.CARRIERS),
    "payment_journal": list(PAYMENT_JOURNALS),
    "payment_term": list(demo_data.PAYMENT_TERMS),
    "currency": ["EUR", *(c for c, _, _ in demo_data.FOREIGN_CURRENCIES)],
    "warehouse": list(demo_data.WAREHOUSES),
    "customer_category": list(demo_data.CUSTOMER_CATEGORIES),
    "representative": list(demo_data.REPRESENTATIVES),
    "account": ["1.2.1", "511W"],
    "price_list": [p.name for p in demo_data.PRICE_LISTS],
    "attribute": [a.name for a in demo_data.ATTRIBUTES],
}
MISSING = {
    "item": ["NOPE-1", demo_data.RETIRED_ITEM.code],  # retired: inactive
    "tax": ["TVA 19,6 %"],
    "tax_rule": ["Martian VAT"],
    "carrier": ["Pigeon voyageur", "Jeanne Martin"],  # a party, not a carrier
    "payment_journal": ["WEB-BITCOIN"],
    "payment_term": ["60 jours"],
    "currency": ["XBT"],
    "warehouse": ["WH9", "STO"],  # STO is a storage location, not a warehouse
    "customer_category": ["Clients martiens"],
    "representative": ["Colissimo"],  # a carrier's party, not an agent
    "account": ["999999"],
    "price_list": ["Grossistes"],
    "attribute": ["Couleur"],  # the label, not the name
}


@pytest.mark.parametrize("kind", REFERENCE_KINDS)
def test_missing_references_for_every_kind(tryton_backoffice: TrytonBackOffice, kind: str) -> None:
    names = [*EXISTING[kind], *MISSING[kind]]
    assert tryton_backoffice.missing_references(kind, names) == set(MISSING[kind])
    assert tryton_backoffice.missing_references(kind, []) == set()


def test_missing_references_unknown_kind(tryton_backoffice: TrytonBackOffice) -> None:
    with pytest.raises(ValueError, match="unknown reference kind 'colour'"):
        tryton_backoffice.missing_references("colour", ["red"])
