"""Tryton's refusals of an order reach a French merchant in French (English stays the log's)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from passerelle.connectors.errors import RecordError
from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.i18n.messages import render, said
from passerelle.model import SaleLine
from tests.tryton.builders import item_line, make_sale, tax_ids


def _basket(taxes: dict[str, str]) -> tuple[SaleLine, ...]:
    return (
        item_line("POT-001", "2", taxes),
        SaleLine("SHIPPING", "Colissimo", Decimal(1), Decimal("4.99"), (taxes["VAT20"],)),
    )


def test_an_unknown_carrier_and_customer_are_said_in_french(
    tryton_backoffice: TrytonBackOffice,
) -> None:
    taxes = tax_ids(tryton_backoffice)
    with pytest.raises(RecordError) as carrier:
        tryton_backoffice.create_sale(make_sale("o-fr-carrier", _basket(taxes), carrier="Pigeon"))
    assert "carrier 'Pigeon' does not exist in Tryton" in str(carrier.value)
    assert "le transporteur 'Pigeon' n'existe pas dans Tryton" in render(said(carrier.value), "fr")
    assert render(said(carrier.value), "fr").startswith("commande ")
    with pytest.raises(RecordError) as customer:
        tryton_backoffice.create_sale(make_sale("o-fr-party", _basket(taxes), party="NOBODY-42"))
    assert "le client 'NOBODY-42' n'existe pas dans Tryton" in render(said(customer.value), "fr")
