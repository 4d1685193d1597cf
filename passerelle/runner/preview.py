"""Previews an export flow for a profile: the flow runs, and nothing is written anywhere.

What a preview may not do is enforced here, not hoped for: the flow gets a
store that reads but keeps nothing (no binding, bookmark, parked record, run
or journal line: :class:`ReadOnlyStore`), a shop whose writers refuse to be
called (:class:`ReadOnlyShop`; the exports hand their records to the preview
before reaching them), and a journal that prints nothing and keeps only its
warnings, shown as the preview's notes. Reads the flow needs anyway (the
back-office catalogue, a product looked up by SKU before it would be created,
the shop's open orders for stock) happen as in a run.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

from rich.console import Console
from sqlalchemy import Connection, Engine

from passerelle.connectors.base import BackOffice, Shop
from passerelle.flows import FLOWS, FlowContext
from passerelle.flows.preview import FlowPreview, PreviewCollector
from passerelle.i18n import _
from passerelle.i18n.messages import render, said
from passerelle.journal import Journal
from passerelle.platforms import build_backoffice, build_shop
from passerelle.profiles.schema import Profile
from passerelle.profiles.secrets import SecretError
from passerelle.runner.run_now import RunRefused
from passerelle.store import JournalEntry, Store
from passerelle.store.sent_contents import sent_contents

__all__ = ["PREVIEWABLE", "ReadOnlyShop", "ReadOnlyStore", "preview_flow"]

#: The flows a preview can run: the exports, whose records go through send_changed.
PREVIEWABLE = (
    "export-categories",
    "export-products",
    "update-prices",
    "update-stock",
    "export-customers",
)


def preview_flow(
    profile: Profile,
    flow_name: str,
    *,
    store: Store,
    data_dir: Path,
    backoffice: BackOffice | None = None,
    shop: Shop | None = None,
) -> FlowPreview:
    """What running ``flow_name`` for ``profile`` now would create and update, field by field.

    Allowed in test mode too: it writes nothing. Raises :class:`RunRefused`
    for a flow that cannot be previewed or a secret that cannot be read, and
    the connector's error when the back-office or the shop cannot be read.
    """
    if flow_name not in PREVIEWABLE:
        raise RunRefused(
            _(
                "%(flow)s cannot be previewed; flows that can: %(flows)s",
                flow=flow_name,
                flows=", ".join(PREVIEWABLE),
            )
        )
    own_shop = shop is None
    try:
        backoffice = backoffice or build_backoffice(profile.backoffice, data_dir)
        shop = shop or build_shop(profile.shop)
    except SecretError as exc:
        raise RunRefused(
            _("profile %(profile)r: %(reason)s", profile=profile.name, reason=render(said(exc)))
        ) from exc
    collector = PreviewCollector(flow_name, lambda kind: sent_contents(store, profile.name, kind))
    notes = _Notes()
    journal = Journal(
        run_id=0, flow=flow_name, sink=notes, log_path=None, console=Console(quiet=True)
    )
    ctx = FlowContext(
        profile=profile,
        backoffice=backoffice,
        shop=cast(Shop, ReadOnlyShop(shop)),
        store=cast(Store, ReadOnlyStore(store)),
        journal=journal,
        preview=collector,
    )
    try:
        FLOWS[flow_name].fn(ctx)
    finally:
        journal.close()
        if own_shop:
            shop.close()
    preview = collector.preview
    preview.unchanged = journal.counts["unchanged"]
    preview.notes = notes.lines
    return preview


class ReadOnlyStore:
    """The state store as a preview sees it: every read, no write.

    Writes a flow makes on its way (binding an adopted record, parking one,
    moving its bookmark) are dropped; any other use of the store fails, so a
    flow that starts writing somewhere new cannot slip past a preview.
    """

    _READS = frozenset(
        {
            "bindings",
            "bindings_by_remote",
            "get_binding",
            "get_bookmark",
            "bookmarks",
            "parked",
            "generation",
            "generations",
            "staged",
            "is_rejected",
            "rejected_ids",
        }
    )

    def __init__(self, store: Store) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        if name in self._READS:
            return getattr(self._store, name)
        raise AttributeError(f"a preview does not use the store's {name!r}")  # internal: a bug

    @property
    def engine(self) -> _ReadingEngine:
        """For the store's own readers (the shop's recorded identity): connections only."""
        return _ReadingEngine(self._store.engine)

    def bind(self, *_args: Any, **_kwargs: Any) -> None:
        return None

    def bind_many(self, profile: str, kind: str, rows: Iterable[Any], **_kept: Any) -> int:
        return len(list(rows))

    def unbind(self, profile: str, kind: str, local_ids: Iterable[str]) -> int:
        return 0

    def park(self, *_args: Any, **_kwargs: Any) -> None:
        return None

    def resolve(self, *_args: Any, **_kwargs: Any) -> bool:
        return False

    def set_bookmark(self, *_args: Any, **_kwargs: Any) -> None:
        return None


class _ReadingEngine:
    """An engine that opens connections to read, and no write transaction."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def connect(self) -> Connection:
        return self._engine.connect()


class ReadOnlyShop:
    """A shop whose writers refuse: a preview reaching one is a bug, stopped before a request."""

    def __init__(self, shop: Shop) -> None:
        self._shop = shop

    def __getattr__(self, name: str) -> Any:
        if name.startswith("write_"):
            raise AssertionError(  # internal: a flow writing in a preview is a bug
                f"a preview called the shop's {name}: nothing may be sent"
            )
        return getattr(self._shop, name)


class _Notes:
    """Keeps a preview's warnings (what a run would park or skip, and why)."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, Any]] = []

    def add_journal_many(self, run_id: int, entries: list[JournalEntry]) -> int:
        for entry in entries:
            if entry.level in ("warning", "error"):
                self.lines.append((entry.record_key or "", entry.translatable or entry.message))
        return len(entries)

    def heartbeat(self, run_id: int) -> None:
        return None
