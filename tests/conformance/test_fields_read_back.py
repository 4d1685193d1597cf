"""Every customer and product field the flows send lands where the shop keeps it.

Issue 12, item 2: with every catalogue and customer option that makes the
flows send a field switched on, the catalogue and customer flows run, and a
few demo products and customers are read back through the platform's own
documented read endpoint (``tests.conformance.readback``, raw HTTP, not the
connector). What we expect is built from the demo data and the Tryton demo
database, never from the connector's mapping. Each field the reader shows
must equal what was sent; each field sent that the platform cannot hold must
be journaled on that record as "not supported on this platform".
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from trytond.pool import Pool

from passerelle.connectors.files.catalogue import CATEGORY_SEPARATOR
from passerelle.connectors.tryton.database import session
from passerelle.demo_data import (
    CANDLE_ITEMS,
    CANDLE_SCENTS,
    CANDLE_TEMPLATE,
    CATALOGUE_ITEMS,
    CATEGORIES,
    CUSTOMER_PRICE_LISTS,
    CUSTOMERS,
    INACTIVE_CUSTOMER,
    ITEM_ATTRIBUTES,
    ITEM_COST_PRICES,
    ITEM_DIMENSIONS,
    ITEM_SUPPLIERS,
    ITEM_TRANSLATIONS,
    PRICE_LISTS,
    PROMOTION_PRICE_LIST,
    TAXES,
    TRANSLATION_LANGUAGE,
    DemoCustomer,
    DemoItem,
)
from passerelle.model import Address, ProductAttribute, ProductTexts
from passerelle.platforms import shop_platform
from passerelle.platforms.support import Support
from passerelle.store.records import JournalLine
from tests.conformance.conftest import PlatformWorld, shop_writes
from tests.conformance.readback import reader
from tests.integration.catalogue_helpers import file_server

UNSUPPORTED = "not supported on this platform"
CATALOGUE = ("export-categories", "export-products", "update-prices", "update-stock")
_ITEMS = {item.code: item for item in CATALOGUE_ITEMS}
# A simple product with nearly every field filled (brand, warranty, eco-tax,
# supplier, dimensions, SEO), one with a minimum quantity, one on promotion, a variation,
# one with two images in Tryton.
PRODUCTS = ("POT-003", "PLT-001", "TWL-001", "CND-FIG", "POT-001")
# A company customer in a group, with a phone added in the test; a dormant one.
COMPANY_CUSTOMER = next(c for c in CUSTOMERS if c.company)
PHONE = "+33 3 88 12 34 56"
# What the reader may show that no flow sends (the platform's own value).
NOT_SENT = frozenset(
    {
        "slug",
        "hidden",
        "grouped_ids",
        "upsell_ids",
        "cross_sell_ids",
    }
)


@pytest.fixture
def media_url(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """Where the flow publishes files, served on loopback as the merchant's web server."""
    published = tmp_path / "public"
    with file_server(published) as url:
        yield published, url


def _enable_every_field(platform: PlatformWorld, media: tuple[Path, str] | None = None) -> None:
    profile = platform.profile.model_copy(deep=True)
    if media is not None:
        published, url = media
        options = profile.catalogue.media
        profile.catalogue.media = type(options).model_validate(
            {
                **options.model_dump(),
                "publish_dir": published,
                "public_url": url,
                "document_extensions": [_DOCUMENT],
            }
        )
    details = profile.catalogue.details
    details.barcode = True
    details.min_quantity_field = "attr:min_qty"
    details.brand_field = "attr:brand"
    details.warranty_field = "attr:warranty"
    details.supplier = True
    details.features = {FEATURE: "attr:material"}
    if _holds_languages(platform):
        # The shop's second language takes Tryton's translations (the demo's texts are
        # French, in Tryton's default language "en").
        profile.catalogue.languages = {"fr": "en", SECOND_LANGUAGE: TRANSLATION_LANGUAGE}
    texts = profile.catalogue.texts
    texts.seo_title = "attr:seo_title"
    texts.seo_description = "attr:seo_description"
    texts.seo_keywords = "attr:keywords"
    prices = profile.catalogue.prices
    prices.group_prices = True
    prices.purchase_price = True
    prices.ecotax_field = "attr:ecotax"
    prices.promotion_price_list = PROMOTION_PRICE_LIST
    # The quantity sent is then the back-office's on-hand figure (held-back units
    # are the subject of test_stock_held_back).
    profile.catalogue.stock.hold_back_orders = False
    profile.customers.skip_inactive = False  # the dormant customer is sent, disabled
    platform.profile = type(profile).model_validate(profile.model_dump())


