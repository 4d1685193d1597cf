"""Catalogue routes: products, categories, MSI source items.

Docs (admin-schema-2.4.9.yaml, AdobeDocs/commerce-webapi):
- ``POST /V1/products`` and ``PUT /V1/products/{sku}`` take ``{"product": ...,
  "saveOptions": bool}`` (``catalog-data-product-interface``) and answer the
  saved product; a save merges: attributes left out keep their value; a POST
  whose SKU exists updates that product (the repository saves by SKU).
- ``GET /V1/products`` / ``/V1/categories/list`` / ``/V1/inventory/source-items``
  take ``searchCriteria`` and answer ``{items, search_criteria, total_count}``.
- configurable products (options, children): ``configurable.py``.
- ``POST /V1/inventory/source-items`` ``{"sourceItems": [{sku, source_code,
  quantity, status}]}`` (``inventory-api-data-source-item-interface``);
  since 2.4.3 a list input holds at most 20 entities by default
  (``get-started/api-security``: "Maximum items of type ... is 20").
- ``status`` 1 enabled / 2 disabled; ``visibility`` 1 not visible
  individually, 4 catalog and search.

Strict and lenient where Magento is (magento/magento2 source, the docs being silent):

- a save by SKU of a product that does not exist creates it, ``PUT`` included
  (``ProductRepository::save`` catches ``NoSuchEntityException`` and goes on as a
  new product), so a new product's required attributes apply;
- a SKU holds 64 characters (``Product\\Attribute\\Backend\\Sku::SKU_MAX_LENGTH``):
  "SKU length should be 64 characters or less.";
- ``url_key`` defaults to the name made URL-safe (``ProductUrlKeyAutogenerator
  Observer``, ``Product\\Url::formatUrlKey``); two products visible in the store
  with the same one are refused "URL key for specified store already exists."
  (the ``url_rewrite`` unique key; products not visible individually get no
  rewrite);
- a product saved with a special price and no ``special_from_date`` starts it that
  day at midnight (``Catalog/Observer/SetSpecialPriceStartDate.php``, on
  ``catalog_product_save_before``, REST saves included); a date sent or already held
  is kept, and a special price removed leaves its dates;
- a custom attribute code the store does not define is accepted and dropped: the
  Web API's ``ServiceInputProcessor`` takes any code, the EAV entity saves only its
  own attributes;
- ``DELETE /V1/products/{sku}`` answers ``true``; MSI removes the product's
  source items ("Synchronize with Catalog"), its reservations stay;
- ``media_gallery_entries`` in a save replaces the gallery (``media.py``);
- ``GET /V1/taxClasses/search`` lists tax classes (``class_type`` ``PRODUCT`` or
  ``CUSTOMER``).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from .errors import MagentoError, not_found
from .media import Gallery
from .search import Criteria, search

__all__ = ["PRODUCT_ATTRIBUTES", "Catalog", "url_key"]

SKU_MAX_LENGTH = 64
# The product EAV attributes of a 2.4 store that travel as ``custom_attributes``
# (attribute set "Default"), besides the dropdowns of ``configurable.py``.
PRODUCT_ATTRIBUTES = frozenset(
    {
        "description",
        "short_description",
        "url_key",
        "meta_title",
        "meta_keyword",
        "meta_description",
        "special_price",
        "special_from_date",
        "special_to_date",
        "cost",
        "tax_class_id",
        "manufacturer",
        "country_of_manufacture",
        "news_from_date",
        "news_to_date",
        "gift_message_available",
        "msrp",
        "msrp_display_actual_price_type",
        "image",
        "small_image",
        "thumbnail",
        "swatch_image",
        "options_container",
        "required_options",
        "has_options",
        "category_ids",
        "custom_layout_update_file",
        "page_layout",
        "url_path",
    }
)


def url_key(name: str) -> str:
    """``Product\\Url::formatUrlKey``: transliterated, lower case, ``-`` between words."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


_STATUS = (1, 2)
# ``catalog-inventory-data-stock-item-interface`` requires all of these in an answer;
# the values are the store defaults the docs' own answers show (REST tutorial
# "Create the simple products", magento/devdocs ``rest/tutorials/bundle-product``).
_STOCK_DEFAULTS: dict[str, Any] = {
    "stock_id": 1,
    "qty": 0,
    "is_in_stock": False,
    "is_qty_decimal": False,
    "show_default_notification_message": False,
    "use_config_min_qty": True,
    "min_qty": 0,
    "use_config_min_sale_qty": 1,
    "min_sale_qty": 1,
    "use_config_max_sale_qty": True,
    "max_sale_qty": 10000,
    "use_config_backorders": True,
    "backorders": 0,
    "use_config_notify_stock_qty": True,
    "notify_stock_qty": 1,
    "use_config_qty_increments": True,
    "qty_increments": 0,
    "use_config_enable_qty_inc": True,
    "enable_qty_increments": False,
    "use_config_manage_stock": True,
    "manage_stock": True,
    "low_stock_date": None,
    "is_decimal_divided": False,
    "stock_status_changed_auto": 0,
}


def _custom(record: dict[str, Any], code: str) -> Any:
    return next(
        (
            a.get("value")
            for a in record.get("custom_attributes") or []
            if a.get("attribute_code") == code
        ),
        None,
    )


