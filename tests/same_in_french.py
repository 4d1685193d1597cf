"""The messages French writes as English does ("production", "HTML"): the only texts a
French page may share with the English one besides data, as the French catalogue says."""

from __future__ import annotations

from babel.messages.pofile import read_po

from passerelle.i18n import LOCALE_DIR

__all__ = ["PO_FILE", "same_in_french"]

PO_FILE = LOCALE_DIR / "fr" / "LC_MESSAGES" / "passerelle.po"


def same_in_french() -> set[str]:
    """Messages whose French is the English itself, read from the catalogue."""
    with PO_FILE.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    return {
        message.id
        for message in catalog
        if isinstance(message.id, str) and message.id and message.string == message.id
    }
