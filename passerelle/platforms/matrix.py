"""The capability matrix (issue 16): every catalogue, customer and order option × platform.

:data:`OPTIONS` lists the profile options that change what is written to or read
from the shop, by their profile path (``catalogue.details.brand_field``); every
shop registration decides each of them in its ``supports`` table
(:class:`passerelle.platforms.support.Decision`: supported, supported
differently and how, or not supported by the platform). :data:`NEUTRAL` lists
the other options of those sections: decided on the back-office side, the same
on every platform. A test holds every option of the profile's ``[catalogue]``,
``[customers]`` and ``[orders]`` in exactly one of the two, and every platform's
table complete.

A profile setting an option to a value other than its default that asks the shop
for something (set, true, not empty, or as the option says) that its platform
does not do is warned about once when it is loaded
(:func:`warn_ineffective_options`) and listed by ``passerelle profile test``
(:func:`ineffective_options`).

``python3 -m passerelle.platforms.matrix --markdown SECTION`` prints a section's
table; ``--write`` puts each table in its document between the markers,
``--check`` fails when a document is stale.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from passerelle.i18n.messages import M_, Message, render
from passerelle.platforms.registry import ShopPlatform, shop_platforms
from passerelle.platforms.support import Support

__all__ = [
    "DOCS",
    "NEUTRAL",
    "builtin_platforms",
    "OPTIONS",
    "Ineffective",
    "MatrixOption",
    "ineffective_options",
    "markdown",
    "option_value",
    "stale_documents",
    "undecided",
    "warn_ineffective_options",
]

log = logging.getLogger(__name__)

Section = Literal["catalogue", "customers", "orders"]
Record = Literal["product", "customer", ""]


@dataclass(frozen=True, slots=True)
class MatrixOption:
    """One option of the matrix.

    ``fields``: the canonical fields (``ProductDraft`` or ``Customer`` attributes, as
    ``record`` says) the option makes a flow send, which a connector reports
    unsupported where it cannot hold them. ``asks``: whether a value asks the shop
    for something (default: a value that is set, true or not empty).
    """

    path: str
    title: str  # English, for the documents
    record: Record = ""
    fields: tuple[str, ...] = ()
    asks: Callable[[Any], bool] | None = None

    @property
    def section(self) -> Section:
        head = self.path.split(".", 1)[0]
        assert head in ("catalogue", "customers", "orders"), self.path
        return head  # type: ignore[return-value]


def _product(path: str, title: str, *fields: str) -> MatrixOption:
    return MatrixOption(path, title, "product", fields)


def _customer(path: str, title: str, *fields: str) -> MatrixOption:
    return MatrixOption(path, title, "customer", fields)


def _messages(value: Any) -> bool:
    return bool({"customer_messages", "private_notes"} & set(value or ()))


def _is(wanted: object) -> Callable[[Any], bool]:
    return lambda value: bool(value == wanted)


OPTIONS: tuple[MatrixOption, ...] = (
    # [catalogue]
    _product("catalogue.texts.name", "Product name", "name"),
    _product("catalogue.texts.description", "Description", "description"),
    _product("catalogue.texts.short_description", "Short description", "short_description"),
    _product("catalogue.texts.seo_title", "Search-engine title", "seo_title"),
    _product("catalogue.texts.seo_description", "Search-engine description", "seo_description"),
    _product("catalogue.texts.seo_keywords", "Search-engine keywords", "seo_keywords"),
    _product("catalogue.texts.slug", "Address of the product page (slug)", "slug"),
    _product("catalogue.tax_classes", "Tax class per back-office tax", "tax_class"),
    _product("catalogue.default_tax_class", "Default tax class", "tax_class"),
    _product("catalogue.all_tax_class", "One tax class for every product", "tax_class"),
    _product("catalogue.new_products_active", "New products published", "active"),
    _product("catalogue.disable_from_state", "Dormant items unpublished", "active"),
    _product("catalogue.update_policy", "Overwrite or keep each field on update"),
    _product("catalogue.languages", "Other languages' texts", "translations"),
    _product("catalogue.all_languages", "Every language written", "translations"),
    _product("catalogue.categories.source", "Categories from categories or fields", "category_ids"),
    _product("catalogue.categories.fields", "Category levels from item fields", "category_ids"),
    _product("catalogue.categories.extra_field", "Extra categories", "category_ids"),
    _product("catalogue.categories.rename", "Categories renamed"),
    _product("catalogue.categories.default", "Default category", "category_ids"),
    _product(
        "catalogue.variants.master_field", "Variations grouped by a field", "variation_options"
    ),
    _product("catalogue.variants.attributes", "Variation attributes", "variation_options"),
    _product("catalogue.variants.from_templates", "Variations from templates", "variation_options"),
    _product(
        "catalogue.variants.parent_image_from_variant", "Parent image from a variation", "images"
    ),
    _product("catalogue.media.item_images", "Item images", "images"),
    _product("catalogue.media.images_folder", "Images from a folder", "images"),
    _product("catalogue.media.by_supplier_reference", "Files by supplier reference", "images"),
    _product("catalogue.media.replace_shop_images", "Shop's other images removed", "images"),
    _product("catalogue.media.document_extensions", "Attached documents", "documents"),
    _product("catalogue.media.documents_folder", "Documents from a folder", "documents"),
    _product("catalogue.media.publish_dir", "Files published for the shop", "images"),
    _product("catalogue.media.public_url", "Address the files are served at", "images"),
    _product(
        "catalogue.stock.default_quantity",
        "Quantity of items not stocked",
        "stock_quantity",
        "manage_stock",
    ),
    MatrixOption(
        "catalogue.stock.out_of_stock",
        "Hidden when out of stock",
        "product",
        ("hidden",),
        _is("hide"),
    ),
    _product("catalogue.stock.check_fix", "Stock check fixes the shop", "stock_quantity"),
    _product("catalogue.stock.hold_back_orders", "Units of open shop orders held back"),
    _product("catalogue.prices.promotion_price_list", "Promotion price", "sale_price"),
    _product("catalogue.prices.group_prices", "Prices per customer group", "group_prices"),
    _product("catalogue.prices.purchase_price", "Purchase price", "cost_price"),
    _product("catalogue.prices.ecotax_field", "Eco-tax", "ecotax"),
    _product("catalogue.details.weight_field", "Weight", "weight"),
    _product("catalogue.details.length_field", "Length", "length"),
    _product("catalogue.details.width_field", "Width", "width"),
    _product("catalogue.details.height_field", "Height", "height"),
    _product("catalogue.details.barcode", "Barcode", "barcode"),
    _product("catalogue.details.min_quantity_field", "Minimum order quantity", "min_quantity"),
    _product("catalogue.details.brand_field", "Brand", "brand"),
    _product("catalogue.details.warranty_field", "Warranty", "warranty"),
    _product("catalogue.details.supplier", "Supplier", "supplier", "supplier_reference"),
    _product("catalogue.details.features", "Features", "attributes"),
    _product("catalogue.details.packs", "Packs (kits)", "grouped_ids"),
    _product("catalogue.details.related_field", "Related products (up-sells)", "upsell_ids"),
    _product("catalogue.details.cross_sell_field", "Cross-sells", "cross_sell_ids"),
    # [customers]
    _customer("customers.groups", "Customer groups", "group"),
    _customer("customers.contacts", "Contacts as their own accounts"),
    _customer("customers.disable_inactive", "Dormant customers disabled", "active"),
    MatrixOption(
        "customers.skip_inactive",
        "Dormant customers sent disabled",
        "customer",
        ("active",),
        _is(False),
    ),
    _customer("customers.update_policy", "Overwrite or keep each field on update"),
    _customer("customers.new_accounts.generate_password", "Password made by the shop"),
    _customer("customers.new_accounts.newsletter", "Newsletter subscription"),
    _customer("customers.new_accounts.opt_in", "Partners' offers (opt-in)"),
    _customer("customers.new_accounts.welcome_email", "Welcome e-mail"),
    _customer("customers.prospects_since", "Shop customers imported as prospects"),
    # [orders]
    MatrixOption("orders.include_archived", "Archived orders read"),
    MatrixOption("orders.stores", "Orders of some stores only"),
    MatrixOption("orders.messages", "Customer messages and private notes read", asks=_messages),
    MatrixOption("orders.refunds", "Refunds become credit notes", asks=_is("credit_note")),
    MatrixOption("orders.cancel_on_shop_cancellation", "Cancelled in the shop, cancelled here"),
    MatrixOption("orders.status_after_import", "Order status set after import"),
    MatrixOption("orders.shipments.status", "Order status set when shipped"),
    MatrixOption("orders.shipments.notify_customer", "Buyer told of the shipment"),
    MatrixOption("orders.shipments.carriers", "Carrier name shown to the buyer"),
)

#: The options of those sections decided on the back-office side: the same everywhere.
NEUTRAL: frozenset[str] = frozenset(
    {
        "catalogue.only_changed",
        "catalogue.full_read_days",
        "catalogue.only_new",
        "catalogue.only_salable",
        "catalogue.only_published",
        "catalogue.texts.description_format",
        "catalogue.stock.warehouses",
        "catalogue.stock.kind",
        "catalogue.stock.negative_as_zero",
        "catalogue.stock.ignore_published",
        "catalogue.prices.decimals",
        "catalogue.reverse.update_existing",
        "catalogue.reverse.default_tax",
        "catalogue.reverse.category",
        "customers.skip_without_email",
        "customers.only_changed",
        "customers.prospect_category",
        "customers.prospect_code_prefix",
        "orders.period_days",
        "orders.include_transferred",
        "orders.update_stock_after_import",  # update-stock's writes, which every shop has
        "orders.statuses",
        "orders.awaiting_payment_statuses",
        "orders.recheck_minutes",
        "orders.auto_validate",
        "orders.customer_matching",
        "orders.account_mode",
        "orders.single_account",
        "orders.account_prefix",
        "orders.account_length",
        "orders.guest_account",
        "orders.receivable_mode",
        "orders.receivable_account",
        "orders.receivable_prefix",
        "orders.receivable_length",
        "orders.new_customer_category",
        "orders.new_customer_representative",
        "orders.update_addresses",
        "orders.strip_accents",
        "orders.uppercase_names",
        "orders.uppercase_addresses",
        "orders.date_source",
        "orders.warehouse",
        "orders.reference_template",
        "orders.description_template",
        "orders.comment_template",
        "orders.misc_item",
        "orders.substitute_item",
        "orders.substitute_when",
        "orders.keep_shop_number",
        "orders.backoffice_labels",
        "orders.prices_from",
        "orders.shipping_mode",
        "orders.no_payment_method",
        "orders.discount_mode",
        "orders.accept_total_difference",
        "orders.tax_zones",
        "orders.taxes",
        "orders.default_tax",
        "orders.payments",
        "orders.currencies",
        "orders.carriers",
        "orders.addresses",
        "orders.addresses_by_type",
        "orders.shipping_item",
        "orders.gift_wrap_item",
        "orders.gap_item",
        "orders.gift_card_item",
        "orders.ecotax_item",
        "orders.discount_items",
        "orders.coupon_items",
        "orders.gift_wrap_fee_names",
        "orders.zero_amount_lines",
        "orders.payment_amount",
        "orders.payment_date",
        "orders.payment_label_template",
        "orders.validate_before_paying",
        "orders.copy_reference_to_payment",
        "orders.total_tolerance",
        "orders.address_name",
        "orders.unit_price_decimals",
        "orders.ecotax_mode",
        "orders.grouping",
        "orders.split_by_address",
    }
)

_BY_PATH = {option.path: option for option in OPTIONS}


def undecided(platform: ShopPlatform) -> list[str]:
    """The options the platform's table leaves undecided, and the paths it names that
    are no option of the matrix, sorted: both empty for a complete registration."""
    return sorted(set(_BY_PATH) ^ set(platform.supports))


# --------------------------------------------------------------------- a profile


def _step(model: Any, name: str) -> tuple[Any, bool, Any]:
    """(value, named in the profile, default) of ``model``'s field ``name``."""
    field = type(model).model_fields[name]
    return (
        getattr(model, name),
        name in model.model_fields_set,
        field.get_default(call_default_factory=True),
    )


