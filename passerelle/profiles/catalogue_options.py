"""Options of the catalogue and customer flows (C1–C22, K1–K8), validated at load time.

Field names a mapping may use are the item's standard fields
(``passerelle.model.STANDARD_ITEM_FIELDS``) or ``attr:<name>`` for a
back-office custom field; a name that fits neither is refused here, and a
custom field the back-office does not have is refused when a flow starts.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from passerelle.i18n.messages import M_
from passerelle.model import CUSTOM_FIELD_PREFIX, STANDARD_ITEM_FIELDS, StockKind
from passerelle.platforms.refused import refused

__all__ = [
    "CatalogueOptions",
    "CategoryOptions",
    "CustomerOptions",
    "DetailOptions",
    "FieldName",
    "MediaOptions",
    "NewAccountSettings",
    "PolicyName",
    "PriceOptions",
    "ReverseImportOptions",
    "StockOptions",
    "TextOptions",
    "VariantAxis",
    "VariantOptions",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


def _field_name(value: str) -> str:
    if value in STANDARD_ITEM_FIELDS:
        return value
    if value.startswith(CUSTOM_FIELD_PREFIX) and len(value) > len(CUSTOM_FIELD_PREFIX):
        return value
    raise refused(
        M_(
            "%(value)r is not an item field: use one of %(fields)s, or attr:<name> "
            "for a custom field (passerelle fields --profile P lists them)",
            value=value,
            fields=list(STANDARD_ITEM_FIELDS),
        )
    )


FieldName = Annotated[str, AfterValidator(_field_name)]

# C15: what "overwrite or keep on update" is decided for, one name per group
# of shop fields (every field is written when a product is created).
PolicyName = Literal[
    "name",
    "short_description",
    "description",
    "seo",
    "slug",
    "price",
    "specific_prices",
    "stock",
    "min_quantity",
    "weight",
    "dimensions",
    "barcode",
    "manufacturer",
    "supplier",
    "images",
    "documents",
    "features",
    "categories",
    "related",
    "languages",
    "status",
]
Policy = Literal["overwrite", "keep"]


class CategoryOptions(_Strict):
    """C2, C16, C17: where shop categories come from."""

    # "categories": the back-office categories (and their parents);
    # "fields": up to 6 item fields, top level first, forming a hierarchy.
    source: Literal["categories", "fields"] = "categories"
    fields: list[FieldName] = Field([], max_length=6)
    # An extra category per item, by name (C2) or, comma-separated, several (C17).
    extra_field: FieldName | None = None
    # Rename a shop category adopted or created earlier when its back-office name changes.
    rename: bool = True
    # C16: the shop category (by name) of an item whose category is not found.
    default: str | None = None

    @model_validator(mode="after")
    def _fields_when_needed(self) -> CategoryOptions:
        if self.source == "fields" and not self.fields:
            raise refused(M_('source = "fields" needs 1 to 6 entries in fields'))
        return self


class TextOptions(_Strict):
    """C3: shop text ← item field; None leaves the shop's text alone."""

    name: FieldName = "name"
    description: FieldName | None = "description"
    short_description: FieldName | None = "short_description"
    seo_title: FieldName | None = None
    seo_description: FieldName | None = None
    seo_keywords: FieldName | None = None
    slug: FieldName | None = None
    # Plain back-office text becomes HTML paragraphs; text already in HTML is kept.
    description_format: Literal["auto", "text", "html"] = "auto"


class VariantAxis(_Strict):
    """One attribute of a variable product: its shop name and the field holding the option."""

    name: str = Field(min_length=1)
    field: FieldName


class VariantOptions(_Strict):
    """C6, C18: grouping items into one shop product with variations."""

    # Items sharing this field's value form one product; the value is the product's SKU.
    master_field: FieldName | None = None
    attributes: list[VariantAxis] = Field([], max_length=5)
    # Tryton templates with several variants become variable products as well.
    from_templates: bool = True
    # C18: the parent product shows the first variation's image when it has none.
    parent_image_from_variant: bool = True

    @model_validator(mode="after")
    def _axes_with_master(self) -> VariantOptions:
        if self.master_field and not self.attributes:
            raise refused(M_("master_field needs at least one entry in attributes"))
        return self


