"""Items → product drafts (C3, C9–C20): what each shop product should hold.

The export flow gathers the shop-side facts once per run (category and
product ids, quantities, published media) into :class:`ShopFacts`; the
builder applies the profile's options to each item. A reference the shop
does not hold yet (a pack component, a related product) is collected in
``waiting`` so the flow can send those products again once the others exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from passerelle.flows.product_mapping.categories import extra_category_names
from passerelle.flows.product_mapping.texts import as_html, field_decimal, field_text
from passerelle.flows.product_mapping.variants import ProductGroup
from passerelle.i18n.messages import M_, SaidError, said
from passerelle.model import Item, MediaRef, ProductAttribute, ProductDraft, ProductTexts
from passerelle.profiles.catalogue_options import CatalogueOptions, PriceOptions

__all__ = [
    "DraftBuilder",
    "DraftProblem",
    "ShopFacts",
    "combined_tax_rate",
    "item_prices",
    "round_price",
]


class DraftProblem(SaidError):
    """An item cannot be mapped; the message says which field or entry to fix."""


@dataclass(slots=True)
class ShopFacts:
    """What the shop holds, as the export flow found it at the start of a run."""

    category_ids: dict[str, str] = field(default_factory=dict)  # category key → shop id
    category_by_name: dict[str, str] = field(default_factory=dict)  # casefold name → shop id
    item_categories: dict[str, tuple[str, ...]] = field(default_factory=dict)  # item → keys
    product_ids: dict[str, str] = field(default_factory=dict)  # item code → shop id
    quantities: dict[str, int] = field(default_factory=dict)  # item id → quantity
    images: dict[str, tuple[MediaRef, ...]] = field(default_factory=dict)  # item id → images
    documents: dict[str, tuple[MediaRef, ...]] = field(default_factory=dict)


def round_price(value: Decimal, decimals: int) -> Decimal:
    quantum = _QUANTA.get(decimals)
    if quantum is None:
        quantum = _QUANTA[decimals] = Decimal(1).scaleb(-decimals)
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


# 10**-decimals by number of decimals: made once, not for every price rounded.
_QUANTA: dict[int, Decimal] = {}


def item_prices(
    options: PriceOptions, item: Item
) -> tuple[Decimal, Decimal | None, tuple[tuple[str, Decimal], ...]]:
    """C10: list price, the promotion's price when lower, and the group prices.

    Shared by the product export and the price flow, so both send the same.
    """
    regular = round_price(item.sale_price, options.decimals)
    promotion: Decimal | None = None
    groups: list[tuple[str, Decimal]] = []
    for name, value in item.group_prices:
        price = round_price(value, options.decimals)
        if name == options.promotion_price_list:
            promotion = price if price < regular else None
        elif options.group_prices:
            groups.append((name, price))
    return regular, promotion, tuple(sorted(groups))


def combined_tax_rate(item: Item) -> Decimal | None:
    """The one rate that turns the item's untaxed price into its price including tax,
    for a shop that holds prices including tax (the draft's ``tax_rate``).

    A compound tax (``updates_unit_price``, O24) makes the taxes after it apply to the
    price plus itself: the factors multiply, (1 + r1)(1 + r2) - 1; otherwise the rates
    add up on the untaxed price. No taxes: None, the item's tax is not known here (an
    item the back-office really leaves untaxed has a 0 % tax), never guessed as 0 %.
    """
    if not item.taxes:
        return None
    factor = Decimal(1)  # what the base grows to through the compound taxes
    total = Decimal(0)
    for tax in item.taxes:
        total += factor * tax.rate
        if tax.updates_unit_price:
            factor *= 1 + tax.rate
    return total


@dataclass(slots=True)
class DraftBuilder:
    options: CatalogueOptions
    facts: ShopFacts
    tax_class: Callable[[Item], str]
    waiting: dict[str, list[str]] = field(default_factory=dict)  # item id → codes not in shop

    # -------------------------------------------------------------- pieces
    def _number(self, item: Item, name: str | None) -> Decimal | None:
        if name is None:  # the field is not mapped (most are not): nothing to read
            return None
        try:
            return field_decimal(item, name)
        except ValueError as exc:
            raise DraftProblem(
                M_("item %(code)s: %(problem)s", code=item.code, problem=said(exc))
            ) from exc

    def _categories(self, item: Item) -> tuple[str, ...]:
        """C2, C16, C17: the item's categories, its extra ones, else the default one."""
        keys = self.facts.item_categories.get(item.source_id, ())
        ids = [self.facts.category_ids[k] for k in keys if k in self.facts.category_ids]
        for name in extra_category_names(item, self.options.categories.extra_field):
            shop_id = name if name.isdigit() else self.facts.category_by_name.get(name.casefold())
            if shop_id is None:
                raise DraftProblem(
                    M_(
                        "item %(code)s: extra category %(name)s is not in the shop (create it "
                        "there, or correct the item's %(field)s field)",
                        code=item.code,
                        name=repr(name),
                        field=self.options.categories.extra_field,
                    )
                )
            ids.append(shop_id)
        if not ids and self.options.categories.default:
            default = self.facts.category_by_name.get(self.options.categories.default.casefold())
            if default is None:
                raise DraftProblem(
                    M_(
                        "catalogue.categories.default %(name)s is not a shop category: create it "
                        "in the shop or change the option",
                        name=repr(self.options.categories.default),
                    )
                )
            ids.append(default)
        return tuple(dict.fromkeys(ids))

    def _features(self, item: Item) -> tuple[ProductAttribute, ...]:
        """C12: one visible attribute per mapped field that has a value."""
        features = []
        for name, source in self.options.details.features.items():
            value = field_text(item, source)
            if value:
                features.append(ProductAttribute(name=name, options=(value,)))
        return tuple(features)

    def _shop_ids(self, item: Item, codes: list[str]) -> tuple[str, ...]:
        found = [self.facts.product_ids[c] for c in codes if c in self.facts.product_ids]
        missing = [c for c in codes if c not in self.facts.product_ids]
        if missing:
            self.waiting.setdefault(item.source_id, []).extend(missing)
        return tuple(found)

    def _related(self, item: Item) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """C17: upsells and cross-sells, by the codes listed in a field."""
        details = self.options.details
        if details.related_field is None and details.cross_sell_field is None:
            return (), ()  # neither is mapped: no codes, none waiting
        upsell = [
            c.strip()
            for c in field_text(item, details.related_field).split(",")
            if c.strip() and c.strip() != item.code
        ]
        cross = [
            c.strip()
            for c in field_text(item, details.cross_sell_field).split(",")
            if c.strip() and c.strip() != item.code
        ]
        return self._shop_ids(item, upsell), self._shop_ids(item, cross)

    def _translations(self, item: Item) -> tuple[ProductTexts, ...]:
        """C20: the other shop languages' texts (the first language is the main one)."""
        if not self.options.all_languages or len(self.options.languages) < 2:
            return ()
        by_language = {t.language: t for t in item.translations}
        texts = []
        for shop_language, backoffice_language in list(self.options.languages.items())[1:]:
            source = by_language.get(backoffice_language)
            if source is not None:
                texts.append(
                    ProductTexts(
                        language=shop_language,
                        name=source.name,
                        description=as_html(
                            source.description, self.options.texts.description_format
                        ),
                        short_description=source.short_description,
                    )
                )
        return tuple(texts)

    def _quantity(self, item: Item) -> tuple[bool, int | None]:
        """C9: managed stock with its quantity, or the default one for non-stocked items."""
        if item.stocked:
            return True, self.facts.quantities.get(item.source_id, 0)
        default = self.options.stock.default_quantity
        return (False, None) if default is None else (True, default)

    # --------------------------------------------------------------- drafts
    def simple(self, item: Item, *, active: bool) -> ProductDraft:
        texts, details = self.options.texts, self.options.details
        regular, promotion, groups = item_prices(self.options.prices, item)
        managed, quantity = self._quantity(item)
        upsell, cross = self._related(item)
        kind = "simple"
        grouped: tuple[str, ...] = ()
        if details.packs and item.kit:
            kind = "grouped"
            grouped = self._shop_ids(item, [c.code for c in item.kit])
        brand = field_text(item, details.brand_field)
        hidden = self.options.stock.out_of_stock == "hide" and managed and (quantity or 0) <= 0
        return ProductDraft(
            sku=item.code,
            name=field_text(item, texts.name) or item.name,
            regular_price=regular,
            description=as_html(field_text(item, texts.description), texts.description_format),
            tax_class=self.tax_class(item),
            category_ids=self._categories(item),
            weight=self._number(item, details.weight_field),
            barcode=(item.barcode or "") if details.barcode else "",
            manage_stock=managed,
            stock_quantity=quantity,
            active=active,
            kind=kind,
            short_description=as_html(
                field_text(item, texts.short_description), texts.description_format
            ),
            slug=field_text(item, texts.slug),
            seo_title=field_text(item, texts.seo_title),
            seo_description=field_text(item, texts.seo_description),
            seo_keywords=field_text(item, texts.seo_keywords),
            sale_price=promotion,
            group_prices=groups,
            tax_rate=combined_tax_rate(item),
            cost_price=item.cost_price if self.options.prices.purchase_price else None,
            ecotax=self._number(item, self.options.prices.ecotax_field),
            length=self._number(item, details.length_field),
            width=self._number(item, details.width_field),
            height=self._number(item, details.height_field),
            min_quantity=self._number(item, details.min_quantity_field),
            brand=brand,
            warranty=field_text(item, details.warranty_field),
            supplier=item.supplier if details.supplier else "",
            supplier_reference=item.supplier_code if details.supplier else "",
            attributes=self._features(item),
            images=self.facts.images.get(item.source_id, ()),
            documents=self.facts.documents.get(item.source_id, ()),
            grouped_ids=grouped,
            upsell_ids=upsell,
            cross_sell_ids=cross,
            hidden=hidden,
            translations=self._translations(item),
        )

    def variation(self, group: ProductGroup, item: Item, *, active: bool) -> ProductDraft:
        """A variation: its own price, stock, weight, barcode and image (C6)."""
        draft = self.simple(item, active=active)
        return replace(
            draft,
            kind="variation",
            category_ids=(),
            attributes=(),
            grouped_ids=(),
            upsell_ids=(),
            cross_sell_ids=(),
            images=draft.images[:1],
            variation_options=tuple(zip(group.axes, group.options[item.source_id], strict=True)),
            translations=(),
        )

    def parent(self, group: ProductGroup, first: ProductDraft, *, active: bool) -> ProductDraft:
        """C6, C18: the variable product, kept up to date from its first item.

        Its texts, categories and features are the first item's; its axes
        list every option its variations use. It takes the first variation
        with an image's picture when it has none of its own (C18).
        """
        axes = tuple(
            ProductAttribute(name=name, options=options, variation=True)
            for name, options in zip(group.axes, group.axis_options(), strict=True)
        )
        images = first.images
        if not images and self.options.variants.parent_image_from_variant:
            images = next(
                (
                    self.facts.images[i.source_id][:1]
                    for i in group.items
                    if self.facts.images.get(i.source_id)
                ),
                (),
            )
        return replace(
            first,
            sku=group.sku,
            kind="variable",
            attributes=axes + first.attributes,
            images=images,
            manage_stock=False,
            stock_quantity=None,
            barcode="",
            sale_price=None,
            group_prices=(),
            cost_price=None,
            grouped_ids=(),
            active=active,
            hidden=False,
            variation_options=(),
        )