def option_value(profile: BaseModel, path: str) -> tuple[Any, bool, Any]:
    """The option's value in ``profile``, whether the profile names it (every table
    above it named too), and its default."""
    model: Any = profile
    named = True
    value: Any = None
    default: Any = None
    for name in path.split("."):
        value, here, default = _step(model, name)
        named = named and here
        model = value
    return value, named, default


@dataclass(frozen=True, slots=True)
class Ineffective:
    """An option the profile names that does nothing on its shop's platform."""

    path: str
    platform: str  # the platform's label
    why: str  # N_ English, may be ""

    def said(self) -> Message:
        if self.why:
            return M_(
                "the option %(option)s does nothing on %(platform)s: %(why)s",
                option=self.path,
                platform=self.platform,
                why=Message(self.why),
            )
        return M_(
            "the option %(option)s does nothing on %(platform)s",
            option=self.path,
            platform=self.platform,
        )


def _asks(option: MatrixOption, value: Any) -> bool:
    return option.asks(value) if option.asks is not None else bool(value)


def ineffective_options(profile: Any, platform: ShopPlatform | None = None) -> list[Ineffective]:
    """The options ``profile`` sets, to a value other than the default that asks
    something, that its platform does not support, in the matrix's order."""
    if platform is None:
        platform = shop_platforms().get(profile.shop.kind)
    if platform is None:
        return []
    out: list[Ineffective] = []
    for option in OPTIONS:
        decision = platform.supports.get(option.path)
        if decision is None or decision.support is not Support.UNSUPPORTED:
            continue
        value, named, default = option_value(profile, option.path)
        if named and value != default and _asks(option, value):
            out.append(Ineffective(option.path, platform.label, decision.how))
    return out


