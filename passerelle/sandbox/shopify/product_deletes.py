"""Deleting products and variants, as the merchant does in the Shopify admin.

- ``productDelete(input: {id})`` (mutations/productDelete, 2026-01): the product, its
  variants and their inventory items go; an unknown product is a user error on ``id``
  ("Product does not exist"), HTTP 200.
- ``productVariantsBulkDelete(productId, variantsIds)`` (mutations/productVariantsBulkDelete,
  enums/ProductVariantsBulkDeleteUserErrorCode): ``PRODUCT_DOES_NOT_EXIST``,
  ``AT_LEAST_ONE_VARIANT_DOES_NOT_BELONG_TO_THE_PRODUCT``, and
  ``CANNOT_DELETE_LAST_VARIANT`` (a product keeps at least one variant: delete the
  product instead).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .views import Views, gid, parse_gid

__all__ = ["ProductDeletes"]


def _err(field: list[str], message: str, code: str | None = None) -> dict[str, Any]:
    return {"field": field, "message": message, "code": code}


class ProductDeletes:
    def __init__(self, state: dict[str, Any], views: Views, mark_dirty: Callable[[], None]) -> None:
        self.state, self.views, self.dirty = state, views, mark_dirty

    def _drop_variant(self, number: int) -> None:
        variant = self.state["variants"].pop(str(number), None)
        if variant is not None:
            self.state["inventory_items"].pop(str(variant["inventory_item_id"]), None)

    def product_delete(self, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
        number = parse_gid(input.get("id") or "", "Product")
        product = self.state["products"].pop(str(number), None)
        if product is None:
            return {
                "deletedProductId": None,
                "userErrors": [_err(["id"], "Product does not exist")],
            }
        for variant in product["variants"]:
            self._drop_variant(variant)
        self.dirty()
        return {"deletedProductId": gid("Product", product["id"]), "userErrors": []}

    def variants_bulk_delete(
        self,
        productId: str,
        variantsIds: list[str],  # noqa: N803
    ) -> dict[str, Any]:
        product = self.state["products"].get(str(parse_gid(productId, "Product")))
        if product is None:
            return {
                "product": None,
                "userErrors": [
                    _err(["productId"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST")
                ],
            }
        numbers = [parse_gid(v, "ProductVariant") for v in variantsIds]
        if any(n not in product["variants"] for n in numbers):
            return {
                "product": None,
                "userErrors": [
                    _err(
                        ["variantsIds"],
                        "The variants specified do not all belong to the product",
                        "AT_LEAST_ONE_VARIANT_DOES_NOT_BELONG_TO_THE_PRODUCT",
                    )
                ],
            }
        if set(product["variants"]) <= set(numbers):
            return {
                "product": None,
                "userErrors": [
                    _err(
                        ["variantsIds"],
                        "Cannot delete the last variant of a product",
                        "CANNOT_DELETE_LAST_VARIANT",
                    )
                ],
            }
        for number in numbers:
            assert number is not None
            self._drop_variant(number)
        product["variants"] = [v for v in product["variants"] if v not in numbers]
        self.dirty()
        return {"product": self.views.product(product), "userErrors": []}
