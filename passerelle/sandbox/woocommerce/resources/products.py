"""``/products``, ``/products/<id>/variations`` and their batches.

Docs: woocommerce-rest-api-docs ``source/includes/wp-api-v3/_products.md`` and
``_product-variations.md`` (fields, list parameters, trash vs ``force``,
batch of 100). Behaviour from the controllers in woocommerce
``includes/rest-api/Controllers/Version3/class-wc-rest-products-controller.php``:
``sku`` may list several SKUs separated by commas and then also matches
variations (returned as products of type ``variation``); a duplicate SKU is
``product_invalid_sku`` (400) with the owner in ``data.resource_id``; a
``global_unique_id`` (GTIN, UPC, EAN or ISBN, WooCommerce 9.2+) another
product or variation holds is ``product_invalid_global_unique_id`` (400,
owner in ``data.resource_id``: ``WC_Product::set_global_unique_id``); a
product saved without category lands in "Uncategorized"; ``stock_quantity``
is ``null`` unless ``manage_stock``; ``stock_status`` follows the quantity
when stock is managed. ``prepare_object_for_database``: ``type`` may change
a product's kind on update; a variable or grouped product has no price of
its own (``regular_price``/``sale_price`` cleared); ``grouped_products`` is
applied to a grouped product only, which never manages stock; local
``attributes`` are replaced whole (by ``name``, with ``options``,
``visible``, ``variation``); upsell and cross-sell ids keep positive ids;
an error while saving (an image that cannot be fetched) leaves the product
as it was. Images: ``media.py``. Languages: ``wpml.py``. Routes:
``product_routes.py``.

From the source too: updating an id that does not exist is 400
``woocommerce_rest_product_invalid_id`` / ``…_product_variation_invalid_id``
(``WC_REST_CRUD_Controller::update_item``; reading or deleting it is 404);
SKUs are compared case-insensitively (MySQL collation of the lookup table);
``WC_Product::set_tax_class`` turns a class the shop lacks into the standard
one without an error; a variation keeps only the attributes its parent uses
for variations. Prices, sale prices and the variable parent's price:
``product_props.py``; variation names: ``variation_names.py``.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from ..errors import ApiError, invalid_id
from ..http import NAMESPACE, Request
from ..params import Params
from .common import (
    Shop,
    apply_meta_data,
    links,
    set_dates,
    slugify,
    unique_slug,
)
from .lookup_index import FieldIndex
from .media import MediaLibrary
from .product_props import attribute, derive, price_html, set_prices, sync_variable
from .variation_names import variation_name, variation_title
from .wpml import Wpml

__all__ = ["PRODUCT_STATUSES", "ProductService"]

PRODUCT_STATUSES = ["draft", "pending", "private", "publish"]
PRODUCT_TYPES = ["simple", "grouped", "external", "variable"]
STOCK_STATUSES = ["instock", "outofstock", "onbackorder"]
BACKORDERS = ["no", "notify", "yes"]
UNCATEGORIZED_ID = 15

_PRODUCT_DEFAULTS: dict[str, Any] = {
    "name": "",
    "slug": "",
    "permalink": "",
    "date_created": None,
    "date_created_gmt": None,
    "date_modified": None,
    "date_modified_gmt": None,
    "type": "simple",
    "status": "publish",
    "featured": False,
    "catalog_visibility": "visible",
    "description": "",
    "short_description": "",
    "sku": "",
    "global_unique_id": "",
    "price": "",
    "regular_price": "",
    "sale_price": "",
    "date_on_sale_from": None,
    "date_on_sale_from_gmt": None,
    "date_on_sale_to": None,
    "date_on_sale_to_gmt": None,
    "price_html": "",
    "on_sale": False,
    "purchasable": False,
    "total_sales": 0,
    "virtual": False,
    "downloadable": False,
    "downloads": [],
    "download_limit": -1,
    "download_expiry": -1,
    "external_url": "",
    "button_text": "",
    "tax_status": "taxable",
    "tax_class": "",
    "manage_stock": False,
    "stock_quantity": None,
    "stock_status": "instock",
    "backorders": "no",
    "backorders_allowed": False,
    "backordered": False,
    "low_stock_amount": None,
    "sold_individually": False,
    "weight": "",
    "dimensions": {"length": "", "width": "", "height": ""},
    "shipping_required": True,
    "shipping_taxable": True,
    "shipping_class": "",
    "shipping_class_id": 0,
    "reviews_allowed": True,
    "average_rating": "0.00",
    "rating_count": 0,
    "related_ids": [],
    "upsell_ids": [],
    "cross_sell_ids": [],
    "parent_id": 0,
    "purchase_note": "",
    "categories": [],
    "tags": [],
    "images": [],
    "attributes": [],
    "default_attributes": [],
    "variations": [],
    "grouped_products": [],
    "menu_order": 0,
    "meta_data": [],
}

_VARIATION_DEFAULTS: dict[str, Any] = {
    "date_created": None,
    "date_created_gmt": None,
    "date_modified": None,
    "date_modified_gmt": None,
    "description": "",
    "permalink": "",
    "sku": "",
    "global_unique_id": "",
    "price": "",
    "regular_price": "",
    "sale_price": "",
    "date_on_sale_from": None,
    "date_on_sale_from_gmt": None,
    "date_on_sale_to": None,
    "date_on_sale_to_gmt": None,
    "on_sale": False,
    "status": "publish",
    "purchasable": False,
    "virtual": False,
    "downloadable": False,
    "downloads": [],
    "download_limit": -1,
    "download_expiry": -1,
    "tax_status": "taxable",
    "tax_class": "",
    "manage_stock": False,
    "stock_quantity": None,
    "stock_status": "instock",
    "backorders": "no",
    "backorders_allowed": False,
    "backordered": False,
    "low_stock_amount": None,
    "weight": "",
    "dimensions": {"length": "", "width": "", "height": ""},
    "shipping_class": "",
    "shipping_class_id": 0,
    "image": None,
    "attributes": [],
    "menu_order": 0,
    "meta_data": [],
    "name": "",
    "type": "variation",
    "parent_id": 0,
}

# Fields a client may write (read-only ones in the docs are ignored when posted).
_WRITABLE_STR = (
    "name",
    "description",
    "short_description",
    "external_url",
    "button_text",
    "purchase_note",
    "weight",
    "shipping_class",
)
_WRITABLE_BOOL = ("featured", "virtual", "downloadable", "sold_individually", "reviews_allowed")


class ProductService:
    """Create / update / delete / render products and variations (lock held by callers)."""

    def __init__(self, shop: Shop, *, languages: tuple[str, ...] = ()) -> None:
        self.shop = shop
        self.media = MediaLibrary(shop)
        self.wpml = Wpml(shop, languages)
        # wc_product_meta_lookup.sku (MySQL's case-insensitive collation) and
        # wp_posts.post_name, as indexed look-ups (lookup_index.py).
        self.skus = FieldIndex(
            lambda: (shop.data.products, shop.data.variations),
            lambda record: str(record.get("sku") or "").casefold(),
        )
        self.slugs = FieldIndex(lambda: (shop.data.products,), lambda record: record["slug"])

    # -- lookups --------------------------------------------------------------
    def get_product(self, product_id: int) -> dict[str, Any]:
        product = self.shop.data.products.get(product_id)
        if product is None:
            raise invalid_id("woocommerce_rest_product_invalid_id")
        return product

    def get_variation(self, product_id: int, variation_id: int) -> dict[str, Any]:
        variation = self.shop.data.variations.get(variation_id)
        if variation is None or variation["parent_id"] != product_id:
            raise invalid_id("woocommerce_rest_product_variation_invalid_id")
        return variation

    def find_by_sku(self, sku: str) -> dict[str, Any] | None:
        """``wc_get_product_id_by_sku``: products first, then variations (not trashed).

        The look-up is SQL on ``wc_product_meta_lookup.sku`` with MySQL's default
        case-insensitive collation, so ``kit-001`` finds ``KIT-001``."""
        return self.skus.find(sku.casefold(), lambda item: item.get("status") != "trash")

    def product_to_update(self, product_id: int) -> dict[str, Any]:
        """``update_item`` answers an unknown id with 400, not 404
        (``WC_REST_CRUD_Controller::update_item``)."""
        if product_id not in self.shop.data.products:
            raise ApiError(400, "woocommerce_rest_product_invalid_id", "Invalid ID.")
        return self.get_product(product_id)

    def variation_to_update(self, product_id: int, variation_id: int) -> dict[str, Any]:
        variation = self.shop.data.variations.get(variation_id)
        if variation is None or variation["parent_id"] != product_id:
            raise ApiError(400, "woocommerce_rest_product_variation_invalid_id", "Invalid ID.")
        return variation

    def _check_sku(self, sku: str, own_id: int) -> None:
        if not sku:
            return
        owner = self.find_by_sku(sku)
        if owner is not None and owner["id"] != own_id:
            raise ApiError(
                400,
                "product_invalid_sku",
                "Invalid or duplicated SKU.",
                extra_data={"resource_id": owner["id"], "unique_sku": f"{sku}-1"},
            )

    def _check_global_unique_id(self, value: str, own_id: int) -> None:
        """``WC_Product::set_global_unique_id``: an X only as the last character
        (ISBN-10 check digit), and unique among products and variations not
        trashed (``wc_product_has_global_unique_id``, the data store's
        ``is_existing_global_unique_id``)."""
        if not value:
            return
        if not re.fullmatch(r"[0-9\-]*[0-9Xx]?", value):
            raise ApiError(
                400,
                "product_invalid_global_unique_id_format",
                "Invalid GTIN, UPC, EAN, or ISBN. The letter X is only valid as the "
                "final ISBN-10 check digit.",
            )
        for pool in (self.shop.data.products, self.shop.data.variations):
            for item in pool.values():
                if (
                    item.get("global_unique_id") == value
                    and item["id"] != own_id
                    and item.get("status") != "trash"
                ):
                    raise ApiError(
                        400,
                        "product_invalid_global_unique_id",
                        "Invalid or duplicated GTIN, UPC, EAN or ISBN.",
                        extra_data={"resource_id": item["id"]},
                    )

    # -- writes -----------------------------------------------------------------
    def _apply_common(
        self, record: dict[str, Any], body: dict[str, Any], *, validate: bool
    ) -> None:
        """Fields shared by products and variations; ``validate``: against the schema
        (a single request), not for a batch item (``product_props.py``)."""
        params = Params({}, body, {})
        set_prices(record, body, validate=validate)
        if "sku" in body:
            sku = params.string("sku") or ""
            self._check_sku(sku.strip(), record.get("id", 0))
            record["sku"] = sku.strip()
        if "global_unique_id" in body:
            # wc_clean, then only digits, hyphens and X are kept (set_global_unique_id).
            gtin = re.sub(r"[^0-9Xx\-]", "", str(body["global_unique_id"] or "").strip())
            self._check_global_unique_id(gtin, record.get("id", 0))
            record["global_unique_id"] = gtin
        if "description" in body:
            record["description"] = params.string("description") or ""
        if "tax_status" in body:
            record["tax_status"] = params.enum("tax_status", ["taxable", "shipping", "none"])
        if "tax_class" in body:
            record["tax_class"] = self._tax_class(params.string("tax_class") or "")
        if "manage_stock" in body:
            record["manage_stock"] = params.boolean("manage_stock")
        if "stock_quantity" in body:
            quantity = body["stock_quantity"]
            record["_stock"] = None if quantity is None else params.integer("stock_quantity")
        if "stock_status" in body:
            record["_stock_status"] = params.enum("stock_status", STOCK_STATUSES)
        if "backorders" in body:
            record["backorders"] = params.enum("backorders", BACKORDERS)
        if "status" in body and record.get("type") == "variation":
            record["status"] = params.enum("status", ["draft", "pending", "private", "publish"])
        if "menu_order" in body:
            record["menu_order"] = params.integer("menu_order", 0)
        if "weight" in body:
            record["weight"] = params.string("weight") or ""
        if isinstance(body.get("dimensions"), dict):
            dims = dict(record["dimensions"])
            for k in ("length", "width", "height"):
                if k in body["dimensions"]:
                    dims[k] = str(body["dimensions"][k])
            record["dimensions"] = dims
        for key in ("virtual", "downloadable"):
            if key in body:
                record[key] = params.boolean(key)
        if "meta_data" in body:
            record["meta_data"] = apply_meta_data(
                self.shop.store, record["meta_data"], body["meta_data"]
            )
        self.derive(record)

    derive = staticmethod(derive)

    def _tax_class(self, posted: str) -> str:
        """``WC_Product::set_tax_class``: a class the shop does not have becomes the
        standard one (``""``), silently — the product is then taxed at the standard rate."""
        slug = slugify(posted)
        valid = {c["slug"] for c in self.shop.data.tax_classes if c["slug"] != "standard"}
        return slug if slug in valid else ""

    def create_product(self, body: dict[str, Any], *, validate: bool = True) -> dict[str, Any]:
        if body.get("id"):
            raise ApiError(
                400, "woocommerce_rest_product_exists", "Cannot create existing product."
            )
        record = copy.deepcopy(_PRODUCT_DEFAULTS)
        record["id"] = 0
        self._write_product(record, body, creating=True, validate=validate)
        record["id"] = self.shop.store.next_id("post")
        self.shop.data.products[record["id"]] = record
        self._stored(record)
        self.shop.store.mark_dirty()
        # WCML sets the language once the product is saved (an error here
        # is answered although the product exists, as on a real shop).
        self.wpml.set_language(record, body)
        return record

    def _write_product(
        self, record: dict[str, Any], body: dict[str, Any], *, creating: bool, validate: bool
    ) -> None:
        params = Params({}, body, {})
        if "type" in body:
            record["type"] = params.enum("type", PRODUCT_TYPES)
        if "status" in body:
            record["status"] = params.enum("status", PRODUCT_STATUSES)
        if "catalog_visibility" in body:
            record["catalog_visibility"] = params.enum(
                "catalog_visibility", ["visible", "catalog", "search", "hidden"]
            )
        for key in _WRITABLE_STR:
            if key in body:
                record[key] = params.string(key) or ""
        for key in _WRITABLE_BOOL:
            if key in body:
                record[key] = params.boolean(key)
        if "parent_id" in body:
            record["parent_id"] = params.integer("parent_id", 0)
        for key in ("upsell_ids", "cross_sell_ids"):
            if key in body:
                record[key] = [i for i in params.int_list(key) or [] if i > 0]
        if "grouped_products" in body and record["type"] == "grouped":
            record["grouped_products"] = params.int_list("grouped_products") or []
        if "categories" in body:
            record["categories"] = self._categories(body["categories"])
        if "tags" in body and isinstance(body["tags"], list):
            record["tags"] = [
                {"id": int(t.get("id", 0)), "name": t.get("name", ""), "slug": t.get("slug", "")}
                for t in body["tags"]
                if isinstance(t, dict)
            ]
        if "images" in body:
            record["images"] = self.media.resolve(
                body["images"] if isinstance(body["images"], list) else []
            )
        if "attributes" in body and isinstance(body["attributes"], list):
            record["attributes"] = [
                attribute(a, i)
                for i, a in enumerate(body["attributes"])
                if isinstance(a, dict) and a.get("name") and "options" in a
            ]
        if "default_attributes" in body and isinstance(body["default_attributes"], list):
            record["default_attributes"] = [
                {
                    "id": int(a.get("id", 0)),
                    "name": a.get("name", ""),
                    "option": str(a.get("option", "")),
                }
                for a in body["default_attributes"]
                if isinstance(a, dict)
            ]
        self._apply_common(record, body, validate=validate)
        if record["type"] in ("variable", "grouped"):
            record["regular_price"] = record["sale_price"] = ""
        if record["type"] == "grouped":
            record["manage_stock"] = False
            record["_stock"] = None
        if record["type"] != "grouped":
            record["grouped_products"] = []
        self.derive(record)
        if record["type"] == "variable":
            self.sync(record)
        if not record["categories"]:
            record["categories"] = self._categories([{"id": UNCATEGORIZED_ID}])
        if "slug" in body or creating or not record["slug"]:
            wanted = slugify(params.string("slug") or record["name"]) or str(record["id"] or "")
            own = record["id"]
            record["slug"] = (
                unique_slug(wanted, lambda slug: self.slugs.find(slug, lambda p: p["id"] != own))
                if wanted
                else ""
            )
        moment = self.shop.now()
        set_dates(record, moment, created=creating)

    def _stored(self, record: dict[str, Any]) -> None:
        """A product was just stored under its id: the look-up indexes note it."""
        self.skus.note(record)
        self.slugs.note(record)

    def _categories(self, posted: Any) -> list[dict[str, Any]]:
        """Unknown term ids are dropped silently, as ``wp_set_object_terms`` does."""
        out: list[dict[str, Any]] = []
        if not isinstance(posted, list):
            return out
        for cat in posted:
            cat_id = int(cat.get("id", 0)) if isinstance(cat, dict) else 0
            term = self.shop.data.categories.get(cat_id)
            if term is not None and all(c["id"] != cat_id for c in out):
                out.append({"id": cat_id, "name": term["name"], "slug": term["slug"]})
        return out

    def sync(self, parent: dict[str, Any]) -> None:
        """``WC_Product_Variable::sync`` after a child or the parent changed."""
        sync_variable(
            parent,
            [
                self.shop.data.variations[v]
                for v in parent["variations"]
                if v in self.shop.data.variations
            ],
        )

    def update_product(
        self, product_id: int, body: dict[str, Any], *, validate: bool = True
    ) -> dict[str, Any]:
        # Written on a copy: a refused field (an image) leaves the product as it was.
        record = copy.deepcopy(self.product_to_update(product_id))
        self._write_product(record, body, creating=False, validate=validate)
        self.shop.data.products[product_id] = record
        self._stored(record)
        self.shop.store.mark_dirty()
        self.wpml.set_language(record, body)
        return record

    def delete_product(self, product_id: int, force: bool) -> dict[str, Any]:
        record = self.get_product(product_id)
        if force:
            del self.shop.data.products[product_id]
            for vid in record["variations"]:
                self.shop.data.variations.pop(vid, None)
        else:
            if record["status"] == "trash":
                raise ApiError(
                    410, "woocommerce_rest_already_trashed", "The product has already been deleted."
                )
            record["status"] = "trash"
            set_dates(record, self.shop.now(), created=False)
        self.shop.store.mark_dirty()
        return record

    def create_variation(
        self, product_id: int, body: dict[str, Any], *, validate: bool = True
    ) -> dict[str, Any]:
        parent = self.get_product(product_id)
        if body.get("id"):
            raise ApiError(
                400,
                "woocommerce_rest_product_variation_exists",
                "Cannot create existing product_variation.",
            )
        record = copy.deepcopy(_VARIATION_DEFAULTS)
        record["id"] = 0
        record["parent_id"] = product_id
        self._write_variation(record, parent, body, creating=True, validate=validate)
        record["id"] = self.shop.store.next_id("post")
        self.shop.data.variations[record["id"]] = record
        self.skus.note(record, 1)
        parent["variations"].append(record["id"])
        self.sync(parent)
        self.shop.store.mark_dirty()
        return record

    def _write_variation(
        self,
        record: dict[str, Any],
        parent: dict[str, Any],
        body: dict[str, Any],
        *,
        creating: bool,
        validate: bool,
    ) -> None:
        if "attributes" in body and isinstance(body["attributes"], list):
            record["attributes"] = _variation_attributes(parent, body["attributes"])
        if "image" in body:
            image = body["image"]
            ids = self.media.resolve([image], variation=True) if isinstance(image, dict) else []
            record["image"] = ids[0] if ids else None
        self._apply_common(record, body, validate=validate)
        record["name"] = variation_name(record)  # the REST name (variation_names.py)
        set_dates(record, self.shop.now(), created=creating)

    def update_variation(
        self, product_id: int, variation_id: int, body: dict[str, Any], *, validate: bool = True
    ) -> dict[str, Any]:
        record = copy.deepcopy(self.variation_to_update(product_id, variation_id))
        parent = self.get_product(product_id)
        self._write_variation(record, parent, body, creating=False, validate=validate)
        self.shop.data.variations[variation_id] = record
        self.skus.note(record, 1)
        self.sync(parent)
        self.shop.store.mark_dirty()
        return record

    def delete_variation(self, product_id: int, variation_id: int, force: bool) -> dict[str, Any]:
        parent = self.get_product(product_id)
        record = self.get_variation(product_id, variation_id)
        if not force:
            raise ApiError(
                501, "woocommerce_rest_trash_not_supported", "Variations do not support trashing."
            )
        del self.shop.data.variations[variation_id]
        parent["variations"] = [v for v in parent["variations"] if v != variation_id]
        self.sync(parent)
        self.shop.store.mark_dirty()
        return record

    # -- rendering -----------------------------------------------------------------
    def render_product(self, req: Request, record: dict[str, Any]) -> dict[str, Any]:
        out = {k: copy.deepcopy(v) for k, v in record.items() if not k.startswith("_")}
        # A field added since a sandbox state was saved shows its default.
        out = {
            "id": record["id"],
            **{k: out.get(k, copy.deepcopy(v)) for k, v in _PRODUCT_DEFAULTS.items()},
        }
        out["permalink"] = f"{req.site_url}/product/{record['slug']}/"
        out["categories"] = [
            {
                "id": c["id"],
                "name": self.shop.data.categories[c["id"]]["name"],
                "slug": self.shop.data.categories[c["id"]]["slug"],
            }
            for c in record["categories"]
            if c["id"] in self.shop.data.categories
        ]
        out["price_html"] = price_html(record)
        out["has_options"] = record["type"] == "variable"  # WC_Product_Variable::has_options
        out["images"] = self.media.render(req.site_url, record["images"])
        out.update(self.wpml.render(record))
        out["_links"] = links(req, "products", record["id"])
        return out

    def render_variation(self, req: Request, record: dict[str, Any]) -> dict[str, Any]:
        out = {
            "id": record["id"],
            **{k: copy.deepcopy(record.get(k, v)) for k, v in _VARIATION_DEFAULTS.items()},
        }
        parent = self.shop.data.products.get(record["parent_id"])
        slug = parent["slug"] if parent else ""
        query = "&".join(
            f"attribute_{slugify(a['name'])}={a['option']}" for a in record["attributes"]
        )
        out["permalink"] = f"{req.site_url}/product/{slug}/" + (f"?{query}" if query else "")
        out["image"] = self._variation_image(req, record)
        out.update(_inherited_stock(record, parent))
        out["_links"] = links(
            req,
            f"products/{record['parent_id']}/variations",
            record["id"],
            up=f"/{NAMESPACE}/products/{record['parent_id']}",
        )
        return out

    def _variation_image(self, req: Request, record: dict[str, Any]) -> dict[str, Any] | None:
        image = record.get("image")
        rendered = self.media.render(req.site_url, [image]) if image else []
        return rendered[0] if rendered else None

    def render_variation_as_product(self, req: Request, record: dict[str, Any]) -> dict[str, Any]:
        """How ``GET /products?sku=`` shows a variation: a product of type ``variation``."""
        out = {"id": record["id"], **copy.deepcopy(_PRODUCT_DEFAULTS)}
        for key in _PRODUCT_DEFAULTS:
            if key in record:
                out[key] = copy.deepcopy(record[key])
        out["type"] = "variation"
        # The products controller names it with ``get_name()``: its post title.
        out["name"] = variation_title(self.shop.data.products.get(record["parent_id"]), record)
        out["attributes"] = copy.deepcopy(record["attributes"])
        image = self._variation_image(req, record)
        out["images"] = [image] if image else []
        out["categories"] = []
        out["price_html"] = price_html(record)
        out.update(_inherited_stock(record, self.shop.data.products.get(record["parent_id"])))
        out["permalink"] = self.render_variation(req, record)["permalink"]
        out["_links"] = links(
            req, "products", record["id"], up=f"/{NAMESPACE}/products/{record['parent_id']}"
        )
        return out


def _inherited_stock(variation: dict[str, Any], parent: dict[str, Any] | None) -> dict[str, Any]:
    """``WC_Product_Variation::get_manage_stock`` / ``get_stock_quantity`` in the view
    context: a variation that does not manage its stock while its parent does shows
    ``manage_stock`` "parent" and the parent's quantity."""
    if variation["manage_stock"] is True or parent is None or parent["manage_stock"] is not True:
        return {}
    return {"manage_stock": "parent", "stock_quantity": parent["stock_quantity"]}


def _variation_attributes(parent: dict[str, Any], posted: list[Any]) -> list[dict[str, Any]]:
    """A variation's ``attributes`` as ``prepare_object_for_database`` keeps them
    (``class-wc-rest-product-variations-controller.php``): only those naming, by
    ``sanitize_title`` of the name, an attribute of the parent used for
    variations; the others are skipped without an error."""
    axes = {slugify(a["name"]): a for a in parent.get("attributes") or [] if a.get("variation")}
    out = []
    for item in posted:
        axis = axes.get(slugify(str(item.get("name", "")))) if isinstance(item, dict) else None
        if axis is not None:
            out.append({"id": 0, "name": axis["name"], "option": str(item.get("option", ""))})
    return out
