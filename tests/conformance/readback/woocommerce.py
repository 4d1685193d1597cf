"""WooCommerce's read endpoints, called raw: what a merchant's other tools see.

Customers: ``GET /wc/v3/customers?email=…&role=all`` (``_customers.md``):
names at the top, company and phone in ``billing``, one billing and one
shipping address; the rest is what the ``meta_data`` rows show under visible
keys (a real shop never shows a ``_``-prefixed key of a customer). WooCommerce
core cannot disable an account: ``active`` is absent.

Products: ``GET /wc/v3/products?sku=…`` (``_products.md``), and for a
variation ``GET /products/<parent>/variations/<id>`` (``_product-variations.md``),
whose ``name`` is its attribute values. The barcode is WooCommerce's own
``global_unique_id`` (9.2+). Meta rows shown on the product: prices per group,
cost price, eco-tax, warranty, supplier (visible ``passerelle_*`` keys in
``meta_data``), the SEO texts under Yoast SEO's keys, the minimum quantity under
WooCommerce Min/Max Quantities' key. Images: each ``images[].src`` (a variation's
one ``image``) fetched as a browser would, the original upload WordPress serves
under ``wp-content/uploads``. Documents: the list passerelle keeps in the visible
``passerelle_documents`` meta row (WooCommerce has no field for a product's files),
each fetched at its address, as a visitor following the link would.
"""

from __future__ import annotations

import hashlib
import ssl
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import httpx

from passerelle.model import Address, ProductAttribute
from passerelle.sandbox.platforms import ShopSandbox

__all__ = ["image_key", "read_customer", "read_product"]

_CUSTOMER_META = {
    "code": "passerelle_account_code",
    "group": "passerelle_customer_group",
    "notes": "passerelle_notes",
    "tax_identifier": "passerelle_company_id",
    "payment_term": "passerelle_payment_term",
}
_PRODUCT_TEXT_META = {
    "seo_title": "_yoast_wpseo_title",
    "seo_description": "_yoast_wpseo_metadesc",
    "seo_keywords": "_yoast_wpseo_focuskw",
    "warranty": "passerelle_warranty",
    "supplier": "passerelle_supplier",
    "supplier_reference": "passerelle_supplier_reference",
}
_PRODUCT_MONEY_META = {
    "cost_price": "passerelle_cost_price",
    "ecotax": "passerelle_ecotax",
    "min_quantity": "minimum_allowed_quantity",
}


def _get(shop: ShopSandbox, path: str, params: dict[str, Any] | None = None) -> Any:
    profile = shop.profile_shop()
    secrets = shop.secrets()
    key = secrets[str(profile["consumer_key"]).removeprefix("env:")]
    secret = secrets[str(profile["consumer_secret"]).removeprefix("env:")]
    verify = ssl.create_default_context(cafile=str(profile["http"]["ca_bundle"]))
    with httpx.Client(verify=verify, timeout=10) as client:
        answer = client.get(f"{shop.url}/wp-json/wc/v3/{path}", params=params, auth=(key, secret))
    answer.raise_for_status()
    return answer.json()


def image_key(data: bytes) -> str:
    """WordPress serves the upload as it was downloaded: its bytes' SHA-256."""
    return hashlib.sha256(data).hexdigest()


def _images(shop: ShopSandbox, raw: Mapping[str, Any]) -> tuple[str, ...]:
    """Each image's bytes as served at its ``src``, featured image first."""
    listed = raw.get("images")
    if listed is None:
        listed = [raw["image"]] if isinstance(raw.get("image"), Mapping) else []
    verify = ssl.create_default_context(cafile=str(shop.profile_shop()["http"]["ca_bundle"]))
    with httpx.Client(verify=verify, timeout=10) as client:
        served = [client.get(str(image["src"])) for image in listed]
    for answer in served:
        answer.raise_for_status()
    return tuple(image_key(answer.content) for answer in served)


