"""Reading from the back-office only what changed since the last run (C5, C9, C10).

Why: a catalogue of 100,000 items takes minutes to read from an ERP, while a
run usually has a handful of changes to send. The product export, the price
update and the stock update each read the whole catalogue only when they must,
and otherwise what changed since their bookmark (taken just before the last
complete run started reading; an overlap is harmless: unchanged content sends
nothing):

- a back-office that cannot tell what changed
  (:class:`~passerelle.connectors.base.ReadsChanges`) is always read whole;
- a full read happens on the first run, when asked (``--full-read``), when the
  catalogue or stock settings changed since the last full read (their hash is
  kept with the full read's moment, in the bookmark ``<flow>:full-read``), and
  when the last full read is older than ``catalogue.full_read_days`` (what a
  back-office cannot date, a deletion, is caught then);
- a delta read also takes the items the flow set aside last time (a parked
  item is not "unchanged"), and the whole family of a changed variant.

Rules over the whole catalogue stay right on a delta: the back-office returns a
changed item with its namesakes (reference uniqueness) and its siblings; the
items a changed item refers to (a pack's components, related products) are
read along, so the rules find them; a profile grouping variants by a master
field reads everything (nothing tells which items share a master).

The journal says which read it was, and since when, in the merchant's words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from passerelle.connectors.base import ReadsChanges
from passerelle.flows.base import FlowContext
from passerelle.flows.bookmarks import read_since
from passerelle.i18n.messages import M_, Mn_, Text
from passerelle.model import Item
from passerelle.profiles.schema import Profile
from passerelle.store import content_hash
from passerelle.store.bookmark_value import BookmarkValue
from passerelle.store.lean_bindings import bound_digest

__all__ = [
    "BOUND_SUFFIX",
    "FULL_READ_SUFFIX",
    "CatalogueRead",
    "catalogue_settings",
    "complete_read",
    "note_bound",
    "read_catalogue",
    "read_changed",
    "read_stock_changes",
]

#: Bindings of an item to its shop product (``export_products.KIND``).
PRODUCT_KIND = "product"
#: The bookmark of a flow's last full read is the flow's name with this suffix.
FULL_READ_SUFFIX = ":full-read"
#: The bookmark holding a digest of the items bound to a shop product at the end of the
#: flow's last run is the flow's name with this suffix.
BOUND_SUFFIX = ":bound"
#: Parked keys of a variable product (``ProductGroup.key``) name its template so.
_TEMPLATE_KEY = "template:"


@dataclass(frozen=True, slots=True)
class CatalogueRead:
    """The items a run read, and whether they are the whole catalogue."""

    items: Sequence[Item]  # a full read may be built as it is gone over: go over it once
    full: bool


def catalogue_settings(profile: Profile) -> str:
    """What, besides the items, decides what a catalogue flow sends: the catalogue
    settings and the order import's special items (left out of the catalogue)."""
    return content_hash(
        {
            "catalogue": profile.catalogue.model_dump(mode="json"),
            "special": profile.orders.special_items(),
        }
    )


def _full_reason(ctx: FlowContext, flow: str, since: datetime | None, settings: str) -> Text | None:
    """Why this run reads everything; None when it may read only what changed."""
    if not isinstance(ctx.backoffice, ReadsChanges):
        return M_("this back-office cannot tell what changed")
    if ctx.options.full_read:
        return M_("asked for this run")
    bookmark = ctx.store.get_bookmark(ctx.name, flow + FULL_READ_SUFFIX)
    last = BookmarkValue.decode(bookmark.value) if bookmark else None
    if last is not None and last.settings != settings:
        return M_("the catalogue or stock settings changed since the last complete read")
    if since is None:
        return M_("no earlier complete run to go on from")
    if last is None:
        return M_("no earlier complete read to go on from")
    days = ctx.profile.catalogue.full_read_days
    if ctx.now - last.at >= timedelta(days=days):
        return M_(
            "the last complete read is more than %(days)s days old (catalogue.full_read_days)",
            days=days,
        )
    return None


