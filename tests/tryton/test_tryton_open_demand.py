"""What imported sales still owe, per item, as the stock flows read it, in real Tryton.

A quotation owes its lines (Tryton has no move for it yet); a processed sale
owes its outgoing moves until they are done; a shipped or cancelled sale owes
nothing; another shop's sales are not this shop's demand.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.connectors.tryton.database import TrytonTarget
from passerelle.demo_data import KIT_ITEM
from passerelle.model import DocumentType, OpenDemand, SaleLine
from tests.tryton.builders import (
    expected_total,
    item_line,
    make_sale,
    sale_record,
    tax_ids,
    tryton,
)

PREFIX = "demand.example#"


@pytest.fixture(scope="module")
def taxes(tryton_backoffice: TrytonBackOffice) -> dict[str, str]:
    return tax_ids(tryton_backoffice)


def _sale(
    backoffice: TrytonBackOffice,
    taxes: dict[str, str],
    key: str,
    document_type: DocumentType,
    pots: str,
    teas: str,
) -> str:
    lines = (item_line("POT-001", pots, taxes), item_line("TEA-002", teas, taxes))
    total = expected_total(lines, taxes)
    return backoffice.create_sale(
        make_sale(key, lines, document_type=document_type, paid=total, warehouse="WH")
    ).source_id


def _by_code(
    demand: list[OpenDemand], codes: tuple[str, ...] = ("POT-001", "TEA-002")
) -> dict[str, tuple[Decimal, Decimal]]:
    return {d.item_code: (d.ordered, d.to_ship) for d in demand if d.item_code in codes}


def _ship(target: TrytonTarget, source_id: str) -> None:
    with tryton(target, readonly=False) as pool:
        Shipment = pool.get("stock.shipment.out")
        for shipment in sale_record(pool, source_id).shipments:
            Shipment.assign_force([shipment])
            Shipment.pick([shipment])
            Shipment.pack([shipment])
            Shipment.do([shipment])


def test_quotations_owe_their_lines_and_processed_sales_their_moves_until_shipped(
    tryton_backoffice: TrytonBackOffice, tryton_demo: TrytonTarget, taxes: dict[str, str]
) -> None:
    before = _by_code(tryton_backoffice.open_sales_demand(PREFIX))
    assert before == {}
    _sale(tryton_backoffice, taxes, f"{PREFIX}q1", DocumentType.QUOTATION, "2", "1")
    processed = _sale(tryton_backoffice, taxes, f"{PREFIX}o1", DocumentType.PROCESSED, "3", "4")
    _sale(tryton_backoffice, taxes, "other.example#o1", DocumentType.PROCESSED, "5", "5")

    demand = _by_code(tryton_backoffice.open_sales_demand(PREFIX))
    assert demand == {"POT-001": (Decimal(2), Decimal(3)), "TEA-002": (Decimal(1), Decimal(4))}
    assert _by_code(tryton_backoffice.open_sales_demand(PREFIX, ["NOWHERE"])) == {}

    _ship(tryton_demo, processed)
    demand = _by_code(tryton_backoffice.open_sales_demand(PREFIX))
    assert demand == {"POT-001": (Decimal(2), Decimal(0)), "TEA-002": (Decimal(1), Decimal(0))}

    tryton_backoffice.cancel_sale(f"{PREFIX}q1")
    assert _by_code(tryton_backoffice.open_sales_demand(PREFIX)) == {}


def test_a_quoted_kit_owes_itself_and_its_components(
    tryton_backoffice: TrytonBackOffice, taxes: dict[str, str]
) -> None:
    prefix = "kits.example#"
    codes = (KIT_ITEM.code, *(code for code, _ in KIT_ITEM.components))
    line = SaleLine(
        KIT_ITEM.code, KIT_ITEM.name, Decimal(2), KIT_ITEM.price, (taxes[KIT_ITEM.tax],)
    )
    tryton_backoffice.create_sale(
        make_sale(
            f"{prefix}q",
            (line,),
            paid=expected_total((line,), taxes),
            warehouse="WH",
            document_type=DocumentType.QUOTATION,
        )
    )
    per_kit = dict(KIT_ITEM.components)
    demand = _by_code(tryton_backoffice.open_sales_demand(prefix), codes)
    assert demand == {
        KIT_ITEM.code: (Decimal(2), Decimal(0)),
        **{code: (2 * per_kit[code], Decimal(0)) for code in per_kit},
    }
    tryton_backoffice.cancel_sale(f"{prefix}q")
    assert _by_code(tryton_backoffice.open_sales_demand(prefix), codes) == {}
