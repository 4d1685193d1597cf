"""The French catalogue file itself: each message once, every entry complete.

Several people append to the catalogue at once; gettext keeps only one of two
entries with the same message, silently, so a duplicate is an error here.
"""

from __future__ import annotations

from collections import Counter

from babel.messages.pofile import read_po

from passerelle.i18n import LOCALE_DIR

PO_FILE = LOCALE_DIR / "fr" / "LC_MESSAGES" / "passerelle.po"


def _msgids(text: str) -> list[str]:
    """Each entry's msgctxt/msgid/msgid_plural lines (continuations included), as written."""
    ids = []
    for entry in text.split("\n\n"):
        lines = [line for line in entry.splitlines() if line and not line.startswith("#")]
        end = next((i for i, line in enumerate(lines) if line.startswith("msgstr")), len(lines))
        head = lines[:end]
        if head and head != ['msgid ""']:
            ids.append("\n".join(head))
    return ids


def test_each_message_is_in_the_catalogue_once() -> None:
    twice = [msgid for msgid, count in Counter(_msgids(PO_FILE.read_text())).items() if count > 1]
    assert not twice


def test_every_entry_has_its_french() -> None:
    with PO_FILE.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    empty = [
        message.id
        for message in catalog
        if message.id
        and not (all(message.string) if isinstance(message.string, tuple) else message.string)
    ]
    assert not empty