def _bound_digest(ctx: FlowContext) -> str:
    return bound_digest(ctx.store, ctx.name, PRODUCT_KIND)


def _bindings_moved(ctx: FlowContext, flow: str) -> bool:
    """Whether products were unbound (deleted in the shop, seen by another run) or
    adopted since the flow's last run: their items changed nowhere in the back-office."""
    bookmark = ctx.store.get_bookmark(ctx.name, flow + BOUND_SUFFIX)
    stored = BookmarkValue.decode(bookmark.value) if bookmark else None
    return stored is None or stored.settings != _bound_digest(ctx)


def note_bound(ctx: FlowContext, flow: str) -> None:
    """At the end of a run: which items are bound to shop products (a digest), so the next
    run reads everything when another run unbound or adopted one in between."""
    ctx.store.set_bookmark(
        ctx.name, flow + BOUND_SUFFIX, BookmarkValue(ctx.now, _bound_digest(ctx))
    )


def _say_full(ctx: FlowContext, reason: Text) -> None:
    ctx.journal.info(
        M_("the whole catalogue is read from the back-office: %(reason)s", reason=reason)
    )


def _say_delta(ctx: FlowContext, since: datetime, count: int) -> None:
    ctx.journal.info(
        Mn_(
            "only what changed in the back-office since %(since)s is read: %(count)s item",
            "only what changed in the back-office since %(since)s is read: %(count)s items",
            count,
            since=since.isoformat(sep=" ", timespec="minutes"),
            count=count,
        )
    )


def _parked(ctx: FlowContext, flow: str) -> tuple[set[str], set[str]]:
    """The item ids and template ids of the records ``flow`` set aside."""
    ids: set[str] = set()
    templates: set[str] = set()
    for parked in ctx.store.parked(ctx.name, flow):
        key = parked.record_key
        if key.startswith(_TEMPLATE_KEY):
            templates.add(key[len(_TEMPLATE_KEY) :])
        else:
            ids.add(key)
    return ids, templates


def _incomplete_families(items: Iterable[Item]) -> set[str]:
    """Templates of which fewer variants were read than the template has."""
    items = list(items)
    counts = Counter(i.template_id for i in items if i.template_id and i.variant_count > 1)
    wanted = {i.template_id: i.variant_count for i in items if i.template_id}
    return {template for template, count in counts.items() if count < wanted[template]}


def _merge(first: Iterable[Item], then: Iterable[Item]) -> list[Item]:
    merged = {i.source_id: i for i in first}
    for item in then:
        merged.setdefault(item.source_id, item)
    return list(merged.values())


