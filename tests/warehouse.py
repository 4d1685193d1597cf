"""What the warehouse does in Tryton during a test: goods received, a sale shipped.

Shared by the tests that follow stock between the shop and the back-office,
so both sides of an order's life are written the way Tryton's own forms do.
"""

from __future__ import annotations

from decimal import Decimal

from trytond.pool import Pool
from trytond.transaction import Transaction

from passerelle.connectors.tryton.database import TrytonTarget, session

__all__ = ["receive_in_tryton", "ship_in_tryton"]


def receive_in_tryton(target: TrytonTarget, code: str, units: int) -> None:
    """Goods delivered by a supplier into the main warehouse: a done incoming move."""
    with session(target), Transaction().set_context(_skip_warnings=True):
        pool = Pool()  # a delivery booked by hand has no purchase as its origin
        Move, Location = pool.get("stock.move"), pool.get("stock.location")
        (product,) = pool.get("product.product").search([("code", "=", code)])
        (supplier,) = Location.search([("type", "=", "supplier")], limit=1)
        warehouse = Location.search([("type", "=", "warehouse")], order=[("id", "ASC")])[0]
        company = pool.get("company.company").search([])[0]
        move = Move(
            product=product,
            unit=product.default_uom,
            quantity=float(units),
            from_location=supplier,
            to_location=warehouse.storage_location,
            unit_price=Decimal("1"),
            currency=company.currency,
            company=company,
        )
        move.save()
        Move.do([move])


def ship_in_tryton(target: TrytonTarget, key: str) -> None:
    """The warehouse ships the sale keyed ``key``: each customer shipment done."""
    with session(target):
        pool = Pool()
        Shipment = pool.get("stock.shipment.out")
        sales = pool.get("sale.sale").search([("web_id", "=", key)])
        assert sales, f"no sale keyed {key}: the order was not imported"
        for shipment in sales[0].shipments:
            if shipment.carrier is None:  # the warehouse picks one to pack the parcel
                shipment.carrier = pool.get("carrier").search([], limit=1)[0]
                shipment.save()
            Shipment.assign_force([shipment])
            Shipment.pick([shipment])
            Shipment.pack([shipment])
            Shipment.do([shipment])
