"""``searchCriteria`` as Magento reads it from a query string, applied to plain records.

Docs: ``src/pages/rest/use-rest/performing-searches.md`` (AdobeDocs/commerce-webapi):
filters inside one ``filter_groups`` entry are ORed, groups are ANDed;
``condition_type`` defaults to ``eq``; ``like`` takes ``%`` wildcards;
``in``/``nin`` take comma lists. Paging: ``pageSize`` and ``currentPage``
(1-based); a ``currentPage`` past the end answers the LAST page again (the
collection clamps it), so a client must stop on ``total_count``. Since 2.4.3
``pageSize`` above the configured maximum (300) is refused
(``get-started/api-security``: "Maximum SearchCriteria pageSize is 300").
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from .errors import MagentoError

__all__ = ["DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE", "Criteria", "parse_criteria", "search"]

MAX_PAGE_SIZE = 300
DEFAULT_PAGE_SIZE = 20
_KEY = re.compile(r"\[([^\]]*)\]")


def _nest(query: dict[str, list[str]]) -> dict[str, Any]:
    """``searchCriteria[filter_groups][0][filters][0][field]=x`` → nested dicts."""
    root: dict[str, Any] = {}
    for raw_key, values in query.items():
        if not raw_key.startswith("searchCriteria"):
            continue
        parts = _KEY.findall(raw_key[len("searchCriteria") :])
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        if parts:
            node[parts[-1]] = values[-1]
    return root


def _camel(name: str) -> str:
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), name)


def _get(node: dict[str, Any], name: str) -> Any:
    """Magento accepts both spellings (``filter_groups`` and ``filterGroups``)."""
    return node.get(name, node.get(_camel(name)))


class Criteria:
    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        groups = _get(raw, "filter_groups") or {}
        self.groups: list[list[dict[str, str]]] = []
        for _, group in sorted(groups.items(), key=lambda kv: int(kv[0] or 0)):
            filters = (group or {}).get("filters") or {}
            self.groups.append(
                [
                    {
                        "field": f.get("field", ""),
                        "value": f.get("value", ""),
                        "condition_type": _get(f, "condition_type") or "eq",
                    }
                    for _, f in sorted(filters.items(), key=lambda kv: int(kv[0] or 0))
                ]
            )
        orders = _get(raw, "sort_orders") or {}
        self.sort = [
            (o.get("field", ""), (o.get("direction") or "ASC").upper())
            for _, o in sorted(orders.items(), key=lambda kv: int(kv[0] or 0))
        ]
        size = _get(raw, "page_size")
        page = _get(raw, "current_page")
        try:
            self.page_size = int(size) if size not in (None, "") else None
            self.current_page = int(page) if page not in (None, "") else None
        except ValueError as exc:
            raise MagentoError(
                400,
                'The "%1" value\'s type is invalid. The "%2" type was '
                "expected. Verify and try again.",
                [str(size), "int"],
            ) from exc
        if self.page_size is not None and self.page_size > MAX_PAGE_SIZE:
            raise MagentoError(
                400, "Maximum SearchCriteria pageSize is %max", {"max": MAX_PAGE_SIZE}
            )

    def echo(self) -> dict[str, Any]:
        """The ``search_criteria`` block every search answer repeats."""
        out: dict[str, Any] = {"filter_groups": [{"filters": group} for group in self.groups]}
        if self.sort:
            out["sort_orders"] = [{"field": f, "direction": d} for f, d in self.sort]
        if self.page_size is not None:
            out["page_size"] = self.page_size
        if self.current_page is not None:
            out["current_page"] = self.current_page
        return out


def parse_criteria(query: dict[str, list[str]]) -> Criteria:
    return Criteria(_nest(query))


def _number(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@functools.lru_cache(maxsize=64)
def _members(expected: str) -> frozenset[str]:
    """An ``in`` filter's values, split once per search rather than once per record."""
    return frozenset(v.strip() for v in expected.split(","))


def _compare(actual: Any, condition: str, expected: str) -> bool:
    if condition in ("null", "notnull"):
        return (actual in (None, "")) == (condition == "null")
    if actual is None:
        return False
    text = str(actual)
    if condition == "eq":
        return text == expected
    if condition == "neq":
        return text != expected
    if condition == "like":
        pattern = "^" + ".*".join(re.escape(p) for p in expected.split("%")) + "$"
        return re.match(pattern, text, re.IGNORECASE) is not None
    if condition in ("in", "nin"):
        hit = text in _members(expected)
        return hit if condition == "in" else not hit
    left, right = _number(actual), _number(expected)
    if left is None or right is None:  # dates compare as ISO strings
        left, right = text, expected  # type: ignore[assignment]
    ops: dict[str, Callable[[Any, Any], bool]] = {
        "gt": lambda a, b: a > b,
        "gteq": lambda a, b: a >= b,
        "from": lambda a, b: a >= b,
        "lt": lambda a, b: a < b,
        "lteq": lambda a, b: a <= b,
        "to": lambda a, b: a <= b,
    }
    if condition not in ops:
        raise MagentoError(400, 'Invalid condition type "%1".', [condition])
    return ops[condition](left, right)


def _sort_key(
    read: Callable[[dict[str, Any], str], Any], field: str, record: dict[str, Any]
) -> tuple[bool, Any]:
    """Unset values last, numbers by value, the rest as text."""
    value = read(record, field)
    number = _number(value)
    return value is None, number if number is not None else str(value or "")


def _field(record: dict[str, Any], field: str) -> Any:
    return record.get(field)


def search(
    records: Iterable[dict[str, Any]],
    criteria: Criteria,
    value_of: Callable[[dict[str, Any], str], Any] | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """(the page's records, total_count) — a page past the end is the last page."""
    read: Callable[[dict[str, Any], str], Any] = value_of or _field
    found = [
        r
        for r in records
        if all(
            any(_compare(read(r, f["field"]), f["condition_type"], f["value"]) for f in group)
            for group in criteria.groups
            if group
        )
    ]
    for field, direction in reversed(criteria.sort):
        found.sort(key=partial(_sort_key, read, field), reverse=direction == "DESC")
    total = len(found)
    if criteria.page_size:
        pages = max(1, math.ceil(total / criteria.page_size))
        page = min(max(1, criteria.current_page or 1), pages)
        start = (page - 1) * criteria.page_size
        return found[start : start + criteria.page_size], total
    return found, total
