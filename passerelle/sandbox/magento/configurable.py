"""Dropdown product attributes and configurable products: their options and children.

Docs (AdobeDocs/commerce-webapi, tutorial "Create a configurable product",
``src/pages/rest/tutorials/configurable-product/plan-product.md`` and
``define-config-product-options.md``; the admin OpenAPI file for the shapes):

- ``GET /V1/products/attributes/{attributeCode}`` answers
  ``catalog-data-product-attribute-interface``: ``attribute_id``, ``options``
  ``[{label, value}]`` (the first one the blank ``" "``/``""``). An unknown
  code is 404 'The attribute with a "%1" attributeCode doesn't exist.'.
- ``POST /V1/products/attributes/{attributeCode}/options`` ``{"option": {"label"}}``
  adds a value and answers its id as a string; a label already there (case
  ignored) is 400 'Admin store attribute option label "%1" already exists.'
  (``Magento\\Eav\\Model\\Entity\\Attribute\\OptionManagement::add``).
- ``POST /V1/configurable-products/{sku}/options`` ``{"option": {attribute_id,
  label, position, is_use_default, values: [{value_index}]}}`` makes the
  attribute a configurable axis and answers the option id (an integer); as
  ``Magento\\ConfigurableProduct\\Model\\OptionRepository::save``: attribute id,
  label and values are required, an axis the product already has is 400
  "Product already has this option".
- ``POST /V1/configurable-products/{sku}/child`` ``{"childSku"}`` answers
  ``true``; as ``Magento\\ConfigurableProduct\\Model\\LinkManagement::addChild``:
  an unknown parent or child is 404, a child already linked 400 "The product is
  already attached.", a parent with no option 400 "The parent product doesn't
  have configurable product options.", a child with no value for an option's
  attribute 400 'The child product doesn't have the "%1" attribute value.'.
  Linking re-reads the option's values from the attribute (every value it has).
- ``GET /V1/configurable-products/{sku}/children`` lists the children.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import MagentoError, not_found

__all__ = ["Configurables", "seed_attributes"]


def seed_attributes() -> dict[str, Any]:
    """The demo store's attributes: the dropdowns Magento's ``color`` (id 93), the sample
    data's ``size`` (141), and ``scent``, which the demo merchant added for candles; the
    text attribute ``barcode`` the merchant added."""

    def attribute(attribute_id: int, code: str, label: str) -> dict[str, Any]:
        return {
            "attribute_id": attribute_id,
            "attribute_code": code,
            "frontend_input": "select",
            "entity_type_id": "4",
            "is_required": False,
            "is_user_defined": True,
            "default_frontend_label": label,
            "frontend_labels": [],
            "scope": "global",
            "backend_type": "int",
            "options": [{"label": " ", "value": ""}],
        }

    # The demo merchant's barcode: core Magento has no barcode attribute, so the merchant
    # added a text one to the Default set (Stores > Attributes > Product).
    barcode = dict(
        attribute(161, "barcode", "Barcode"),
        frontend_input="text",
        backend_type="varchar",
        scope="global",
        options=[],
    )
    return {
        "color": attribute(93, "color", "Color"),
        "size": attribute(141, "size", "Size"),
        "scent": attribute(160, "scent", "Scent"),
        "barcode": barcode,
    }


class Configurables:
    def __init__(self, data: dict[str, Any], render: Callable[[dict[str, Any]], Any]) -> None:
        self.data = data
        self.render = render
        data.setdefault("attributes", seed_attributes())
        data.setdefault("options", {})  # parent SKU → its configurable options
        data["next"].setdefault("option_value", 200)
        data["next"].setdefault("configurable_option", 1)

    # ---------------------------------------------------------------- attributes
    def attribute(self, code: str) -> dict[str, Any]:
        found = self.data["attributes"].get(code)
        if found is None:
            raise MagentoError(
                404,
                'The attribute with a "%1" attributeCode doesn\'t exist. '
                "Verify the attribute and try again.",
                [code],
            )
        return found

    def add_value(self, code: str, body: dict[str, Any]) -> str:
        attribute = self.attribute(code)
        label = str((body.get("option") or {}).get("label") or "").strip()
        if not label:
            raise MagentoError(
                400, "The attribute option label is empty. Enter the value and try again."
            )
        if any(o["label"].upper() == label.upper() for o in attribute["options"]):
            raise MagentoError(
                400, 'Admin store attribute option label "%1" already exists.', [label]
            )
        value = str(self.data["next"]["option_value"])
        self.data["next"]["option_value"] += 1
        attribute["options"].append({"label": label, "value": value})
        return value

    def _by_id(self, attribute_id: Any) -> dict[str, Any] | None:
        return next(
            (
                a
                for a in self.data["attributes"].values()
                if str(a["attribute_id"]) == str(attribute_id)
            ),
            None,
        )

    # --------------------------------------------------------------- configurable
    def add_option(self, sku: str, body: dict[str, Any]) -> int:
        product = self.data["products"].get(sku)
        if product is None:
            raise not_found("product")
        raw = body.get("option") or {}
        for field, text in (
            ("attribute_id", "Option attribute ID is not specified."),
            ("label", "Option label is not specified."),
            ("values", "Option values are not specified."),
        ):
            if not raw.get(field):
                raise MagentoError(400, text)
        if any(not v.get("value_index") for v in raw["values"]):
            raise MagentoError(400, "Value index is not specified for an option.")
        attribute = self._by_id(raw["attribute_id"])
        if attribute is None:
            raise MagentoError(
                404,
                'The attribute with a "%1" attributeId doesn\'t exist. '
                "Verify the attribute and try again.",
                [raw["attribute_id"]],
            )
        options = self.data["options"].setdefault(sku, [])
        if any(str(o["attribute_id"]) == str(attribute["attribute_id"]) for o in options):
            raise MagentoError(400, "Product already has this option")
        option_id = self.data["next"]["configurable_option"]
        self.data["next"]["configurable_option"] += 1
        options.append(
            {
                "id": option_id,
                "attribute_id": str(attribute["attribute_id"]),
                "label": raw["label"],
                "position": int(raw.get("position") or 0),
                "values": [{"value_index": int(v["value_index"])} for v in raw["values"]],
                "product_id": product["id"],
            }
        )
        product["type_id"] = "configurable"  # OptionRepository::save sets the type
        return option_id

    def add_child(self, sku: str, body: dict[str, Any]) -> bool:
        parent = self.data["products"].get(sku)
        child = self.data["products"].get(str(body.get("childSku")))
        if parent is None or child is None:
            raise not_found("product")
        children = self.data["children"].setdefault(sku, [])
        if child["sku"] in children:
            raise MagentoError(400, "The product is already attached.")
        options = self.data["options"].get(sku) or []
        if not options:
            raise MagentoError(400, "The parent product doesn't have configurable product options.")
        values = {a["attribute_code"]: a.get("value") for a in child.get("custom_attributes") or []}
        for option in options:
            attribute = self._by_id(option["attribute_id"]) or {}
            if not values.get(attribute.get("attribute_code")):
                raise MagentoError(
                    400,
                    'The child product doesn\'t have the "%1" attribute '
                    "value. Verify the value and try again.",
                    [attribute.get("attribute_code")],
                )
            option["values"] = [
                {"value_index": int(o["value"])} for o in attribute["options"] if o["value"]
            ]
        children.append(child["sku"])
        return True

    def children(self, sku: str) -> list[dict[str, Any]]:
        if sku not in self.data["products"]:
            raise not_found("product")
        return [
            self.render(self.data["products"][s])
            for s in self.data["children"].get(sku, [])
            if s in self.data["products"]
        ]

    def options_of(self, sku: str) -> list[dict[str, Any]]:
        return [dict(o) for o in self.data["options"].get(sku) or []]
