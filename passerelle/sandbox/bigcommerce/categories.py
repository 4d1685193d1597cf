"""v3 category trees: ``/catalog/trees`` and ``/catalog/trees/categories``.

Built from ``reference/catalog/category-trees_catalog.v3.yml``: the store's trees, and
categories listed by ``tree_id:in`` and paged, created in batches (``name``, ``url``
and ``tree_id`` or ``parent_id`` required; a ``url`` path already used is refused with
422; 201 with a ``SuccessResponse``) and updated in batches (200 with
``SuccessNoContentResponse``).
"""

from __future__ import annotations

from .listing import ids_filter, paginate
from .state import Resource
from .wire import ApiError, Request, Response, page_meta

__all__ = ["Categories"]


class Categories(Resource):
    """Category trees and their categories."""

    def list_trees(self, req: Request) -> Response:
        trees = list(self.data["trees"].values())
        return Response({"data": trees, "meta": page_meta(len(trees), 1, 50, len(trees))})

    def list_categories(self, req: Request) -> Response:
        cats = sorted(self.data["categories"].values(), key=lambda c: c["category_id"])
        trees = ids_filter(req, "tree_id:in")
        if trees is not None:
            cats = [c for c in cats if c["tree_id"] in trees]
        chunk, meta = paginate(req, cats)
        return Response({"data": chunk, "meta": meta})

    def create_categories(self, req: Request) -> Response:
        body = req.body
        if not isinstance(body, list) or not body:
            raise ApiError(422, "JSON data is missing or invalid")
        out = []
        for raw in body:
            # CreateCategories: ``name``, ``url`` and ``tree_id`` or ``parent_id`` required.
            url = raw.get("url")
            if (
                not raw.get("name")
                or not isinstance(url, dict)
                or not url.get("path")
                or (not raw.get("tree_id") and not raw.get("parent_id"))
            ):
                raise ApiError(
                    422,
                    "Input is invalid",
                    {"name": "name, url and tree_id or parent_id are required"},
                )
            if any(c["url"]["path"] == url["path"] for c in self.data["categories"].values()):
                raise ApiError(
                    422, "Input is invalid", {"url": f"url {url['path']} is already used"}
                )
            parent = int(raw.get("parent_id") or 0)
            if parent and str(parent) not in self.data["categories"]:
                raise ApiError(422, "Input is invalid", {"parent_id": "parent not found"})
            tree = raw.get("tree_id") or self.data["categories"][str(parent)]["tree_id"]
            cid = self.state.next_id("category")
            cat = {
                "category_id": cid,
                "parent_id": parent,
                "tree_id": tree,
                "name": raw["name"],
                "description": raw.get("description", ""),
                "views": 0,
                "sort_order": raw.get("sort_order", 0),
                "page_title": "",
                "meta_keywords": [],
                "meta_description": "",
                "layout_file": "",
                "image_url": "",
                "is_visible": raw.get("is_visible", True),
                "search_keywords": "",
                "default_product_sort": "use_store_settings",
                "url": {"path": url["path"], "is_customized": bool(url.get("is_customized", True))},
            }
            self.data["categories"][str(cid)] = cat
            out.append(cat)
        self.state.dirty()
        # 201 Created with SuccessResponse (category-trees_catalog.v3.yml, createCategories).
        return Response(
            {"data": out, "meta": {"total": len(out), "success": len(out), "failed": 0}}, status=201
        )

    def update_categories(self, req: Request) -> Response:
        body = req.body
        if not isinstance(body, list) or not body:
            raise ApiError(422, "JSON data is missing or invalid")
        for raw in body:
            if str(raw.get("category_id")) not in self.data["categories"]:
                raise ApiError(422, "Input is invalid", {"category_id": "category not found"})
        for raw in body:
            cat = self.data["categories"][str(raw["category_id"])]
            for key in ("name", "parent_id", "description", "is_visible", "sort_order", "url"):
                if key in raw:
                    cat[key] = raw[key]
        self.state.dirty()
        # 200 with SuccessNoContentResponse (updateCategories), not an empty 204.
        return Response({"meta": {"total": len(body), "success": len(body), "failed": 0}})
