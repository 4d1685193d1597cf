"""``/products/categories`` (a WordPress taxonomy: ``product_cat`` terms).

Docs: woocommerce-rest-api-docs ``_product-categories.md``. Terms cannot be
trashed (``force`` must be true, else ``woocommerce_rest_trash_not_supported``
501); an unknown id is ``woocommerce_rest_term_invalid`` (404, the example in
``_introduction.md``); a name already used under the same parent is WordPress's
``term_exists`` (400, with the existing ``term_id``); ``count`` is the number
of products in the category; the list is ordered by name, ascending.
"""

from __future__ import annotations

from typing import Any

from ..errors import ApiError, invalid_id, missing_param
from ..http import NAMESPACE, Request, Response, Router
from ..pagination import paginate
from ..params import Params
from .common import (
    Shop,
    batch,
    created_response,
    filter_ids,
    links,
    order_and_sort,
    slugify,
    unique_slug,
)

__all__ = ["register"]


def register(router: Router, shop: Shop) -> None:
    lock = shop.store.lock
    base = f"/{NAMESPACE}/products/categories"

    def get(term_id: int) -> dict[str, Any]:
        term = shop.data.categories.get(term_id)
        if term is None:
            raise invalid_id("woocommerce_rest_term_invalid", "Resource does not exist.")
        return term

    def count(term_id: int) -> int:
        return sum(
            1
            for p in shop.data.products.values()
            if p["status"] != "trash" and any(c["id"] == term_id for c in p["categories"])
        )

    def render(req: Request, term: dict[str, Any]) -> dict[str, Any]:
        out = {
            k: term[k]
            for k in (
                "id",
                "name",
                "slug",
                "parent",
                "description",
                "display",
                "image",
                "menu_order",
            )
        }
        out["count"] = count(term["id"])
        extra = {"up": f"{base}/{term['parent']}"} if term["parent"] else {}
        out["_links"] = links(req, "products/categories", term["id"], **extra)
        return out

    def write(term: dict[str, Any], body: dict[str, Any], creating: bool) -> None:
        p = Params({}, body, {})
        if creating and not (p.string("name") or "").strip():
            raise missing_param(["name"])
        if "name" in body:
            term["name"] = (p.string("name") or "").strip()
        if "parent" in body:
            parent = p.integer("parent", 0) or 0
            if parent and parent not in shop.data.categories:
                raise ApiError(400, "woocommerce_rest_term_invalid", "Parent term does not exist.")
            term["parent"] = parent
        for other in shop.data.categories.values():
            if (
                other is not term
                and other["parent"] == term["parent"]
                and other["name"].casefold() == term["name"].casefold()
            ):
                raise ApiError(
                    400,
                    "term_exists",
                    "A term with the name provided already exists with this parent.",
                    extra_data={"resource_id": other["id"], "term_id": other["id"]},
                )
        if "description" in body:
            term["description"] = p.string("description") or ""
        if "display" in body:
            term["display"] = p.enum("display", ["default", "products", "subcategories", "both"])
        if "menu_order" in body:
            term["menu_order"] = p.integer("menu_order", 0)
        if "image" in body:
            image = body["image"]
            term["image"] = (
                None
                if not isinstance(image, dict)
                else {
                    "id": int(image.get("id") or shop.store.next_id("post")),
                    "src": str(image.get("src", "")),
                    "name": str(image.get("name", "")),
                    "alt": str(image.get("alt", "")),
                }
            )
        if "slug" in body or creating:
            wanted = slugify(p.string("slug") or term["name"])
            if "slug" in body and any(
                o is not term and o["slug"] == wanted for o in shop.data.categories.values()
            ):
                raise ApiError(
                    400,
                    "duplicate_term_slug",
                    f'The slug "{wanted}" is already in use by another term.',
                )
            term["slug"] = unique_slug(
                wanted, [o["slug"] for o in shop.data.categories.values() if o is not term]
            )

    def create(body: dict[str, Any]) -> dict[str, Any]:
        term: dict[str, Any] = {
            "id": 0,
            "name": "",
            "slug": "",
            "parent": 0,
            "description": "",
            "display": "default",
            "image": None,
            "menu_order": 0,
        }
        write(term, body, True)
        term["id"] = shop.store.next_id("term")
        shop.data.categories[term["id"]] = term
        shop.store.mark_dirty()
        return term

    def update(term_id: int, body: dict[str, Any]) -> dict[str, Any]:
        term = get(term_id)
        write(term, body, False)
        shop.store.mark_dirty()
        return term

    def delete(term_id: int, force: bool) -> dict[str, Any]:
        term = get(term_id)
        if not force:
            raise ApiError(
                501, "woocommerce_rest_trash_not_supported", "Resource does not support trashing."
            )
        del shop.data.categories[term_id]
        for product in shop.data.products.values():
            product["categories"] = [c for c in product["categories"] if c["id"] != term_id]
        for child in shop.data.categories.values():
            if child["parent"] == term_id:
                child["parent"] = term["parent"]
        shop.store.mark_dirty()
        return term

    def list_terms(req: Request) -> Response:
        p = req.params
        with lock:
            items = list(shop.data.categories.values())
            items, include = filter_ids(items, p)
            if p.has("parent"):
                parent = p.integer("parent", 0)
                items = [t for t in items if t["parent"] == parent]
            slug = p.string("slug")
            if slug:
                items = [t for t in items if t["slug"] == slug]
            search = p.string("search")
            if search:
                needle = search.casefold()
                items = [
                    t
                    for t in items
                    if needle in t["name"].casefold()
                    or needle in t["slug"]
                    or needle in t["description"].casefold()
                ]
            if p.boolean("hide_empty", False):
                items = [t for t in items if count(t["id"])]
            product = p.integer("product")
            if product:
                owned = {
                    c["id"]
                    for c in shop.data.products.get(product, {"categories": []})["categories"]
                }
                items = [t for t in items if t["id"] in owned]
            items = order_and_sort(
                items,
                p,
                {
                    "name": lambda t: t["name"].casefold(),
                    "id": lambda t: t["id"],
                    "slug": lambda t: t["slug"],
                    "term_group": lambda t: 0,
                    "description": lambda t: t["description"],
                    "count": lambda t: count(t["id"]),
                },
                default_orderby="name",
                default_order="asc",
                include=include,
            )
            page, headers = paginate(items, p, collection_url=req.url(base), query=req.query)
            return Response([render(req, t) for t in page], headers=headers)

    def create_route(req: Request) -> Response:
        with lock:
            return created_response(
                req, render(req, create(req.params.body)), "products/categories"
            )

    def get_route(req: Request) -> Response:
        with lock:
            return Response(render(req, get(int(req.params.url["id"]))))

    def update_route(req: Request) -> Response:
        with lock:
            return Response(render(req, update(int(req.params.url["id"]), req.params.body)))

    def delete_route(req: Request) -> Response:
        with lock:
            term = delete(int(req.params.url["id"]), req.params.boolean("force"))
            return Response(render(req, term) | {"count": 0})

    def batch_route(req: Request) -> Response:
        with lock:
            return batch(
                req,
                create=lambda b: render(req, create(b)),
                update=lambda i, b: render(req, update(i, b)),
                delete=lambda i: render(req, delete(i, True)) | {"count": 0},
            )

    router.add(f"{base}/batch", "POST PUT PATCH", batch_route, batch=True)
    router.add(base, "GET", list_terms, collection=True)
    router.add(base, "POST", create_route, collection=True)
    router.add(f"{base}/<id>", "GET", get_route)
    router.add(f"{base}/<id>", "PUT PATCH POST", update_route)
    router.add(f"{base}/<id>", "DELETE", delete_route)