def _normalise(kind: str, name: str, value: object) -> object:
    """What a platform documents changing in what it is sent, and nothing else."""
    if name == "phone" and kind == "shopify" and isinstance(value, str) and value:
        # Shopify keeps phone numbers in E.164 (objects/Customer#field-phone,
        # objects/MailingAddress#field-phone); our number is French, +33 already.
        return "+" + "".join(ch for ch in value if ch.isdigit())
    if name == "tax_class" and kind == "shopify" and value == "":
        # Shopify has no tax classes, only "taxable": the standard rate ("" in
        # WooCommerce terms, which the demo profile names) reads as "standard".
        return "standard"
    if name == "credit_limit" and kind == "prestashop" and value is None:
        # PrestaShop stores outstanding_allow_amount on every customer, 0 by default.
        return Decimal(0)
    if name == "min_quantity" and value is None and kind in _NO_MINIMUM:
        # A product always has a minimum order quantity there; this one means none.
        return _NO_MINIMUM[kind]
    if name == "group" and value == "" and kind in _DEFAULT_GROUP:
        # Every account is in a group there: the shop's default one when none is sent.
        return _DEFAULT_GROUP[kind]
    if (
        name in ("length", "width", "height", "ecotax")
        and value is None
        and kind in ("bigcommerce", "prestashop")
    ):
        # BigCommerce and PrestaShop keep these as numbers, 0 when unknown.
        return Decimal(0)
    if name == "phone" and kind == "magento" and value in ("", "-"):
        # Magento requires an address's telephone: "-" stands for none.
        return ""
    if isinstance(value, Decimal):
        return value.normalize()  # 79.00 and 79 are the same amount
    if name == "group_prices" and isinstance(value, tuple):
        return tuple(sorted((g, Decimal(p).normalize()) for g, p in value))
    if name == "addresses" and isinstance(value, tuple):
        return frozenset(
            replace(a, phone=str(_normalise(kind, "phone", a.phone) or "")) for a in value
        )
    return value


# BigCommerce order_quantity_minimum 0, PrestaShop minimal_quantity 1.
_NO_MINIMUM = {"bigcommerce": Decimal(0), "prestashop": Decimal(1)}
# Magento's "General" (group_id 1), PrestaShop's "Client" (PS_CUSTOMER_GROUP).
_DEFAULT_GROUP = {"magento": "General", "prestashop": "Client"}


def _matches(kind: str, name: str, shown: object, sent: object) -> bool:
    if name == "addresses":
        # An address book (Shopify, BigCommerce, PrestaShop, Magento) keeps the
        # addresses the customer entered besides the ones we send.
        return _normalise(kind, name, sent) <= _normalise(kind, name, shown)  # type: ignore[operator]
    return _normalise(kind, name, shown) == _normalise(kind, name, sent)


def _category_id(platform: PlatformWorld, item: DemoItem) -> str:
    name = next(c.name for c in CATEGORIES if c.code == item.category)
    with session(platform.target, readonly=True):
        (category,) = Pool().get("product.category").search([("name", "=", name)])
        local_id = str(category.id)
        if platform.backoffice_kind == "files":
            # A file back-office has no category ids: the items export names the
            # category by its path, which is its id (passerelle.connectors.files.catalogue).
            path = []
            while category is not None:
                path.insert(0, category.name)
                category = category.parent
            local_id = CATEGORY_SEPARATOR.join(path)
    binding = platform.store.get_binding(platform.profile.name, "category", local_id)
    assert binding is not None, (platform.kind, name)
    return str(binding.remote_id)


def _tax_class(platform: PlatformWorld, tax_class: str) -> str:
    """PrestaShop: the tax rules group the profile names for the class (shop.tax_rules_groups)."""
    groups = getattr(platform.profile.shop, "tax_rules_groups", None) or {}
    return str(groups.get(tax_class, tax_class))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# C20: the shop's second language (every sandbox installs French and English).
SECOND_LANGUAGE = "en"
# The feature shown on each product page (C12): the demo items' material.
FEATURE = "Matière"
# The documents sent: the item's attachments with this extension (C8).
_DOCUMENT = ".pdf"


def _tryton_documents(platform: PlatformWorld, code: str) -> tuple[str, ...]:
    """The SHA-256 of the item's documents as Tryton holds them, by name (its template's
    attachments, then the variant's own)."""
    with session(platform.target, readonly=True):
        (product,) = Pool().get("product.product").search([("code", "=", code)])
        attachments = (
            Pool()
            .get("ir.attachment")
            .search(
                [
                    (
                        "resource",
                        "in",
                        [
                            f"product.template,{product.template.id}",
                            f"product.product,{product.id}",
                        ],
                    ),
                    ("type", "=", "data"),
                ],
                order=[("name", "ASC"), ("id", "ASC")],
            )
        )
        return tuple(
            _sha256(bytes(a.data)) for a in attachments if a.name.lower().endswith(_DOCUMENT)
        )


