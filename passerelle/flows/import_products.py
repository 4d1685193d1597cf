"""C21, C22: shop products → back-office items, created or updated by reference.

For a merchant whose catalogue starts in the shop (or a till): each shop
product or variation with a SKU becomes the back-office item of that code.
A product without SKU, or whose SKU breaks the reference rule (C22: see
``flows.references``), is reported with its shop id and name and left
alone; the rest of the run goes on. A variable product is not an item
itself: its variations are. A variation's data goes to its own item only:
a new one is named after its product and its options ("Bougie parfumée -
Figue": the shop names a variation by its options alone); an existing
variant of a back-office product shared with other variants gets its own
price, description and barcode, and the shared name, weight, tax and
category stay as they are (the back-office connector keeps that rule: see
``connectors/tryton/items.py``), which the journal line says.

The shop's tax class gives the back-office tax through
``catalogue.tax_classes`` read backwards (else ``catalogue.reverse.default_tax``
for a new item); a shop category named like a back-office category gives the
item's category (else ``catalogue.reverse.category`` for a new item).

Each shop product is bound (kind ``shop_product``) with the hash of what
was written, so an unchanged shop product is not written again; the import
only ever writes the back-office (it runs in test mode too).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import asdict

from passerelle.connectors.errors import ConnectorError, FatalError
from passerelle.flows.base import FlowContext, flow
from passerelle.flows.references import check_references
from passerelle.flows.refusals import listed
from passerelle.i18n import N_
from passerelle.i18n.messages import M_, Message, said
from passerelle.model import ItemWrite, ShopProduct
from passerelle.store import content_hash

__all__ = ["FLOW", "KIND", "TaxLookup", "html_to_text", "item_write", "variation_name"]

FLOW = "import-products"
KIND = "shop_product"
_STANDARD = "standard"  # WooCommerce's standard tax class, sent as ""


# C21
@flow(FLOW, writes_shop=False, summary=N_("shop products to back-office items (by reference)"))
def run(ctx: FlowContext) -> None:
    options = ctx.profile.catalogue.reverse
    categories = {c.name for c in ctx.backoffice.list_categories()}
    _check_options(ctx, categories)
    products = list(ctx.shop.iter_products())
    items = {item.code: item for item in ctx.backoffice.list_items() if item.code}
    by_folded_code = {code.casefold(): code for code in items}
    taxes = TaxLookup(ctx.profile.catalogue.tax_classes, options.default_tax)
    bindings = ctx.store.bindings(ctx.name, KIND)
    importable = _importable(ctx, products)
    valid, rejected = check_references((p, p.sku) for p in importable)
    for refused in rejected:
        ctx.journal.record(
            "skipped",
            _label(refused.key),
            M_("%(reason)s; correct the SKU in the shop: not imported", reason=refused.shown),
        )
    names = {p.shop_id: p.name for p in products}
    for position, (product, code) in enumerate(valid, 1):
        label = _label(product)
        existing = code in items
        if not existing and code.casefold() in by_folded_code:
            ctx.journal.record(
                "skipped",
                label,
                M_(
                    "SKU %(code)s differs only by case from back-office item %(item)s: correct "
                    "the SKU in the shop (or the item's code) so they match exactly: not "
                    "imported",
                    code=repr(code),
                    item=repr(by_folded_code[code.casefold()]),
                ),
            )
            continue
        if existing and not options.update_existing:
            ctx.journal.record(
                "skipped",
                label,
                M_(
                    "already in the back-office and catalogue.reverse.update_existing is off: "
                    "left as it is"
                ),
                echo=False,
            )
            continue
        parent_name = (
            names.get(product.shop_id.partition("/")[0], "") if "/" in product.shop_id else ""
        )
        writes = {
            new: item_write(
                product,
                existing=not new,
                taxes=taxes,
                categories=categories,
                default_category=options.category,
                parent_name=parent_name,
            )
            for new in (True, False)
        }
        # Hashed in its creation form, which depends on the shop product and the
        # options only: the item one run creates is "existing" for the next, and
        # must not look changed for that.
        digest = content_hash(asdict(writes[True]))
        binding = bindings.get(product.shop_id)
        if binding is not None and binding.content_hash == digest:
            ctx.journal.count("unchanged")
            continue
        shared = items[code].variant_count > 1 if existing else False
        _write(
            ctx,
            product,
            writes[not existing],
            digest,
            existing,
            label,
            position,
            len(valid),
            shared_with=items[code].name if shared else "",
        )


def _check_options(ctx: FlowContext, categories: set[str]) -> None:
    """Refuse before writing anything when the options name what the back-office lacks."""
    options = ctx.profile.catalogue.reverse
    problems: list[Message] = []
    if options.default_tax and ctx.backoffice.missing_references("tax", [options.default_tax]):
        problems.append(
            M_(
                "catalogue.reverse.default_tax: tax %(tax)s does not exist in the back-office",
                tax=repr(options.default_tax),
            )
        )
    if options.category and options.category not in categories:
        problems.append(
            M_(
                "catalogue.reverse.category: category %(category)s does not exist in the "
                "back-office",
                category=repr(options.category),
            )
        )
    if problems:
        raise FatalError(
            listed(M_("import refused (create them, or change the profile):"), problems)
        )


def _label(product: ShopProduct) -> Message:
    return M_("shop product %(id)s %(name)s", id=product.shop_id, name=repr(product.name))


def _importable(ctx: FlowContext, products: Sequence[ShopProduct]) -> list[ShopProduct]:
    """The products that are items: not the parents of variations, not without SKU."""
    parents = {p.shop_id.partition("/")[0] for p in products if "/" in p.shop_id}
    parent_skus = {p.parent_sku for p in products if p.parent_sku}
    kept = []
    for product in products:
        if product.shop_id in parents or (product.sku and product.sku in parent_skus):
            ctx.journal.record(
                "skipped",
                _label(product),
                M_("variable product: its variations are imported as items"),
                echo=False,
            )
        elif not product.sku.strip():
            ctx.journal.record(
                "skipped",
                _label(product),
                M_(
                    "has no SKU: not imported (give it a SKU in the shop, the reference of its "
                    "back-office item)"
                ),
            )
        else:
            kept.append(product)
    return kept


class TaxLookup:
    """The back-office tax of a shop tax class: ``catalogue.tax_classes`` read backwards.

    Two back-office taxes may share a shop class (e.g. two 20 % taxes): the
    class then does not say which one, and ``default_tax`` is used when it is
    one of them, else none (the back-office default, for a new item).
    """

    def __init__(self, tax_classes: dict[str, str], default_tax: str | None) -> None:
        self.default_tax = default_tax
        self._taxes: dict[str, list[str]] = {}
        for tax, shop_class in tax_classes.items():
            self._taxes.setdefault(self._norm(shop_class), []).append(tax)

    @staticmethod
    def _norm(shop_class: str) -> str:
        return shop_class.strip().lower() or _STANDARD

    def tax(self, shop_class: str, *, new: bool) -> str | None:
        """The tax to write; None keeps an existing item's tax (or the default of a new one)."""
        taxes = self._taxes.get(self._norm(shop_class), [])
        if len(taxes) == 1:
            return taxes[0]
        if self.default_tax is not None and (new or self.default_tax in taxes):
            return self.default_tax
        return None


