"""Shop products found by SKU once per run, not once per window.

Why: an export looks its unbound records up by SKU before creating them (a
product the merchant made by hand is updated, not created twice). Asked per
window, a shop such as WooCommerce answers many SKUs by walking its whole
catalogue, which grows as the run creates products: at 10,000 variants that was
over a thousand catalogue pages for a run of 1,500 writes. A run of several
windows now asks once, before its first window, for every SKU it can foresee:
its items' codes and its variable products' SKUs (worked out from the first
pass as the grouping works them out); a record whose SKU was not foreseen is
still asked in its window. A run of one window asks as before, in its sends.

What the shop holds is read as the run starts: a product this run creates in
one window is bound to its record, so a later window does not look for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from passerelle.flows.base import FlowContext
from passerelle.flows.catalogue import find_by_sku, unbound_of
from passerelle.flows.product_mapping.variants import common_prefix
from passerelle.model import Item

__all__ = ["FamilySkus", "RunSkus"]

_TEMPLATE = "template:"
_MASTER = "group:"


class FamilySkus:
    """The SKU of each variable product, kept item by item in the first pass.

    As :func:`~passerelle.flows.product_mapping.variants.group_items` names them: a
    master-field family by its master value, a template's by its variants' common
    code prefix (else ``T<template id>``). Only a running prefix is kept per family.
    """

    def __init__(self) -> None:
        self._prefix: dict[str, str] = {}

    def add(self, family: str, item: Item) -> None:
        if family.startswith(_TEMPLATE):
            known = self._prefix.get(family)
            self._prefix[family] = item.code if known is None else common_prefix([known, item.code])

    def skus(self, families: Iterable[str]) -> dict[str, str]:
        """Family key → SKU, for ``families`` (each once)."""
        out: dict[str, str] = {}
        for family in families:
            if family.startswith(_MASTER):
                out[family] = family[len(_MASTER) :]
            elif family.startswith(_TEMPLATE):
                prefix = common_prefix([self._prefix.get(family, "")])
                out[family] = prefix or f"T{family[len(_TEMPLATE) :]}"
        return out


class RunSkus:
    """What one run asked the shop by SKU, and what it found (SKU → shop id)."""

    def __init__(self) -> None:
        self.asked: set[str] = set()
        self.found: dict[str, str] = {}

    def ask_once(self, ctx: FlowContext, records: Mapping[str, str]) -> set[str]:
        """Look up, in one call, the SKUs of ``records`` (key → SKU) bound to no shop
        product; later :meth:`adopt` calls answer those from what was found. Returns
        the keys bound to no shop product."""
        unbound = unbound_of(ctx, records.items())
        found = find_by_sku(ctx, unbound)
        self.asked.update(sku for sku in unbound.values() if sku)
        self.found.update((unbound[key], shop_id) for key, shop_id in found.items())
        return set(unbound)

    def adopt(self, ctx: FlowContext, codes: Mapping[str, str]) -> dict[str, str]:
        """Shop ids of the records carrying these SKUs (``codes``: key → SKU): from
        the run's first look-up where it asked the SKU, else asked now."""
        ask = {key: sku for key, sku in codes.items() if sku not in self.asked}
        found = find_by_sku(ctx, ask)
        for key, sku in codes.items():
            if key not in ask and sku in self.found:
                found[key] = self.found[sku]
        return found