class Catalog:
    def __init__(
        self, data: dict[str, Any], now: Any, source_code: str = "default", list_limit: int = 20
    ) -> None:
        self.data = data
        self.now = now
        self.source_code = source_code
        self.list_limit = list_limit
        self.gallery = Gallery(data)

    # ------------------------------------------------------------------ products
    def _value(self, record: dict[str, Any], field: str) -> Any:
        if field in record:
            return record[field]
        if field == "category_id":
            return ",".join(
                str(c["category_id"])
                for c in record.get("extension_attributes", {}).get("category_links", [])
            )
        return _custom(record, field)

    def render(self, product: dict[str, Any]) -> dict[str, Any]:
        out = dict(product)
        ext = dict(out.get("extension_attributes") or {})
        item = self.data["source_items"].get(f"{self.source_code}|{product['sku']}")
        stock = dict(_STOCK_DEFAULTS, item_id=product["id"], product_id=product["id"])
        stock.update(ext.get("stock_item") or {})
        if item is not None:
            stock.update({"qty": item["quantity"], "is_in_stock": bool(item["status"])})
        stock["qty"] = float(stock.get("qty") or 0)
        stock["is_in_stock"] = bool(stock.get("is_in_stock"))
        ext["stock_item"] = stock
        if product["type_id"] == "configurable":
            ext["configurable_product_options"] = [
                dict(o) for o in self.data.get("options", {}).get(product["sku"]) or []
            ]
            ext["configurable_product_links"] = [
                self.data["products"][s]["id"]
                for s in self.data["children"].get(product["sku"], [])
                if s in self.data["products"]
            ]
        out["extension_attributes"] = ext
        out["media_gallery_entries"] = [dict(e) for e in Gallery.entries(product)]
        return out

    def list_products(self, criteria: Criteria) -> dict[str, Any]:
        items, total = search(self.data["products"].values(), criteria, self._value)
        return {
            "items": [self.render(p) for p in items],
            "search_criteria": criteria.echo(),
            "total_count": total,
        }

    def get_product(self, sku: str) -> dict[str, Any]:
        product = self.data["products"].get(sku)
        if product is None:
            raise not_found("product")
        return self.render(product)

    def save_product(self, body: dict[str, Any], sku: str | None = None) -> dict[str, Any]:
        raw = body.get("product")
        if not isinstance(raw, dict):
            raise MagentoError(
                400, '"%fieldName" is required. Enter and try again.', {"fieldName": "product"}
            )
        sku = sku or raw.get("sku")
        if not sku:
            raise MagentoError(
                400, 'The "%1" attribute value is empty. Set the attribute and try again.', ["sku"]
            )
        if len(str(sku)) > SKU_MAX_LENGTH:
            raise MagentoError(400, "SKU length should be %1 characters or less.", [SKU_MAX_LENGTH])
        if len(raw.get("custom_attributes") or []) > self.list_limit:
            raise MagentoError(
                400,
                'Maximum items of type "%type" is %max',
                {"type": "\\Magento\\Framework\\Api\\AttributeInterface", "max": self.list_limit},
            )
        existing = self.data["products"].get(sku)
        if existing is None:
            for field in ("name", "price", "attribute_set_id"):
                if field not in raw and not (
                    field == "price" and raw.get("type_id") in ("configurable", "grouped")
                ):
                    raise MagentoError(
                        400,
                        'The "%1" attribute value is empty. Set the attribute and try again.',
                        [field],
                    )
            product: dict[str, Any] = {
                "id": self.data["next"]["product"],
                "sku": sku,
                "type_id": "simple",
                "status": 1,
                "visibility": 4,
                "price": 0,
                "weight": None,
                "created_at": self.now(),
                "extension_attributes": {"website_ids": [1]},
                "custom_attributes": [],
                "product_links": [],
                "options": [],
                "media_gallery_entries": [],
                "tier_prices": [],
            }
            self.data["next"]["product"] += 1
        else:
            product = existing
        for link in raw.get("product_links") or []:
            if link.get("linked_product_sku") not in self.data["products"]:
                raise MagentoError(
                    404,
                    'The Product with the "%1" SKU doesn\'t exist.',
                    [link.get("linked_product_sku")],
                )
        if raw.get("status") not in (None, *_STATUS):
            raise MagentoError(
                400,
                'Invalid value of "%value" provided for the %fieldName field.',
                {"value": raw["status"], "fieldName": "status"},
            )
        gallery = raw.get("media_gallery_entries")
        if isinstance(gallery, list):  # refused before anything is saved
            held = {str(e["id"]) for e in product.get("media_gallery_entries") or []}
            for entry in gallery:
                if isinstance(entry, dict) and str(entry.get("id")) not in held:
                    Gallery.validated(entry.get("content"))
        for field, value in raw.items():
            if field in (
                "id",
                "sku",
                "extension_attributes",
                "custom_attributes",
                "created_at",
                "updated_at",
                "media_gallery_entries",
            ):
                continue
            product[field] = value
        ext = dict(product.get("extension_attributes") or {})
        for field, value in (raw.get("extension_attributes") or {}).items():
            if field == "category_links":
                for link in value:
                    if str(link.get("category_id")) not in self.data["categories"]:
                        raise MagentoError(
                            400,
                            'Could not save product "%1" with position %2 to category %3',
                            [product["id"], link.get("position", 0), link.get("category_id")],
                        )
            if field == "stock_item":
                self._stock_from_item(sku, value)
                value = {**(ext.get(field) or {}), **value}  # a save merges the stock item
            ext[field] = value
        product["extension_attributes"] = ext
        attrs = {a["attribute_code"]: a for a in product.get("custom_attributes") or []}
        known = PRODUCT_ATTRIBUTES | set(self.data.get("attributes") or {})
        for attribute in raw.get("custom_attributes") or []:
            if attribute.get("attribute_code") in known:
                attrs[attribute["attribute_code"]] = {
                    "attribute_code": attribute["attribute_code"],
                    "value": attribute.get("value"),
                }
        special = (attrs.get("special_price") or {}).get("value")
        if (
            special not in (None, "", "0", 0)
            and (attrs.get("special_from_date") or {}).get("value") is None
        ):
            # SetSpecialPriceStartDate (catalog_product_save_before): today at midnight.
            attrs["special_from_date"] = {
                "attribute_code": "special_from_date",
                "value": f"{self.now()[:10]} 00:00:00",
            }
        if existing is None and "tax_class_id" not in attrs:  # the attribute's default
            attrs["tax_class_id"] = {"attribute_code": "tax_class_id", "value": "2"}
        if not (attrs.get("url_key") or {}).get("value"):
            attrs["url_key"] = {
                "attribute_code": "url_key",
                "value": url_key(str(product.get("name") or sku)),
            }
        self._unique_url_key(sku, product, str(attrs["url_key"]["value"]))
        product["custom_attributes"] = list(attrs.values())
        self.gallery.save_entries(product, gallery)
        product["updated_at"] = self.now()
        self.data["products"][sku] = product
        return self.render(product)

    def _unique_url_key(self, sku: str, product: dict[str, Any], key: str) -> None:
        if product.get("visibility", 4) == 1:
            return
        for other in self.data["products"].values():
            if (
                other["sku"] != sku
                and other.get("visibility", 4) != 1
                and _custom(other, "url_key") == key
            ):
                raise MagentoError(400, "URL key for specified store already exists.")

    def delete_product(self, sku: str) -> bool:
        if self.data["products"].pop(sku, None) is None:
            raise not_found("product")
        for source in [k for k, v in self.data["source_items"].items() if v["sku"] == sku]:
            del self.data["source_items"][source]
        for children in self.data["children"].values():
            if sku in children:
                children.remove(sku)
        self.data["children"].pop(sku, None)
        self.data.get("options", {}).pop(sku, None)
        return True

    def search_tax_classes(self, criteria: Criteria) -> dict[str, Any]:
        items, total = search((self.data.get("tax_classes") or {}).values(), criteria)
        return {
            "items": [dict(c) for c in items],
            "search_criteria": criteria.echo(),
            "total_count": total,
        }

    def _stock_from_item(self, sku: str, item: dict[str, Any]) -> None:
        """A legacy ``stock_item`` in a product save writes the default source (single source)."""
        if "qty" not in item:
            return
        quantity = float(item.get("qty") or 0)
        status = int(bool(item.get("is_in_stock", quantity > 0)))
        self.data["source_items"][f"{self.source_code}|{sku}"] = {
            "sku": sku,
            "source_code": self.source_code,
            "quantity": quantity,
            "status": status,
        }

    # --------------------------------------------------------------- categories
    def list_categories(self, criteria: Criteria) -> dict[str, Any]:
        items, total = search(self.data["categories"].values(), criteria)
        return {
            "items": [dict(c) for c in items],
            "search_criteria": criteria.echo(),
            "total_count": total,
        }

    def save_category(self, body: dict[str, Any], cid: str | None = None) -> dict[str, Any]:
        raw = body.get("category")
        if not isinstance(raw, dict):
            raise MagentoError(
                400, '"%fieldName" is required. Enter and try again.', {"fieldName": "category"}
            )
        if cid is not None:
            category = self.data["categories"].get(cid)
            if category is None:
                raise MagentoError(
                    404,
                    "No such entity with %fieldName = %fieldValue",
                    {"fieldName": "id", "fieldValue": cid},
                )
        else:
            if not raw.get("name"):
                raise MagentoError(
                    400,
                    'The "%1" attribute value is empty. Set the attribute and try again.',
                    ["name"],
                )
            new_id = self.data["next"]["category"]
            self.data["next"]["category"] += 1
            category = {
                "id": new_id,
                "parent_id": 2,
                "is_active": True,
                "position": 1,
                "include_in_menu": True,
                "created_at": self.now(),
            }
        parent_id = str(raw.get("parent_id", category["parent_id"]))
        parent = self.data["categories"].get(parent_id)
        if parent is None:
            raise MagentoError(
                404,
                "No such entity with %fieldName = %fieldValue",
                {"fieldName": "id", "fieldValue": parent_id},
            )
        for field in ("name", "is_active", "position", "include_in_menu"):
            if field in raw:
                category[field] = raw[field]
        category.update(
            {
                "parent_id": int(parent_id),
                "level": parent["level"] + 1,
                "path": f"{parent['path']}/{category['id']}",
                "updated_at": self.now(),
            }
        )
        self.data["categories"][str(category["id"])] = category
        return dict(category)

    # ------------------------------------------------------------- source items
    def save_source_items(self, body: dict[str, Any]) -> list[Any]:
        items = body.get("sourceItems")
        if not isinstance(items, list) or not items:
            raise MagentoError(400, "Input data is invalid")
        if len(items) > self.list_limit:
            raise MagentoError(
                400,
                'Maximum items of type "%type" is %max',
                {
                    "type": "\\Magento\\InventoryApi\\Api\\Data\\SourceItemInterface",
                    "max": self.list_limit,
                },
            )
        for item in items:
            # No catalogue check: MSI saves source items of any SKU (magento/magento2#38154).
            if not str(item.get("sku") or "").strip() or item.get("status") not in (0, 1):
                raise MagentoError(400, "Validation Failed")
        for item in items:
            source = item.get("source_code") or self.source_code
            self.data["source_items"][f"{source}|{item['sku']}"] = {
                "sku": item["sku"],
                "source_code": source,
                "quantity": float(item.get("quantity") or 0),
                "status": int(item["status"]),
            }
        return []

    def list_source_items(self, criteria: Criteria) -> dict[str, Any]:
        items, total = search(self.data["source_items"].values(), criteria)
        return {
            "items": [dict(i) for i in items],
            "search_criteria": criteria.echo(),
            "total_count": total,
        }
