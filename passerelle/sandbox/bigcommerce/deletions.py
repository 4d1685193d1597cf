"""A merchant deleting a product or one variant of it (v3 catalog).

From ``reference/catalog/products_catalog.v3.yml`` (``DELETE
/catalog/products/{product_id}``: 204 No Content, the product with its variants,
options and images) and ``reference/catalog/product-variants_catalog.v3.yml``
(``DELETE /catalog/products/{product_id}/variants/{variant_id}``: 204). A
product or variant that does not exist answers 404. Orders keep their lines:
an order product stores its own name, SKU and prices.
"""

from __future__ import annotations

from collections.abc import Callable

from .state import Resource, State
from .wire import ApiError, Request, Response

__all__ = ["Deletions"]


class Deletions(Resource):
    """Product and variant deletes (a product's images go with it: ``forget_images``)."""

    def __init__(self, state: State, forget_images: Callable[[str], None]) -> None:
        super().__init__(state)
        self.forget_images = forget_images

    def delete_product(self, req: Request, product_id: str) -> Response:
        if self.data["products"].pop(product_id, None) is None:
            raise ApiError(404, "The requested product was not found")
        for vid in [
            k for k, v in self.data["variants"].items() if str(v["product_id"]) == product_id
        ]:
            del self.data["variants"][vid]
        self.data["options"].pop(product_id, None)
        self.data.setdefault("custom_fields", {}).pop(product_id, None)
        self.forget_images(product_id)
        self.state.dirty()
        return Response(None, status=204)

    def delete_variant(self, req: Request, product_id: str, variant_id: str) -> Response:
        variant = self.data["variants"].get(variant_id)
        if variant is None or str(variant["product_id"]) != product_id:
            raise ApiError(404, "The requested variant was not found")
        del self.data["variants"][variant_id]
        self.state.dirty()
        return Response(None, status=204)
