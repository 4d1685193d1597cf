"""Which names a profile uses do not exist in Tryton (O14: checked before any order).

One lookup per kind of :data:`passerelle.connectors.base.REFERENCE_KINDS`,
each a single search for all names, so checking a whole profile costs a
handful of queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from passerelle.connectors.base import REFERENCE_KINDS

__all__ = ["LISTED_KINDS", "check_kind", "missing_references", "reference_names"]


def _field_values(
    model: str, field: str, extra: tuple[Any, ...] = ()
) -> Callable[[Any, list[str]], set[str]]:
    """A lookup: values of ``field`` among ``names`` on records of ``model``."""

    def lookup(pool: Any, names: list[str]) -> set[str]:
        try:
            Model = pool.get(model)
        except KeyError:  # the module giving this model is not activated
            return set()
        records = Model.search([(field, "in", names), *extra])
        found = set()
        for record in records:
            value: Any = record
            for part in field.split("."):
                value = getattr(value, part)
            found.add(value)
        return found

    return lookup


_LOOKUPS: dict[str, Callable[[Any, list[str]], set[str]]] = {
    # What a sale line may use: active (the default search) and salable.
    "item": _field_values("product.product", "code", (("salable", "=", True),)),
    "tax": _field_values("account.tax", "name"),
    "tax_rule": _field_values("account.tax.rule", "name"),
    "carrier": _field_values("carrier", "party.name"),
    "payment_journal": _field_values("account.payment.journal", "name"),
    "payment_term": _field_values("account.invoice.payment_term", "name"),
    "currency": _field_values("currency.currency", "code"),
    "warehouse": _field_values("stock.location", "code", (("type", "=", "warehouse"),)),
    "customer_category": _field_values("party.category", "name"),
    "representative": _field_values("commission.agent", "party.name", (("type_", "=", "agent"),)),
    "account": _field_values("account.account", "code", (("closed", "!=", True),)),
    "price_list": _field_values("product.price_list", "name"),
    "attribute": _field_values("product.attribute", "name"),
}
assert set(_LOOKUPS) == set(REFERENCE_KINDS), "one lookup per reference kind"


def check_kind(kind: str) -> None:
    """ValueError for a kind that is not one of ``REFERENCE_KINDS`` (a programming error)."""
    if kind not in _LOOKUPS:
        raise ValueError(  # internal: kinds are the flows' constants, never a profile's words
            f"unknown reference kind {kind!r}; expected one of {', '.join(REFERENCE_KINDS)}"
        )


def missing_references(pool: Any, kind: str, names: Iterable[str]) -> set[str]:
    """The ``names`` that do not exist as ``kind``; ValueError for an unknown kind."""
    check_kind(kind)
    wanted = set(names)
    present = sorted(name for name in wanted if name)  # a blank name is always missing
    found = _LOOKUPS[kind](pool, present) if present else set()
    return wanted - found


#: What the profile editor lists in its drop-downs: (model, field, extra domain) per kind.
_LISTED: dict[str, tuple[str, str, tuple[Any, ...]]] = {
    "tax": ("account.tax", "name", ()),
    "tax_rule": ("account.tax.rule", "name", ()),
    "carrier": ("carrier", "party.name", ()),
    "payment_journal": ("account.payment.journal", "name", ()),
    "payment_term": ("account.invoice.payment_term", "name", ()),
    "warehouse": ("stock.location", "code", (("type", "=", "warehouse"),)),
    "customer_category": ("party.category", "name", ()),
}
LISTED_KINDS = tuple(_LISTED)


def reference_names(pool: Any, kind: str, limit: int = 500) -> list[str]:
    """Every name of ``kind`` (one of :data:`LISTED_KINDS`), sorted, at most ``limit``:
    what a mapping may choose from (the profile editor's drop-downs)."""
    if kind not in _LISTED:
        raise ValueError(  # internal: the profile editor's own constant kinds
            f"cannot list {kind!r}; one of {', '.join(LISTED_KINDS)}"
        )
    model, field, extra = _LISTED[kind]
    try:
        Model = pool.get(model)
    except KeyError:  # the module giving this model is not activated
        return []
    names = set()
    for record in Model.search(list(extra), limit=limit):
        value: Any = record
        for part in field.split("."):
            value = getattr(value, part, None)
        if isinstance(value, str) and value:
            names.add(value)
    return sorted(names)
