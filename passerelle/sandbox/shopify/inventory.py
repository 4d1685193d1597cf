"""Inventory quantities by state at a location, and ``inventorySetQuantities``.

Shopify keeps one count per *state* for an inventory item at a location
(https://shopify.dev/docs/apps/build/orders-fulfillment/inventory-management-apps/manage-quantities-states,
objects/InventoryLevel ``quantities(names:)``, objects/InventoryQuantity):

- ``available``: what can be sold; ``committed``: units of placed orders not yet
  fulfilled; ``reserved``, ``damaged``, ``safety_stock``, ``quality_control``: set aside
  (together ``unavailable``); ``incoming``: on its way, not on hand;
- ``on_hand`` = available + committed + unavailable: it is not stored, it follows.

So placing an order moves units from available to committed (on_hand unchanged),
fulfilling takes them out of committed (on_hand drops), cancelling with restock moves
them back to available. ``inventorySetQuantities`` sets ``available`` or ``on_hand``
only (``INVALID_NAME`` otherwise); setting one moves the other by the same delta, since
the states between them do not change. Its compare-and-swap (``changeFromQuantity``,
mutations/inventorySetQuantities 2026-01) compares with the persisted quantity of that
name, so an order placed since the caller read it makes the call fail with
``CHANGE_FROM_QUANTITY_STALE`` and nothing is written (any error fails the whole call).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from graphql import GraphQLError

from .ids import gid, parse_gid

__all__ = ["NAMES", "Inventory", "level_quantities", "move", "new_level", "quantity"]

STORED = (
    "available",
    "committed",
    "reserved",
    "damaged",
    "safety_stock",
    "quality_control",
    "incoming",
)
UNAVAILABLE = ("reserved", "damaged", "safety_stock", "quality_control")
NAMES = frozenset({*STORED, "on_hand", "unavailable"})
_SETTABLE = {"available", "on_hand"}
# inventoryAdjustQuantities' names (input-objects/InventoryAdjustQuantitiesInput): not
# committed (orders move it) nor on_hand (the sum).
_ADJUSTABLE = {"available", "damaged", "incoming", "quality_control", "reserved", "safety_stock"}
_MAX_INPUT = 250
_MAX_QUANTITY = 1_000_000_000
_REASONS = {
    "correction",
    "cycle_count_available",
    "damaged",
    "movement_created",
    "movement_received",
    "movement_updated",
    "other",
    "promotion",
    "quality_control",
    "received",
    "reservation_created",
    "reservation_deleted",
    "reservation_updated",
    "restock",
    "safety_stock",
    "shrinkage",
}


def new_level() -> dict[str, int]:
    return dict.fromkeys(STORED, 0)


def quantity(level: Mapping[str, Any], name: str) -> int:
    """One state's count; ``on_hand`` and ``unavailable`` are sums of the stored ones."""
    if name == "unavailable":
        return sum(int(level.get(n, 0)) for n in UNAVAILABLE)
    if name == "on_hand":
        return (
            int(level.get("available", 0))
            + int(level.get("committed", 0))
            + quantity(level, "unavailable")
        )
    return int(level.get(name, 0))


def level_quantities(level: Mapping[str, Any], names: list[str]) -> list[dict[str, Any]]:
    """``InventoryLevel.quantities(names:)``: an unknown name is refused, as Shopify does."""
    unknown = [n for n in names if n not in NAMES]
    if unknown:
        raise GraphQLError(
            f"{unknown[0]} is not a valid inventory quantity name.",
            extensions={"code": "BAD_REQUEST"},
        )
    return [{"name": n, "quantity": quantity(level, n)} for n in names]


def move(level: dict[str, Any], source: str | None, target: str | None, units: int) -> None:
    """``units`` leave state ``source`` for ``target`` (None: out of, or into, the location)."""
    if source:
        level[source] = int(level.get(source, 0)) - units
    if target:
        level[target] = int(level.get(target, 0)) + units


def _err(field: list[Any], message: str, code: str) -> dict[str, Any]:
    return {"field": [str(f) for f in field], "message": message, "code": code}


class Inventory:
    """``inventorySetQuantities`` and ``inventoryAdjustQuantities`` over the state's items."""

    def __init__(
        self, state: dict[str, Any], next_id: Callable[[str], int], mark_dirty: Callable[[], None]
    ) -> None:
        self.state, self.next_id, self.dirty = state, next_id, mark_dirty

    def _check(self, input: dict[str, Any]) -> list[dict[str, Any]]:  # noqa: A002
        errors = []
        if input["name"] not in _SETTABLE:
            errors.append(
                _err(
                    ["input", "name"],
                    "The quantity name must be either 'available' or 'on_hand'.",
                    "INVALID_NAME",
                )
            )
        if input["reason"] not in _REASONS:
            errors.append(
                _err(["input", "reason"], "The specified reason is invalid.", "INVALID_REASON")
            )
        items = self.state["inventory_items"]
        for index, q in enumerate(input["quantities"]):
            path = ["input", "quantities", index]
            item = items.get(str(parse_gid(q["inventoryItemId"], "InventoryItem")))
            loc = parse_gid(q["locationId"], "Location")
            if item is None:
                errors.append(
                    _err(
                        [*path, "inventoryItemId"],
                        "The specified inventory item could not be found.",
                        "INVALID_INVENTORY_ITEM",
                    )
                )
                continue
            if str(loc) not in self.state["locations"]:
                errors.append(
                    _err(
                        [*path, "locationId"],
                        "The specified location could not be found.",
                        "INVALID_LOCATION",
                    )
                )
                continue
            if str(loc) not in item["levels"]:
                errors.append(
                    _err(
                        [*path, "locationId"],
                        "The inventory item is not stocked at the location.",
                        "ITEM_NOT_STOCKED_AT_LOCATION",
                    )
                )
                continue
            if int(q["quantity"]) > _MAX_QUANTITY:
                errors.append(
                    _err(
                        [*path, "quantity"],
                        "The total quantity can't be higher than 1,000,000,000.",
                        "INVALID_QUANTITY_TOO_HIGH",
                    )
                )
            if input["name"] in _SETTABLE:
                errors += self._compare(
                    input, q, quantity(item["levels"][str(loc)], input["name"]), path
                )
        return errors

    @staticmethod
    def _compare(
        input: dict[str, Any],
        q: dict[str, Any],
        persisted: int,  # noqa: A002
        path: list[Any],
    ) -> list[dict[str, Any]]:
        """2026-01: ``changeFromQuantity`` is the compare-and-swap (null opts out); a
        quantity without it falls back on the older ``compareQuantity``, required unless
        ``ignoreCompareQuantity`` (there is no CHANGE_FROM_QUANTITY_REQUIRED before 2026-04)."""
        if "changeFromQuantity" in q:
            if q["changeFromQuantity"] is not None and int(q["changeFromQuantity"]) != persisted:
                return [
                    _err(
                        [*path, "changeFromQuantity"],
                        "The specified compare quantity does not match persisted value.",
                        "CHANGE_FROM_QUANTITY_STALE",
                    )
                ]
            return []
        if input.get("ignoreCompareQuantity"):
            return []
        if q.get("compareQuantity") is None:
            return [
                _err(
                    [*path, "compareQuantity"],
                    "The compareQuantity argument must be "
                    "given to each quantity or ignored using ignoreCompareQuantity.",
                    "COMPARE_QUANTITY_REQUIRED",
                )
            ]
        if int(q["compareQuantity"]) != persisted:
            return [
                _err(
                    [*path, "compareQuantity"],
                    "The compareQuantity value does not match persisted value.",
                    "COMPARE_QUANTITY_STALE",
                )
            ]
        return []

    def _group(self, reason: str, changes: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "id": gid("InventoryAdjustmentGroup", self.next_id("adjustment")),
            "reason": reason,
            "createdAt": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "changes": lambda _i=None, **_a: changes,
        }

    def adjust_quantities(self, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
        """mutations/inventoryAdjustQuantities: deltas to one state; on_hand follows every
        state but ``incoming``. One refused change fails the whole call."""
        changes = input["changes"]
        if len(changes) > _MAX_INPUT:
            raise GraphQLError(
                f"The input array size of {len(changes)} is greater than "
                f"the maximum allowed of {_MAX_INPUT}.",
                extensions={"code": "MAX_INPUT_SIZE_EXCEEDED", "path": "input.changes"},
            )
        errors = []
        if input["name"] not in _ADJUSTABLE:
            errors.append(
                _err(
                    ["input", "name"],
                    "The quantity name is not adjustable.",
                    "INVALID_QUANTITY_NAME",
                )
            )
        if input["reason"] not in _REASONS:
            errors.append(
                _err(["input", "reason"], "The specified reason is invalid.", "INVALID_REASON")
            )
        levels = []
        for index, change in enumerate(changes):
            item = self.state["inventory_items"].get(
                str(parse_gid(change["inventoryItemId"], "InventoryItem"))
            )
            level = (
                None
                if item is None
                else item["levels"].get(str(parse_gid(change["locationId"], "Location")))
            )
            if level is None:
                errors.append(
                    _err(
                        ["input", "changes", index, "inventoryItemId"],
                        "The specified inventory item could not be found at the location.",
                        "INVALID_INVENTORY_ITEM",
                    )
                )
            levels.append(level)
        if errors:
            return {"inventoryAdjustmentGroup": None, "userErrors": errors}
        done = []
        for change, level in zip(changes, levels, strict=True):
            assert level is not None
            move(level, None, input["name"], int(change["delta"]))
            done.append(
                {
                    "name": input["name"],
                    "delta": int(change["delta"]),
                    "quantityAfterChange": quantity(level, input["name"]),
                    "item": None,
                }
            )
        self.dirty()
        return {"inventoryAdjustmentGroup": self._group(input["reason"], done), "userErrors": []}

    def set_quantities(self, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
        quantities = input["quantities"]
        if len(quantities) > _MAX_INPUT:
            raise GraphQLError(
                f"The input array size of {len(quantities)} is greater than "
                f"the maximum allowed of {_MAX_INPUT}.",
                extensions={"code": "MAX_INPUT_SIZE_EXCEEDED", "path": "input.quantities"},
            )
        errors = self._check(input)
        if errors:
            return {"inventoryAdjustmentGroup": None, "userErrors": errors}
        name, changes = input["name"], []
        items = self.state["inventory_items"]
        for q in quantities:
            item = items[str(parse_gid(q["inventoryItemId"], "InventoryItem"))]
            level = item["levels"][str(parse_gid(q["locationId"], "Location"))]
            delta = int(q["quantity"]) - quantity(level, name)
            move(level, None, "available", delta)  # on_hand and available move together
            changes += [
                {"name": n, "delta": delta, "quantityAfterChange": quantity(level, n), "item": None}
                for n in ("available", "on_hand")
            ]
        self.dirty()
        return {"inventoryAdjustmentGroup": self._group(input["reason"], changes), "userErrors": []}
