"""Catalog V3 products with variants: the parent with its options, then its variants.

Docs (dev.wix.com/docs/api-reference/business-solutions/stores/catalog-v3/products-v3):
- "About Product Options and Variants": a product's ``options`` (``name``,
  ``optionRenderType`` ``TEXT_CHOICES``, ``choicesSettings.choices`` of ``{choiceType:
  CHOICE_TEXT, name}``) and its ``variantsInfo.variants``, each naming one choice of every
  option (``choices[].optionChoiceNames {optionName, choiceName, renderType}``);
- "About the Products API": ``variantsInfo`` must not be empty, so a product with options
  is created with one variant. The flow writes the parent before its variations: the
  parent gets one hidden variant without SKU on the first choice of each option, which
  the first variations written replace;
- "Update Product": the variants list is sent whole (a variant left out is removed),
  with the product's ``revision``;
- Inventory Items V3, "Create Inventory Item" (``POST /stores/v3/inventory-items``): the
  stock of each new variant [verify: whether Update Product makes the items itself].
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from passerelle.connectors.base import ProductWrite, WriteOutcome
from passerelle.connectors.errors import ConnectorError
from passerelle.connectors.paths import segment
from passerelle.connectors.wix.client import WixClient
from passerelle.connectors.wix.translate_products import v3_body, v3_variant
from passerelle.i18n.messages import M_, said
from passerelle.model import ProductDraft

__all__ = ["VariantsV3", "variable_product"]

_RENDER = "TEXT_CHOICES"


def _choice(axis: str, value: str) -> dict[str, Any]:
    return {"optionChoiceNames": {"optionName": axis, "choiceName": value, "renderType": _RENDER}}


def _option(name: str, values: Sequence[str]) -> dict[str, Any]:
    return {
        "name": name,
        "optionRenderType": _RENDER,
        "choicesSettings": {"choices": [{"choiceType": "CHOICE_TEXT", "name": v} for v in values]},
    }


def variable_product(draft: ProductDraft) -> dict[str, Any]:
    """A new product with variants: its options (the variation axes) and one hidden
    variant without SKU, on the first choice of each, until its variations come."""
    axes = [a for a in draft.attributes if a.variation and a.options]
    placeholder = {
        "visible": False,
        "price": {"actualPrice": {"amount": str(draft.regular_price)}},
        "choices": [_choice(a.name, a.options[0]) for a in axes],
        "inventoryItem": {"inStock": False},
    }
    return v3_body(draft) | {
        "productType": "PHYSICAL",
        "physicalProperties": {},
        "options": [_option(a.name, a.options) for a in axes],
        "variantsInfo": {"variants": [placeholder]},
    }


def _placeholder(variant: dict[str, Any]) -> bool:
    return not variant.get("sku") and variant.get("visible") is False


def _with_choices(options: list[dict[str, Any]], draft: ProductDraft) -> bool:
    """``options`` extended with the draft's values; False when it names an axis the
    product does not have (every variant must name a choice of every option)."""
    by_name = {str(o.get("name")): o for o in options}
    if set(by_name) != {axis for axis, _ in draft.variation_options}:
        return False
    for axis, value in draft.variation_options:
        choices = by_name[axis].setdefault("choicesSettings", {}).setdefault("choices", [])
        if value not in {str(c.get("name")) for c in choices}:
            choices.append({"choiceType": "CHOICE_TEXT", "name": value})
    return True


class VariantsV3:
    """New variants of existing V3 products."""

    def __init__(self, client: WixClient) -> None:
        self.client = client

    def add(
        self, current: dict[str, Any] | None, writes: Sequence[ProductWrite]
    ) -> list[WriteOutcome]:
        """``writes`` (new variations) added to the product ``current`` in one update,
        then each one's inventory item created with its stock."""
        if current is None:
            return [WriteOutcome(w.key, w.parent_shop_id, gone=True) for w in writes]
        pid = str(current["id"])
        options = [dict(o) for o in current.get("options") or []]
        variants = [v for v in (current.get("variantsInfo") or {}).get("variants") or []]
        kept = [v for v in variants if not _placeholder(v)]
        outcomes: dict[str, WriteOutcome] = {}
        sent: list[ProductWrite] = []
        for write in writes:
            if not _with_choices(options, write.draft):
                outcomes[write.key] = WriteOutcome(
                    write.key,
                    error=M_(
                        "the variation %(sku)s does not name one value of each option of its "
                        "Wix product",
                        sku=write.draft.sku,
                    ),
                )
                continue
            variant = v3_variant(write.draft) | {
                "visible": write.draft.active and not write.draft.hidden,
                "choices": [_choice(a, v) for a, v in write.draft.variation_options],
            }
            kept.append(variant)
            sent.append(write)
        if sent:
            outcomes |= self._update(pid, current, options, kept, sent)
        return [outcomes[w.key] for w in writes]

    def _update(
        self,
        pid: str,
        current: dict[str, Any],
        options: list[dict[str, Any]],
        variants: list[dict[str, Any]],
        sent: Sequence[ProductWrite],
    ) -> dict[str, WriteOutcome]:
        body = {
            "id": pid,
            "revision": current.get("revision"),
            "options": options,
            "variantsInfo": {"variants": variants},
        }
        try:
            answer = self.client.patch(
                f"stores/v3/products/{segment(pid)}",
                {"product": body},
                what=M_("the variants of product %(id)s", id=pid),
            )
        except ConnectorError as exc:
            return {w.key: WriteOutcome(w.key, error=said(exc)) for w in sent}
        product = (answer or {}).get("product") or {}
        by_sku = {
            str(v.get("sku")): str(v.get("id"))
            for v in (product.get("variantsInfo") or {}).get("variants") or []
        }
        return {w.key: self._stocked(pid, by_sku.get(w.draft.sku), w) for w in sent}

    def _stocked(self, pid: str, vid: str | None, write: ProductWrite) -> WriteOutcome:
        if not vid:
            return WriteOutcome(write.key, error=M_("Wix answered without an id"))
        draft = write.draft
        item: dict[str, Any] = {"productId": pid, "variantId": vid}
        if draft.manage_stock:
            item |= {"trackQuantity": True, "quantity": int(draft.stock_quantity or 0)}
        else:
            item |= {"trackQuantity": False, "inStock": True}
        shop_id = f"{pid}/{vid}"
        try:
            self.client.post(
                "stores/v3/inventory-items",
                {"inventoryItem": item},
                what=M_("the stock of %(sku)s", sku=draft.sku),
                creates=True,
            )
        except ConnectorError as exc:
            return WriteOutcome(write.key, shop_id, created=True, error=said(exc))
        return WriteOutcome(write.key, shop_id, created=True)
