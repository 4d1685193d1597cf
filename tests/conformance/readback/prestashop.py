"""PrestaShop's Webservice read endpoints, called raw: what a merchant's other tools see.

Customers: ``GET /api/customers?filter[email]=[…]&filter[is_guest]=[0]`` and
their ``addresses`` (devdocs ``webservice/resources/customers``,
``addresses``): names, company, ``siret`` (the company number),
``outstanding_allow_amount`` (the credit allowed), ``active``, the private
``note`` whose first line ``Compte ERP : …`` is the account code and the rest
the notes, ``id_default_group`` by its name; the phone is the first address's.
PrestaShop holds no payment term.

Products: ``GET /api/products?filter[reference]=[…]``, else a combination by
its reference and its product (``products``, ``combinations``); quantities
from ``stock_availables`` (``quantity``: what the shop offers); the sale price
is the product's specific price for everyone (``specific_prices``). A
combination shows its reference, price impact, EAN-13, wholesale price and
stock; its name, texts and categories are its product's, so they are absent.
The brand and the supplier are the ``manufacturers`` and ``suppliers``
records the product names, the up-sells its ``accessories``, a pack's
products its ``product_bundle``. Group prices are
each group's specific price, translations the texts in the shop's other
languages, attributes and the warranty (feature "Garantie") the
``product_features``. Cross-sells are absent: PrestaShop has no place for them.

Images: a product's ``associations/images`` (by position) with its cover
(``id_default_image``) first, a combination's ``associations/images``; each image's
bytes as ``GET /api/images/products/{product}/{image}`` serves them, known by
:func:`image_key`. Documents: the product's ``associations/attachments``, each the
SHA-256 of the bytes ``GET /api/attachments/file/{id}`` serves (sent back unchanged).
"""

from __future__ import annotations

import hashlib
import io
import re
import ssl
from decimal import Decimal
from typing import Any

import httpx
from PIL import Image, ImageStat

from passerelle.model import Address, ProductAttribute, ProductTexts
from passerelle.sandbox.platforms import ShopSandbox

__all__ = [
    "image_key",
    "read_customer",
    "read_customer_account",
    "read_product",
    "read_product_supply",
]

_ACCOUNT = re.compile(r"^Compte ERP\s*:\s*(.*)$", re.M)


def _get(shop: ShopSandbox, resource: str, params: dict[str, Any] | None = None) -> Any:
    """The records of a list ``GET /api/<resource>``, every field."""
    body = _body(shop, resource, params)
    return body.get(resource, []) if isinstance(body, dict) else []


def _get_one(shop: ShopSandbox, resource: str, record_id: object) -> dict[str, Any]:
    """One record, ``GET /api/<resource>/<id>`` (its single node)."""
    (record,) = _body(shop, f"{resource}/{record_id}", {"display": None}).values()
    return dict(record)


def _body(shop: ShopSandbox, resource: str, params: dict[str, Any] | None = None) -> Any:
    query = {"output_format": "JSON", "display": "full", "language": "1", **(params or {})}
    return _raw(shop, resource, {k: v for k, v in query.items() if v is not None}).json()


def _raw(shop: ShopSandbox, path: str, params: dict[str, Any] | None = None) -> httpx.Response:
    """``GET /api/<path>`` with the shop's key."""
    profile = shop.profile_shop()
    key = shop.secrets()[str(profile["api_key"]).removeprefix("env:")]
    verify = ssl.create_default_context(cafile=str(profile["http"]["ca_bundle"]))
    with httpx.Client(verify=verify, timeout=10) as client:
        answer = client.get(f"{shop.url}/api/{path}", auth=(key, ""), params=params or {})
    answer.raise_for_status()
    return answer


def image_key(data: bytes) -> str:
    """What identifies an image PrestaShop serves: its pixel size and its mean colour,
    each channel to the nearest 10. PrestaShop redraws every image it is given with GD
    (``ImageManager::resize``, JPEG quality 90, progressive: docs/platform-apis/
    prestashop-magento.md A1), so the bytes it serves never hash as those sent; the
    re-encoding moves a plain picture's mean colour by a unit or two at most."""
    with Image.open(io.BytesIO(data)) as picture:
        rgb = picture.convert("RGB")
    mean = ImageStat.Stat(rgb).mean
    return f"{rgb.width}x{rgb.height}:" + ",".join(str(round(c / 10)) for c in mean)


