"""A product's custom fields: ``/catalog/products/{product_id}/custom-fields``.

Built from ``reference/catalog/products_catalog.v3.yml`` (``getProductCustomFields``,
``createProductCustomField``, ``updateProductCustomField``, ``deleteProductCustomField``;
online: https://developer.bigcommerce.com/docs/rest-catalog/products/custom-fields):
``name`` and ``value`` are required to create and are 1–250 characters
(``customFieldPost``/``customFieldPut``); "Every name-value pair must be unique inside a
product"; "200 custom fields per product limit". The operations declare 404 for an
unknown product or field and 422 (``GeneralError``) for a body they refuse, so a
duplicate pair or a 201st field is a 422. The list is paged; a delete answers 204.
The same limits hold for ``custom_fields`` given with a new product (``product_rules``).
"""

from __future__ import annotations

from typing import Any

from .listing import paginate
from .product_rules import FIELDS_MAX, check_fields
from .state import Resource
from .wire import ApiError, Request, Response

__all__ = ["FIELDS_MAX", "TEXT_MAX", "CustomFields"]

TEXT_MAX = 250


def _text(body: dict[str, Any], name: str, required: bool) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not 1 <= len(value) <= TEXT_MAX:
        raise ApiError(
            422,
            "The custom field is not valid",
            {name: f"{name} must be a string of 1 to {TEXT_MAX} characters"},
        )
    return value


class CustomFields(Resource):
    """The custom fields of each product, kept under ``custom_fields`` by product id."""

    def _of(self, product_id: str) -> list[dict[str, Any]]:
        if product_id not in self.data["products"]:
            raise ApiError(404, "The requested product was not found")
        fields: list[dict[str, Any]] = self.data.setdefault("custom_fields", {}).setdefault(
            product_id, []
        )
        return fields

    def _one(self, product_id: str, field_id: str) -> dict[str, Any]:
        found = next((f for f in self._of(product_id) if str(f["id"]) == field_id), None)
        if found is None:
            raise ApiError(404, "The requested custom field was not found")
        return found

    def list_fields(self, req: Request, product_id: str) -> Response:
        chunk, meta = paginate(req, sorted(self._of(product_id), key=lambda f: f["id"]))
        return Response({"data": chunk, "meta": meta})

    def create_field(self, req: Request, product_id: str) -> Response:
        fields = self._of(product_id)
        body = req.body if isinstance(req.body, dict) else {}
        name, value = _text(body, "name", True), _text(body, "value", True)
        made = {"id": self.state.next_id("custom_field"), "name": name, "value": value}
        check_fields([*fields, made])
        fields.append(made)
        self.state.dirty()
        return Response({"data": made, "meta": {}})

    def update_field(self, req: Request, product_id: str, field_id: str) -> Response:
        field = self._one(product_id, field_id)
        body = req.body if isinstance(req.body, dict) else {}
        changed = {k: v for k in ("name", "value") if (v := _text(body, k, False)) is not None}
        check_fields([{**f, **changed} if f is field else f for f in self._of(product_id)])
        field.update(changed)
        self.state.dirty()
        return Response({"data": field, "meta": {}})

    def delete_field(self, req: Request, product_id: str, field_id: str) -> Response:
        field = self._one(product_id, field_id)
        self._of(product_id).remove(field)
        self.state.dirty()
        return Response(None, status=204)
