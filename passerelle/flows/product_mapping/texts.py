"""C3: shop texts from any item field, plain text turned into HTML."""

from __future__ import annotations

import html
import re
from decimal import Decimal
from typing import Any

from passerelle.i18n.messages import M_, SaidError
from passerelle.model import Item

__all__ = ["NotANumber", "as_html", "field_decimal", "field_text"]

_LOOKS_LIKE_HTML = re.compile(r"<\s*(p|div|br|ul|ol|li|h[1-6]|strong|em|b|i|span|a|table)\b", re.I)


def field_text(item: Item, name: str | None) -> str:
    """The field's value as text ("" when unset): what a shop text field receives."""
    if name is None:
        return ""
    value: Any = item.value(name)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value).strip()


class NotANumber(SaidError, ValueError):
    """A field read as a number holds something else; says which field and what it holds."""


def field_decimal(item: Item, name: str | None) -> Decimal | None:
    """A numeric field's value, None when unset; :class:`NotANumber` when it is not one."""
    if name is None:
        return None
    value: Any = item.value(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise NotANumber(M_("field %(field)s is a yes/no field, not a number", field=name))
    try:
        return Decimal(str(value))
    except ArithmeticError as exc:
        raise NotANumber(
            M_("field %(field)s holds %(value)s, not a number", field=name, value=repr(value))
        ) from exc


def as_html(text: str, fmt: str = "auto") -> str:
    """Back-office descriptions are often plain text; shops show HTML.

    ``auto`` keeps text that already carries HTML tags and turns the rest
    into paragraphs (blank line) and line breaks, with ``<``, ``>``, ``&``
    escaped so a "5 < 6" in a description does not break the page.
    """
    if not text or fmt == "html" or (fmt == "auto" and _LOOKS_LIKE_HTML.search(text)):
        return text
    if "\n" not in text:  # one paragraph of one line (most descriptions): no split
        line = text.strip()
        return "<p>" + html.escape(line, quote=False) + "</p>" if line else ""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    return "".join(
        "<p>" + "<br>".join(html.escape(line, quote=False) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )
