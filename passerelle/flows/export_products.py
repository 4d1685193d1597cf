"""C1–C22: back-office items → shop products, only what changed.

One run, in order:

1. the catalogue (C5 published, C14 state, C22 references: invalid ones are
   reported and parked, the rest goes on), in a first pass that keeps only
   each item's id, code and family (see :mod:`.windows`);
2. categories first (C2), so products land in them;
3. then a window of whole families at a time: items grouped into variable
   products (C6), the gaps reported; products, packs and variable parents in
   batches, then each parent's variations;
4. last, the products whose pack components or related products (C13, C17)
   did not exist in the shop before this run.

A product's content hash covers only what an update writes (C15), so a
field kept in the shop changing in the back-office costs no request. Before
creating, unbound items are looked up by SKU and adopted: a product whose
creation answer was lost is never created twice.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from contextlib import closing
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from functools import partial
from hashlib import sha256
from json.encoder import encode_basestring

from passerelle.connectors.base import ProductWrite, WriteOutcome
from passerelle.connectors.errors import FatalError
from passerelle.flows.base import FlowContext, flow
from passerelle.flows.bookmarks import read_since, save_bookmark, settings_for
from passerelle.flows.catalogue import (
    CatalogueSelection,
    CategoryTally,
    MappingProblem,
    item_categories,
    item_state,
    price_hash,
    report_rejected,
    select_items,
    stock_hash,
    tax_class_for,
)
from passerelle.flows.delta import complete_read, note_bound, read_changed
from passerelle.flows.export_categories import KIND as CATEGORY_KIND
from passerelle.flows.export_categories import sync_categories
from passerelle.flows.exporting import (
    PRODUCT_KINDS,
    Candidate,
    batch_size,
    send_changed,
    shared,
)
from passerelle.flows.item_needs import leaving_out, unused_by_export
from passerelle.flows.media import MediaLibrary, folder_refs_changed_since
from passerelle.flows.product_mapping.drafts import DraftBuilder, DraftProblem, ShopFacts
from passerelle.flows.product_mapping.policy import (
    PARENT_EXCLUDED,
    VARIATION_FIELDS,
    update_fields,
)
from passerelle.flows.product_mapping.texts import field_text
from passerelle.flows.product_mapping.unsupported import unsupported_words
from passerelle.flows.product_mapping.variants import (
    ProductGroup,
    VariantProblem,
    group_items,
)
from passerelle.flows.profile_check import missing_in_shop, tax_class_sources
from passerelle.flows.quantities import Quantities
from passerelle.flows.sent import Unusual, canonical_text
from passerelle.flows.sku_lookup import FamilySkus, RunSkus
from passerelle.flows.unread import park_unread
from passerelle.flows.windows import ItemWindows, chunks, window_size, windows
from passerelle.i18n import N_
from passerelle.i18n.messages import M_, Text, said
from passerelle.model import Item, ProductDraft
from passerelle.profiles.catalogue_options import CatalogueOptions, VariantOptions
from passerelle.profiles.schema import Profile
from passerelle.store import Store, content_hash
from passerelle.store.lean_bindings import Bound, bound

__all__ = ["FLOW", "check_item_fields", "product_hash", "settings_hash"]

FLOW = "export-products"
KIND = "product"


def product_hash(draft: ProductDraft, fields: frozenset[str], state: str = "on") -> str:
    """Hash of what an update writes, plus the back-office state (C14).

    Files count by their bytes' digest only: where the shop fetches them and
    the id it gave them are not content.
    """
    if type(state) is str:
        try:  # the canonical text written in one walk: the very text of the checked path
            text = canonical_text(
                draft, fields, hashed=True, before=_STATE_KEY + encode_basestring(state)
            )
        except Unusual:
            pass
        else:
            return sha256(text.encode("utf-8")).hexdigest()
    return checked_product_hash(draft, fields, state)


# "$state", escaped as canonical keys are: it sorts before every field name.
_STATE_KEY = '"$$state":'


def checked_product_hash(draft: ProductDraft, fields: frozenset[str], state: str) -> str:
    """:func:`product_hash` the long way, through :func:`content_hash`'s checks: for what
    the one walk does not know, and to check the walk against."""
    data = {}
    for name in sorted(fields):
        value = getattr(draft, name)
        if name in ("images", "documents"):
            value = [m.digest for m in value]
        elif isinstance(value, tuple):
            value = [asdict(v) if hasattr(v, "__dataclass_fields__") else v for v in value]
        data[name] = value
    data["$state"] = state
    return content_hash(data)


def check_item_fields(ctx: FlowContext) -> None:
    """Refuse to start when an option names a field the back-office does not have."""
    wanted = ctx.profile.catalogue.field_names()
    known = {f.name for f in ctx.backoffice.item_fields()}
    missing = sorted(wanted - known)
    if missing:
        raise FatalError(
            M_(
                "the catalogue options name item field(s) the back-office does not have: "
                "%(fields)s (passerelle fields --profile %(profile)s lists the fields it has)",
                fields=", ".join(missing),
                profile=ctx.name,
            )
        )


@settings_for(FLOW)
def settings_hash(profile: Profile, store: Store) -> str:
    """What, besides the items, decides what the shop holds: when it changes,
    every item is compared again, modified or not (the bookmark no longer applies)."""
    categories = bound(store, profile.name, CATEGORY_KIND)  # their shop ids only
    return content_hash(
        {
            "catalogue": profile.catalogue.model_dump(mode="json"),
            "categories": {k: b.remote_id for k, b in sorted(categories.items())},
        }
    )


# A variation waiting for its parent: the item, its draft, and whether it is on.
_Variation = tuple[Item, ProductDraft, str]


@dataclass(slots=True)
class _Plan:
    """The candidates of one run, and how each is written."""

    candidates: list[Candidate[ProductDraft]] = field(default_factory=list)
    fields: dict[str, frozenset[str]] = field(default_factory=dict)
    states: dict[str, str] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)  # variation key → parent key

    def merge(self, other: _Plan) -> None:
        self.candidates += other.candidates
        self.fields.update(other.fields)
        self.states.update(other.states)
        self.parents.update(other.parents)


_STATE_KIND = "product_state"  # bindings: the back-office state last written (C14)
assert {KIND, _STATE_KIND} <= set(PRODUCT_KINDS), "a product's bindings go together"
_STATE_HASHES = {state: content_hash({"state": state}) for state in ("on", "off")}
_STATE_OF_HASH = {digest: state for state, digest in _STATE_HASHES.items()}


class _Export:
    """One run of the product export."""

    def __init__(self, ctx: FlowContext, references: dict[str, str]) -> None:
        self.ctx = ctx
        self.options = ctx.profile.catalogue
        # The items of this run another item names (pack components, related products):
        # id → code; their codes are those this run may send of them (C13).
        self.references = references
        self.exportable = set(references.values())
        # The window's bindings (see load), as shop ids and hashes (all a run compares);
        # the first send of a window compares with the same read (see send).
        self.bindings: dict[str, Bound] = {}
        self.written_states: dict[str, str] = {}
        self.shop_ids: dict[str, str] = {}
        self.quantities = Quantities(ctx)
        self.waiting: dict[str, tuple[str, list[str]]] = {}  # see keep_waiting
        self.update = update_fields(self.options.update_policy)
        self.with_stock = "stock_quantity" in self.update
        self.hide = self.options.stock.out_of_stock == "hide"
        self.media = MediaLibrary(ctx, self.options.media) if self.options.media.enabled else None
        self.facts = ShopFacts()
        self.builder = DraftBuilder(self.options, self.facts, self._tax_class)
        self.gone: set[str] = set()  # keys whose shop product was deleted in the shop
        # (extra fields, state changed, kind) → fields hashed, kept and written; see add.
        self.field_sets: dict[
            tuple[frozenset[str], bool, str], tuple[frozenset[str], frozenset[str], frozenset[str]]
        ] = {}
        self.missing_classes: set[str] | None = None  # see _missing_tax_classes
        self.skus = RunSkus()  # what the run asked the shop by SKU (see _adopt)

    def _tax_class(self, item: Item) -> str:
        try:
            return tax_class_for(self.ctx, item)
        except MappingProblem as problem:
            raise DraftProblem(said(problem)) from problem

    def _missing_tax_classes(self) -> set[str]:
        """The tax classes the profile names that the shop lacks: asked once per run, when
        the first product is about to be sent (a run with nothing to send asks nothing)."""
        if self.missing_classes is None:
            names = tax_class_sources(self.options)
            self.missing_classes = (
                missing_in_shop(self.ctx.shop, "tax_class", names) if names else None
            ) or set()
        return self.missing_classes

    def refuse_unknown_tax_class(self, candidate: Candidate[ProductDraft]) -> WriteOutcome | None:
        """An error outcome, without a request, for a product whose tax class the shop lacks:
        a shop (WooCommerce) stores it anyway and charges its standard VAT rate instead."""
        shop_class = candidate.content.tax_class
        if shop_class not in self._missing_tax_classes():
            return None
        where = ", ".join(tax_class_sources(self.options).get(shop_class, ["the profile"]))
        return WriteOutcome(
            key=candidate.key,
            error=(
                f"the shop has no tax class {shop_class!r} (named by {where}): not sent, since the "
                "shop would charge its standard VAT rate instead; create that tax class in the "
                "shop, or map the item's tax to a class the shop has"
            ),
        )

    # ----------------------------------------------------------- selection
    def changed(self, item: Item, since: datetime | None, parked: set[str]) -> bool:
        binding = self.bindings.get(item.source_id)
        if not self.options.only_changed or since is None or binding is None:
            return True
        if binding.content_hash is None or item.source_id in parked:
            return True  # adopted and never compared, or set aside last time
        if self.written_states.get(item.source_id, "on") != self._state(item):
            return True  # C14: a state change (unpublished on web) may leave no date behind
        if self.media is not None and self.media.changed_since(item, since):
            return True
        return item.modified_at is None or item.modified_at > since

    def park(self, key: str, label: str, message: Text) -> None:
        self.ctx.store.park(self.ctx.name, FLOW, key, message, "error")
        self.ctx.journal.record("parked", label, message)

    # --------------------------------------------------------------- facts
    def load(self, keys: Collection[str]) -> None:
        """The bindings of a window's records: their shop ids, last hashes and states."""
        store, name = self.ctx.store, self.ctx.name
        self.bindings = bound(store, name, KIND, keys)
        self.written_states = {
            k: _STATE_OF_HASH.get(b.content_hash or "", "on")
            for k, b in bound(store, name, _STATE_KIND, keys).items()
        }
        self.shop_ids = {k: b.remote_id for k, b in self.bindings.items() if b.remote_id}
        self.gone = set()

    def product_ids(self) -> dict[str, str]:
        """Shop ids by code of the items other items name, as bound now."""
        found = bound(self.ctx.store, self.ctx.name, KIND, self.references)
        return {self.references[k]: b.remote_id for k, b in found.items() if b.remote_id}

    def start(self, category_ids: dict[str, str]) -> None:
        """What every window's drafts need: category and product shop ids (as the run
        starts: a product created by this run is named by the others at its end)."""
        self.facts.category_ids = category_ids
        self.facts.product_ids = self.product_ids()
        cats = self.options.categories
        if cats.extra_field or cats.default:
            self.facts.category_by_name = {
                c.name.casefold(): shop_id for shop_id, c in self.ctx.shop.list_categories()
            }

    def gather(self, items: list[Item], categories: dict[str, tuple[str, ...]]) -> None:
        """Quantities, category keys and published files of a window's items to send."""
        self.facts.item_categories = categories
        needs_stock = [
            i.source_id
            for i in items
            if self.with_stock
            or i.source_id not in self.shop_ids
            or self.options.stock.out_of_stock == "hide"
        ]
        self.facts.quantities = self.quantities(needs_stock) if needs_stock else {}
        self.facts.images, self.facts.documents = {}, {}
        if self.media is not None:
            for item in items:
                self.facts.images[item.source_id] = self.media.publish(self.media.images(item))
                self.facts.documents[item.source_id] = self.media.publish(
                    self.media.documents(item)
                )

    # --------------------------------------------------------------- drafts
    def _state(self, item: Item) -> str:
        state = item_state(item, only_published=self.options.only_published)
        return "on" if state == "ok" else "off"

    def _last_state(self, key: str) -> str:
        """The state last written, "new" for a product never written by this flow."""
        binding = self.bindings.get(key)
        if binding is None or binding.content_hash is None:
            return "new"
        return self.written_states.get(key, "on")

    def _active(self, key: str, state: str) -> bool:
        """C16 on creation; afterwards C14: on when the back-office state is ok."""
        if self._last_state(key) == "new":
            return self.options.new_products_active and state == "on"
        return state == "on"

    def add(
        self,
        plan: _Plan,
        key: str,
        label: str,
        draft: ProductDraft,
        state: str,
        extra: frozenset[str] = frozenset(),
    ) -> None:
        """A candidate, with the fields its update writes (C14 adds the status on a change)."""
        restated = self._last_state(key) not in ("new", state)
        hashed, kept, fields = self._field_sets(extra, restated, draft.kind)
        # The status is hashed as the state, whether or not this write carries it.
        plan.candidates.append(
            Candidate(
                key=key,
                label=label,
                content=draft,
                content_hash=product_hash(draft, hashed, state),
                shop_id=self.shop_ids.get(key),
                fields=kept,
            )
        )
        plan.fields[key] = fields
        plan.states[key] = state

    def _field_sets(
        self, extra: frozenset[str], restated: bool, kind: str
    ) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        """The fields hashed, kept and written of a product: a handful of distinct sets in
        a run, each made once (not per product) and kept once (shared)."""
        shape = kind if kind in ("variable", "variation") else ""
        sets = self.field_sets.get((extra, restated, shape))
        if sets is None:
            fields = self.update | extra
            if restated:
                fields |= {"active"}
            if shape == "variable":
                fields |= {"attributes", "kind"}  # the axes are the product's structure
                fields -= PARENT_EXCLUDED
            if shape == "variation":
                fields &= VARIATION_FIELDS | {"active"}
            sets = (shared(fields - {"active"}), shared(fields | {"active"}), shared(fields))
            self.field_sets[(extra, restated, shape)] = sets
        return sets

    def _missing_components(self, item: Item) -> list[str]:
        """C13: pack components neither in the shop nor sent by this run."""
        if not (self.options.details.packs and item.kit):
            return []
        return [
            c.code
            for c in item.kit
            if c.code not in self.facts.product_ids and c.code not in self.exportable
        ]

    def plan_simple(self, items: Sequence[Item]) -> _Plan:
        plan = _Plan()
        for item in items:
            missing = self._missing_components(item)
            if missing:
                self.park(
                    item.source_id,
                    item.code,
                    M_(
                        "pack %(code)s: component(s) %(missing)s not in the shop and not "
                        "exported; publish them, or take them out of the kit",
                        code=item.code,
                        missing=", ".join(missing),
                    ),
                )
                continue
            state = self._state(item)
            try:
                draft = self.builder.simple(item, active=self._active(item.source_id, state))
            except DraftProblem as problem:
                self.park(item.source_id, item.code, said(problem))
                continue
            self.add(plan, item.source_id, item.code, draft, state)
        return plan

    def plan_parents(
        self, groups: Sequence[ProductGroup]
    ) -> tuple[_Plan, dict[str, list[_Variation]]]:
        """The variable products, and each one's variation drafts (sent once it exists)."""
        plan = _Plan()
        variations: dict[str, list[_Variation]] = {}
        for group in groups:
            drafts: list[_Variation] = []
            for item in group.items:
                state = self._state(item)
                try:
                    draft = self.builder.variation(
                        group, item, active=self._active(item.source_id, state)
                    )
                except DraftProblem as problem:
                    self.park(item.source_id, item.code, said(problem))
                    continue
                drafts.append((item, draft, state))
            if not drafts:
                continue
            # The parent is on while one of its variations is (C14).
            state = "on" if any(s == "on" for _i, _d, s in drafts) else "off"
            try:
                first = self.builder.simple(drafts[0][0], active=True)
            except DraftProblem as problem:
                self.park(
                    group.key,
                    group.sku,
                    M_("product %(sku)s: %(problem)s", sku=group.sku, problem=said(problem)),
                )
                continue
            parent = self.builder.parent(group, first, active=self._active(group.key, state))
            self.add(plan, group.key, group.sku, parent, state)
            variations[group.key] = drafts
        return plan, variations

    # ---------------------------------------------------------------- writes
    def send(
        self, plan: _Plan, what: str, bindings: Mapping[str, Bound] | None = None
    ) -> dict[str, str]:
        """Send the plan's changed products; ``bindings``, the product bindings as
        they stand (read at the start of the window, for its first send), spare a read."""
        if bindings is None and plan.candidates:
            bindings = bound(self.ctx.store, self.ctx.name, KIND, [c.key for c in plan.candidates])
        self._adopt(plan)

        def write(chunk: Sequence[Candidate[ProductDraft]]) -> list[WriteOutcome]:
            refused = [o for o in map(self.refuse_unknown_tax_class, chunk) if o is not None]
            left_out = {o.key for o in refused}
            sendable = [c for c in chunk if c.key not in left_out]
            outcomes = (
                self.ctx.shop.write_products(
                    [
                        ProductWrite(
                            c.key,
                            self._known_media(c.content),
                            c.shop_id,
                            None if c.shop_id is None else plan.fields[c.key],
                            parent_shop_id=self.shop_ids.get(plan.parents.get(c.key, "")),
                            keep_other_images=not self.options.media.replace_shop_images,
                            own_media_ids=self.media.sent_ids if self.media else frozenset(),
                        )
                        for c in sendable
                    ]
                )
                if sendable
                else []
            )
            if self.media is not None:
                for outcome in outcomes:
                    self.media.remember(outcome.media_ids)
            self.gone |= {outcome.key for outcome in outcomes if outcome.gone}
            return outcomes + refused

        written = send_changed(
            self.ctx,
            kind=KIND,
            candidates=plan.candidates,
            write=write,
            what=what,
            also_bind=(  # the other kinds of PRODUCT_KINDS
                (
                    "stock",
                    lambda c: stock_hash(
                        c.content.stock_quantity, c.content.hidden if self.hide else None
                    ),
                    self.with_stock,
                ),
                ("price", lambda c: price_hash(c.content), "regular_price" in self.update),
                (_STATE_KIND, lambda c: _STATE_HASHES[plan.states[c.key]], True),
            ),
            describe=unsupported_words,
            bindings=bindings,
        )
        self.shop_ids.update(written)
        for key in self.gone:
            self.shop_ids.pop(key, None)
        return written

    def _known_media(self, draft: ProductDraft) -> ProductDraft:
        """The draft with the images the shop received since it was built (a parent's
        picture, sent just before its variations) named by their shop ids: uploaded once."""
        if self.media is None or not draft.images:
            return draft
        return replace(draft, images=self.media.refer(draft.images))

    def forget_variations(self, variations: dict[str, list[_Variation]]) -> None:
        """A variable product deleted in the shop took its variations with it: their
        bindings go too, so the next run creates them under the new product."""
        keys = [
            item.source_id
            for parent_key in self.gone & set(variations)
            for item, _draft, _state in variations[parent_key]
        ]
        if keys:
            for kind in PRODUCT_KINDS:
                self.ctx.store.unbind(self.ctx.name, kind, keys)

    def plan_variations(self, variations: dict[str, list[_Variation]]) -> _Plan:
        """Each parent's variations, once the parent has a shop id."""
        plan = _Plan()
        for parent_key, drafts in variations.items():
            if parent_key not in self.shop_ids:
                continue  # the parent failed: parked with its reason, variations next run
            for item, draft, state in drafts:
                self.add(plan, item.source_id, item.code, draft, state)
                plan.parents[item.source_id] = parent_key
        return plan

    def keep_waiting(self, chosen: list[Item]) -> None:
        """C13, C17: of a window's products, those naming products not in the shop before
        this run (id → code, codes), sent again once every window is (see send_waiting)."""
        for item in chosen:
            codes = self.builder.waiting.get(item.source_id)
            if codes is not None:
                self.waiting[item.source_id] = (item.code, codes)
        self.builder.waiting.clear()

    def send_waiting(self, source: ItemWindows) -> None:
        """C13, C17: products whose packs or related products did not exist before this run."""
        if not self.waiting:
            return
        self.facts.product_ids = self.product_ids()
        labels = {key: code for key, (code, _codes) in self.waiting.items()}
        still: dict[str, list[str]] = {}
        for ids in chunks(self.waiting):
            items = source.fetch(ids)
            self.load(ids)
            self.gather(items, item_categories(self.ctx, items))
            self.send(self.plan_simple(items), "product", bindings=self.bindings)
            still.update(self.builder.waiting)
            self.builder.waiting.clear()
        self.waiting = {}
        for key, codes in still.items():
            self.ctx.journal.warning(
                M_(
                    "refers to %(codes)s, not in the shop: export those items or correct the "
                    "reference",
                    codes=", ".join(sorted(set(codes))),
                ),
                labels[key],
            )

    def _adopt(self, plan: _Plan) -> None:
        """Point unbound records at shop products that already carry their SKU (updated,
        not created again); they are bound when the update lands."""
        unbound = {
            c.key: c for c in plan.candidates if c.key not in self.bindings and c.shop_id is None
        }
        found = self.skus.adopt(self.ctx, {key: c.content.sku for key, c in unbound.items()})
        for key, shop_id in found.items():
            unbound[key].shop_id = shop_id
            self.ctx.journal.info(
                M_("already in the shop (shop id %(id)s): updated, not created", id=shop_id),
                unbound[key].label,
            )

    def window(self, items: list[Item], since: datetime | None, parked: set[str]) -> None:
        """A window of whole families: grouped, chosen, mapped and sent (C6, C14, C1)."""
        options = self.options
        variants = options.variants
        groups, singles, problems = group_items(
            items,
            master_field=variants.master_field,
            axes=[(a.name, a.field) for a in variants.attributes],
            from_templates=variants.from_templates,
        )
        _report_groups(self.ctx, self, groups, problems)
        self.load([*(i.source_id for i in items), *(g.key for g in groups)])
        chosen_singles = [i for i in singles if self.changed(i, since, parked)]
        chosen_groups = [
            g
            for g in groups
            if g.key not in self.bindings or any(self.changed(i, since, parked) for i in g.items)
        ]
        if options.only_new:  # C1: products already in the shop are left as they are
            chosen_singles = [i for i in chosen_singles if i.source_id not in self.bindings]
            chosen_groups = [
                g for g in chosen_groups if any(i.source_id not in self.bindings for i in g.items)
            ]
        unchanged = (
            len(singles)
            - len(chosen_singles)
            + sum(len(g.items) for g in groups if g not in chosen_groups)
        )
        self.ctx.journal.count("unchanged", unchanged)
        chosen_items = chosen_singles + [i for g in chosen_groups for i in g.items]
        self.gather(chosen_items, item_categories(self.ctx, chosen_items))
        first = self.plan_simple(chosen_singles)
        parents, variations = self.plan_parents(chosen_groups)
        first.merge(parents)
        self.send(first, "product", bindings=self.bindings)  # none written since they were read
        self.forget_variations(variations)
        self.send(self.plan_variations(variations), "variation")
        self.keep_waiting(chosen_singles)


class _Scan:
    """The first pass over the catalogue: what rules over all of it need of each item."""

    def __init__(self, ctx: FlowContext, refers: Callable[[Item], list[str]]) -> None:
        self.variants = ctx.profile.catalogue.variants
        self.refers = refers
        self.family_of: dict[str, str] = {}  # item id → its variable product's key
        self.family_skus = FamilySkus()
        self.referenced: set[str] = set()  # codes other items name
        self.categories = CategoryTally(ctx)

    def keep(self, item: Item) -> None:
        family = _family(item, self.variants)
        if family:
            self.family_of[item.source_id] = family
            self.family_skus.add(family, item)
        self.referenced.update(self.refers(item))
        self.categories.add(item)


def _family(item: Item, variants: VariantOptions) -> str:
    """The key of the variable product an item is grouped in, "" for none: a window
    holds a family whole (as :func:`group_items` groups, master field first)."""
    if variants.master_field:
        master = field_text(item, variants.master_field)
        if master:
            return f"group:{master}"
    if variants.from_templates and item.variant_count > 1 and item.template_id:
        return f"template:{item.template_id}"
    return ""


# C1–C22
@flow(FLOW, writes_shop=True, summary=N_("products to the shop, only what changed"))
def run(ctx: FlowContext) -> None:
    with leaving_out(ctx, unused_by_export(ctx.profile.catalogue)):
        _run(ctx)


