"""What a connector puts in a URL path from data: one encoded segment, never more.

Why: an order id, a SKU or a customer id comes from a shop, a file, a
webhook or a person typing ``passerelle orders send``. Interpolated as it is,
``../products/1`` turns ``GET orders/{id}`` into ``GET products/1`` (httpx
resolves dot segments), a ``/`` in a Magento SKU reaches another route, ``?``
or ``#`` cut the path, and a NUL byte or a space makes no URL at all. So every
value a connector writes into a path goes through :func:`segment`, which
percent-encodes it whole (``/`` included) so that the shop sees exactly one
segment, and answers 404 for one it does not have instead of another record.

:func:`numeric_id` is for the platforms whose ids are whole numbers
(WooCommerce, PrestaShop, BigCommerce, Magento orders, Shopify's numbers):
an id that cannot be one is refused before any request, as the record's own
error, so a flow parks that record and goes on with the others.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from passerelle.connectors.errors import RecordError
from passerelle.i18n.messages import M_, Message, Text

__all__ = ["numeric_id", "segment"]

_WHOLE_NUMBER = re.compile(r"[1-9][0-9]{0,19}")  # at most 20 digits: BIGINT UNSIGNED
_DOTS = {".": "%2E", "..": "%2E%2E"}
#: The records ``numeric_id``'s callers name, in the reader's language.
_KINDS: dict[str, Message] = {"order": M_("order")}


def segment(value: object) -> str:
    """``value`` as one URL path segment: percent-encoded, ``/`` included.

    ``.`` and ``..`` are encoded too (``quote`` leaves dots alone, and httpx
    would resolve them as "this" and "up one" segments); an empty value would
    make ``orders/`` the list instead of one record, so it is refused."""
    text = str(value)
    if not text:
        raise RecordError(M_("an empty id cannot name a record"))
    return _DOTS.get(text) or quote(text, safe="")


def numeric_id(value: object, what: Text) -> str:
    """``value`` when it is a shop's whole-number id (1 to 20 digits, no sign, no
    leading zero); otherwise the :class:`RecordError` of that record, ``what`` naming
    it ("order", said in the reader's language; or a kept message). The message shows
    the value's start only, printable."""
    text = str(value)
    if _WHOLE_NUMBER.fullmatch(text):
        return text
    # Printable and short: the id may be thousands of characters or hold control bytes,
    # and the record key it is parked under must be storable (PostgreSQL refuses NUL).
    shown = repr(text[:40].encode("unicode_escape").decode("ascii")) + (
        "…" if len(text) > 40 else ""
    )
    raise RecordError(
        M_(
            "%(what)s id %(id)s is not an id the shop can have (a whole number above zero): "
            "check where it came from (a webhook, a command)",
            what=_KINDS.get(what, what) if isinstance(what, str) else what,
            id=shown,
        ),
        record_id=text[:200].encode("unicode_escape").decode("ascii"),
    )
