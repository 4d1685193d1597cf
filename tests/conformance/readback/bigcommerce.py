"""BigCommerce's read endpoints, called raw: what a merchant's other tools see.

Customers: ``GET /v3/customers?email:in=…&include=addresses``
(``reference/customers.v3.yml``), their group by ``GET /v2/customer_groups``;
the account code is the ``Account code:`` line of the store-owner ``notes``
(the field the control panel shows on the customer), the rest of the notes
are the notes. Products: ``GET /v3/catalog/products?include=variants``
(``reference/catalog/products_catalog.v3.yml``; features are its ``custom_fields``,
the slug its ``custom_url``, the up-sells its ``related_products``), the tax class by
name from ``GET /v2/tax_classes``, the brand by ``GET /v3/catalog/brands/{brand_id}``
(``reference/catalog/brands_catalog.v3.yml``; ``brand_id`` 0 is none), the images by
``GET /v3/catalog/products/{id}/images`` in the order the store shows them (the thumbnail,
then by ``sort_order``), each one's bytes fetched at its ``url_zoom`` (a variant's at its
``image_url``), keyed by :func:`image_key`; the group prices ("group", price) by the price
list each customer group is assigned (``GET /v3/pricelists/assignments``,
``reference/price_lists.v3.yml``) and that list's record of the SKU (``GET
/v3/pricelists/{id}/records?sku:in=``). BigCommerce
cannot hold a customer's enabled state, credit limit, payment term, company number or
contact persons, nor a product's short description, eco-tax or supplier name: they are
absent.
"""

from __future__ import annotations

import hashlib
import ssl
from decimal import Decimal
from typing import Any

import httpx

from passerelle.connectors.bigcommerce.translate_customers import account_code_of
from passerelle.model import Address, ProductAttribute
from passerelle.sandbox.platforms import ShopSandbox

__all__ = ["image_key", "read_customer", "read_product"]


def image_key(data: bytes) -> str:
    """The SHA-256 of the bytes. ``url_zoom`` serves a resized copy only of an image larger
    than 1280x1280 ("You should provide an image smaller than 1280x1280; otherwise, the API
    returns a resized image", ``productImage_Base.url_zoom``) and a variant's ``image_url``
    the file as sent (``…_source_….png`` in ``createProductVariantImage``'s answer), so the
    bytes passerelle sends come back unchanged and the default key holds."""
    return hashlib.sha256(data).hexdigest()


def _served(shop: ShopSandbox, url: str) -> bytes:
    """The bytes at an address the store gave (its CDN: no token)."""
    profile = shop.profile_shop()
    verify = ssl.create_default_context(cafile=str(profile["http"]["ca_bundle"]))
    with httpx.Client(verify=verify, timeout=10) as client:
        answer = client.get(url)
    answer.raise_for_status()
    return answer.content


def _group_prices(shop: ShopSandbox, sku: str) -> tuple[tuple[str, Decimal], ...]:
    groups = {g["id"]: g["name"] for g in _get(shop, "v2/customer_groups")}
    out = []
    for assignment in _get(shop, "v3/pricelists/assignments", {"limit": 250})["data"]:
        group = groups.get(assignment.get("customer_group_id"))
        if group is None:
            continue
        records = _get(
            shop,
            f"v3/pricelists/{int(assignment['price_list_id'])}/records",
            {"sku:in": sku},
        )["data"]
        out += [(group, Decimal(str(r["price"]))) for r in records]
    return tuple(out)


def _images(shop: ShopSandbox, product_id: int) -> tuple[str, ...]:
    rows = _get(shop, f"v3/catalog/products/{int(product_id)}/images", {"limit": 250})
    data = rows["data"] if rows else []
    shown = sorted(data, key=lambda i: (not i["is_thumbnail"], i["sort_order"], i["id"]))
    return tuple(image_key(_served(shop, i["url_zoom"])) for i in shown)


def _get(shop: ShopSandbox, path: str, params: dict[str, Any] | None = None) -> Any:
    profile = shop.profile_shop()
    token = next(iter(shop.secrets().values()))
    verify = ssl.create_default_context(cafile=str(profile["http"]["ca_bundle"]))
    with httpx.Client(verify=verify, timeout=10) as client:
        answer = client.get(
            f"{shop.url}/stores/{profile['store_hash']}/{path}",
            params=params,
            headers={"X-Auth-Token": token, "Accept": "application/json"},
        )
    answer.raise_for_status()
    return answer.json() if answer.status_code != 204 else []


