"""The item fields a run does not use, left out of the back-office's reads.

Why: Tryton computes every item's price in every price list, about a tenth of
a catalogue read, yet a stock run never looks at it and a profile that sends no
group price nor promotion price does not either. A back-office that can leave a
field out (:class:`~passerelle.connectors.base.LeavesOutFields`) is told so for
the length of the run; any other reads everything, as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from passerelle.connectors.base import GROUP_PRICES, LeavesOutFields
from passerelle.flows.base import FlowContext
from passerelle.profiles.catalogue_options import PriceOptions

__all__ = ["leaving_out", "unused_by_prices"]


def unused_by_prices(options: PriceOptions) -> frozenset[str]:
    """What a run sending prices leaves out: the group prices, unless the profile sends
    them or takes its promotion price from a price list."""
    if options.group_prices or options.promotion_price_list:
        return frozenset()
    return frozenset({GROUP_PRICES})


@contextmanager
def leaving_out(ctx: FlowContext, fields: frozenset[str]) -> Iterator[None]:
    """The run's back-office reads leave ``fields`` out, where the back-office can."""
    backoffice = ctx.backoffice
    if not fields or not isinstance(backoffice, LeavesOutFields):
        yield
        return
    with backoffice.leaving_out(fields):
        yield
