"""The item fields a run does not use, left out of the back-office's reads.

Why: some item fields cost a back-office far more than the others. Tryton computes
every item's price in every price list (about a tenth of a catalogue read) and
reads every image's bytes to tell when one changed (a catalogue's images can
weigh gigabytes), yet a stock run never looks at them, nor does a product run
whose profile sends no group price and publishes no file. A back-office that can
leave a field out (:class:`~passerelle.connectors.base.LeavesOutFields`) is told
so for the length of the run; any other reads everything, as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from passerelle.connectors.base import (
    DOCUMENTS,
    GROUP_PRICES,
    IMAGES,
    TRANSLATIONS,
    LeavesOutFields,
)
from passerelle.flows.base import FlowContext
from passerelle.profiles.catalogue_options import CatalogueOptions

__all__ = ["NOT_FOR_PRICES", "NOT_FOR_STOCK", "leaving_out", "unused_by_export", "unused_by_prices"]

#: What a stock run never looks at.
NOT_FOR_STOCK = frozenset({GROUP_PRICES, IMAGES, DOCUMENTS, TRANSLATIONS})
#: What a price run never looks at (the group prices, see :func:`unused_by_prices`).
NOT_FOR_PRICES = frozenset({IMAGES, DOCUMENTS, TRANSLATIONS})


def unused_by_prices(options: CatalogueOptions) -> frozenset[str]:
    """The group prices, unless the profile sends them or takes its promotion price
    from a price list."""
    prices = options.prices
    needed = prices.group_prices or prices.promotion_price_list
    return frozenset() if needed else frozenset({GROUP_PRICES})


def unused_by_export(options: CatalogueOptions) -> frozenset[str]:
    """What a product run leaves out: the prices' unused part, the item's own images
    unless files are published with them, its documents unless files are published
    and some extension is sent, and the other languages' texts unless the profile
    writes several languages."""
    media = options.media
    unused = set(unused_by_prices(options))
    if not (media.enabled and media.item_images):
        unused.add(IMAGES)
    if not (media.enabled and media.document_extensions):
        unused.add(DOCUMENTS)
    if not (options.all_languages and len(options.languages) >= 2):
        unused.add(TRANSLATIONS)
    return frozenset(unused)


@contextmanager
def leaving_out(ctx: FlowContext, fields: frozenset[str]) -> Iterator[None]:
    """The run's back-office reads leave ``fields`` out, where the back-office can."""
    backoffice = ctx.backoffice
    if not fields or not isinstance(backoffice, LeavesOutFields):
        yield
        return
    with backoffice.leaving_out(fields):
        yield