def _images(shop: ShopSandbox, product_id: str, ids: list[str]) -> tuple[str, ...]:
    return tuple(
        image_key(_raw(shop, f"images/products/{product_id}/{image}").content) for image in ids
    )


def _linked(record: dict[str, Any], association: str) -> list[str]:
    return [str(r["id"]) for r in (record.get("associations") or {}).get(association) or []]


def _product_files(shop: ShopSandbox, raw: dict[str, Any]) -> dict[str, object]:
    """The product's images, its cover first, and its documents' digests."""
    images = _linked(raw, "images")
    cover = str(raw.get("id_default_image") or "")
    if cover in images:
        images = [cover, *(i for i in images if i != cover)]
    return {
        "images": _images(shop, str(raw["id"]), images),
        "documents": tuple(
            hashlib.sha256(_raw(shop, f"attachments/file/{a}").content).hexdigest()
            for a in _linked(raw, "attachments")
        ),
    }


def _decimal(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def read_customer(shop: ShopSandbox, email: str) -> dict[str, object]:
    rows = _get(shop, "customers", {"filter[email]": f"[{email}]", "filter[is_guest]": "[0]"})
    if not rows:
        raise LookupError(f"no PrestaShop customer has the e-mail {email}")
    raw = rows[0]
    note = str(raw.get("note") or "")
    found = _ACCOUNT.search(note)
    groups = {str(g["id"]): str(g["name"]) for g in _get(shop, "groups")}
    addresses = [
        a
        for a in _get(
            shop,
            "addresses",
            {"filter[id_customer]": f"[{raw['id']}]", "filter[deleted]": "[0]", "sort": "[id_ASC]"},
        )
    ]
    countries = {str(c["id"]): str(c["iso_code"]) for c in _get(shop, "countries")}
    return {
        "email": raw["email"],
        "first_name": raw["firstname"],
        "last_name": raw["lastname"],
        "name": f"{raw['firstname']} {raw['lastname']}".strip(),
        "company": raw.get("company", ""),
        "active": raw.get("active") == "1",
        "code": found.group(1).strip() if found else "",
        "notes": _ACCOUNT.sub("", note).strip(),
        "group": groups.get(str(raw.get("id_default_group")), ""),
        "tax_identifier": raw.get("siret", ""),
        "credit_limit": _decimal(raw.get("outstanding_allow_amount")),
        "phone": str(addresses[0].get("phone") or "") if addresses else "",
        "addresses": tuple(
            Address(
                first_name=a["firstname"],
                last_name=a["lastname"],
                company=a.get("company", ""),
                street=a["address1"],
                street2=a.get("address2", ""),
                postal_code=a.get("postcode", ""),
                city=a["city"],
                country_code=countries.get(str(a["id_country"]), ""),
                phone=str(a.get("phone") or ""),
            )
            for a in addresses
        ),
    }


def read_customer_account(shop: ShopSandbox, email: str) -> dict[str, object]:
    """What the account holds besides :func:`read_customer`'s fields, from ``GET
    /api/customers/{id}`` (devdocs ``webservice/resources/customers``): the newsletter
    and partner offers (``newsletter``, ``optin``), the subscription date PrestaShop
    keeps (``newsletter_date_add``), the default group and every group
    (``associations/groups``) by name."""
    (found,) = _get(shop, "customers", {"filter[email]": f"[{email}]", "filter[is_guest]": "[0]"})
    raw = _get_one(shop, "customers", found["id"])
    names = {str(g["id"]): str(g["name"]) for g in _get(shop, "groups")}
    return {
        "newsletter": raw.get("newsletter") == "1",
        "opt_in": raw.get("optin") == "1",
        "newsletter_date": str(raw.get("newsletter_date_add") or ""),
        "group": names.get(str(raw.get("id_default_group")), ""),
        "groups": tuple(
            names.get(str(g["id"]), "") for g in (raw.get("associations") or {}).get("groups") or []
        ),
    }


def _supply(shop: ShopSandbox, product_id: str) -> dict[str, dict[str, Any]]:
    """The product's own ``product_suppliers`` rows (devdocs
    ``webservice/resources/product_suppliers``) by supplier id."""
    rows = _get(
        shop,
        "product_suppliers",
        {"filter[id_product]": f"[{product_id}]", "filter[id_product_attribute]": "[0]"},
    )
    return {str(r["id_supplier"]): r for r in rows}


def read_product_supply(shop: ShopSandbox, sku: str) -> dict[str, tuple[str, Decimal, str]]:
    """The product's suppliers as the back office lists them: supplier name →
    (its reference, purchase price excluding tax, currency ISO code)."""
    (product,) = _get(shop, "products", {"filter[reference]": f"[{sku}]"})
    names = {str(r["id"]): str(r["name"]) for r in _get(shop, "suppliers")}
    currencies = {str(c["id"]): str(c["iso_code"]) for c in _get(shop, "currencies")}
    return {
        names.get(supplier, ""): (
            str(row.get("product_supplier_reference") or ""),
            Decimal(str(row.get("product_supplier_price_te") or 0)),
            currencies.get(str(row.get("id_currency")), ""),
        )
        for supplier, row in _supply(shop, str(product["id"])).items()
    }


def _stock(shop: ShopSandbox, product_id: str, attribute_id: str) -> dict[str, Any]:
    rows = _get(
        shop,
        "stock_availables",
        {
            "filter[id_product]": f"[{product_id}]",
            "filter[id_product_attribute]": f"[{attribute_id}]",
        },
    )
    return rows[0] if rows else {}


def _sale_price(
    shop: ShopSandbox, product_id: str, attribute_id: str, regular: Decimal
) -> Decimal | None:
    rules = _get(shop, "specific_prices", {"filter[id_product]": f"[{product_id}]"})
    for rule in rules:
        everyone = all(
            str(rule.get(k)) == "0"
            for k in ("id_cart", "id_currency", "id_country", "id_group", "id_customer")
        )
        if (
            everyone
            and str(rule.get("id_product_attribute") or "0") == attribute_id
            and rule.get("reduction_type") == "amount"
            and Decimal(rule["price"]) == -1
        ):
            return regular - Decimal(rule["reduction"])
    return None


def _group_prices(
    shop: ShopSandbox, product_id: str, attribute_id: str
) -> tuple[tuple[str, Decimal], ...]:
    """(group name, price) of the group prices: a group's specific price for one unit."""
    names = {str(g["id"]): str(g["name"]) for g in _get(shop, "groups")}
    rules = _get(shop, "specific_prices", {"filter[id_product]": f"[{product_id}]"})
    return tuple(
        (names.get(str(r["id_group"]), ""), Decimal(r["price"]))
        for r in rules
        if str(r.get("id_group")) != "0"
        and str(r.get("id_product_attribute") or "0") == attribute_id
        and Decimal(r["price"]) >= 0
        and Decimal(r["reduction"]) == 0
    )


def _translations(shop: ShopSandbox, product_id: str) -> tuple[ProductTexts, ...]:
    """The product's texts in the shop's other languages (every language read at once)."""
    raw = _get(shop, "products", {"filter[id]": f"[{product_id}]", "language": None})[0]
    codes = {str(lang["id"]): str(lang["iso_code"]) for lang in _get(shop, "languages")}

    def text(field: str, language: str) -> str:
        return next((str(v["value"]) for v in raw.get(field) or [] if str(v["id"]) == language), "")

    return tuple(
        ProductTexts(
            language=code,
            name=text("name", lid),
            description=text("description", lid),
            short_description=text("description_short", lid),
        )
        for lid, code in sorted(codes.items())
        if lid != "1" and any(text(f, lid) for f in ("name", "description", "description_short"))
    )


def _features(shop: ShopSandbox, features: list[dict[str, Any]]) -> dict[str, object]:
    """The product's features, each with its values, as attributes (not variation axes);
    the feature "Garantie" is its warranty."""
    names = {str(f["id"]): str(f["name"]) for f in _get(shop, "product_features")}
    values = {str(v["id"]): str(v["value"]) for v in _get(shop, "product_feature_values")}
    shown: dict[str, list[str]] = {}
    for entry in features:
        shown.setdefault(names.get(str(entry["id"]), ""), []).append(
            values.get(str(entry["id_feature_value"]), "")
        )
    warranty = shown.pop("Garantie", [])
    return {
        "attributes": tuple(
            ProductAttribute(name, tuple(options)) for name, options in shown.items()
        ),
        "warranty": warranty[0] if warranty else "",
    }


def _stocked(shop: ShopSandbox, product_id: str, attribute_id: str) -> dict[str, object]:
    row = _stock(shop, product_id, attribute_id)
    return {
        "stock_quantity": int(row["quantity"]) if row else None,
        "manage_stock": bool(row) and str(row.get("out_of_stock")) != "1",
    }


def _options(shop: ShopSandbox, combo: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """A combination's attribute (product_option) and value (product_option_value) names."""
    groups = {str(g["id"]): str(g["public_name"]) for g in _get(shop, "product_options")}
    values = {str(v["id"]): v for v in _get(shop, "product_option_values")}
    chosen = [
        values[str(v["id"])]
        for v in (combo.get("associations") or {}).get("product_option_values") or []
    ]
    return tuple((groups.get(str(v["id_attribute_group"]), ""), str(v["name"])) for v in chosen)


def read_product(shop: ShopSandbox, sku: str) -> dict[str, object]:
    products = _get(shop, "products", {"filter[reference]": f"[{sku}]"})
    if not products:
        combos = _get(shop, "combinations", {"filter[reference]": f"[{sku}]"})
        if not combos:
            raise LookupError(f"no PrestaShop product or combination has the reference {sku}")
        combo = combos[0]
        parent = _get(shop, "products", {"filter[id]": f"[{combo['id_product']}]"})[0]
        regular = Decimal(parent["price"]) + Decimal(combo.get("price") or 0)
        pid, cid = str(parent["id"]), str(combo["id"])
        return {
            "sku": combo["reference"],
            "kind": "variation",
            "regular_price": regular,
            "barcode": combo.get("ean13", ""),
            "cost_price": _decimal(combo.get("wholesale_price")),
            "sale_price": _sale_price(shop, pid, cid, regular),
            "group_prices": _group_prices(shop, pid, cid),
            **_stocked(shop, pid, cid),
            "variation_options": _options(shop, combo),
            "images": _images(shop, pid, _linked(combo, "images")),
        }
    raw = products[0]
    pid, regular = str(raw["id"]), Decimal(raw["price"])
    associations = raw.get("associations") or {}
    categories = associations.get("categories") or []
    names = {
        field: {str(r["id"]): str(r["name"]) for r in _get(shop, resource)}.get(
            str(raw.get(key) or "0"), ""
        )
        for field, resource, key in (
            ("brand", "manufacturers", "id_manufacturer"),
            ("supplier", "suppliers", "id_supplier"),
        )
    }
    return {
        "sku": raw["reference"],
        "name": raw["name"],
        "regular_price": regular,
        "description": raw.get("description", ""),
        "short_description": raw.get("description_short", ""),
        "tax_class": str(raw.get("id_tax_rules_group") or ""),
        "category_ids": tuple(str(c["id"]) for c in categories),
        "weight": _decimal(raw.get("weight")),
        "width": _decimal(raw.get("width")),
        "height": _decimal(raw.get("height")),
        "length": _decimal(raw.get("depth")),
        "barcode": raw.get("ean13", ""),
        "active": raw.get("active") == "1",
        "hidden": raw.get("visibility") == "none",
        "slug": raw.get("link_rewrite", ""),
        "seo_title": raw.get("meta_title", ""),
        "seo_description": raw.get("meta_description", ""),
        "seo_keywords": raw.get("meta_keywords", ""),
        "cost_price": _decimal(raw.get("wholesale_price")),
        "ecotax": _decimal(raw.get("ecotax")),
        "min_quantity": _decimal(raw.get("minimal_quantity")),
        # The back office lists a product's suppliers, each with its reference, from
        # product_suppliers (product.supplier_reference is deprecated since 1.7.7).
        "supplier_reference": _supply(shop, pid)
        .get(str(raw.get("id_supplier") or "0"), {})
        .get("product_supplier_reference", ""),
        "upsell_ids": tuple(str(a["id"]) for a in associations.get("accessories") or []),
        "group_prices": _group_prices(shop, pid, "0"),
        "translations": _translations(shop, pid),
        **_features(shop, associations.get("product_features") or []),
        "grouped_ids": tuple(
            str(b["id"])
            if str(b.get("id_product_attribute") or "0") == "0"
            else f"{b['id']}/{b['id_product_attribute']}"
            for b in associations.get("product_bundle") or []
        ),
        "sale_price": _sale_price(shop, pid, "0", regular),
        **_stocked(shop, pid, "0"),
        **names,
        **_product_files(shop, raw),
        # A pack lists its products (product_bundle), a product with variations its
        # combinations; any other product is simple.
        "kind": "grouped"
        if associations.get("product_bundle")
        else "variable"
        if associations.get("combinations")
        else "simple",
    }
