"""Wix products -> :class:`ShopProduct`, and drafts -> Wix product bodies, V1 and V3.

Docs:
- Catalog V3 product: ``variantsInfo.variants[]`` with ``id``, ``sku``, ``barcode``,
  ``visible``, ``price.actualPrice.amount`` (a decimal string), ``physicalProperties.weight``,
  ``choices[].optionChoiceNames``; ``plainDescription``; ``allCategoriesInfo.categories``;
  a product without options has one variant
  (dev.wix.com/docs/rest/business-solutions/stores/catalog-v3/introduction,
  dev.wix.com/docs/api-reference/business-solutions/stores/catalog-v3/catalog-v1-to-v3-migration-guide);
  its quantities live in Inventory Items V3 (``variantId``, ``quantity``, ``trackQuantity``)
  (dev.wix.com/docs/rest/business-solutions/stores/catalog-v3/inventory-items-v3/inventory-item-object);
- Catalog V1 product: ``sku``, ``priceData.price`` (a JSON number), ``weight``,
  ``description`` (HTML), ``visible``, ``stock {trackInventory, quantity}``,
  ``collectionIds``, ``manageVariants`` and ``variants[]`` with ``variant {sku,
  priceData, weight}`` and ``stock {trackQuantity, quantity}``
  (dev.wix.com/docs/rest/business-solutions/stores/catalog/query-products).

A variation's shop id is ``<product id>/<variant id>``; a product's is its id.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from passerelle.connectors.wix.translate_orders import money, parse_time
from passerelle.model import ProductDraft, ShopProduct

__all__ = [
    "V1_DEFAULT_VARIANT",
    "quantity_of",
    "v1_body",
    "v1_products",
    "v3_body",
    "v3_products",
]

#: The variant id of a V1 product without options (Update Inventory Variants example).
V1_DEFAULT_VARIANT = "00000000-0000-0000-0000-000000000000"


def _optional_decimal(raw: Any) -> Decimal | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, float):
        # V1 sends JSON numbers: their shortest text is the value the shop holds.
        return Decimal(repr(raw))
    return Decimal(str(raw))


def quantity_of(item: Mapping[str, Any] | None) -> int | None:
    """The quantity an inventory record offers, None when it is not counted."""
    if not item or not (item.get("trackQuantity") or item.get("trackInventory")):
        return None
    return int(item.get("quantity") or 0)


def _choices(variant: Mapping[str, Any]) -> str:
    names = [
        str((c.get("optionChoiceNames") or {}).get("choiceName") or "")
        for c in variant.get("choices") or []
    ]
    return " / ".join(n for n in names if n)


def v3_products(
    raw: Mapping[str, Any],
    categories: Mapping[str, str],
    stock: Mapping[str, Mapping[str, Any]],
) -> Iterator[ShopProduct]:
    """A V3 product and its variations; ``stock`` holds inventory items by variant id."""
    pid = str(raw["id"])
    variants = (raw.get("variantsInfo") or {}).get("variants") or []
    names = tuple(
        categories[str(c.get("id"))]
        for c in (raw.get("allCategoriesInfo") or {}).get("categories") or []
        if str(c.get("id")) in categories
    )
    common: dict[str, Any] = {
        "description": str(raw.get("plainDescription") or ""),
        "category_names": names,
        "active": bool(raw.get("visible", True)),
        "modified_at": parse_time(raw["updatedDate"]) if raw.get("updatedDate") else None,
    }
    name = str(raw.get("name") or "")
    if len(variants) == 1 and not raw.get("options"):
        only = variants[0]
        yield ShopProduct(
            shop_id=pid,
            sku=str(only.get("sku") or ""),
            name=name,
            regular_price=money((only.get("price") or {}).get("actualPrice")),
            weight=_optional_decimal((only.get("physicalProperties") or {}).get("weight")),
            barcode=str(only.get("barcode") or ""),
            stock_quantity=quantity_of(stock.get(str(only.get("id")))),
            **common,
        )
        return
    parent_sku = ""
    yield ShopProduct(shop_id=pid, sku=parent_sku, name=name, regular_price=None, **common)
    for variant in variants:
        vid = str(variant["id"])
        yield ShopProduct(
            shop_id=f"{pid}/{vid}",
            sku=str(variant.get("sku") or ""),
            name=f"{name} ({_choices(variant)})" if _choices(variant) else name,
            regular_price=money((variant.get("price") or {}).get("actualPrice")),
            weight=_optional_decimal((variant.get("physicalProperties") or {}).get("weight")),
            barcode=str(variant.get("barcode") or ""),
            parent_sku=parent_sku,
            stock_quantity=quantity_of(stock.get(vid)),
            **(common | {"active": bool(variant.get("visible", True)) and common["active"]}),
        )


def v1_products(raw: Mapping[str, Any], collections: Mapping[str, str]) -> Iterator[ShopProduct]:
    """A V1 product and, when it manages variants, its variations."""
    pid = str(raw["id"])
    common: dict[str, Any] = {
        "description": str(raw.get("description") or ""),
        "category_names": tuple(
            collections[c] for c in raw.get("collectionIds") or [] if c in collections
        ),
        "active": bool(raw.get("visible", True)),
        "modified_at": parse_time(raw["lastUpdated"]) if raw.get("lastUpdated") else None,
    }
    price = _optional_decimal((raw.get("priceData") or {}).get("price"))
    if not raw.get("manageVariants"):
        yield ShopProduct(
            shop_id=pid,
            sku=str(raw.get("sku") or ""),
            name=str(raw.get("name") or ""),
            regular_price=price,
            weight=_optional_decimal(raw.get("weight")),
            stock_quantity=quantity_of(raw.get("stock")),
            **common,
        )
        return
    sku = str(raw.get("sku") or "")
    yield ShopProduct(
        shop_id=pid, sku=sku, name=str(raw.get("name") or ""), regular_price=price, **common
    )
    for variant in raw.get("variants") or []:
        data = variant.get("variant") or {}
        choices = " / ".join(str(v) for v in (variant.get("choices") or {}).values())
        yield ShopProduct(
            shop_id=f"{pid}/{variant['id']}",
            sku=str(data.get("sku") or ""),
            name=f"{raw.get('name') or ''} ({choices})" if choices else str(raw.get("name") or ""),
            regular_price=_optional_decimal((data.get("priceData") or {}).get("price")),
            weight=_optional_decimal(data.get("weight")),
            parent_sku=sku,
            stock_quantity=quantity_of(variant.get("stock")),
            **common,
        )


def _asked(fields: frozenset[str] | None, *names: str) -> bool:
    return fields is None or any(n in fields for n in names)


def v3_body(draft: ProductDraft, fields: frozenset[str] | None = None) -> dict[str, Any]:
    """The product-level part of a V3 product (name, texts, visibility)."""
    body: dict[str, Any] = {}
    if _asked(fields, "name"):
        body["name"] = draft.name
    if _asked(fields, "description") and draft.description:
        body["plainDescription"] = draft.description
    if _asked(fields, "active", "hidden"):
        body["visible"] = draft.active and not draft.hidden
    return body


def v3_variant(draft: ProductDraft, fields: frozenset[str] | None = None) -> dict[str, Any]:
    """A V3 variant's own values (SKU, price as a decimal string, weight, barcode)."""
    body: dict[str, Any] = {}
    if _asked(fields, "sku"):
        body["sku"] = draft.sku
    if _asked(fields, "regular_price", "price"):
        body["price"] = {"actualPrice": {"amount": str(draft.regular_price)}}
    if _asked(fields, "weight") and draft.weight is not None:
        body["physicalProperties"] = {"weight": float(draft.weight)}
    if _asked(fields, "barcode") and draft.barcode:
        body["barcode"] = draft.barcode
    return body


def v1_body(draft: ProductDraft, fields: frozenset[str] | None = None) -> dict[str, Any]:
    """A V1 product body: its price and weight are JSON numbers there (the API's type)."""
    body: dict[str, Any] = {}
    if _asked(fields, "name"):
        body["name"] = draft.name
    if _asked(fields, "sku"):
        body["sku"] = draft.sku
    if _asked(fields, "regular_price", "price"):
        body["priceData"] = {"price": float(draft.regular_price)}
    if _asked(fields, "weight") and draft.weight is not None:
        body["weight"] = float(draft.weight)
    if _asked(fields, "description") and draft.description:
        body["description"] = draft.description
    if _asked(fields, "active", "hidden"):
        body["visible"] = draft.active and not draft.hidden
    return body
