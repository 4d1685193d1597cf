"""What ``productSet`` refuses, and the handle it makes, as the reference says.

mutations/productSet and enums/ProductSetUserErrorCode (2026-01), objects/Product:

- a new product needs a title (``BLANK``); at most 3 options (``OPTIONS_OVER_LIMIT``),
  option names and the values of one option unique (``DUPLICATED_OPTION_NAME``,
  ``DUPLICATED_OPTION_VALUE``); at most 2,048 variants since 2024-04
  (``TOO_MANY_VARIANTS``); two variants may not carry the same option values
  (``INVALID_VARIANT``, "The variant '…' already exists"); a price is not negative;
- the handle: given and already another product's → ``HANDLE_NOT_UNIQUE`` ("Handle
  already in use"); not given, it is made from the title and, when taken, Shopify
  silently appends ``-1``, ``-2``… (the lenient side);
- a price that is not a decimal never reaches the resolver: the ``Money`` scalar refuses
  it while the variables are read, a top-level GraphQL error (see :mod:`.schema`).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

__all__ = ["MAX_VARIANTS", "product_set_errors", "slug", "unique_handle"]

MAX_VARIANTS = 2048
MAX_OPTIONS = 3


def _err(field: list[Any], message: str, code: str) -> dict[str, Any]:
    return {"field": [str(f) for f in field], "message": message, "code": code}


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def unique_handle(products: dict[str, Any], title: str, own_id: int | None) -> str:
    """The handle made from ``title``, suffixed until no other product has it."""
    base = slug(title) or "product"
    taken = {p["handle"] for p in products.values() if p["id"] != own_id}
    handle, n = base, 0
    while handle in taken:
        n += 1
        handle = f"{base}-{n}"
    return handle


def _options(data: dict[str, Any]) -> list[dict[str, Any]]:
    options = data.get("productOptions")
    if options is None:
        return []
    errors = []
    if len(options) > MAX_OPTIONS:
        errors.append(_err(["input", "productOptions"], "Options over limit", "OPTIONS_OVER_LIMIT"))
    names = [str(o.get("name") or "").lower() for o in options]
    if len(set(names)) != len(names):
        errors.append(
            _err(["input", "productOptions"], "Duplicated option name.", "DUPLICATED_OPTION_NAME")
        )
    for index, o in enumerate(options):
        values = [str(v.get("name") or "").lower() for v in o.get("values") or []]
        if len(set(values)) != len(values):
            errors.append(
                _err(
                    ["input", "productOptions", index, "values"],
                    "Duplicated option value.",
                    "DUPLICATED_OPTION_VALUE",
                )
            )
    return errors


def _variants(variants: list[dict[str, Any]]) -> list[dict[str, Any]]:
    errors = []
    if len(variants) > MAX_VARIANTS:
        errors.append(
            _err(
                ["input", "variants"],
                f"Products can have at most {MAX_VARIANTS} variants",
                "TOO_MANY_VARIANTS",
            )
        )
    seen: set[tuple[tuple[str, str], ...]] = set()
    for index, v in enumerate(variants):
        combination = tuple(
            sorted(
                (str(o.get("optionName") or "").lower(), str(o.get("name") or "").lower())
                for o in v.get("optionValues") or []
            )
        )
        if combination in seen:
            title = " / ".join(str(o.get("name")) for o in v.get("optionValues") or [])
            errors.append(
                _err(
                    ["input", "variants", index],
                    f"The variant '{title}' already exists.",
                    "INVALID_VARIANT",
                )
            )
        seen.add(combination)
        if v.get("price") is not None and Decimal(str(v["price"])) < 0:
            errors.append(
                _err(
                    ["input", "variants", index, "price"],
                    "Price must be greater than or equal to 0",
                    "INVALID_VARIANT",
                )
            )
    return errors


def product_set_errors(
    products: dict[str, Any], record: dict[str, Any] | None, data: dict[str, Any]
) -> list[dict[str, Any]]:
    errors = []
    if record is None and not data.get("title"):
        errors.append(_err(["input", "title"], "Title can't be blank", "BLANK"))
    own = record["id"] if record else None
    if data.get("handle") and any(
        p["handle"] == data["handle"] and p["id"] != own for p in products.values()
    ):
        errors.append(
            _err(
                ["input", "handle"],
                "Handle already in use. Please provide a new handle.",
                "HANDLE_NOT_UNIQUE",
            )
        )
    return errors + _options(data) + _variants(data.get("variants") or [])
