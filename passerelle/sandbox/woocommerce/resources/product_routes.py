"""The routes of ``/products`` and ``/products/<id>/variations`` (list, read, write, batch).

Docs: woocommerce-rest-api-docs ``_products.md`` and ``_product-variations.md``
(list parameters, batch of 100). The records' rules are ``products.py``; here,
what each route reads from the request: ``sku`` (comma list, also matching
variations, case-insensitive like MySQL's collation), filters, ordering, paging,
and that a batch item is not checked against the schema (``validate=False``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..http import NAMESPACE, Request, Response, Router
from ..pagination import paginate
from .common import Shop, batch, created_response, filter_dates, filter_ids, order_and_sort
from .products import PRODUCT_STATUSES, ProductService

__all__ = ["register"]


def register(router: Router, shop: Shop, *, languages: tuple[str, ...] = ()) -> ProductService:
    service = ProductService(shop, languages=languages)
    lock = shop.store.lock
    base = f"/{NAMESPACE}/products"

    def list_products(req: Request) -> Response:
        p = req.params
        with lock:
            status = p.enum("status", ["any", "future", "trash", *PRODUCT_STATUSES], "any")
            items: list[dict[str, Any]] = [
                r
                for r in shop.data.products.values()
                if (r["status"] != "trash" if status == "any" else r["status"] == status)
            ]
            items = service.wpml.filter(items, p.string("lang"))
            skus = p.string("sku")
            if skus:
                # MySQL's case-insensitive collation (see find_by_sku).
                wanted = {s.strip().casefold() for s in skus.split(",") if s.strip()}
                items = [r for r in items if r["sku"].casefold() in wanted]
                items += [
                    v
                    for v in shop.data.variations.values()
                    if v["sku"].casefold() in wanted and v["status"] != "trash"
                ]
            items, include = filter_ids(items, p)
            items = filter_dates(items, p)
            search = p.string("search")
            if search:
                needle = search.casefold()
                items = [
                    r
                    for r in items
                    if needle in r["name"].casefold()
                    or needle in r["description"].casefold()
                    or needle in r.get("short_description", "").casefold()
                ]
            for name in ("slug", "type", "stock_status", "tax_class"):
                value = p.string(name)
                if value:
                    if name == "tax_class" and value == "standard":
                        value = ""
                    items = [r for r in items if r.get(name) == value]
            if p.has("featured"):
                featured = p.boolean("featured")
                items = [r for r in items if r.get("featured") == featured]
            category = p.integer("category")
            if category:
                items = [
                    r for r in items if any(c["id"] == category for c in r.get("categories", []))
                ]
            parents = p.int_list("parent")
            if parents:
                items = [r for r in items if r["parent_id"] in set(parents)]
            items = order_and_sort(
                items,
                p,
                {
                    "date": lambda r: r["date_created_gmt"] or "",
                    "modified": lambda r: r["date_modified_gmt"] or "",
                    "id": lambda r: r["id"],
                    "title": lambda r: r["name"].casefold(),
                    "slug": lambda r: r.get("slug", ""),
                    "price": lambda r: Decimal(r["price"] or "0"),
                    "popularity": lambda r: r.get("total_sales", 0),
                    "rating": lambda r: r.get("average_rating", "0"),
                    "menu_order": lambda r: r.get("menu_order", 0),
                },
                default_orderby="date",
                default_order="desc",
                include=include,
            )
            page, headers = paginate(items, p, collection_url=req.url(base), query=req.query)
            body = [
                service.render_variation_as_product(req, r)
                if r.get("type") == "variation"
                else service.render_product(req, r)
                for r in page
            ]
        return Response(body, headers=headers)

    def create_product(req: Request) -> Response:
        with lock:
            record = service.create_product(req.params.body)
            return created_response(req, service.render_product(req, record), "products")

    def get_product(req: Request) -> Response:
        with lock:
            return Response(service.render_product(req, service.get_product(_id(req, "id"))))

    def update_product(req: Request) -> Response:
        with lock:
            record = service.update_product(_id(req, "id"), req.params.body)
            return Response(service.render_product(req, record))

    def delete_product(req: Request) -> Response:
        with lock:
            record = service.delete_product(_id(req, "id"), req.params.boolean("force"))
            return Response(service.render_product(req, record))

    def batch_products(req: Request) -> Response:
        with lock:
            return batch(
                req,
                create=lambda b: service.render_product(
                    req, service.create_product(b, validate=False)
                ),
                update=lambda i, b: service.render_product(
                    req, service.update_product(i, b, validate=False)
                ),
                delete=lambda i: service.render_product(req, service.delete_product(i, True)),
            )

    def list_variations(req: Request) -> Response:
        p = req.params
        with lock:
            parent = service.get_product(_id(req, "product_id"))
            items = [
                shop.data.variations[v] for v in parent["variations"] if v in shop.data.variations
            ]
            items, include = filter_ids(items, p)
            items = filter_dates(items, p)
            sku = p.string("sku")
            if sku:
                wanted = {s.strip() for s in sku.split(",")}
                items = [v for v in items if v["sku"] in wanted]
            items = order_and_sort(
                items,
                p,
                {
                    "date": lambda r: r["date_created_gmt"] or "",
                    "modified": lambda r: r["date_modified_gmt"] or "",
                    "id": lambda r: r["id"],
                    "title": lambda r: r["name"].casefold(),
                    "slug": lambda r: r["id"],
                    "menu_order": lambda r: r.get("menu_order", 0),
                },
                default_orderby="date",
                default_order="desc",
                include=include,
            )
            page, headers = paginate(
                items,
                p,
                collection_url=req.url(f"{base}/{parent['id']}/variations"),
                query=req.query,
            )
            return Response([service.render_variation(req, v) for v in page], headers=headers)

    def create_variation(req: Request) -> Response:
        with lock:
            pid = _id(req, "product_id")
            record = service.create_variation(pid, req.params.body)
            return created_response(
                req, service.render_variation(req, record), f"products/{pid}/variations"
            )

    def get_variation(req: Request) -> Response:
        with lock:
            pid = _id(req, "product_id")
            service.get_product(pid)
            variation = service.get_variation(pid, _id(req, "id"))
            return Response(service.render_variation(req, variation))

    def update_variation(req: Request) -> Response:
        with lock:
            record = service.update_variation(
                _id(req, "product_id"), _id(req, "id"), req.params.body
            )
            return Response(service.render_variation(req, record))

    def delete_variation(req: Request) -> Response:
        with lock:
            record = service.delete_variation(
                _id(req, "product_id"), _id(req, "id"), req.params.boolean("force")
            )
            return Response(service.render_variation(req, record))

    def batch_variations(req: Request) -> Response:
        with lock:
            # No parent check first: each item meets its own error (a variation
            # deleted with its parent is ``..._variation_invalid_id``, 400).
            pid = _id(req, "product_id")
            return batch(
                req,
                create=lambda b: service.render_variation(
                    req, service.create_variation(pid, b, validate=False)
                ),
                update=lambda i, b: service.render_variation(
                    req, service.update_variation(pid, i, b, validate=False)
                ),
                delete=lambda i: service.render_variation(
                    req, service.delete_variation(pid, i, True)
                ),
            )

    router.add(f"{base}/batch", "POST PUT PATCH", batch_products, batch=True)
    router.add(
        f"{base}/<product_id>/variations/batch", "POST PUT PATCH", batch_variations, batch=True
    )
    router.add(f"{base}/<product_id>/variations", "GET", list_variations, collection=True)
    router.add(f"{base}/<product_id>/variations", "POST", create_variation, collection=True)
    router.add(f"{base}/<product_id>/variations/<id>", "GET", get_variation)
    router.add(f"{base}/<product_id>/variations/<id>", "PUT PATCH POST", update_variation)
    router.add(f"{base}/<product_id>/variations/<id>", "DELETE", delete_variation)
    router.add(base, "GET", list_products, collection=True)
    router.add(base, "POST", create_product, collection=True)
    router.add(f"{base}/<id>", "GET", get_product)
    router.add(f"{base}/<id>", "PUT PATCH POST", update_product)
    router.add(f"{base}/<id>", "DELETE", delete_product)
    return service


def _id(req: Request, name: str) -> int:
    """URL ids only match digits (the router guarantees it)."""
    return int(req.params.url[name])
