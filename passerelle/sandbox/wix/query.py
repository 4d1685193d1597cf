"""The Wix API Query Language, the part the sandbox's query and search methods accept.

Source: dev.wix.com "API Query Language" (rest/articles/getting-started/api-query-language):
``{"<field>": value}`` is equality; operators ``$eq $ne $gt $gte $lt $lte $in $nin
$startsWith`` (not case-sensitive) ``$isEmpty $exists``; ``$and``, ``$or``, ``$not``;
field names are dotted paths into the entity; ``sort`` is a list of ``{fieldName, order}``.
Catalog V1 sends ``filter`` and ``sort`` as JSON-encoded strings (Query Products, Catalog V1).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .wire import invalid

__all__ = ["matches", "parsed", "sorted_by"]


def parsed(value: Any, field: str) -> Any:
    """``value`` itself, or decoded when Catalog V1 sent it as a JSON string."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise invalid(field, "is not valid JSON") from None
    return value


def _at(entity: dict[str, Any], path: str) -> Any:
    value: Any = entity
    for name in path.split("."):
        if isinstance(value, list):  # info.emails.items.email: any element
            return [_at(v, name) for v in value if isinstance(v, dict)]
        value = value.get(name) if isinstance(value, dict) else None
    return value


def _compare(value: Any, op: str, operand: Any) -> bool:
    if isinstance(value, list) and op not in ("$isEmpty", "$exists"):
        return any(_compare(v, op, operand) for v in value)
    if op == "$eq":
        return bool(value == operand)
    if op == "$ne":
        return bool(value != operand)
    if op == "$in":
        return value in (operand or [])
    if op == "$nin":
        return value not in (operand or [])
    if op == "$startsWith":
        return isinstance(value, str) and value.lower().startswith(str(operand).lower())
    if op == "$isEmpty":
        return (value in (None, "", [])) == bool(operand)
    if op == "$exists":
        return (value is not None) == bool(operand)
    if op in ("$gt", "$gte", "$lt", "$lte"):
        if value is None:
            return False
        left, right = (float(value), float(operand)) if _numeric(value) else (value, operand)
        return {
            "$gt": left > right,
            "$gte": left >= right,
            "$lt": left < right,
            "$lte": left <= right,
        }[op]
    raise invalid("filter", f"operator {op} is not supported")


def _numeric(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def matches(entity: dict[str, Any], condition: dict[str, Any] | None) -> bool:
    """Whether ``entity`` satisfies the query-language ``condition``."""
    for key, operand in (condition or {}).items():
        if key == "$and":
            if not all(matches(entity, c) for c in operand):
                return False
        elif key == "$or":
            if not any(matches(entity, c) for c in operand):
                return False
        elif key == "$not":
            if matches(entity, operand):
                return False
        elif isinstance(operand, dict) and operand and all(k.startswith("$") for k in operand):
            value = _at(entity, key)
            if not all(_compare(value, op, arg) for op, arg in operand.items()):
                return False
        elif not _compare(_at(entity, key), "$eq", operand):
            return False
    return True


def sorted_by(items: list[dict[str, Any]], sort: Any) -> list[dict[str, Any]]:
    """``items`` in the ``sort`` order (a list of ``{fieldName, order}`` or V1's
    ``[{"field": "asc"}]``); stable, so equal keys keep the default order."""
    for rule in reversed(sort or []):
        if "fieldName" in rule:
            name, order = rule["fieldName"], str(rule.get("order", "ASC")).upper()
        else:
            ((name, order),) = rule.items()
            order = str(order).upper()
        items = sorted(items, key=_key(str(name)), reverse=order == "DESC")
    return items


def _key(name: str) -> Callable[[dict[str, Any]], tuple[bool, Any]]:
    """Sort key on ``name``: entities without the field last."""

    def key(entity: dict[str, Any]) -> tuple[bool, Any]:
        value = _at(entity, name)
        return value is None, value if value is not None else 0

    return key
