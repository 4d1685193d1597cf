"""Catalogue rules shared by the product, price and stock flows (C4, C9, C10).

Kept in one place so the product export and the stock update always agree on
what quantity and what price an item has in the shop.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from hashlib import sha256
from json.encoder import encode_basestring

from passerelle.connectors.base import ProductWrite
from passerelle.flows.base import FlowContext
from passerelle.flows.exporting import Candidate, send_changed
from passerelle.flows.product_mapping.categories import field_categories
from passerelle.flows.references import Rejected, check_references
from passerelle.flows.windows import chunks
from passerelle.i18n.messages import M_, SaidError, Text
from passerelle.model import Category, Item, ProductDraft
from passerelle.store import content_hash
from passerelle.store.lean_bindings import bound as bound_lean

__all__ = [
    "CatalogueSelection",
    "MappingProblem",
    "CategoryTally",
    "catalogue_categories",
    "item_categories",
    "catalogue_items",
    "select_items",
    "item_state",
    "report_rejected",
    "find_by_sku",
    "price_hash",
    "resolve_shop_ids",
    "adopt",
    "unbound_of",
    "send_product_fields",
    "stock_hash",
    "tax_class_for",
]


class MappingProblem(SaidError):
    """A record cannot be mapped; the message says which entry to add."""


@dataclass(slots=True)
class CatalogueSelection:
    """The items the shop should hold, and the others with the reason they are left out.

    ``rejected`` items have a reference the shop cannot take (C22): they are
    reported and parked, while ``left_out`` ones are simply not for the shop.
    """

    items: list[Item] = field(default_factory=list)
    left_out: list[tuple[Item, Text]] = field(default_factory=list)
    rejected: list[tuple[Item, Text]] = field(default_factory=list)


def item_state(item: Item, *, only_published: bool = False) -> str:
    """C14: "ok", "dormant" (inactive in the back-office), "blocked" (not salable),
    or "unpublished" (no longer published on web, when only published items go online)."""
    if not item.active:
        return "dormant"
    if not item.salable:
        return "blocked"
    return "unpublished" if only_published and not item.published else "ok"


def catalogue_items(
    ctx: FlowContext, *, for_stock: bool = False, items: Iterable[Item] | None = None
) -> CatalogueSelection:
    """The catalogue as the shop should see it (C5, C14, C22), of ``items`` when given
    (what a run read, see :mod:`.delta`), else of every back-office item.

    The selection's items held at once; :func:`select_items` keeps only their ids.
    """
    selection = CatalogueSelection()
    by_id: dict[str, Item] = {}

    def keep(item: Item) -> None:
        by_id[item.source_id] = item

    valid, rejected = select_items(
        ctx,
        ctx.backoffice.list_items() if items is None else items,
        for_stock=for_stock,
        keep=keep,
        left_out=lambda item, reason: selection.left_out.append((item, reason)),
    )
    selection.items = [by_id[key] for key, _code in valid]
    selection.rejected = [(by_id[r.key], r.shown) for r in rejected]
    return selection


def select_items(
    ctx: FlowContext,
    items: Iterable[Item],
    *,
    for_stock: bool = False,
    keep: Callable[[Item], None],
    left_out: Callable[[Item, Text], None],
) -> tuple[list[tuple[str, str]], list[Rejected[str]]]:
    """The catalogue as the shop should see it (C5, C14, C22), going over ``items`` once:
    (id, code) of the items for the shop, in their order, and those whose reference
    the shop cannot take. ``keep`` is given each item that may be for the shop (its
    reference is checked over all of them at the end), ``left_out`` each one that is
    not, with the reason; what they keep of an item is theirs to choose.

    The order import's special items (shipping, misc, discounts, gap…) are
    back-office devices, not products for sale online. A dormant, blocked or
    unpublished item already in the shop stays in the selection, to be
    switched off there (C14); one never sent is left out.
    """
    options = ctx.profile.catalogue
    special: dict[str, str] = {}
    for name, code in ctx.profile.orders.special_items().items():
        special.setdefault(code, f"orders.{name}")
    published_only = options.only_published and not (for_stock and options.stock.ignore_published)
    pairs: list[tuple[str, str]] = []
    for chunk in chunks(items):
        # Which of these are in the shop, a window at a time (the kind may be huge), read
        # only for a window with an item that would be left out unless it is there.
        in_shop = _InShop(ctx, chunk) if options.disable_from_state else frozenset[str]()
        for item in chunk:
            if options.only_salable and item_state(item) != "ok" and item.source_id not in in_shop:
                continue
            if item.code in special:
                left_out(
                    item,
                    M_("special item of the order import (%(option)s)", option=special[item.code]),
                )
                continue
            if published_only and not item.published and item.source_id not in in_shop:
                left_out(item, M_("not published on web in the back-office"))
                continue
            pairs.append((item.source_id, item.code))
            keep(item)
    return check_references(pairs)


class _InShop:
    """Which items of a window the shop holds (bound to a product), read on the first
    question: a window whose items are all for the shop asks none, and reads nothing."""

    def __init__(self, ctx: FlowContext, items: Sequence[Item]) -> None:
        self._ctx = ctx
        self._items = items
        self._bound: Collection[str] | None = None

    def __contains__(self, key: object) -> bool:
        if self._bound is None:
            ids = [i.source_id for i in self._items]
            self._bound = bound_lean(self._ctx.store, self._ctx.name, "product", ids).keys()
        return key in self._bound


def catalogue_categories(
    ctx: FlowContext, items: list[Item]
) -> tuple[list[Category], dict[str, tuple[str, ...]]]:
    """C2: the categories the shop needs and each item's category keys."""
    options = ctx.profile.catalogue.categories
    if options.source == "fields":
        return field_categories(items, options.fields)
    return ctx.backoffice.list_categories(), item_categories(ctx, items)


