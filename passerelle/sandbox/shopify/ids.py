"""Global ids (``gid://shopify/<Kind>/<number>``, https://shopify.dev/docs/api/usage/gids)."""

from __future__ import annotations

__all__ = ["gid", "parse_gid"]


def gid(kind: str, number: int | str) -> str:
    return f"gid://shopify/{kind}/{number}"


def parse_gid(value: str, kind: str | None = None) -> int | None:
    """The number in ``gid://shopify/<kind>/<number>``; None when it is not one."""
    parts = str(value or "").split("/")
    if len(parts) != 5 or parts[:3] != ["gid:", "", "shopify"] or not parts[4].isdigit():
        return None
    if kind is not None and parts[3] != kind:
        return None
    return int(parts[4])
