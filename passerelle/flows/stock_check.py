"""R8: the nightly stock check — the shop's quantities against the back-office's.

``update-stock`` sends a quantity only when it changed since it was last
sent, so a quantity edited in the shop (by hand, by an app, by a lost
update) stays wrong until the back-office quantity changes again. This flow
reads the shop's quantities (one catalogue read, ``Shop.iter_products``) and
compares each item ``update-stock`` handles, by SKU, with the quantity
``update-stock`` would send (:class:`~passerelle.flows.update_stock.StockRule`:
same items, same kind of quantity, same default quantity and negatives).

It only reports — one journal line per difference (``TSH-RED: shop 7,
back-office 5``), per item missing in the shop, and a summary — unless asked
to fix (the ``fix`` option, else the profile's ``catalogue.stock.check_fix``).
An item passerelle had sent that is missing from the shop was deleted there:
its links are dropped, so the next ``export-products`` creates it again
instead of taking it for present. Fixing sends the back-office quantity
(what it can still sell) of the differing items only, through
the batches ``update-stock`` uses, and binds their stock hashes so the next
``update-stock`` sends nothing for them. Reporting reads only, so the flow
runs in test mode (R4); fixing writes to the shop and is refused there.

The CLI reads a run's differences back from its journal
(:meth:`StockReport.from_journal`), which is why the line formats live here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from passerelle.connectors.base import ProductWrite
from passerelle.flows.base import FlowContext, flow
from passerelle.flows.exporting import PRODUCT_KINDS, Candidate, send_changed
from passerelle.flows.options import FlowOptions
from passerelle.flows.update_stock import KIND, StockRule
from passerelle.i18n import N_
from passerelle.i18n.messages import M_, Message
from passerelle.model import Item, ProductDraft, ShopProduct
from passerelle.profiles.schema import Profile
from passerelle.store.records import JournalLine

__all__ = ["FLOW", "Difference", "StockReport", "fix_refusal", "wants_fix"]

FLOW = "stock-check"
_NOT_MANAGED = N_("not managed")
_DIFFERENCE = re.compile(rf"shop (?P<shop>-?\d+|{_NOT_MANAGED}), back-office (?P<bo>-?\d+)")
_MISSING = re.compile(r"not in the shop, back-office (?P<bo>-?\d+)")


@dataclass(frozen=True, slots=True)
class Difference:
    """An item whose shop quantity is not the back-office's."""

    code: str
    backoffice: int
    shop: int | None = None  # None: the shop does not manage this product's stock
    missing: bool = False  # no product of the shop carries this SKU

    @property
    def said(self) -> Message:
        """The journal line, in the reader's language (:meth:`parse` reads its English)."""
        if self.missing:
            return M_(
                "not in the shop, back-office %(backoffice)s (run export-products to create it)",
                backoffice=self.backoffice,
            )
        return M_(
            "shop %(shop)s, back-office %(backoffice)s",
            shop=Message(_NOT_MANAGED) if self.shop is None else str(self.shop),
            backoffice=self.backoffice,
        )

    @property
    def message(self) -> str:
        return str(self.said)

    @classmethod
    def parse(cls, code: str, message: str) -> Difference | None:
        """The difference a journal line of this flow reports, None for other lines."""
        if found := _DIFFERENCE.fullmatch(message):
            shop = found["shop"]
            return cls(code, int(found["bo"]), None if shop == _NOT_MANAGED else int(shop))
        if found := _MISSING.match(message):
            return cls(code, int(found["bo"]), missing=True)
        return None


@dataclass(slots=True)
class StockReport:
    """A check's outcome as its journal tells it: the differences, which were fixed,
    and why fixing was refused, if it was."""

    differences: list[Difference] = field(default_factory=list)
    fixed: set[str] = field(default_factory=set)
    #: Why an item could not be compared, and the errors, in the language of whoever
    #: reads the report (:meth:`from_journal` renders them in the current one).
    uncompared: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def remaining(self) -> list[Difference]:
        return [d for d in self.differences if d.code not in self.fixed]

    @classmethod
    def from_journal(cls, lines: Iterable[JournalLine]) -> StockReport:
        """The report ``lines`` tell: differences read from their English, the lines
        not compared and the errors in the current language (a French console or
        terminal reads them in French)."""
        report = cls()
        for line in lines:
            code = line.record_key or ""
            if line.level == "warning" and code:
                difference = Difference.parse(code, line.message)
                if difference is not None:
                    report.differences.append(difference)
                else:
                    report.uncompared.append(f"{code}: {line.message_in()}")
            elif line.level == "success" and code:
                report.fixed.add(code)
            elif line.level == "error":
                report.errors.append(line.message_in())
        return report


def wants_fix(profile: Profile, options: FlowOptions) -> bool:
    """The ``fix`` option when given, else the profile's ``catalogue.stock.check_fix``."""
    return profile.catalogue.stock.check_fix if options.fix is None else options.fix


