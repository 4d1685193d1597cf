"""Wix's error bodies, money amounts and paging, shared by every resource of the sandbox.

Sources (dev.wix.com):
- "About Errors" (api-reference/articles/work-with-wix-apis/troubleshooting/about-errors):
  an error is a status code with ``message`` and ``details`` holding either
  ``applicationError`` (``code``, ``description``, ``data``) or ``validationError``
  (``fieldViolations`` of ``field``, ``description``, ``violatedRule``, ``ruleName``);
  401 unauthenticated, 403 permission denied, 404, 409 (exists or other revision),
  428 failed precondition, 429 resource exhausted (too many requests), 500.
- "About Sorting and Paging": offset paging (``limit``, ``offset``) and cursor paging
  (``cursorPaging.limit``/``cursor``; the answer's ``cursors.next``).
"""

from __future__ import annotations

import base64
import json
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = [
    "STORES_APP_ID",
    "WixError",
    "bulk_answer",
    "cursor_page",
    "decimal_of",
    "invalid",
    "money",
    "not_found",
    "offset_page",
    "required",
]

#: The Wix Stores app's id, the ``appId`` of a catalog reference to a Stores product
#: (eCommerce "Catalog Reference" docs; the id Wix publishes for Wix Stores).
STORES_APP_ID = "215238eb-22a5-4c36-9e7b-e7c08025e04e"


class WixError(Exception):
    """A refusal in Wix's shape: ``message`` plus an application or validation error."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str,
        description: str = "",
        *,
        data: dict[str, Any] | None = None,
        violations: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.description = description or message
        self.data = data or {}
        self.violations = violations

    def body(self) -> dict[str, Any]:
        if self.violations is not None:
            details: dict[str, Any] = {"validationError": {"fieldViolations": self.violations}}
        else:
            details = {
                "applicationError": {
                    "code": self.code,
                    "description": self.description,
                    "data": self.data,
                }
            }
        return {"message": self.message, "details": details}


def invalid(field: str, description: str, rule: str = "VALIDATION") -> WixError:
    """400 with one field violation (a validation error)."""
    return WixError(
        400,
        f"INVALID_ARGUMENT: {field} {description}",
        "INVALID_ARGUMENT",
        violations=[
            {
                "field": field,
                "description": description,
                "violatedRule": rule,
                "ruleName": "VALIDATION_ERROR",
            }
        ],
    )


def required(body: dict[str, Any], *path: str) -> Any:
    """The value at ``path`` in ``body``, else a 400 naming the field."""
    value: Any = body
    for name in path:
        value = value.get(name) if isinstance(value, dict) else None
    if value in (None, "", [], {}):
        raise invalid(".".join(path), "must not be empty", "REQUIRED_FIELD")
    return value


def not_found(what: str, ident: str) -> WixError:
    return WixError(404, f"{what} with id {ident} not found", "NOT_FOUND", f"{what} not found")


def decimal_of(value: Any, field: str) -> Decimal:
    """A decimal amount as Wix sends them (a string, or a number in Catalog V1)."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise invalid(field, "must be a decimal number") from None
    if not amount.is_finite() or amount < 0:
        raise invalid(field, "must be a non-negative decimal number", "MIN")
    return amount


def money(value: Decimal, currency: str = "EUR") -> dict[str, str]:
    """eCommerce's Price: ``amount`` as a decimal string and ``formattedAmount``."""
    amount = f"{value.quantize(Decimal('0.01'))}"
    return {"amount": amount, "formattedAmount": f"{amount} {currency}"}


def _limit(value: Any, default: int, maximum: int, field: str) -> int:
    if value is None:
        return default
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise invalid(field, "must be a non-negative integer")
    if value > maximum:
        raise invalid(field, f"must be at most {maximum}", "MAX")
    return value


def cursor_page(
    items: list[dict[str, Any]], paging: dict[str, Any] | None, *, maximum: int, default: int
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One page of ``items`` under cursor paging and its ``pagingMetadata``.

    The cursor is opaque to clients (Wix: "a pointer to the next page"); here it is the
    offset of the next item, base64-encoded. A cursor that does not decode is a 400.
    """
    paging = paging or {}
    limit = _limit(paging.get("limit"), default, maximum, "cursorPaging.limit")
    start = 0
    if paging.get("cursor"):
        try:
            start = int(json.loads(base64.urlsafe_b64decode(str(paging["cursor"])))["o"])
        except (ValueError, KeyError, TypeError):
            raise invalid("cursorPaging.cursor", "is not a valid cursor") from None
    page = items[start : start + limit]
    following = start + len(page)
    has_next = following < len(items)
    token = base64.urlsafe_b64encode(json.dumps({"o": following}).encode()).decode()
    meta: dict[str, Any] = {
        "count": len(page),
        "cursors": {"next": token} if has_next else {},
        "hasNext": has_next,
    }
    return page, meta


def offset_page(
    items: list[dict[str, Any]], paging: dict[str, Any] | None, *, maximum: int, default: int
) -> tuple[list[dict[str, Any]], int, int]:
    """One page under offset paging: (page, limit, offset)."""
    paging = paging or {}
    limit = _limit(paging.get("limit"), default, maximum, "query.paging.limit")
    offset = _limit(paging.get("offset"), 0, 10**9, "query.paging.offset")
    return items[offset : offset + limit], limit, offset


def bulk_answer(results: list[dict[str, Any]]) -> dict[str, Any]:
    """A bulk method's answer: the per-item ``results`` and their ``bulkActionMetadata``."""
    ok = sum(1 for r in results if r["itemMetadata"]["success"])
    return {
        "results": results,
        "bulkActionMetadata": {
            "totalSuccesses": ok,
            "totalFailures": len(results) - ok,
            "undetailedFailures": 0,
        },
    }