def _run(ctx: FlowContext) -> None:
    options = ctx.profile.catalogue
    check_item_fields(ctx)
    read_at = ctx.now
    settings = settings_hash(ctx.profile, ctx.store)
    media = options.media
    refers = _refers(options)
    read = read_changed(
        ctx,
        FLOW,
        settings,
        families=True,
        bound=True,
        refers=refers,
        outside=partial(folder_refs_changed_since, media) if media.enabled else None,
    )
    # A first pass keeps what rules over the whole catalogue need of each item, then
    # the catalogue is sent a window of whole families at a time (see .windows).
    with closing(ItemWindows(ctx.backoffice, read.full)) as source:
        scan = _Scan(ctx, refers)

        def skipped(item: Item, reason: Text) -> None:
            ctx.journal.record(
                "skipped", item.code, M_("%(reason)s: not sent", reason=reason), echo=False
            )

        valid, rejected = select_items(
            ctx, source.scan(read.items), keep=scan.keep, left_out=skipped
        )
        park_unread(ctx, FLOW, "item")
        rejected_items = {i.source_id: i for i in source.fetch([r.key for r in rejected])}
        for item in rejected_items.values():
            scan.categories.add(item, -1)
        report_rejected(
            ctx,
            FLOW,
            CatalogueSelection(
                rejected=[
                    (rejected_items[r.key], r.shown) for r in rejected if r.key in rejected_items
                ]
            ),
        )
        category_ids = sync_categories(ctx, scan.categories.categories())
        settings = settings_hash(ctx.profile, ctx.store)
        since = read_since(ctx, FLOW, settings)

        export = _Export(ctx, {key: code for key, code in valid if code in scan.referenced})
        export.start(category_ids)
        parked = {p.record_key for p in ctx.store.parked(ctx.name, FLOW)}
        size = window_size(batch_size(ctx, KIND))
        batches = list(windows((key for key, _code in valid), scan.family_of, size))
        if len(batches) > 1:  # asked once for the run, not by every window (see .sku_lookup)
            families = scan.family_skus.skus(dict.fromkeys(scan.family_of.values()))
            unbound = export.skus.ask_once(ctx, dict(valid) | families)
            # The stock a window asks for (see gather): every item's, else the new products'.
            every = export.with_stock or export.hide
            export.quantities.read_ahead([k for k, _code in valid if every or k in unbound])
        for ids in batches:
            export.window(source.fetch(ids), since, parked)
        export.send_waiting(source)
        if ctx.journal.counts["failed"] == 0:
            save_bookmark(ctx, FLOW, read_at, settings)
            complete_read(ctx, FLOW, read, read_at, settings)
        note_bound(ctx, FLOW)