def _holds_languages(platform: PlatformWorld) -> bool:
    """Whether the platform holds other languages' texts (the matrix; the platforms that
    do not are those tests/test_capability_matrix_connectors.py lists as not journaling it)."""
    support = shop_platform(platform.kind).supports["catalogue.languages"].support
    return support is not Support.UNSUPPORTED


def _tryton_images(platform: PlatformWorld, code: str) -> tuple[bytes, ...]:
    """The bytes of the item's images as Tryton holds them, in their order (a variant's
    own images, or its template's)."""
    with session(platform.target, readonly=True):
        (product,) = Pool().get("product.product").search([("code", "=", code)])
        images = (
            Pool()
            .get("product.image")
            .search(
                [("template", "=", product.template.id)], order=[("sequence", "ASC"), ("id", "ASC")]
            )
        )
        return tuple(bytes(i.image) for i in images if i.product in (None, product))


def _expected_product(platform: PlatformWorld, item: DemoItem) -> dict[str, object]:
    attributes = ITEM_ATTRIBUTES[item.code]
    # A platform not sending images yet has no key of its own: the bytes' SHA-256.
    image_key = getattr(reader(platform.kind), "image_key", _sha256)
    tax_name = next(t.name for t in TAXES if t.code == item.tax)
    lists = [pl for pl in PRICE_LISTS if pl.category in (None, item.category)]
    expected: dict[str, object] = {
        "sku": item.code,
        "name": item.name,
        "kind": "simple",
        "description": item.description,
        "short_description": "",
        "regular_price": item.price,
        "sale_price": next(
            (
                (item.price * (1 - pl.discount)).quantize(Decimal("0.01"))
                for pl in lists
                if pl.promotion
            ),
            None,
        ),
        "tax_class": _tax_class(platform, platform.profile.catalogue.tax_classes[tax_name]),
        "weight": item.weight,
        "barcode": item.barcode,
        "manage_stock": True,
        "stock_quantity": max(0, int(sum(item.stock))),
        "active": True,
        "category_ids": (_category_id(platform, item),),
        "brand": attributes.get("brand", ""),
        "warranty": attributes.get("warranty", ""),
        "seo_title": attributes.get("seo_title", ""),
        "seo_description": attributes.get("seo_description", ""),
        "seo_keywords": attributes.get("keywords", ""),
        "ecotax": attributes.get("ecotax"),
        "min_quantity": None
        if "min_qty" not in attributes
        else Decimal(str(attributes["min_qty"])),
        "cost_price": ITEM_COST_PRICES[item.code],
        "group_prices": tuple(
            (pl.name, (item.price * (1 - pl.discount)).quantize(Decimal("0.01")))
            for pl in lists
            if not pl.promotion
        ),
        "supplier": ITEM_SUPPLIERS.get(item.code, ("", ""))[0],
        "supplier_reference": ITEM_SUPPLIERS.get(item.code, ("", ""))[1],
        "length": None,
        "width": None,
        "height": None,
        "attributes": (ProductAttribute(FEATURE, (attributes["material"],)),)
        if "material" in attributes
        else (),
        "images": tuple(image_key(data) for data in _tryton_images(platform, item.code)),
        "documents": _tryton_documents(platform, item.code),
        **(
            {
                "translations": tuple(
                    ProductTexts(SECOND_LANGUAGE, name, description)
                    for name, description in [ITEM_TRANSLATIONS[item.code]]
                )
                if item.code in ITEM_TRANSLATIONS
                else ()
            }
            if _holds_languages(platform)
            else {}
        ),
    }
    if item.code in ITEM_DIMENSIONS:
        expected["length"], expected["width"], expected["height"] = ITEM_DIMENSIONS[item.code]
    if platform.backoffice_kind == "files":
        # A file back-office exports rows of text and numbers: no image or document
        # bytes (they come from a folder there, catalogue.media.images_folder, not from
        # the back-office) and no texts in other languages. Every other field is the
        # demo database's, through the items export.
        expected["images"] = expected["documents"] = ()
        if "translations" in expected:
            expected["translations"] = ()
    if item.template:
        # WooCommerce and Shopify name a variation after its options, whatever it is
        # sent (product-variations "name", ProductVariant.title); the axis is the
        # custom field's name, capitalised.
        name = (
            CANDLE_SCENTS[item.code] if platform.kind in ("woocommerce", "shopify") else item.name
        )
        expected |= {
            "kind": "variation",
            "name": name,
            "variation_options": (("Scent", CANDLE_SCENTS[item.code]),),
        }
    return expected