def _meta(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {str(m["key"]): m["value"] for m in raw.get("meta_data") or []}


def _decimal(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _address(block: Mapping[str, Any]) -> Address:
    return Address(
        first_name=block.get("first_name", ""),
        last_name=block.get("last_name", ""),
        company=block.get("company", ""),
        street=block.get("address_1", ""),
        street2=block.get("address_2", ""),
        postal_code=block.get("postcode", ""),
        city=block.get("city", ""),
        country_code=block.get("country", ""),
        subdivision=block.get("state", ""),
        phone=block.get("phone", ""),
    )


def read_customer(shop: ShopSandbox, email: str) -> dict[str, object]:
    rows = _get(shop, "customers", {"email": email, "role": "all"})
    if not rows:
        raise LookupError(f"no WooCommerce customer has the e-mail {email}")
    raw = rows[0]
    meta = _meta(raw)
    billing = raw.get("billing") or {}
    out: dict[str, object] = {
        "email": raw["email"],
        "first_name": raw["first_name"],
        "last_name": raw["last_name"],
        "name": f"{raw['first_name']} {raw['last_name']}".strip(),
        "company": billing.get("company", ""),
        "phone": billing.get("phone", ""),
        "addresses": tuple(
            _address(raw[block])
            for block in ("billing", "shipping")
            if not _address(raw[block]).is_empty()
        ),
    }
    out.update({name: str(meta[key]) for name, key in _CUSTOMER_META.items() if key in meta})
    if "passerelle_credit_limit" in meta:
        out["credit_limit"] = _decimal(meta["passerelle_credit_limit"])
    return out


def _common(shop: ShopSandbox, raw: Mapping[str, Any]) -> dict[str, object]:
    """What a product and a variation both show."""
    meta = _meta(raw)
    dimensions = raw.get("dimensions") or {}
    out: dict[str, object] = {
        "sku": raw["sku"],
        "description": raw.get("description", ""),
        "regular_price": _decimal(raw.get("regular_price")),
        "sale_price": _decimal(raw.get("sale_price")),
        "tax_class": raw.get("tax_class", ""),
        "weight": _decimal(raw.get("weight")),
        "length": _decimal(dimensions.get("length")),
        "width": _decimal(dimensions.get("width")),
        "height": _decimal(dimensions.get("height")),
        "manage_stock": raw.get("manage_stock") is True,
        "stock_quantity": raw.get("stock_quantity"),
        "active": raw.get("status") == "publish",
    }
    out["images"] = _images(shop, raw)
    if isinstance(meta.get("passerelle_documents"), list):
        with httpx.Client(timeout=10) as client:
            served = [client.get(str(d["url"])) for d in meta["passerelle_documents"]]
        out["documents"] = tuple(
            hashlib.sha256(a.raise_for_status().content).hexdigest() for a in served
        )
    out.update({name: str(meta[key]) for name, key in _PRODUCT_TEXT_META.items() if key in meta})
    out.update(
        {name: _decimal(meta[key]) for name, key in _PRODUCT_MONEY_META.items() if key in meta}
    )
    if raw.get("global_unique_id"):
        out["barcode"] = str(raw["global_unique_id"])
    if isinstance(meta.get("passerelle_group_prices"), list):
        out["group_prices"] = tuple(
            (str(g["group"]), Decimal(str(g["price"])))
            for g in meta["passerelle_group_prices"]
            if g.get("price")
        )
    return out


def read_product(shop: ShopSandbox, sku: str) -> dict[str, object]:
    rows = [
        r for r in _get(shop, "products", {"sku": sku}) if r["sku"].casefold() == sku.casefold()
    ]
    if not rows:
        raise LookupError(f"no WooCommerce product or variation has the SKU {sku}")
    raw = rows[0]
    if raw.get("type") == "variation":
        variation = _get(shop, f"products/{raw['parent_id']}/variations/{raw['id']}")
        out = _common(shop, variation)
        out.update(
            name=variation.get("name", ""),
            kind="variation",
            variation_options=tuple(
                (str(a["name"]), str(a["option"])) for a in variation.get("attributes") or []
            ),
        )
        return out
    out = _common(shop, raw)
    brand = [a for a in raw.get("attributes") or [] if a.get("name") == "Brand"]
    out.update(
        name=raw["name"],
        kind=raw["type"],
        slug=raw.get("slug", ""),
        short_description=raw.get("short_description", ""),
        category_ids=tuple(str(c["id"]) for c in raw.get("categories") or []),
        hidden=raw.get("catalog_visibility") == "hidden",
        grouped_ids=tuple(str(i) for i in raw.get("grouped_products") or []),
        upsell_ids=tuple(str(i) for i in raw.get("upsell_ids") or []),
        cross_sell_ids=tuple(str(i) for i in raw.get("cross_sell_ids") or []),
        brand=str(brand[0]["options"][0]) if brand and brand[0].get("options") else "",
        # The product page's features: its attributes that are no variation axis, the
        # brand apart (compared as the brand).
        attributes=tuple(
            ProductAttribute(str(a["name"]), tuple(str(o) for o in a.get("options") or []))
            for a in raw.get("attributes") or []
            if not a.get("variation") and a.get("name") != "Brand" and a.get("visible", True)
        ),
    )
    return out