class MediaOptions(_Strict):
    """C7, C8: images and documents, and where the shop fetches them.

    Shops download a product's files from a URL: passerelle copies each file
    into ``publish_dir`` under a name made of its digest, and the shop is
    given ``public_url`` + that name (the merchant's web server or CDN
    serves the directory). Without both, no file is sent.
    """

    item_images: bool = True  # the item's own images (Tryton product images)
    # REF_01.jpg … REF_99.jpg in this folder, or any image in a sub-folder named REF.
    images_folder: Path | None = None
    # C8: documents attached to the item, or in this folder, by extension.
    document_extensions: list[str] = []
    documents_folder: Path | None = None
    by_supplier_reference: bool = False  # also look files up by the supplier's reference
    # C7: remove the shop's other images before sending ours (else they stay).
    replace_shop_images: bool = True
    publish_dir: Path | None = None
    public_url: str | None = None

    @field_validator("document_extensions")
    @classmethod
    def _dotted(cls, value: list[str]) -> list[str]:
        return [e.lower() if e.startswith(".") else f".{e.lower()}" for e in value]

    @field_validator("public_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise refused(M_("must be the http(s):// address where publish_dir is served"))
        return None if value is None else value.rstrip("/") + "/"

    @model_validator(mode="after")
    def _both_or_none(self) -> MediaOptions:
        if (self.publish_dir is None) != (self.public_url is None):
            raise refused(
                M_(
                    "publish_dir and public_url go together (where files are copied "
                    "and where the shop downloads them)"
                )
            )
        return self

    @property
    def enabled(self) -> bool:
        return self.publish_dir is not None


class StockOptions(_Strict):
    """C9, C19: the quantity the shop shows."""

    warehouses: list[str] = []  # warehouse codes, summed; empty = all
    kind: StockKind = StockKind.ON_HAND
    negative_as_zero: bool = True
    # Quantity shown for items the back-office does not stock (services); None = not managed.
    default_quantity: int | None = None
    # The stock flow also updates items not flagged "published on web".
    ignore_published: bool = False
    # C19: "hide" takes a product out of the catalogue at 0 and back when in stock.
    out_of_stock: Literal["show", "hide"] = "show"
    # R8: the stock check also sends the back-office quantity where the shop differs
    # (else it only reports); refused in test mode.
    check_fix: bool = False
    # Units of shop orders the back-office does not count yet (not imported, imported
    # as a quotation, or, for the quantity on hand, not shipped) are not offered again.
    hold_back_orders: bool = True


class PriceOptions(_Strict):
    """C10: prices."""

    decimals: int = Field(2, ge=0, le=6)
    promotion_price_list: str | None = None  # its price becomes the shop's sale price
    group_prices: bool = False  # every price list's price, per customer group
    purchase_price: bool = False  # the cost price, for margin reports
    ecotax_field: FieldName | None = None


class DetailOptions(_Strict):
    """C11, C12, C13, C17: details, features, packs and related products."""

    weight_field: FieldName = "weight"  # net or gross: any numeric field, in kg
    length_field: FieldName | None = "length"
    width_field: FieldName | None = "width"
    height_field: FieldName | None = "height"
    barcode: bool = True
    min_quantity_field: FieldName | None = None
    brand_field: FieldName | None = None
    warranty_field: FieldName | None = None
    supplier: bool = False
    features: dict[str, FieldName] = {}  # shop feature name → field
    packs: bool = True  # kits become grouped products (every component must be in the shop)
    related_field: FieldName | None = None  # item codes, comma-separated (upsells)
    cross_sell_field: FieldName | None = None


class ReverseImportOptions(_Strict):
    """C21: shop products → back-office items."""

    update_existing: bool = True
    # Back-office tax and category of created items; the shop's tax class is
    # looked up in catalogue.tax_classes first.
    default_tax: str | None = None
    category: str | None = None


class CatalogueOptions(_Strict):
    """C1–C22 options of the catalogue flows."""

    only_changed: bool = True  # C5: only items changed since the last transfer
    only_new: bool = False  # C1: create missing products, never update existing ones
    # Runs read only what changed; every this many days one reads the whole catalogue
    # again (what a back-office cannot date, a deletion, is caught then).
    full_read_days: int = Field(7, ge=1, le=366)
    only_salable: bool = True
    only_published: bool = False  # C5: only items flagged "published on web"
    tax_classes: dict[str, str] = {}  # C4: back-office tax name -> shop tax class
    default_tax_class: str | None = None  # C4 default; None = a missing entry is an error
    all_tax_class: str | None = None  # C4 "apply to all": this class for every product
    new_products_active: bool = True  # C16
    # C14: dormant (inactive) or blocked (not salable) items are switched off in the shop.
    disable_from_state: bool = True
    update_policy: dict[PolicyName, Policy] = {}  # C15; every field is written on creation
    # C20: shop language → back-office language; the first is the shop's main language.
    languages: dict[str, str] = {}
    all_languages: bool = True  # C20: False writes the main language only
    categories: CategoryOptions = CategoryOptions()
    texts: TextOptions = TextOptions()
    variants: VariantOptions = VariantOptions()
    media: MediaOptions = MediaOptions()
    stock: StockOptions = StockOptions()
    prices: PriceOptions = PriceOptions()
    details: DetailOptions = DetailOptions()
    reverse: ReverseImportOptions = ReverseImportOptions()

    def field_names(self) -> set[str]:
        """Every item field the options name: checked against the back-office at start."""
        names: set[str] = set()
        for part in (self.categories, self.texts, self.variants, self.prices, self.details):
            for value in part.model_dump().values():
                if isinstance(value, str) and (
                    value in STANDARD_ITEM_FIELDS or value.startswith(CUSTOM_FIELD_PREFIX)
                ):
                    names.add(value)
                elif isinstance(value, list | dict):
                    values = value.values() if isinstance(value, dict) else value
                    for entry in values:
                        if isinstance(entry, str):
                            names.add(entry)
                        elif isinstance(entry, dict) and "field" in entry:
                            names.add(entry["field"])
        return names


CustomerPolicyName = Literal["email", "names", "group", "addresses", "notes", "b2b"]


class NewAccountSettings(_Strict):
    """K6: new shop customer accounts."""

    generate_password: bool = True
    newsletter: bool = False
    opt_in: bool = False
    welcome_email: bool = False


class CustomerOptions(_Strict):
    """K1–K8 options."""

    skip_without_email: bool = True
    skip_inactive: bool = True
    # K3: dormant customers already in the shop are disabled there (new ones are not sent).
    disable_inactive: bool = True
    only_changed: bool = True  # K2
    contacts: bool = True  # K1: a customer's contacts with their own e-mail
    groups: bool = True  # K1: customer groups (price lists) sent first
    # K5: on update; the e-mail (a shop login) is kept unless told otherwise.
    update_policy: dict[CustomerPolicyName, Policy] = {"email": "keep"}
    new_accounts: NewAccountSettings = NewAccountSettings()
    # K4: shop customers without an order, created since this date, become back-office customers.
    prospects_since: dt.date | None = None
    prospect_category: str | None = None  # their customer category in the back-office
    prospect_code_prefix: str = Field("WEB", min_length=1, max_length=10)
