"""C3: shop texts from any item field, plain text turned into HTML."""

from __future__ import annotations

import html
import re
from decimal import Decimal
from typing import Any

from passerelle.model import Item

__all__ = ["as_html", "field_text", "field_decimal"]

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


def field_decimal(item: Item, name: str | None) -> Decimal | None:
    """A numeric field's value, None when unset or not a number (the journal says which)."""
    if name is None:
        return None
    value: Any = item.value(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"field {name} is a yes/no field, not a number")
    try:
        return Decimal(str(value))
    except ArithmeticError as exc:
        raise ValueError(f"field {name} holds {value!r}, not a number") from exc


def as_html(text: str, fmt: str = "auto") -> str:
    """Back-office descriptions are often plain text; shops show HTML.

    ``auto`` keeps text that already carries HTML tags and turns the rest
    into paragraphs (blank line) and line breaks, with ``<``, ``>``, ``&``
    escaped so a "5 < 6" in a description does not break the page.
    """
    if not text or fmt == "html" or (fmt == "auto" and _LOOKS_LIKE_HTML.search(text)):
        return text
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    return "".join(
        "<p>" + "<br>".join(html.escape(line, quote=False) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )
