"""Stock levels written as Shopify's *available* quantity, compare-and-swap.

What passerelle writes is what the shop offers (``available``, the quantity that is
neither committed to orders nor set aside; on_hand follows it:
https://shopify.dev/docs/apps/build/orders-fulfillment/inventory-management-apps/manage-quantities-states).
Each call of 250 first reads the items' ``available`` and ``committed`` quantities at
the location (``nodes(ids:)``, at most 250), then sets them with
``inventorySetQuantities`` and ``changeFromQuantity`` = the value just read
(mutations/inventorySetQuantities 2026-01). So:

- an item deleted in the shop reads as null: its outcome says *gone* (the flow forgets
  it and creates the product again) without failing the other 249, since one refused
  quantity fails the whole mutation;
- an order placed between the read and the write makes Shopify answer
  ``CHANGE_FROM_QUANTITY_STALE`` and write nothing: the items are read again and the
  units the new orders committed are taken off what is sent, so they are never offered
  a second time; after three attempts the levels are reported as not sent (the next run
  sends them).

Hiding a product from search, which the stock flows may ask with the level, is not a
Shopify field (publications are not used): reported unsupported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from passerelle.connectors.base import ProductWrite, WriteOutcome
from passerelle.connectors.errors import RecordError
from passerelle.connectors.shopify import endpoints as doc
from passerelle.connectors.shopify.client import ShopifyClient, gid
from passerelle.i18n.messages import M_, Mn_, Text, said

__all__ = ["INVENTORY_BATCH", "StockWriter"]

INVENTORY_BATCH = 250
MUTATION_COST = 10
ATTEMPTS = 3
Indexed = list[tuple[int, ProductWrite]]


def _item_id(w: ProductWrite) -> str:
    return gid("InventoryItem", (w.shop_id or "").split("/")[2])


def _levels(nodes: Sequence[dict[str, Any] | None]) -> list[dict[str, int] | None]:
    """Each item's quantities by name; None: no such item, or not stocked there."""
    out: list[dict[str, int] | None] = []
    for node in nodes:
        level = (node or {}).get("inventoryLevel")
        out.append(
            None if level is None else {q["name"]: int(q["quantity"]) for q in level["quantities"]}
        )
    return out


class StockWriter:
    """Writes the stock levels of products and variants, 250 a call."""

    def __init__(self, client: ShopifyClient, location: Callable[[], str]) -> None:
        self.client, self.location = client, location

    def _read(self, chunk: Indexed) -> list[dict[str, int] | None]:
        ids = [_item_id(w) for _, w in chunk]
        nodes = self.client.run(
            doc.INVENTORY_READ,
            {"ids": ids, "location": self.location()},
            cost=doc.inventory_read_cost(len(ids)),
            what=Mn_("%(num)s stock level", "%(num)s stock levels", len(ids)),
        )["nodes"]
        return _levels(nodes)

    def _set(
        self, chunk: Indexed, targets: list[int], current: list[dict[str, int]]
    ) -> list[dict[str, Any]]:
        """One inventorySetQuantities; its user errors (none: written)."""
        quantities = [
            {
                "inventoryItemId": _item_id(w),
                "locationId": self.location(),
                "quantity": target,
                "changeFromQuantity": now["available"],
            }
            for (_, w), target, now in zip(chunk, targets, current, strict=True)
        ]
        payload = self.client.run(
            doc.INVENTORY_SET,
            {
                "input": {
                    "name": "available",
                    "reason": "correction",
                    "referenceDocumentUri": "passerelle://update-stock",
                    "quantities": quantities,
                }
            },
            cost=MUTATION_COST,
            what=Mn_("%(num)s stock level", "%(num)s stock levels", len(chunk)),
        )["inventorySetQuantities"]
        if payload is None:
            raise RecordError(
                M_("Shopify returned nothing for %(request)s", request=M_("the stock levels"))
            )
        return list(payload.get("userErrors") or [])

    def write(self, chunk: Indexed) -> dict[int, WriteOutcome]:
        out: dict[int, WriteOutcome] = {}
        try:
            levels = self._read(chunk)
        except RecordError as exc:
            return {
                i: WriteOutcome(key=w.key, shop_id=w.shop_id, error=said(exc)) for i, w in chunk
            }
        live: Indexed = []
        first: list[dict[str, int]] = []
        for (i, w), level in zip(chunk, levels, strict=True):
            if level is None:
                out[i] = WriteOutcome(
                    key=w.key,
                    shop_id=w.shop_id,
                    gone=True,
                    error=M_(
                        "%(sku)s: its stock no longer exists in the shop (product deleted "
                        "there, or no longer stocked at this location)",
                        sku=w.draft.sku,
                    ),
                )
            else:
                live.append((i, w))
                first.append(level)
        out.update(self._write_live(live, first))
        return out

    def _write_live(self, live: Indexed, first: list[dict[str, int]]) -> dict[int, WriteOutcome]:
        """Compare-and-swap, read again after a stale answer (orders placed meanwhile)."""
        wanted = [int(w.draft.stock_quantity or 0) for _, w in live]
        current = first
        error: Text | None = None
        for _ in range(ATTEMPTS):
            if not live:
                return {}
            newly = [
                max(0, now.get("committed", 0) - then.get("committed", 0))
                for now, then in zip(current, first, strict=True)
            ]
            targets = [max(0, want - extra) for want, extra in zip(wanted, newly, strict=True)]
            try:
                errors = self._set(live, targets, current)
            except RecordError as exc:
                error = said(exc)
                break
            if not errors:
                return {
                    i: WriteOutcome(
                        key=w.key,
                        shop_id=w.shop_id,
                        unsupported=(
                            ("hidden",) if w.draft.hidden and "hidden" in (w.fields or ()) else ()
                        ),
                    )
                    for i, w in live
                }
            if any(e.get("code") != "CHANGE_FROM_QUANTITY_STALE" for e in errors):
                error = M_(
                    "%(platform)s refused %(request)s: %(message)s",
                    platform="Shopify",
                    request=M_("the stock levels"),
                    message="; ".join(str(e.get("message")) for e in errors),
                )
                break
            error = M_(
                "the shop's stock kept changing while it was written (orders being "
                "placed); it is sent again next run"
            )
            try:
                reread = self._read(live)
            except RecordError as exc:
                error = said(exc)
                break
            if any(level is None for level in reread):
                error = M_("an item was deleted in the shop while its stock was written")
                break
            current = [level for level in reread if level is not None]
        return {i: WriteOutcome(key=w.key, shop_id=w.shop_id, error=error) for i, w in live}
