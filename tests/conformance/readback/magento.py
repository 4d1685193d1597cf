"""Magento's read endpoints, called raw: what the merchant's admin and other tools see.

Customers: ``GET /V1/customers/search`` by e-mail (``customer-data-customer-interface``):
names, ``taxvat``, ``group_id`` (named through ``GET /V1/customerGroups/search``),
the ``account_code`` customer attribute, and the addresses, which alone carry the
company and the phone (the default billing one is the customer's). Core Magento
cannot disable an account nor hold notes, a credit limit, a payment term or the
persons of an account: those are absent.

Products: ``GET /V1/products/{sku}`` (``catalog-data-product-interface``): texts as
the ``description``, ``short_description``, ``url_key``, ``meta_*`` attributes,
``special_price``, ``cost``, ``tax_class_id`` (named through ``GET
/V1/taxClasses/search``; the store's default class, id 2 "Taxable Goods", is the
shop's standard class, which profiles name ""), ``tier_prices`` per customer group,
``product_links``, the stock item's ``manage_stock`` and ``min_sale_qty``; the
physical quantity from ``GET /V1/inventory/source-items`` (what passerelle writes; the
shop offers it minus its open orders). The barcode, from the ``barcode`` text attribute
the demo merchant added (no core attribute holds one: a store without it shows none).
No core attribute holds an eco-tax, dimensions, a brand, a warranty or a supplier:
absent, as are documents and translations, which the connector does not write.

Images: ``GET /V1/products/{sku}/media`` (the OpenAPI media gallery entry interface),
the entry holding the ``image`` role (the base image) first, then
the others by ``position``, disabled ones left out; each file's bytes fetched as the
storefront does, at ``<base_media_url>catalog/product<file>`` (``base_media_url`` from
``GET /V1/store/storeConfigs``). Magento stores the original as uploaded (the resized
copies live under ``catalog/product/cache``), so the key is the bytes' SHA-256.
"""

from __future__ import annotations

import hashlib
import ssl
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import httpx

from passerelle.model import Address
from passerelle.sandbox.platforms import ShopSandbox

__all__ = [
    "custom_attribute",
    "customer_record",
    "gallery",
    "image_key",
    "product_record",
    "read_customer",
    "read_product",
    "tax_class_name",
]

DEFAULT_TAX_CLASS_ID = "2"
# No core attribute holds a barcode: the demo merchant added this text attribute.
BARCODE_ATTRIBUTE = "barcode"
_TEXTS = {
    "description": "description",
    "short_description": "short_description",
    "slug": "url_key",
    "seo_title": "meta_title",
    "seo_description": "meta_description",
    "seo_keywords": "meta_keyword",
}
_LINKS = {"upsell_ids": "upsell", "cross_sell_ids": "crosssell", "grouped_ids": "associated"}


def _verify(shop: ShopSandbox) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(shop.profile_shop()["http"]["ca_bundle"]))


def _get(shop: ShopSandbox, path: str, params: dict[str, Any] | None = None) -> Any:
    profile = shop.profile_shop()
    token = shop.secrets()[str(profile["access_token"]).removeprefix("env:")]
    store = profile.get("store_code", "default")
    with httpx.Client(verify=_verify(shop), timeout=10) as client:
        answer = client.get(
            f"{shop.url}/rest/{store}/V1/{path}",
            params=params,
            headers={"Authorization": f"Bearer {token}"},
        )
    answer.raise_for_status()
    return answer.json()


def _search(shop: ShopSandbox, path: str, field: str, value: str) -> list[dict[str, Any]]:
    prefix = "searchCriteria[filterGroups][0][filters][0]"
    items: list[dict[str, Any]] = _get(
        shop, path, {f"{prefix}[field]": field, f"{prefix}[value]": value}
    )["items"]
    return items


def _custom(raw: Mapping[str, Any], code: str) -> Any:
    return next(
        (
            a.get("value")
            for a in raw.get("custom_attributes") or []
            if a.get("attribute_code") == code
        ),
        None,
    )