def _money(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def read_customer(shop: ShopSandbox, email: str) -> dict[str, object]:
    rows = _get(shop, "v3/customers", {"email:in": email, "include": "addresses"})["data"]
    if not rows:
        raise LookupError(f"no BigCommerce customer has the e-mail {email}")
    raw = rows[0]
    notes = str(raw.get("notes") or "")
    groups = {g["id"]: g["name"] for g in _get(shop, "v2/customer_groups")}
    out: dict[str, object] = {
        "email": raw["email"],
        "first_name": raw["first_name"],
        "last_name": raw["last_name"],
        "name": f"{raw['first_name']} {raw['last_name']}".strip(),
        "company": raw.get("company") or "",
        "phone": raw.get("phone") or "",
        "code": account_code_of(notes),
        "notes": "\n".join(
            line for line in notes.splitlines() if not line.startswith("Account code: ")
        ),
        "group": groups.get(raw.get("customer_group_id"), ""),
        "addresses": tuple(
            Address(
                first_name=a.get("first_name", ""),
                last_name=a.get("last_name", ""),
                company=a.get("company", ""),
                street=a.get("address1", ""),
                street2=a.get("address2", ""),
                postal_code=a.get("postal_code", ""),
                city=a.get("city", ""),
                country_code=a.get("country_code", ""),
                subdivision=a.get("state_or_province", ""),
                phone=a.get("phone", ""),
            )
            for a in raw.get("addresses") or []
        ),
    }
    return out


def _brand(shop: ShopSandbox, brand_id: int) -> str:
    if not brand_id:
        return ""
    return str(_get(shop, f"v3/catalog/brands/{int(brand_id)}")["data"]["name"])


def _product_fields(
    shop: ShopSandbox, raw: dict[str, Any], tax_classes: dict[int, str]
) -> dict[str, object]:
    tracked = raw["inventory_tracking"] == "product"
    return {
        "sku": raw["sku"],
        "name": raw["name"],
        "description": raw["description"],
        "regular_price": _money(raw["price"]),
        "sale_price": _money(raw["sale_price"]) if raw["sale_price"] else None,
        "cost_price": _money(raw["cost_price"]),
        "weight": _money(raw["weight"]),
        "width": _money(raw["width"]),
        "height": _money(raw["height"]),
        "length": _money(raw["depth"]),
        "barcode": raw["upc"] or raw["gtin"],
        "slug": raw["custom_url"]["url"].strip("/"),
        "attributes": tuple(
            ProductAttribute(f["name"], tuple(f["value"].split(", ")))
            for f in raw.get("custom_fields") or []
        ),
        "tax_class": tax_classes.get(int(raw["tax_class_id"] or 0), ""),
        "category_ids": tuple(str(c) for c in raw["categories"]),
        "active": bool(raw["is_visible"]),
        "seo_title": raw["page_title"],
        "seo_description": raw["meta_description"],
        "seo_keywords": raw["search_keywords"],
        "supplier_reference": raw["mpn"],
        "warranty": raw["warranty"],
        "min_quantity": Decimal(raw["order_quantity_minimum"] or 0),
        "manage_stock": raw["inventory_tracking"] != "none",
        "stock_quantity": int(raw["inventory_level"]) if tracked else None,
        "kind": "variable" if raw["inventory_tracking"] == "variant" else "simple",
        "brand": _brand(shop, raw["brand_id"]),
        # -1 is the store's "chosen automatically", no product of ours.
        "upsell_ids": tuple(str(i) for i in raw["related_products"] if i != -1),
        "images": _images(shop, raw["id"]),
        "group_prices": _group_prices(shop, raw["sku"]),
    }


def _variant_fields(
    shop: ShopSandbox, raw: dict[str, Any], variant: dict[str, Any]
) -> dict[str, object]:
    price = variant["price"] if variant["price"] is not None else raw["price"]
    return {
        "sku": variant["sku"],
        "kind": "variation",
        "regular_price": _money(price),
        "sale_price": _money(variant["sale_price"]) if variant["sale_price"] else None,
        "cost_price": _money(variant["cost_price"]),
        "weight": _money(variant["weight"] if variant["weight"] is not None else raw["weight"]),
        "barcode": variant["upc"] or variant["gtin"],
        "active": not variant["purchasing_disabled"],
        "manage_stock": raw["inventory_tracking"] == "variant",
        "stock_quantity": int(variant["inventory_level"])
        if raw["inventory_tracking"] == "variant"
        else None,
        "variation_options": tuple(
            (v["option_display_name"], v["label"]) for v in variant["option_values"]
        ),
        "images": (image_key(_served(shop, variant["image_url"])),)
        if variant.get("image_url")
        else (),
        "group_prices": _group_prices(shop, variant["sku"]),
    }


def read_product(shop: ShopSandbox, sku: str) -> dict[str, object]:
    tax_classes = {int(t["id"]): t["name"] for t in _get(shop, "v2/tax_classes")}
    page = 1
    while True:
        body = _get(
            shop,
            "v3/catalog/products",
            {"include": "variants,custom_fields", "page": page, "limit": 250},
        )
        for raw in body["data"]:
            if raw["sku"] == sku:
                return _product_fields(shop, raw, tax_classes)
            for variant in raw.get("variants") or []:
                if variant["option_values"] and variant["sku"] == sku:
                    return _variant_fields(shop, raw, variant)
        if page >= body["meta"]["pagination"]["total_pages"]:
            raise LookupError(f"no BigCommerce product or variant has the SKU {sku}")
        page += 1
