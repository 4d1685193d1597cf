"""What the sales imported from one shop still owe customers, per item.

A shop lowers its stock when an order is paid; the back-office only when the
goods leave. Between the two, the units are sold but still counted by
Tryton's quantities, and sending them to the shop would offer them again.
This module reads, for the sales passerelle wrote for one shop (their
``web_id`` starts with the shop's key), what each item still owes:

- ``ordered``: lines of sales not processed yet (draft, quotation, confirmed).
  Tryton creates a sale's stock moves when it processes it, so no quantity
  counts these lines yet;
- ``to_ship``: outgoing moves of processed sales not done yet (draft or
  assigned, to a customer location). Tryton's available and forecast
  quantities count them; the quantity on hand does not.

Kits are exploded into their components for ``ordered`` (as Tryton's moves
will be); their ``to_ship`` moves are already the components'. A kit line also
counts for the kit itself, whose figure Tryton builds from its components'
stock before any order: the whole line while any of its goods is still to
leave. Return lines
(negative quantities) owe nothing. Which of these a profile's stock kind still
has to subtract is a flow rule (``flows/sellable.py``), not this module's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from passerelle.connectors.tryton import translate
from passerelle.model import OpenDemand

__all__ = ["open_demand"]

_NOT_PROCESSED = ("draft", "quotation", "confirmed")
_OPEN_MOVES = ("draft", "assigned")


def open_demand(
    pool: Any, web_shop: Any, key_prefix: str, warehouses: Sequence[str] | None
) -> list[OpenDemand]:
    """Per item, what the open sales of ``web_shop`` keyed ``key_prefix…`` still owe."""
    Sale = pool.get("sale.sale")
    Uom = pool.get("product.uom")
    domain: list[Any] = [
        ("web_shop", "=", web_shop.id),
        ("state", "in", [*_NOT_PROCESSED, "processing"]),
    ]
    if warehouses is not None:
        domain.append(("warehouse.code", "in", list(warehouses)))
    ordered: dict[Any, Decimal] = defaultdict(Decimal)
    to_ship: dict[Any, Decimal] = defaultdict(Decimal)
    for sale in Sale.search(domain):
        if not (sale.web_id or "").startswith(key_prefix):
            continue  # another shop's order, or a sale keyed by hand
        for line in sale.lines:
            if line.type != "line" or line.product is None or (line.quantity or 0) <= 0:
                continue
            units = Uom.compute_qty(line.unit, line.quantity, line.product.default_uom)
            if sale.state in _NOT_PROCESSED:
                for product, quantity in _stocked_parts(Uom, line.product, units):
                    ordered[product] += translate.quantity(quantity)
                if line.product.type == "kit":  # its own figure is its components'
                    ordered[line.product] += translate.quantity(units)
                continue
            open_moves = [
                m for m in line.moves if m.state in _OPEN_MOVES and m.to_location.type == "customer"
            ]
            for move in open_moves:
                to_ship[move.product] += translate.quantity(move.internal_quantity)
            if line.product.type == "kit" and open_moves:  # not all of it left yet
                to_ship[line.product] += translate.quantity(units)
    return [
        OpenDemand(
            str(product.id),
            product.code or "",
            ordered.get(product, Decimal(0)),
            to_ship.get(product, Decimal(0)),
        )
        for product in {*ordered, *to_ship}
    ]


def _stocked_parts(Uom: Any, product: Any, quantity: float) -> list[tuple[Any, float]]:
    """The goods a line of ``quantity`` × ``product`` takes from stock, in their default
    unit: itself, or a kit's components."""
    if product.type == "goods":
        return [(product, quantity)]
    if product.type != "kit":
        return []
    parts: list[tuple[Any, float]] = []
    for component in product.components_used:
        if component.product.type != "goods":
            continue
        needed = component.quantity if component.fixed else component.quantity * quantity
        parts.append(
            (
                component.product,
                Uom.compute_qty(component.unit, needed, component.product.default_uom),
            )
        )
    return parts