def item_categories(ctx: FlowContext, items: Iterable[Item]) -> dict[str, tuple[str, ...]]:
    """C2: each item's category keys (of a window of items: the categories are
    the whole catalogue's, see :class:`CategoryTally`)."""
    options = ctx.profile.catalogue.categories
    if options.source == "fields":
        return field_categories(items, options.fields)[1]
    return {i.source_id: i.category_ids for i in items}


class CategoryTally:
    """C2: the categories the shop needs, counted an item at a time (a first pass over
    the catalogue), so an item left out afterwards takes back those only it used."""

    def __init__(self, ctx: FlowContext) -> None:
        self._ctx = ctx
        self._fields = ctx.profile.catalogue.categories
        self._found: dict[str, Category] = {}
        self._uses: dict[str, int] = {}

    def add(self, item: Item, uses: int = 1) -> None:
        """Count the categories of an item (``uses`` -1: take them back)."""
        if self._fields.source != "fields":
            return  # the back-office's own categories, whatever the items
        for category in field_categories((item,), self._fields.fields)[0]:
            key = category.source_id
            self._found.setdefault(key, category)
            self._uses[key] = self._uses.get(key, 0) + uses

    def categories(self) -> list[Category]:
        """The categories of the items counted, in the order they first came."""
        if self._fields.source != "fields":
            return self._ctx.backoffice.list_categories()
        return [c for key, c in self._found.items() if self._uses[key] > 0]


def report_rejected(ctx: FlowContext, flow_name: str, selection: CatalogueSelection) -> None:
    """C22: each invalid reference in the journal and among the parked records."""
    for item, reason in selection.rejected:
        message = M_("item %(name)s %(reason)s; not sent", name=repr(item.name), reason=reason)
        ctx.store.park(ctx.name, flow_name, item.source_id, message, "error")
        ctx.journal.record("parked", item.code or f"item {item.source_id}", message)


def tax_class_for(ctx: FlowContext, item: Item) -> str:
    """C4: the shop tax class of an item's back-office tax."""
    options = ctx.profile.catalogue
    if options.all_tax_class is not None:
        return options.all_tax_class
    if not item.taxes:
        if options.default_tax_class is not None:
            return options.default_tax_class
        raise MappingProblem(
            M_(
                "item %(code)s has no customer tax in the back-office and "
                "catalogue.default_tax_class is not set",
                code=item.code,
            )
        )
    tax = item.taxes[0]
    for name in (tax.name, tax.source_id):
        if name in options.tax_classes:
            return options.tax_classes[name]
    if options.default_tax_class is not None:
        return options.default_tax_class
    raise MappingProblem(
        M_(
            "item %(code)s: back-office tax %(tax)s has no entry in catalogue.tax_classes "
            '(add "%(name)s" = "<shop tax class>", or set catalogue.default_tax_class)',
            code=item.code,
            tax=repr(tax.name),
            name=tax.name,
        )
    )


def price_hash(draft: ProductDraft) -> str:
    """What the price flow compares; the product export binds the same when it writes prices.

    The common shapes (finite prices, named groups) are written straight as the canonical
    text :func:`content_hash` hashes (every created product binds its price); anything else
    goes through it, to the same hash."""
    regular, sale = _decimal_text(draft.regular_price), _decimal_text(draft.sale_price)
    if regular is not None and sale is not None:
        groups: list[str] = []
        for group in draft.group_prices:
            price = _decimal_text(group[1]) if len(group) == 2 and group[1] is not None else None
            if price is None or type(group[0]) is not str:
                break
            groups.append("[" + encode_basestring(group[0]) + "," + price + "]")
        else:
            text = f'{{"groups":[{",".join(groups)}],"price":{regular},"sale":{sale}}}'
            return sha256(text.encode("utf-8")).hexdigest()
    return content_hash(
        {
            "price": draft.regular_price,
            "sale": draft.sale_price,
            "groups": [list(g) for g in draft.group_prices],
        }
    )


