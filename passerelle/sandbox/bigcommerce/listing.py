"""How a v3 list answers: its page of records and their meta, and an ``id:in`` style filter
(shared by every v3 resource of the sandbox)."""

from __future__ import annotations

from typing import Any

from .wire import ApiError, Request, page_meta

__all__ = ["PAGE_MAX", "ids_filter", "paginate"]

#: The most records a v3 list answers at once.
PAGE_MAX = 250


def paginate(
    req: Request, records: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """``page``/``limit`` of a v3 list (limit defaults to 50, at most 250)."""
    try:
        page = int(req.arg("page", "1"))
        limit = int(req.arg("limit", "50"))
    except ValueError as exc:
        raise ApiError(422, "The page and limit parameters must be integers") from exc
    if page < 1 or limit < 1:
        raise ApiError(422, "The page and limit parameters must be positive")
    limit = min(limit, PAGE_MAX)
    chunk = records[(page - 1) * limit : page * limit]
    return chunk, page_meta(len(records), page, limit, len(chunk))


def ids_filter(req: Request, name: str) -> set[int] | None:
    raw = req.arg(name)
    if not raw:
        return None
    try:
        return {int(v) for v in raw.split(",") if v}
    except ValueError as exc:
        raise ApiError(422, f"The filter(s): {name} are not valid filter parameter(s).") from exc
