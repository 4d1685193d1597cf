"""Money rules of the order import that are the shop's, not the back-office's: pro-rata splits.

How a document's amounts are rounded belongs to the back-office it is
written to (``BackOffice.arithmetic``, :mod:`passerelle.connectors.arithmetic`):
the mapping reaches it through :class:`BackOfficeFacts.arithmetic` only.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from passerelle.connectors.arithmetic import CENT, cents

__all__ = ["split_pro_rata"]


def split_pro_rata(amount: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """``amount`` split in cents proportionally to ``weights``; the parts sum to it exactly.

    Largest-remainder: each part is rounded down to the cent, then the cents
    left are given to the parts that lost most, earliest first on ties, so the
    split is deterministic and never off by a cent in total (O14: an
    order-level discount split across VAT rates pro rata of each rate's base).
    """
    amount = cents(amount)
    if not weights:
        return []
    total_weight = sum(weights, Decimal(0))
    if total_weight == 0:
        # Nothing to weigh by: everything on the first part.
        return [amount] + [Decimal("0.00")] * (len(weights) - 1)
    sign = Decimal(-1) if amount < 0 else Decimal(1)
    magnitude = abs(amount)
    exact = [magnitude * w / total_weight for w in weights]
    floors = [(e / CENT).to_integral_value(rounding="ROUND_FLOOR") * CENT for e in exact]
    left = int(((magnitude - sum(floors, Decimal(0))) / CENT).to_integral_value())
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for index in order[:left]:
        floors[index] += CENT
    return [sign * part for part in floors]
