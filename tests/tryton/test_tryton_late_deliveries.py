"""A customer delivery that is late still holds its goods in the forecast.

Tryton's forecast counts a move that is not done only from its planned date on
(``stock.move.compute_quantities_query``): a delivery planned for yesterday and
not shipped drops out of it. The goods are still owed to that customer, so the
forecast passerelle offers subtracts them, whatever day the database was made.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from trytond.pool import Pool

from passerelle import demo_data
from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.connectors.tryton.database import TrytonTarget, session
from passerelle.connectors.tryton.testing import (  # noqa: F401 - fixtures
    tryton_backoffice,
    tryton_demo,
    tryton_demo_template,
)
from passerelle.model import StockKind


def _forecast(bo: TrytonBackOffice, kind: StockKind, code: str) -> Decimal:
    main = demo_data.WAREHOUSES[0]
    (level,) = [lv for lv in bo.stock_levels([main], kind=kind) if lv.item_code == code]
    return level.quantity


def test_a_late_customer_delivery_still_holds_its_goods_in_the_forecast(
    tryton_demo: TrytonTarget,  # noqa: F811
    tryton_backoffice: TrytonBackOffice,  # noqa: F811
) -> None:
    code, ordered = demo_data.PENDING_CUSTOMER_ORDER[0]
    item = next(i for i in demo_data.CATALOGUE_ITEMS if i.code == code)
    with session(tryton_demo):
        Move = Pool().get("stock.move")
        moves = Move.search(
            [
                ("product.code", "=", code),
                ("to_location.type", "=", "customer"),
                ("state", "=", "draft"),
            ]
        )
        assert sum(m.quantity for m in moves) == ordered
        yesterday = Pool().get("ir.date").today() - dt.timedelta(days=1)
        Move.write(moves, {"planned_date": yesterday})
    for kind in (StockKind.FORECAST, StockKind.FORECAST_WITHOUT_SUPPLIERS):
        assert _forecast(tryton_backoffice, kind, code) == item.stock[0] - ordered, kind