def _refers(options: CatalogueOptions) -> Callable[[Item], list[str]]:
    """The codes of the other items an item's product needs (C13 pack components,
    C17 related products): a delta read takes them along."""
    details = options.details
    fields = [f for f in (details.related_field, details.cross_sell_field) if f]

    def refers(item: Item) -> list[str]:
        codes = [c.code for c in item.kit] if details.packs else []
        for name in fields:
            codes += [c.strip() for c in field_text(item, name).split(",") if c.strip()]
        return codes

    return refers


def _report_groups(
    ctx: FlowContext, export: _Export, groups: list[ProductGroup], problems: list[VariantProblem]
) -> None:
    """C6: items that cannot be variations are parked; missing combinations reported."""
    for problem in problems:
        export.park(
            problem.item.source_id,
            problem.item.code,
            M_("item %(code)s %(reason)s", code=problem.item.code, reason=problem.said),
        )
    for group in groups:
        for combination in group.missing_combinations():
            wanted = ", ".join(
                f"{axis} {value}" for axis, value in zip(group.axes, combination, strict=True)
            )
            ctx.journal.warning(
                M_(
                    "product %(sku)s: no item for %(wanted)s; that combination will show as "
                    "unavailable (add the item, or leave it out knowingly)",
                    sku=group.sku,
                    wanted=wanted,
                ),
                group.sku,
            )
