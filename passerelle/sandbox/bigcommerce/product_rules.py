"""What the v3 catalog refuses in a product body, and with which status.

From ``reference/catalog/products_catalog.v3.yml`` (``product_Base``):
``name``, ``type`` and ``weight`` are required to create (``price`` too); ``name``
is 1–250 characters, ``sku`` at most 255; ``type`` is ``physical`` or
``digital``; ``inventory_tracking`` is ``none``, ``product`` or ``variant``;
prices, weight and dimensions have ``minimum: 0``. ``createProduct`` and
``updateProducts`` answer 409 "``Product`` was in conflict with another
product" for a duplicate name or SKU and for "a missing or invalid
tax_class id", 422 "``Product`` was not valid" for a field out of its schema
``custom_url.url`` is unique too; ``custom_fields`` ``name`` and ``value`` are 1–250
characters, at most 200 a product, each name-value pair once (``custom_fields``)
(docs: "Products", product names must be unique,
https://developer.bigcommerce.com/docs/rest-catalog/products).

``brand_id`` is an integer from 0 to 1,000,000,000, 0 meaning no brand; a product is
"added to the brand" (``brand_name``), so a ``brand_id`` the store has no brand for
is "invalid data", the 422 "``Product`` was not valid" (the file names no other status
for it).
"""

from __future__ import annotations

from typing import Any

from .wire import ApiError

__all__ = ["FIELDS_MAX", "TAX_CLASSES", "check_batch", "check_fields", "check_product"]

FIELDS_MAX = 200  # custom fields per product (``custom_fields``)

# GET /v2/tax_classes (reference/tax_classes.v2.yml): read-only, set in the control panel.
# The three of the doc's example, and the two rates the demo merchant added (the same
# classes as the WooCommerce sandbox's). 0 is the store's default class.
TAX_CLASSES = {
    1: "Non-Taxable Products",
    2: "Shipping",
    3: "Gift Wrapping",
    4: "Reduced rate",
    5: "Intermediate rate",
}
BRAND_ID_MAX = 1_000_000_000
# product_Base weight, width, depth, height: "minimum: 0, maximum: 9999999999".
MEASURE_MAX = 9_999_999_999
_MEASURES = ("weight", "width", "depth", "height")
_AT_LEAST_ZERO = (
    "price",
    "cost_price",
    "retail_price",
    "sale_price",
    "map_price",
    "weight",
    "width",
    "depth",
    "height",
    "inventory_level",
    "inventory_warning_level",
    "order_quantity_minimum",
    "order_quantity_maximum",
)
_ENUMS = {"type": ("physical", "digital"), "inventory_tracking": ("none", "product", "variant")}
_LENGTHS = {
    "name": (1, 250),
    "sku": (0, 255),
    "upc": (0, 32),  # mpn and gtin: no maxLength in product_Base, so none here
    "page_title": (0, 255),
    "warranty": (0, 65535),
    "search_keywords": (0, 65535),
    "brand_name": (0, 255),
}


def check_fields(fields: list[dict[str, Any]]) -> None:
    """422 for a product's fields past the limit or holding one name-value pair twice."""
    if len(fields) > FIELDS_MAX:
        raise ApiError(
            422,
            "The product has too many custom fields",
            {"custom_fields": f"{FIELDS_MAX} custom fields per product limit"},
        )
    pairs = [(f["name"], f["value"]) for f in fields]
    if len(set(pairs)) != len(pairs):
        raise ApiError(
            422,
            "The custom field name-value pair is a duplicate",
            {"custom_fields": "Every name-value pair must be unique inside a product"},
        )


def _invalid(errors: dict[str, str]) -> None:
    if errors:
        raise ApiError(422, "JSON data is missing or invalid", errors)