def _decimal(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _group_name(shop: ShopSandbox, group_id: Any) -> str:
    found = _search(shop, "customerGroups/search", "id", str(group_id))
    return str(found[0]["code"]) if found else ""


def _address(raw: Mapping[str, Any]) -> Address:
    street = [str(s) for s in raw.get("street") or []]
    region = raw.get("region") or {}
    return Address(
        first_name=raw.get("firstname", ""),
        last_name=raw.get("lastname", ""),
        company=raw.get("company", ""),
        street=street[0] if street else "",
        street2=", ".join(street[1:]),
        postal_code=raw.get("postcode") or "",
        city=raw.get("city", ""),
        country_code=raw.get("country_id", ""),
        subdivision=str(region.get("region_code") or "") if isinstance(region, dict) else "",
        phone=raw.get("telephone", ""),
    )


def customer_record(shop: ShopSandbox, customer_id: str) -> dict[str, Any]:
    """``GET /V1/customers/{customerId}`` as Magento answers it: the addresses with
    their ids and flags, the customer's ``default_billing``/``default_shipping`` ids."""
    record: dict[str, Any] = _get(shop, f"customers/{customer_id}")
    return record


def read_customer(shop: ShopSandbox, email: str) -> dict[str, object]:
    rows = [
        r
        for r in _search(shop, "customers/search", "email", email)
        if str(r["email"]).casefold() == email.casefold()
    ]
    if not rows:
        raise LookupError(f"no Magento customer has the e-mail {email}")
    raw = rows[0]
    addresses = raw.get("addresses") or []
    billing = next(
        (a for a in addresses if a.get("default_billing")), addresses[0] if addresses else {}
    )
    phone = str(billing.get("telephone") or "")
    out: dict[str, object] = {
        "email": raw["email"],
        "first_name": raw["firstname"],
        "last_name": raw["lastname"],
        "name": f"{raw['firstname']} {raw['lastname']}".strip(),
        "company": str(billing.get("company") or ""),
        "phone": "" if phone == "-" else phone,
        "tax_identifier": str(raw.get("taxvat") or ""),
        "code": str(_custom(raw, "account_code") or ""),
        "group": _group_name(shop, raw.get("group_id", 1)),
        "addresses": tuple(_address(a) for a in addresses),
    }
    return out


def tax_class_name(shop: ShopSandbox, class_id: Any) -> str:
    """The store's name of a tax class id (``GET /V1/taxClasses/search``)."""
    found = _search(shop, "taxClasses/search", "class_id", str(class_id))
    return str(found[0]["class_name"]) if found else ""


def _tax_class(shop: ShopSandbox, class_id: Any) -> str:
    if class_id in (None, "", DEFAULT_TAX_CLASS_ID, int(DEFAULT_TAX_CLASS_ID)):
        return ""
    found = _search(shop, "taxClasses/search", "class_id", str(class_id))
    return str(found[0]["class_name"]) if found else ""


def _stock(shop: ShopSandbox, raw: Mapping[str, Any]) -> dict[str, object]:
    item = (raw.get("extension_attributes") or {}).get("stock_item") or {}
    manage = item.get("manage_stock", True) is not False
    sources = _search(shop, "inventory/source-items", "sku", str(raw["sku"]))
    out: dict[str, object] = {
        "manage_stock": manage,
        "stock_quantity": int(Decimal(str(sources[0]["quantity"]))) if manage and sources else None,
    }
    if item.get("use_config_min_sale_qty") is False:
        out["min_quantity"] = _decimal(item.get("min_sale_qty"))
    return out


def _parent_of(shop: ShopSandbox, sku: str) -> str:
    for parent in _search(shop, "products", "type_id", "configurable"):
        children = _get(shop, f"configurable-products/{parent['sku']}/children")
        if any(c["sku"] == sku for c in children):
            return str(parent["sku"])
    return ""


def product_record(shop: ShopSandbox, sku: str) -> dict[str, Any]:
    """``GET /V1/products/{sku}`` as Magento answers it."""
    record: dict[str, Any] = _get(shop, f"products/{sku}")
    return record


def custom_attribute(record: Mapping[str, Any], code: str) -> Any:
    """The value of a record's ``custom_attributes`` row ``code`` (None without one)."""
    return _custom(record, code)


def image_key(data: bytes) -> str:
    """Magento serves the original file as it was uploaded: its SHA-256."""
    return hashlib.sha256(data).hexdigest()


def gallery(shop: ShopSandbox, sku: str) -> list[dict[str, Any]]:
    """``GET /V1/products/{sku}/media``: the product's enabled gallery entries, its base
    image first, then by position."""
    entries = [e for e in _get(shop, f"products/{sku}/media") if not e.get("disabled")]
    return sorted(
        entries, key=lambda e: ("image" not in (e.get("types") or []), e.get("position") or 0)
    )


def _images(shop: ShopSandbox, sku: str) -> tuple[str, ...]:
    entries = gallery(shop, sku)
    if not entries:
        return ()
    base = str(_get(shop, "store/storeConfigs")[0]["secure_base_media_url"])
    keys = []
    with httpx.Client(verify=_verify(shop), timeout=10) as client:
        for entry in entries:
            served = client.get(f"{base}catalog/product{entry['file']}")
            served.raise_for_status()
            keys.append(image_key(served.content))
    return tuple(keys)


def read_product(shop: ShopSandbox, sku: str) -> dict[str, object]:
    raw = product_record(shop, sku)
    out: dict[str, object] = {
        "sku": raw["sku"],
        "name": raw.get("name", ""),
        "regular_price": _decimal(raw.get("price")),
        "sale_price": _decimal(_custom(raw, "special_price")),
        "cost_price": _decimal(_custom(raw, "cost")),
        "tax_class": _tax_class(shop, _custom(raw, "tax_class_id")),
        "weight": _decimal(raw.get("weight")),
        "active": raw.get("status") == 1,
        "category_ids": tuple(
            str(c["category_id"])
            for c in (raw.get("extension_attributes") or {}).get("category_links") or []
        ),
        "group_prices": tuple(
            (_group_name(shop, t["customer_group_id"]), Decimal(str(t["value"])))
            for t in raw.get("tier_prices") or []
        ),
    }
    out.update({name: str(_custom(raw, code) or "") for name, code in _TEXTS.items()})
    if _custom(raw, BARCODE_ATTRIBUTE) is not None:  # the store has a barcode attribute
        out["barcode"] = str(_custom(raw, BARCODE_ATTRIBUTE))
    out.update(
        {
            name: tuple(
                str(link["linked_product_sku"])
                for link in raw.get("product_links") or []
                if link.get("link_type") == kind
            )
            for name, kind in _LINKS.items()
        }
    )
    out.update(_stock(shop, raw))
    out["images"] = _images(shop, sku)
    if raw.get("visibility") == 1 and _parent_of(shop, sku):
        out["kind"] = "variation"  # a configurable's child is never visible on its own
    else:
        out["hidden"] = raw.get("visibility") == 1
        out["kind"] = {"configurable": "variable"}.get(
            raw.get("type_id", ""), raw.get("type_id", "simple")
        )
    return out