def fix_refusal(profile: Profile, options: FlowOptions) -> Message | None:
    """R4: why the check may not fix now (test mode), or None."""
    if not wants_fix(profile, options) or profile.mode != "test":
        return None
    return M_(
        "%(flow)s: fixing writes to the shop and profile %(profile)r is in test mode; "
        "check without --fix (and with catalogue.stock.check_fix = false), or set "
        'mode = "production" in the profile.',
        flow=FLOW,
        profile=profile.name,
    )


# R8
@flow(
    FLOW,
    writes_shop=False,
    summary=N_("compares shop and back-office stock; fixes the differences when asked"),
)
def run(ctx: FlowContext) -> None:
    rule = StockRule.of(ctx)
    items = rule.items(ctx)
    in_shop = _shop_products(ctx, {i.code.casefold() for i in items})
    bound = {key: b.remote_id for key, b in ctx.store.bindings(ctx.name, "product").items()}
    parked = {p.record_key for p in ctx.store.parked(ctx.name, FLOW)}
    to_fix: list[tuple[Item, ShopProduct]] = []
    gone: list[str] = []
    missing = equal = 0
    for item in items:
        expected = rule.quantity(item)
        candidates = in_shop.get(item.code.casefold(), [])
        if not candidates:
            missing += 1
            ctx.journal.warning(
                Difference(item.code, expected, missing=True).said, record=item.code
            )
            if item.source_id in bound:  # deleted in the shop: the export creates it again
                gone.append(item.source_id)
            continue
        product = _pick(candidates, bound.get(item.source_id))
        if product is None:
            ids = ", ".join(sorted(p.shop_id for p in candidates))
            message = M_(
                "SKU %(code)s is on %(count)s shop products (%(ids)s) and none is bound to the "
                "item: cannot tell which to compare",
                code=item.code,
                count=len(candidates),
                ids=ids,
            )
            ctx.store.park(ctx.name, FLOW, item.source_id, message, "error")
            ctx.journal.record("parked", item.code, message)
            continue
        if item.source_id in parked:  # compared now: no longer set aside
            ctx.store.resolve(ctx.name, FLOW, item.source_id)
        if product.stock_quantity == expected:
            equal += 1
            continue
        to_fix.append((item, product))
        ctx.journal.warning(
            Difference(item.code, expected, product.stock_quantity).said, record=item.code
        )
    for kind in PRODUCT_KINDS:
        ctx.store.unbind(ctx.name, kind, gone)
    ctx.journal.count("unchanged", equal)
    ctx.journal.info(
        M_(
            "%(count)s item(s) compared: %(differences)s difference(s), %(missing)s missing in "
            "the shop, %(equal)s equal",
            count=len(items),
            differences=len(to_fix),
            missing=missing,
            equal=equal,
        )
    )
    chosen = ctx.options.fix_codes
    if chosen is not None:  # fix selected: the others stay reported, not fixed
        wanted = {code.casefold() for code in chosen}
        to_fix = [(item, product) for item, product in to_fix if item.code.casefold() in wanted]
    if to_fix and wants_fix(ctx.profile, ctx.options):
        _fix(ctx, rule, to_fix)


def _shop_products(ctx: FlowContext, codes: set[str]) -> dict[str, list[ShopProduct]]:
    """The shop's products and variations carrying these SKUs (case-folded: a product
    adopted whatever its case is the item's), each once by shop id (a platform may
    list a product twice, e.g. a Magento child under its parent too)."""
    found: dict[str, dict[str, ShopProduct]] = {}
    for product in ctx.shop.iter_products():
        sku = product.sku.casefold()
        if sku not in codes:
            continue
        seen = found.setdefault(sku, {})
        if seen.get(product.shop_id) is None or product.stock_quantity is not None:
            seen[product.shop_id] = product
    return {sku: list(by_id.values()) for sku, by_id in found.items()}


def _pick(candidates: Sequence[ShopProduct], bound_id: str | None) -> ShopProduct | None:
    """The one product to compare: the only one, else the one the item is bound to."""
    if len(candidates) == 1:
        return candidates[0]
    return next((p for p in candidates if p.shop_id == bound_id), None)


def _fix(ctx: FlowContext, rule: StockRule, to_fix: list[tuple[Item, ShopProduct]]) -> None:
    """Send the back-office quantity of the differing items, bound like update-stock's."""
    refused = fix_refusal(ctx.profile, ctx.options)
    if refused:
        ctx.journal.error(M_("differences reported, not fixed: %(why)s", why=refused))
        return
    candidates: list[Candidate[ProductDraft]] = []
    for item, product in to_fix:
        draft = rule.draft(item)
        candidates.append(
            Candidate(
                key=item.source_id,
                label=item.code,
                content=draft,
                content_hash=rule.hash(draft),
                shop_id=product.shop_id,
            )
        )
    # force: the stock bindings hold what update-stock sent, which the shop lost since.
    send_changed(
        ctx,
        kind=KIND,
        candidates=candidates,
        what=N_("stock level"),
        force=True,
        write=lambda chunk: ctx.shop.write_products(
            [ProductWrite(c.key, c.content, c.shop_id, rule.fields) for c in chunk]
        ),
    )