_WARNED: set[tuple[str, str, str]] = set()


def warn_ineffective_options(profile: Any) -> list[Ineffective]:
    """Log each option of ``profile`` that does nothing on its platform, once per
    process (a profile loaded again is not warned again); answers them all."""
    found = ineffective_options(profile)
    for item in found:
        key = (str(profile.name), str(profile.shop.kind), item.path)
        if key not in _WARNED:
            _WARNED.add(key)
            log.warning("profile %s: %s", profile.name, render(item.said()))
    return found


# ------------------------------------------------------------------ documents

#: The document each section's table is shown in.
DOCS: dict[Section, str] = {
    "catalogue": "docs/catalogue.md",
    "customers": "docs/customers.md",
    "orders": "docs/orders.md",
}
_WORDS = {Support.SUPPORTED: "yes", Support.DIFFERENTLY: "differently", Support.UNSUPPORTED: "no"}


def _markers(section: str) -> tuple[str, str]:
    return (
        f"<!-- capability-matrix:{section}:start (generated: "
        "python3 -m passerelle.platforms.matrix --write) -->",
        f"<!-- capability-matrix:{section}:end -->",
    )


def builtin_platforms() -> list[ShopPlatform]:
    """The shop platforms passerelle comes with (a test may register others), in
    registration order: each one's table must be complete."""
    return [
        p for p in shop_platforms().values() if p.settings.__module__.startswith(__package__ or "")
    ]