def _expected_customer(
    platform: PlatformWorld, customer: DemoCustomer, phone: str = ""
) -> dict[str, object]:
    address = Address(
        first_name=customer.first_name,
        last_name=customer.last_name,
        company=customer.company,
        street=customer.street,
        postal_code=customer.postal_code,
        city=customer.city,
        country_code=customer.country,
        phone=phone,
    )
    return {
        "email": customer.email,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "name": f"{customer.first_name} {customer.last_name}",
        "company": customer.company,
        "phone": phone,
        "code": customer.code,
        "group": CUSTOMER_PRICE_LISTS.get(customer.code, ""),
        "notes": "",
        "addresses": (address,),
        "active": customer.active,
        "tax_identifier": "FR40303265045" if customer.code == "C0008" else "",
        "payment_term": "",
        "credit_limit": None,
    }


def _empty(name: str, value: object) -> bool:
    """Nothing to hold: an empty value, or an enabled account (every account is,
    on a platform that cannot disable one)."""
    return value in (None, "", ()) or (name == "active" and value is True)


def _compare(
    platform: PlatformWorld,
    key: str,
    expected: dict[str, object],
    shown: dict[str, object],
    journal: list[JournalLine],
    known_defects: dict[str, str],
) -> None:
    notes = [line.message for line in journal if line.record_key == key]
    wrong: list[tuple[str, object, object]] = []
    for name, value in expected.items():
        if name in shown:
            if not _matches(platform.kind, name, shown[name], value):
                wrong.append((name, shown[name], value))
        elif not _empty(name, value) and not any(UNSUPPORTED in note for note in notes):
            wrong.append((name, "neither shown nor reported unsupported", value))
    unexpected = set(shown) - set(expected) - NOT_SENT
    assert not unexpected, (platform.kind, key, unexpected)
    defects = [w for w in wrong if w[0] in known_defects]
    assert [w for w in wrong if w[0] not in known_defects] == [], (platform.kind, key, wrong, notes)
    if defects:
        pytest.xfail(
            "; ".join(
                f"{platform.kind} {key} {name}: {known_defects[name]}" for name, _, _ in defects
            )
        )


def _journal(platform: PlatformWorld, *flows: str) -> list[JournalLine]:
    """Run the flows, groups and customers first (K1: group prices need the groups)."""
    lines: list[JournalLine] = []
    for flow in flows:
        lines += platform.store.journal(platform.run(flow).run_id or 0)
    return lines


def test_every_product_field_sent_is_read_back_or_reported(
    platform: PlatformWorld, media_url: tuple[Path, str]
) -> None:
    _enable_every_field(platform, media_url)
    journal = _journal(platform, "export-customers", *CATALOGUE)
    read = reader(platform.kind)
    for code in PRODUCTS:
        item = _items(code)
        shown = read.read_product(platform.shop, code)
        if item.template:
            # What a platform keeps on the product, not on each variation, is read
            # on the variable product: its categories always, the rest (brand, and the
            # name PrestaShop and BigCommerce show only there) where the variation
            # shows none.
            # The product's SKU is the variants' common reference ("CND").
            parent = read.read_product(platform.shop, CANDLE_TEMPLATE.rstrip("-"))
            shown = {**parent, **shown, "sku": code, "kind": "variation"}
            if "category_ids" in parent:
                shown["category_ids"] = parent["category_ids"]
        _compare(platform, code, _expected_product(platform, item), shown, journal, {})
    _second_run_writes_nothing(platform, "export-customers", *CATALOGUE)


def test_every_customer_field_sent_is_read_back_or_reported(platform: PlatformWorld) -> None:
    _enable_every_field(platform)
    platform.add_customer_phone(COMPANY_CUSTOMER.code, PHONE)
    journal = _journal(platform, "export-customers")
    read = reader(platform.kind)
    for customer, phone in ((COMPANY_CUSTOMER, PHONE), (INACTIVE_CUSTOMER, "")):
        shown = read.read_customer(platform.shop, customer.email)
        if "name" not in shown and {"first_name", "last_name"} <= set(shown):
            # A platform holding the name as its two parts (Shopify).
            shown["name"] = f"{shown['first_name']} {shown['last_name']}".strip()
        _compare(
            platform,
            customer.code,
            _expected_customer(platform, customer, phone),
            shown,
            journal,
            {},
        )
    _second_run_writes_nothing(platform, "export-customers")


def _second_run_writes_nothing(platform: PlatformWorld, *flows: str) -> None:
    """Everything is in the shop: the same flows again create, update and send nothing
    (no file downloaded or uploaded again). Shopify's reads and writes share one
    GraphQL address: its flows' counts say it."""
    platform.shop.reset_requests()
    for flow in flows:
        counts = platform.run(flow).counts
        assert counts["created"] == counts["updated"] == 0, (platform.kind, flow, counts)
    writes = shop_writes(platform)
    assert writes == [], (platform.kind, writes)


def _items(code: str) -> DemoItem:
    item = _ITEMS[code]
    assert item.salable and not item.components, code
    assert item in CANDLE_ITEMS or not item.template, code
    return item
