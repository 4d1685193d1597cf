"""Wix's read endpoints, called raw: what a merchant's other tools see (Catalog V3 sites).

Products: ``POST /stores/v3/products/query`` (cursor paging to the end; a variant's SKU,
price ``price.actualPrice.amount``, weight ``physicalProperties.weight``, barcode,
``visible`` and its option choices; the product's ``plainDescription``, ``visible`` and
``directCategoriesInfo``, both asked for in ``fields``), their stock by
``POST /stores/v3/inventory-items/query`` (``trackQuantity``, ``quantity``)
(dev.wix.com/docs/api-reference/business-solutions/stores/catalog-v3). A V3 product has
no SKU of its own: a product with options is found by its variants' common reference
(``CND`` for ``CND-FIG``...).

Customers: ``POST /contacts/v4/contacts/query`` on ``primaryInfo.email`` (name, company,
first phone, addresses, and the account code in the ``Account code`` custom field of
``info.extendedFields``); an address there has no name of its own, the contact's name,
company and phone are read with it. Wix holds none of the rest (short description, SEO
texts, tax group, brand, warranty, eco-tax, dimensions, minimum quantity, supplier,
group prices, features, images, documents; a contact's group, notes, enabled state,
company number, payment term, credit limit): they are absent.
"""

from __future__ import annotations

import ssl
from decimal import Decimal
from typing import Any

import httpx

from passerelle.model import Address
from passerelle.sandbox.platforms import ShopSandbox

__all__ = ["read_customer", "read_product"]

_ACCOUNT_CODE_KEY = "custom.account-code"  # the "Account code" custom field's key
# What Query Products returns only when asked for (the Query Products recipe's fields).
_FIELDS = ("PLAIN_DESCRIPTION", "DIRECT_CATEGORIES_INFO")


def _post(shop: ShopSandbox, path: str, body: dict[str, Any]) -> Any:
    """A site-level call as Wix takes it: the API key, the site's id (no account id)."""
    profile = shop.profile_shop()
    headers = {"Authorization": next(iter(shop.secrets().values())), "wix-site-id": ""}
    headers["wix-site-id"] = str(profile["site_id"])
    trusted = ssl.create_default_context(cafile=str(profile["http"]["ca_bundle"]))
    with httpx.Client(verify=trusted, timeout=10, headers=headers) as client:
        answer = client.post(f"{profile['api_url']}/{path}", json=body)
        answer.raise_for_status()
        return answer.json()


def _every(
    shop: ShopSandbox, path: str, key: str, query: dict[str, Any], fields: tuple[str, ...] = ()
) -> list[Any]:
    found: list[Any] = []
    paging: dict[str, Any] = {"limit": 100}
    while True:
        body = {
            "query": {**query, "cursorPaging": paging},
            **({"fields": fields} if fields else {}),
        }
        page = _post(shop, path, body)
        found += page[key]
        meta = page.get("pagingMetadata") or {}
        if not meta.get("hasNext"):
            return found
        paging = {"limit": 100, "cursor": meta["cursors"]["next"]}


def _money(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _stock(shop: ShopSandbox, product_id: str) -> dict[str, dict[str, Any]]:
    items = _every(
        shop,
        "stores/v3/inventory-items/query",
        "inventoryItems",
        {"filter": {"productId": {"$in": [product_id]}}},
    )
    return {str(i["variantId"]): i for i in items}


def _product_fields(raw: dict[str, Any]) -> dict[str, object]:
    return {
        "name": raw["name"],
        "description": raw.get("plainDescription") or "",
        "active": bool(raw.get("visible", True)),
        "category_ids": tuple(
            str(c["id"]) for c in (raw.get("directCategoriesInfo") or {}).get("categories") or []
        ),
    }


def _variant_fields(
    raw: dict[str, Any], variant: dict[str, Any], item: dict[str, Any] | None
) -> dict[str, object]:
    tracked = bool(item and item.get("trackQuantity"))
    return {
        "sku": variant["sku"],
        "regular_price": _money(variant["price"]["actualPrice"]["amount"]),
        "weight": _money((variant.get("physicalProperties") or {}).get("weight")),
        "barcode": variant.get("barcode") or "",
        "active": bool(raw.get("visible", True) and variant.get("visible", True)),
        "manage_stock": tracked,
        "stock_quantity": int(item["quantity"]) if tracked and item else None,
    }


def read_product(shop: ShopSandbox, sku: str) -> dict[str, object]:
    for raw in _every(shop, "stores/v3/products/query", "products", {}, fields=_FIELDS):
        variants = raw["variantsInfo"]["variants"]
        if (
            raw.get("options")
            and variants
            and all(str(v.get("sku") or "").startswith(f"{sku}-") for v in variants)
        ):
            return {**_product_fields(raw), "kind": "variable"}
        for variant in variants:
            if variant.get("sku") != sku:
                continue
            item = _stock(shop, raw["id"]).get(variant["id"])
            shown = {**_product_fields(raw), **_variant_fields(raw, variant, item)}
            if not raw.get("options"):
                return {**shown, "kind": "simple"}
            choices = tuple(
                (c["optionChoiceNames"]["optionName"], c["optionChoiceNames"]["choiceName"])
                for c in variant.get("choices") or []
            )
            return {**shown, "kind": "variation", "variation_options": choices}
    raise LookupError(f"no Wix product or variant has the SKU {sku}")


def read_customer(shop: ShopSandbox, email: str) -> dict[str, object]:
    found = _post(
        shop,
        "contacts/v4/contacts/query",
        {"query": {"filter": {"primaryInfo.email": {"$eq": email.lower()}}}},
    )["contacts"]
    if not found:
        raise LookupError(f"no Wix contact has the e-mail {email}")
    info = found[0]["info"]
    name = info.get("name") or {}
    phones = (info.get("phones") or {}).get("items") or []
    phone = str(phones[0].get("phone") or "") if phones else ""
    first, last, company = name.get("first", ""), name.get("last", ""), info.get("company", "")
    return {
        "email": found[0]["primaryInfo"]["email"],
        "first_name": first,
        "last_name": last,
        "name": f"{first} {last}".strip(),
        "company": company,
        "phone": phone,
        "code": str(
            ((info.get("extendedFields") or {}).get("items") or {}).get(_ACCOUNT_CODE_KEY, "")
        ),
        "addresses": tuple(
            Address(
                first_name=first,
                last_name=last,
                company=company,
                street=a["address"].get("addressLine", ""),
                street2=a["address"].get("addressLine2", ""),
                postal_code=a["address"].get("postalCode", ""),
                city=a["address"].get("city", ""),
                country_code=a["address"].get("country", ""),
                subdivision=a["address"].get("subdivision", ""),
                phone=phone,
            )
            for a in (info.get("addresses") or {}).get("items") or []
        ),
    }