def markdown(section: Section) -> str:
    """The section's table, its notes below it (how, or why not), English."""
    platforms = builtin_platforms()
    notes: dict[str, int] = {}
    rows = [
        "| Option | What | " + " | ".join(p.label for p in platforms) + " |",
        "|---|---|" + "---|" * len(platforms),
    ]
    for option in (o for o in OPTIONS if o.section == section):
        cells = []
        for platform in platforms:
            decision = platform.supports[option.path]
            cell = _WORDS[decision.support]
            if decision.how:
                number = notes.setdefault(decision.how, len(notes) + 1)
                cell += f" ({number})"
            cells.append(cell)
        rows.append(f"| `{option.path}` | {option.title} | " + " | ".join(cells) + " |")
    lines = [*rows, ""]
    lines += [f"{number}. {how}" for how, number in notes.items()]
    return "\n".join(lines) + "\n"


def _with_table(text: str, section: Section) -> str:
    start, end = _markers(section)
    block = f"{start}\n\n{markdown(section)}\n{end}"
    pattern = re.compile(re.escape(start.split(" (")[0]) + r".*?" + re.escape(end), re.DOTALL)
    if not pattern.search(text):
        raise LookupError(f"no capability-matrix:{section} markers")  # internal: the docs
    return pattern.sub(lambda _m: block, text, count=1)


def stale_documents(root: Path) -> list[str]:
    """The documents whose table is not the one the code makes."""
    out = []
    for section, name in DOCS.items():
        text = (root / name).read_text(encoding="utf-8")
        if _with_table(text, section) != text:
            out.append(name)
    return out


def _write(root: Path) -> None:
    for section, name in DOCS.items():
        path = root / name
        path.write_text(_with_table(path.read_text(encoding="utf-8"), section), encoding="utf-8")


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m passerelle.platforms.matrix")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--markdown", choices=list(DOCS), help="print a section's table")
    what.add_argument("--write", action="store_true", help="write the tables into the docs")
    what.add_argument("--check", action="store_true", help="fail when a document is stale")
    parser.add_argument("--root", type=Path, default=Path("."), help="the project's folder")
    args = parser.parse_args(None if argv is None else list(argv))
    if args.markdown:
        sys.stdout.write(markdown(args.markdown))
        return 0
    if args.write:
        _write(args.root)
        return 0
    stale = stale_documents(args.root)
    for name in stale:
        sys.stderr.write(f"{name}: the capability matrix is stale (run with --write)\n")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
