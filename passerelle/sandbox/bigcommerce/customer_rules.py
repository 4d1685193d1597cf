"""What ``POST``/``PUT /v3/customers`` refuse in a customer, item by item.

From ``reference/customers.v3.yml`` (``customer_Post``, ``customer_Put``):
``email`` (3–255 characters), ``first_name`` and ``last_name`` (1–100) are
required to create; ``company`` and ``tax_exempt_category`` at most 255,
``phone`` 50, ``registration_ip_address`` 30. The store validates the
address (docs "Customers": "email must be a valid email address") and keeps
one account per e-mail, compared without case. Errors answer 422 with an
``errors`` map keyed by the item's index in the batch and the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .wire import ApiError

__all__ = ["check_customers"]

_LENGTHS = {
    "email": (3, 255),
    "first_name": (1, 100),
    "last_name": (1, 100),
    "company": (0, 255),
    "phone": (0, 50),
    "registration_ip_address": (0, 30),
    "tax_exempt_category": (0, 255),
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")


def _item_errors(index: int, raw: dict[str, Any], creating: bool) -> dict[str, str]:
    errors: dict[str, str] = {}
    if creating:
        errors.update(
            {
                f"{index}.{f}": f"{f} is required"
                for f in ("email", "first_name", "last_name")
                if not raw.get(f)
            }
        )
    for name, (low, high) in _LENGTHS.items():
        value = raw.get(name)
        if value is None or f"{index}.{name}" in errors:
            continue
        if not isinstance(value, str) or not low <= len(value) <= high:
            errors[f"{index}.{name}"] = f"{name} must be {low} to {high} characters long"
    email = raw.get("email")
    if isinstance(email, str) and f"{index}.email" not in errors and not _EMAIL.match(email):
        errors[f"{index}.email"] = "email must be a valid email address"
    return errors


def check_customers(
    body: list[Any], customers: Iterable[dict[str, Any]], *, creating: bool
) -> None:
    """Raise the 422 the store answers for the first batch with a bad item."""
    action = "creating" if creating else "updating"
    table = list(customers)
    known = {c["id"] for c in table}
    errors: dict[str, str] = {}
    seen: dict[str, int] = {}
    for index, raw in enumerate(body):
        if not isinstance(raw, dict):
            errors[f"{index}"] = "each customer must be an object"
            continue
        if not creating and raw.get("id") not in known:
            errors[f"{index}.id"] = "customer not found"
            continue
        errors.update(_item_errors(index, raw, creating))
        email = str(raw.get("email") or "").casefold()
        if email and f"{index}.email" not in errors:
            own = None if creating else raw.get("id")
            if email in seen or any(
                c["email"].casefold() == email and c["id"] != own for c in table
            ):
                errors[f"{index}.email"] = f"The email address {raw['email']} is already in use"
            seen[email] = index
    if errors:
        first = next(iter(errors.values()))
        raise ApiError(422, f"Error {action} customers: {first}", errors)
