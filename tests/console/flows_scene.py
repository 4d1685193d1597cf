"""A profile whose flows run in a blink: the static catalogue shop and the memory back-office.

``import-products`` reads the catalogue and creates one back-office item per
product with a SKU; a product without SKU and two sharing one are skipped,
so a run's journal holds success and info lines naming their records.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po

from passerelle.flows import FLOWS
from passerelle.i18n import LOCALE_DIR
from passerelle.profiles import Profile, ProfileRepository
from passerelle.runner.worker_threads import WorkerThreads
from passerelle.store import Store
from tests import static_shop

PO_FILE = LOCALE_DIR / "fr" / "LC_MESSAGES" / "passerelle.po"
PROFILE = "garden"
FLOW = "import-products"
ITEMS = {"shipping_item": "SHIP", "misc_item": "MISC", "gift_wrap_item": "WRAP", "gap_item": "GAP"}
PRODUCTS = [
    {"sku": "POT-001", "name": "Terracotta pot", "price": "12.50"},
    {"sku": "", "name": "Nameless", "price": "1.00"},
    {"sku": "RAKE-01", "name": "Rake", "price": "21.00"},
    {"sku": "RAKE-01", "name": "Rake bis", "price": "22.00"},
]


def save_profile(data_dir: Path, mode: str = "production") -> Profile:
    profile = Profile.model_validate(
        {
            "name": PROFILE,
            "mode": mode,
            "backoffice": {"kind": "memory", "items": sorted(ITEMS.values())},
            "shop": {"kind": static_shop.KIND, "name": "garden", "products": PRODUCTS},
            "orders": ITEMS,
        }
    )
    ProfileRepository(data_dir).save(profile)
    return profile


@contextmanager
def worker_running(data_dir: Path, store: Store) -> Iterator[WorkerThreads]:
    """One worker in a thread, as ``passerelle serve --workers 1`` runs it (no schedules)."""
    threads = WorkerThreads(
        data_dir,
        store,
        1,
        schedules=False,
        poll_every=0.05,
        heartbeat_every=timedelta(seconds=1),
    )
    with threads:
        yield threads


class _Texts(HTMLParser):
    """The texts a reader sees: outside scripts, styles and elements marked translate="no"."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []  # per open element: is it hidden from the check?
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "input", "meta", "link", "img", "hr"):
            return
        inherited = bool(self.stack and self.stack[-1])
        self.stack.append(inherited or tag in ("script", "style") or ("translate", "no") in attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        text = data.strip()
        if text and not (self.stack and self.stack[-1]):
            self.texts.append(text)


@cache
def _same_in_french() -> frozenset[str]:
    """Words the catalogue keeps the same in French ("Stock", "production")."""
    with PO_FILE.open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    return frozenset(m.id for m in catalogue if isinstance(m.id, str) and m.id == m.string)


def english_left(english_page: str, french_page: str) -> list[str]:
    """Texts of the French page also on the English one: words, not numbers, flow ids
    (a flow without a title shows its id) or what French writes the same."""
    seen = _Texts()
    seen.feed(english_page)
    read = _Texts()
    read.feed(french_page)
    english = set(seen.texts)
    same = _same_in_french() | set(FLOWS)
    return [
        text
        for text in read.texts
        if text in english and text not in same and re.search(r"[A-Za-z]{3,}", text)
    ]