def _decimal_text(value: Decimal | None) -> str | None:
    """A price as the canonical text writes it (``null`` when unset); None for any other
    value (not a Decimal, or not finite): the caller then takes the checked path."""
    if value is None:
        return "null"
    if type(value) is Decimal and value.is_finite():
        return '{"$decimal":"' + str(value) + '"}'
    return None


def stock_hash(quantity: int | None, hidden: bool | None = None) -> str:
    """What the stock flow compares; the product export binds the same on creation.

    ``hidden`` counts only when the profile hides products out of stock (C19).
    """
    return _stock_hash(quantity, hidden)


@lru_cache(maxsize=4096, typed=True)
def _stock_hash(quantity: int | None, hidden: bool | None) -> str:
    """:func:`stock_hash`, computed once per distinct value: a catalogue's quantities
    are few distinct numbers, hashed for every item on every run."""
    if hidden is None:
        return content_hash({"quantity": quantity})
    return content_hash({"quantity": quantity, "hidden": hidden})


def find_by_sku(ctx: FlowContext, codes: dict[str, str]) -> dict[str, str]:
    """Shop ids of the products carrying these codes as SKU (``codes``: item id → code)."""
    if not codes:
        return {}
    found = ctx.shop.find_products_by_sku(codes.values())
    return {item_id: found[code] for item_id, code in codes.items() if code in found}


def resolve_shop_ids(
    ctx: FlowContext,
    codes: dict[str, str],
    *,
    look_up: bool = True,
    adopted: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Shop ids for item ids (``codes``: item id → code), from bindings, else by SKU
    (unless ``look_up`` is off: the run looked them all up at once, see :func:`adopt`,
    and hands over ``adopted``, what it found: a preview keeps no binding).

    Products found by SKU are adopted (bound without a hash), so the product
    export compares and refreshes them instead of creating them again.
    """
    products = bound_lean(ctx.store, ctx.name, "product", codes)  # their shop ids only
    shop_ids = {k: b.remote_id for k, b in products.items() if b.remote_id}
    if not look_up:
        found = adopted or {}
        return shop_ids | {k: found[k] for k in codes if k in found and k not in shop_ids}
    return shop_ids | adopt(
        ctx, {item_id: code for item_id, code in codes.items() if item_id not in shop_ids}
    )


def unbound_of(ctx: FlowContext, codes: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Of (item id, code) pairs, those of items bound to no shop product (a window of
    bindings read at a time)."""
    unbound: dict[str, str] = {}
    for chunk in chunks(codes):
        products = bound_lean(ctx.store, ctx.name, "product", [key for key, _code in chunk])
        unbound.update((k, c) for k, c in chunk if not getattr(products.get(k), "remote_id", ""))
    return unbound


def adopt(ctx: FlowContext, codes: dict[str, str]) -> dict[str, str]:
    """Shop ids of the products carrying these codes as SKU (``codes``: item id → code),
    bound without a hash: all at once, however many windows a run takes (a shop may read
    every SKU in one bulk query)."""
    adopted = find_by_sku(ctx, codes)
    ctx.store.bind_many(
        ctx.name, "product", [(item_id, shop_id, None) for item_id, shop_id in adopted.items()]
    )
    return adopted


def send_product_fields(
    ctx: FlowContext,
    *,
    items: list[Item],
    kind: str,
    fields: frozenset[str],
    draft_of: Callable[[Item], ProductDraft],
    hash_of: Callable[[ProductDraft], str],
    what: str,
    force_keys: Collection[str] = (),
    look_up: bool = True,
    adopted: Mapping[str, str] | None = None,
) -> None:
    """Update some fields (price, stock) of products already in the shop, only where changed
    (and for ``force_keys``, the items the shop changed by itself, whatever was sent).

    Only the bindings of ``items`` are read: a window of a large catalogue costs what
    the window holds. ``look_up`` off: the unbound items were looked up by SKU already
    (:func:`adopt`)."""
    shop_ids = resolve_shop_ids(
        ctx, {i.source_id: i.code for i in items}, look_up=look_up, adopted=adopted
    )
    candidates = []
    for item in items:
        shop_id = shop_ids.get(item.source_id)
        if shop_id is None:
            ctx.journal.record(
                "skipped", item.code, M_("not in the shop yet: run export-products first")
            )
            continue
        draft = draft_of(item)
        candidates.append(
            Candidate(
                key=item.source_id,
                label=item.code,
                content=draft,
                content_hash=hash_of(draft),
                shop_id=shop_id,
                fields=fields,
            )
        )
    send_changed(
        ctx,
        kind=kind,
        candidates=candidates,
        write=lambda chunk: ctx.shop.write_products(
            [ProductWrite(c.key, c.content, c.shop_id, fields) for c in chunk]
        ),
        what=what,
        force_keys=force_keys,
        bindings=bound_lean(ctx.store, ctx.name, kind, [c.key for c in candidates])
        if candidates
        else None,
    )