def read_catalogue(
    ctx: FlowContext,
    flow: str,
    since: datetime | None,
    settings: str,
    *,
    families: bool = False,
    bound: bool = False,
    refers: Callable[[Item], Iterable[str]] | None = None,
    also_ids: Iterable[str] = (),
    also_codes: Iterable[str] = (),
    outside: Callable[[datetime], set[str] | None] | None = None,
    only_changed: bool = True,
    changed_items: bool = True,
) -> CatalogueRead:
    """The catalogue's items this run needs: all of them, or those changed since ``since``
    (with the parked ones, and ``also_ids`` / ``also_codes``).

    ``families``: variable products are built from families, so a changed variant
    comes with its siblings, and a master-field grouping reads everything.
    ``bound``: the flow creates the products the shop lacks, so a product unbound
    since its last run (see :func:`note_bound`) reads everything.
    ``refers``: the codes of the other items an item needs (a pack's components,
    related products), read along so the rules find them in the shop.
    ``outside``: the codes of the items changed outside the back-office since a
    moment (files in the media folders), None when only a whole read finds them.
    ``only_changed`` off: every item is compared, so every item is read.
    ``changed_items`` off: the items changed in the catalogue are not read, only
    ``also_ids`` / ``also_codes`` and the parked ones (the stock flow's case).
    """
    reason = (
        _full_reason(ctx, flow, since, settings)
        if only_changed
        else M_("every item is compared, changed or not (catalogue.only_changed is off)")
    )
    if reason is None and families and ctx.profile.catalogue.variants.master_field:
        reason = M_("variants are grouped by a master field")
    if reason is None and bound and _bindings_moved(ctx, flow):
        reason = M_("products were deleted in the shop or found there since the last run")
    codes_outside: set[str] | None = set()
    if reason is None and since is not None and outside is not None:
        codes_outside = outside(since)
        if codes_outside is None:
            reason = M_("files in the media folders changed")
    backoffice = ctx.backoffice
    if (
        reason is not None
        or since is None
        or codes_outside is None
        or not isinstance(backoffice, ReadsChanges)
    ):
        _say_full(ctx, reason or M_("no earlier complete run to go on from"))
        return CatalogueRead(ctx.backoffice.list_items(), True)
    items = backoffice.list_items(modified_since=since) if changed_items else []
    ids, templates = _parked(ctx, flow)
    ids |= set(also_ids)
    ids -= {i.source_id for i in items}
    codes = {c.casefold() for c in (*also_codes, *codes_outside) if c} - {
        i.code.casefold() for i in items
    }
    if ids or templates or codes:
        items = _merge(
            items, backoffice.list_items_where(ids=ids, codes=codes, templates=templates)
        )
    if refers is not None:
        present = {i.code.casefold() for i in items}
        needed = {c for i in items for c in refers(i) if c.casefold() not in present}
        if needed:
            items = _merge(items, backoffice.list_items_where(codes=needed))
    if families:
        missing = _incomplete_families(items)
        if missing:
            items = _merge(items, backoffice.list_items_where(templates=missing))
    _say_delta(ctx, since, len(items))
    return CatalogueRead(items, False)


def read_changed(
    ctx: FlowContext,
    flow: str,
    settings: str,
    *,
    families: bool = False,
    bound: bool = False,
    refers: Callable[[Item], Iterable[str]] | None = None,
    outside: Callable[[datetime], set[str] | None] | None = None,
) -> CatalogueRead:
    """:func:`read_catalogue` from the flow's bookmark (taken under ``settings``), all
    of it when the profile compares every item (``catalogue.only_changed`` off)."""
    return read_catalogue(
        ctx,
        flow,
        read_since(ctx, flow, settings),
        settings,
        families=families,
        bound=bound,
        refers=refers,
        outside=outside,
        only_changed=ctx.profile.catalogue.only_changed,
    )


def read_stock_changes(
    ctx: FlowContext, flow: str, since: datetime | None, settings: str, codes: Iterable[str]
) -> CatalogueRead:
    """The items whose stock the shop should be told again: all of them, or those
    with stock moves or sales in the back-office since ``since``, the parked ones,
    and the items of ``codes`` (the shop's orders: what they hold back, or what the
    shop moved itself, may have changed). An item changed in the catalogue alone is
    the product export's: a new item is created with its stock, a changed code or
    stock setting of an item waits for the next full read."""
    backoffice = ctx.backoffice
    reason = _full_reason(ctx, flow, since, settings)
    moved: set[str] | None = None
    if reason is None and since is not None and isinstance(backoffice, ReadsChanges):
        moved = backoffice.items_with_stock_changes_since(since)
    if moved is None:
        _say_full(ctx, reason or M_("this back-office cannot tell which stock moved"))
        return CatalogueRead(backoffice.list_items(), True)
    return read_catalogue(
        ctx, flow, since, settings, also_ids=moved, also_codes=codes, changed_items=False
    )


def complete_read(
    ctx: FlowContext, flow: str, read: CatalogueRead, at: datetime, settings: str
) -> None:
    """Once the run that read went through: a full read becomes the next ones' reference
    (its moment for the weekly schedule, its settings for a change of them)."""
    if read.full:
        ctx.store.set_bookmark(ctx.name, flow + FULL_READ_SUFFIX, BookmarkValue(at, settings))
