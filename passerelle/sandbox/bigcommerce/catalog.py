"""v3 catalog: products and variants (categories: ``categories``; stock: ``inventory``).

Built from ``reference/catalog/products_catalog.v3.yml`` (``GET/POST/PUT
/catalog/products``: the batch ``PUT`` takes at most 10 products; what a body may not
hold: ``product_rules``) and ``reference/catalog/product-variants_catalog.v3.yml``
(``POST /catalog/products/{product_id}/variants``; ``PUT /catalog/variants`` takes at
most 50 variants).
"""

from __future__ import annotations

import re
from typing import Any

from .brands import Brands, brand_named
from .listing import ids_filter, paginate
from .product_rules import check_batch, check_product
from .state import Resource
from .wire import ApiError, Request, Response

__all__ = ["Catalog"]

PRODUCT_BATCH = 10
VARIANT_BATCH = 50

_PRODUCT_DEFAULTS: dict[str, Any] = {
    "type": "physical",
    "sku": "",
    "description": "",
    "weight": 0,
    "width": 0,
    "depth": 0,
    "height": 0,
    "price": 0,
    "cost_price": 0,
    "retail_price": 0,
    "sale_price": 0,
    "map_price": 0,
    "tax_class_id": 0,
    "product_tax_code": "",
    "categories": [],
    "brand_id": 0,
    "inventory_level": 0,
    "inventory_warning_level": 0,
    "inventory_tracking": "none",
    "fixed_cost_shipping_price": 0,
    "is_free_shipping": False,
    "is_visible": True,
    "is_featured": False,
    "related_products": [-1],
    "warranty": "",
    "bin_picking_number": "",
    "upc": "",
    "mpn": "",
    "gtin": "",
    "search_keywords": "",
    "availability": "available",
    "availability_description": "",
    "sort_order": 0,
    "condition": "New",
    "is_condition_shown": False,
    "order_quantity_minimum": 0,
    "order_quantity_maximum": 0,
    "page_title": "",
    "meta_keywords": [],
    "meta_description": "",
    "view_count": 0,
    "is_price_hidden": False,
    "price_hidden_label": "",
    "total_sold": 0,
}
_PRODUCT_WRITABLE = set(_PRODUCT_DEFAULTS) | {"name"}
_VARIANT_WRITABLE = {
    "sku",
    "price",
    "sale_price",
    "retail_price",
    "map_price",
    "cost_price",
    "weight",
    "width",
    "height",
    "depth",
    "is_free_shipping",
    "purchasing_disabled",
    "purchasing_disabled_message",
    "upc",
    "mpn",
    "gtin",
    "inventory_level",
    "inventory_warning_level",
    "bin_picking_number",
    "image_url",
}


def _slug(name: str) -> str:
    return "/" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + "/"