def html_to_text(value: str) -> str:
    """A shop's HTML description as the back-office's plain text (paragraphs kept).

    The product export turns plain text back into paragraphs, so a text
    imported then exported again keeps its shape.
    """
    if "<" not in value:
        return html.unescape(value).strip()
    text = re.sub(r"(?i)<br\s*/?>", "\n", value)
    text = re.sub(r"(?i)<li[^>]*>", "\n- ", text)
    text = re.sub(r"(?i)</(p|div|h[1-6]|ul|ol)\s*>", "\n\n", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def item_write(
    product: ShopProduct,
    *,
    existing: bool,
    taxes: TaxLookup,
    categories: set[str],
    default_category: str | None,
    parent_name: str = "",
) -> ItemWrite:
    """What the import writes on the item of ``product.sku`` (pure, for tests)."""
    category = next((name for name in product.category_names if name in categories), None)
    if category is None and not existing:
        category = default_category
    return ItemWrite(
        code=product.sku.strip(),
        name=variation_name(parent_name, product.name),
        sale_price=product.regular_price,
        description=html_to_text(product.description),
        weight=product.weight,
        barcode=product.barcode,
        tax=taxes.tax(product.tax_class, new=not existing),
        category=category,
        active=product.active,
    )


def variation_name(parent_name: str, name: str) -> str:
    """The item name of a shop product, a variation's with its product's name in front.

    Shops name a variation by its options ("Figue"); as an item of its own that
    says nothing, so it becomes "Bougie parfumée - Figue" (unless it already
    starts with its product's name, as older WooCommerce versions wrote it).
    """
    name, parent_name = name.strip(), parent_name.strip()
    if not parent_name or name.casefold().startswith(parent_name.casefold()):
        return name or parent_name
    return f"{parent_name} - {name}" if name else parent_name


def _write(
    ctx: FlowContext,
    product: ShopProduct,
    write: ItemWrite,
    digest: str,
    existing: bool,
    label: Message,
    position: int,
    total: int,
    *,
    shared_with: str = "",
) -> None:
    """Write one item; ``shared_with`` names the back-office product whose other
    variants share its template (only the variant's own fields change)."""
    try:
        item = ctx.backoffice.upsert_item(write)
    except FatalError:
        raise
    except ConnectorError as exc:
        severity = ctx.transient_failure(exc)
        reason = M_("%(label)s: %(error)s", label=label, error=said(exc))
        ctx.store.park(ctx.name, FLOW, product.shop_id, reason, severity)
        ctx.journal.record("failed", label, said(exc), position=position, total=total)
        return
    ctx.store.bind(ctx.name, KIND, product.shop_id, item.source_id, digest)
    ctx.store.resolve(ctx.name, FLOW, product.shop_id)
    verb = "updated" if existing else "created"
    message = (
        M_("back-office item %(code)s updated", code=item.code)
        if existing
        else M_("back-office item %(code)s created", code=item.code)
    )
    if shared_with:
        message = M_(
            "%(done)s: its own price, description and barcode only; the name, weight, tax and "
            "category of %(product)s, shared with its other variants, are left as they are",
            done=message,
            product=repr(shared_with),
        )
    ctx.journal.record(verb, label, message, position=position, total=total)