def _shape(body: dict[str, Any], creating: bool) -> None:
    """422: required fields, lengths, enums, amounts below zero."""
    errors: dict[str, str] = {}
    if creating:
        errors.update(
            {f: f"{f} is required" for f in ("name", "type", "weight", "price") if f not in body}
        )
    for name, (low, high) in _LENGTHS.items():
        value = body.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or not low <= len(value) <= high:
            errors[name] = f"{name} must be a string of {low} to {high} characters"
    for name, allowed in _ENUMS.items():
        if name in body and body[name] not in allowed:
            errors[name] = f"{name} must be one of {', '.join(allowed)}"
    for index, field in enumerate(body.get("custom_fields") or []):
        if not isinstance(field, dict) or not all(
            isinstance(field.get(k), str) and 1 <= len(field[k]) <= 250 for k in ("name", "value")
        ):
            errors[f"custom_fields.{index}"] = "name and value must be 1 to 250 characters"
    _invalid(errors)
    if isinstance(body.get("custom_fields"), list):
        check_fields(body["custom_fields"])
    url = body.get("custom_url")
    if url is not None and (
        not isinstance(url, dict)
        or not isinstance(url.get("url"), str)
        or not url["url"].startswith("/")
    ):
        errors["custom_url"] = "custom_url.url must be a path starting with /"
    for name in _AT_LEAST_ZERO:
        value = body.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            errors[name] = f"{name} must be a number"
        elif value < 0:
            errors[name] = f"{name} must be greater than or equal to 0"
        elif name in _MEASURES and value > MEASURE_MAX:
            errors[name] = f"{name} must be less than or equal to {MEASURE_MAX}"
    _invalid(errors)


def _brand(data: dict[str, Any], body: dict[str, Any]) -> None:
    """422: a ``brand_id`` out of its bounds or of no brand of the store (``brand_name``,
    when given, names the brand instead: ``catalog``)."""
    if "brand_id" not in body or body.get("brand_name"):
        return
    bid = body["brand_id"]
    if isinstance(bid, bool) or not isinstance(bid, int) or not 0 <= bid <= BRAND_ID_MAX:
        _invalid({"brand_id": f"brand_id must be an integer from 0 to {BRAND_ID_MAX}"})
    if bid and str(bid) not in data.get("brands", {}):
        raise ApiError(
            422, f"Brand {bid} does not exist", {"brand_id": f"Brand {bid} does not exist"}
        )


def _conflicts(data: dict[str, Any], body: dict[str, Any]) -> None:
    """409: a name or SKU another product (or variant) carries, an unknown tax class."""
    own = body.get("id")
    name = body.get("name")
    if name and any(
        p["name"].casefold() == str(name).casefold() and p["id"] != own
        for p in data["products"].values()
    ):
        raise ApiError(
            409,
            f"The product name is a duplicate: {name}",
            {"name": "The product name is a duplicate"},
        )
    sku = body.get("sku")
    if sku:
        owners = {p["id"] for p in data["products"].values() if p["sku"] == sku}
        owners |= {v["product_id"] for v in data["variants"].values() if v["sku"] == sku}
        if owners - {own}:
            raise ApiError(
                409, f"The product sku is a duplicate: {sku}", {"sku": "Sku is a duplicate"}
            )
    url = (body.get("custom_url") or {}).get("url")
    if url and any(
        p["custom_url"]["url"] == url and p["id"] != own for p in data["products"].values()
    ):
        raise ApiError(
            409,
            f"The product custom url is a duplicate: {url}",
            {"custom_url": "The custom url is a duplicate"},
        )
    tax_class = body.get("tax_class_id")
    if tax_class not in (None, 0) and tax_class not in TAX_CLASSES:
        raise ApiError(
            409,
            f"The tax class {tax_class} does not exist",
            {"tax_class_id": "invalid tax class id"},
        )


def check_product(data: dict[str, Any], body: dict[str, Any], *, creating: bool) -> None:
    """Raise the error the store answers for this product body (create or batch item)."""
    _shape(body, creating)
    _brand(data, body)
    _conflicts(data, body)
    for cid in body.get("categories") or []:
        if str(cid) not in data["categories"]:
            raise ApiError(
                422, f"Category {cid} does not exist", {"categories": "invalid category id"}
            )


def check_batch(body: list[dict[str, Any]]) -> None:
    """409: two items of one batch giving the same name or SKU to different products."""
    for field in ("name", "sku"):
        seen: dict[str, Any] = {}
        for raw in body:
            value = raw.get(field)
            if not value:
                continue
            key = str(value).casefold() if field == "name" else str(value)
            if key in seen and seen[key] != raw.get("id"):
                raise ApiError(
                    409,
                    f"The product {field} is a duplicate: {value}",
                    {field: f"The product {field} is a duplicate"},
                )
            seen[key] = raw.get("id")