class Catalog(Resource):
    """Products and variants."""

    # ---------------------------------------------------------------- products
    def render(
        self,
        product: dict[str, Any],
        include: set[str],
        by_product: dict[int, list[dict[str, Any]]] | None = None,
    ) -> dict[str, Any]:
        out = dict(product)
        out["calculated_price"] = product["sale_price"] or product["price"]
        variants = (
            by_product.get(product["id"], [])
            if by_product is not None
            else [v for v in self.data["variants"].values() if v["product_id"] == product["id"]]
        )
        if product["inventory_tracking"] == "variant":
            out["inventory_level"] = sum(v["inventory_level"] for v in variants)
        if "variants" in include:
            out["variants"] = [self.render_variant(v) for v in variants]
        if "custom_fields" in include:
            out["custom_fields"] = self.data.get("custom_fields", {}).get(str(product["id"]), [])
        return out

    def render_variant(self, variant: dict[str, Any]) -> dict[str, Any]:
        out = dict(variant)
        product = self.data["products"][str(variant["product_id"])]
        out["calculated_price"] = variant["sale_price"] or variant["price"] or product["price"]
        out["calculated_weight"] = variant["weight"] or product["weight"]
        return out

    def list_products(self, req: Request) -> Response:
        products = sorted(self.data["products"].values(), key=lambda p: p["id"])
        ids = ids_filter(req, "id:in")
        if ids is not None:
            products = [p for p in products if p["id"] in ids]
        skus = req.arg("sku:in") or req.arg("sku")
        if skus:
            wanted = set(skus.split(",")) if req.arg("sku:in") else {skus}
            products = [p for p in products if p["sku"] in wanted]
        include = set(req.arg("include").split(","))
        chunk, meta = paginate(req, products)
        by_product: dict[int, list[dict[str, Any]]] = {}
        for variant in self.data["variants"].values():
            by_product.setdefault(variant["product_id"], []).append(variant)
        return Response(
            {"data": [self.render(p, include, by_product) for p in chunk], "meta": meta}
        )

    def _check_product(self, body: dict[str, Any], *, creating: bool) -> None:
        check_product(self.data, body, creating=creating)

    def _brand_of(self, body: dict[str, Any]) -> dict[str, Any]:
        """``brand_name`` (product_Base): "If the brand already exists, the product /PUT or
        /POST request adds the product to the brand. If not, the product /PUT or /POST
        request creates the brand… Brand name is not case-sensitive"; the response body
        does not include it."""
        name = body.get("brand_name")
        if not name:
            return body
        brand = brand_named(self.data, name) or Brands(self.state).create_brand({"name": name})
        return {**body, "brand_id": brand["id"]}

    def create_product(self, req: Request) -> Response:
        body = req.body
        if not isinstance(body, dict):
            raise ApiError(422, "JSON data is missing or invalid")
        self._check_product(body, creating=True)
        body = self._brand_of(body)
        now = self.state.now()
        pid = self.state.next_id("product")
        product = {
            "id": pid,
            **_PRODUCT_DEFAULTS,
            **{k: v for k, v in body.items() if k in _PRODUCT_WRITABLE},
            "date_created": now,
            "date_modified": now,
            "custom_url": {"url": _slug(body["name"]), "is_customized": False},
        }
        if isinstance(body.get("custom_url"), dict):
            product["custom_url"] = {
                "url": body["custom_url"]["url"],
                "is_customized": bool(body["custom_url"].get("is_customized", True)),
            }
        self.data.setdefault("custom_fields", {})[str(pid)] = [
            {"id": self.state.next_id("custom_field"), "name": f["name"], "value": f["value"]}
            for f in body.get("custom_fields") or []
        ]
        self.data["products"][str(pid)] = product
        base = self._new_variant(product, {"sku": product["sku"]}, [])
        product["base_variant_id"] = base["id"]
        for raw in body.get("variants") or []:
            self._create_variant(product, raw)
        self.state.dirty()
        return Response({"data": self.render(product, {"variants"}), "meta": {}})

    def update_products(self, req: Request) -> Response:
        body = req.body
        if not isinstance(body, list) or not body:
            raise ApiError(422, "JSON data is missing or invalid")
        if len(body) > PRODUCT_BATCH:
            raise ApiError(
                413,
                f"The request payload is too large. The maximum items "
                f"allowed in the array is {PRODUCT_BATCH}",
            )
        for raw in body:
            if not isinstance(raw, dict) or str(raw.get("id")) not in self.data["products"]:
                # The batch declares 409/413/422, no 404: an unknown id is "not valid".
                ident = raw.get("id") if isinstance(raw, dict) else raw
                raise ApiError(
                    422,
                    f"Product {ident} does not exist",
                    {"id": f"Product {ident} does not exist"},
                )
            self._check_product(raw, creating=False)
        check_batch(body)
        out = []
        for raw in body:
            product = self.data["products"][str(raw["id"])]
            raw = self._brand_of(raw)
            product.update({k: v for k, v in raw.items() if k in _PRODUCT_WRITABLE})
            if isinstance(raw.get("custom_url"), dict):
                product["custom_url"] = {
                    "url": raw["custom_url"]["url"],
                    "is_customized": bool(raw["custom_url"].get("is_customized", True)),
                }
            product["date_modified"] = self.state.now()
            out.append(self.render(product, set()))
        self.state.dirty()
        return Response({"data": out, "meta": {}})

    # ---------------------------------------------------------------- variants
    def _new_variant(
        self, product: dict[str, Any], raw: dict[str, Any], option_values: list[dict[str, Any]]
    ) -> dict[str, Any]:
        vid = self.state.next_id("variant")
        variant = {
            "id": vid,
            "product_id": product["id"],
            "sku": "",
            "sku_id": vid,
            # map_price is a plain number in productVariant_Base (not nullable).
            "price": None,
            "sale_price": None,
            "retail_price": None,
            "map_price": 0,
            "cost_price": 0,
            "weight": None,
            "width": None,
            "height": None,
            "depth": None,
            "is_free_shipping": False,
            "fixed_cost_shipping_price": None,
            "purchasing_disabled": False,
            "purchasing_disabled_message": "",
            "image_url": "",
            "upc": "",
            "mpn": "",
            "gtin": "",
            "inventory_level": 0,
            "inventory_warning_level": 0,
            "bin_picking_number": "",
            "option_values": option_values,
        }
        variant.update({k: v for k, v in raw.items() if k in _VARIANT_WRITABLE})
        self.data["variants"][str(vid)] = variant
        return variant

    def _option_values(self, product: dict[str, Any], raw: list[Any]) -> list[dict[str, Any]]:
        """``option_values`` by ``option_display_name`` + ``label``: the product's
        options and their values are made as needed (variants doc, create example)."""
        out = []
        options = self.data["options"].setdefault(str(product["id"]), [])
        for value in raw:
            name, label = value.get("option_display_name"), value.get("label")
            if not name or not label:
                raise ApiError(422, "option_values need option_display_name and label")
            option = next((o for o in options if o["display_name"] == name), None)
            if option is None:
                option = {
                    "id": self.state.next_id("option"),
                    "display_name": name,
                    "type": "rectangles",
                    "option_values": [],
                }
                options.append(option)
            found = next((v for v in option["option_values"] if v["label"] == label), None)
            if found is None:
                found = {"id": self.state.next_id("option_value"), "label": label}
                option["option_values"].append(found)
            out.append(
                {
                    "id": found["id"],
                    "label": label,
                    "option_id": option["id"],
                    "option_display_name": name,
                }
            )
        return out

    def _create_variant(self, product: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
        if not raw.get("option_values"):
            raise ApiError(
                422,
                "JSON data is missing or invalid",
                {"option_values": "option_values are required"},
            )
        sku = raw.get("sku")
        if sku and (
            any(v["sku"] == sku for v in self.data["variants"].values())
            or any(
                p["sku"] == sku and p["id"] != product["id"] for p in self.data["products"].values()
            )
        ):
            raise ApiError(
                409, f"The variant sku is a duplicate: {sku}", {"sku": "Sku is a duplicate"}
            )
        values = self._option_values(product, raw["option_values"])
        base = self.data["variants"].get(str(product.get("base_variant_id")))
        if base is not None and not base["option_values"]:
            del self.data["variants"][str(base["id"])]  # the options replace the base
            product["base_variant_id"] = None
        return self._new_variant(product, raw, values)

    def list_variants(self, req: Request, product_id: str) -> Response:
        if product_id not in self.data["products"]:
            raise ApiError(404, "The requested product was not found")
        variants = sorted(
            (v for v in self.data["variants"].values() if str(v["product_id"]) == product_id),
            key=lambda v: v["id"],
        )
        chunk, meta = paginate(req, variants)
        return Response({"data": [self.render_variant(v) for v in chunk], "meta": meta})

    def create_variant(self, req: Request, product_id: str) -> Response:
        product = self.data["products"].get(product_id)
        if product is None:
            raise ApiError(404, "The requested product was not found")
        if not isinstance(req.body, dict):
            raise ApiError(422, "JSON data is missing or invalid")
        variant = self._create_variant(product, req.body)
        self.state.dirty()
        return Response({"data": self.render_variant(variant), "meta": {}})

    def update_variants(self, req: Request) -> Response:
        body = req.body
        if not isinstance(body, list) or not body:
            raise ApiError(422, "JSON data is missing or invalid")
        if len(body) > VARIANT_BATCH:
            raise ApiError(
                413,
                f"The request payload is too large. The maximum items "
                f"allowed in the array is {VARIANT_BATCH}",
            )
        for raw in body:
            if str(raw.get("id")) not in self.data["variants"]:
                # updateVariantsBatch's 422 is a "Variants Batch Error Response".
                raise ApiError(
                    422,
                    f"Variant {raw.get('id')} does not exist",
                    {"id": "variant not found"},
                    batch=True,
                )
        out = []
        for raw in body:
            variant = self.data["variants"][str(raw["id"])]
            variant.update({k: v for k, v in raw.items() if k in _VARIANT_WRITABLE})
            out.append(self.render_variant(variant))
        self.state.dirty()
        return Response({"data": out, "meta": {}})
