"""v3 customer addresses: ``GET``/``POST``/``PUT /customers/addresses``.

From ``reference/customers.v3.yml`` (``getCustomersAddresses``,
``createCustomersAddresses``, ``updateCustomersAddresses``): addresses are listed by
``customer_id:in`` (and ``id:in``), paged; created in arrays of ``address_Post``
(``customer_id``, ``first_name``, ``last_name``, ``address1``, ``city``,
``state_or_province``, ``postal_code`` and ``country_code`` required, 422 otherwise);
updated in arrays of ``address_Put`` (``id`` required). An address identical to one
the customer already has (the core fields the operation lists) changes nothing and is
left out of the answer, which is still 200.
"""

from __future__ import annotations

import builtins
from typing import Any

from .listing import ids_filter, paginate
from .state import Resource
from .wire import ApiError, Request, Response

__all__ = ["Addresses"]

FIELDS = (
    "first_name",
    "last_name",
    "company",
    "address1",
    "address2",
    "city",
    "state_or_province",
    "postal_code",
    "country_code",
    "phone",
    "address_type",
)
_REQUIRED = (
    "customer_id",
    "first_name",
    "last_name",
    "address1",
    "city",
    "state_or_province",
    "postal_code",
    "country_code",
)
# Required but possibly empty: "required for countries that need" one (address_Post).
_MAY_BE_EMPTY = ("state_or_province", "postal_code")
_LENGTHS = {
    "first_name": (1, 255),
    "last_name": (1, 255),
    "company": (0, 255),
    "city": (0, 100),
    "state_or_province": (0, 100),
    "postal_code": (0, 30),
    "country_code": (2, 2),
    "phone": (0, 50),
}


def _core(address: dict[str, Any]) -> tuple[Any, ...]:
    """The fields that make an address unique (an untyped one is residential)."""
    return tuple(
        (address.get(k) or "") if k != "address_type" else (address.get(k) or "residential")
        for k in FIELDS
    )


class Addresses(Resource):
    """Customer addresses, kept on each customer record."""

    @property
    def _customers(self) -> dict[str, Any]:
        return self.data["customers"]

    def _all(self) -> list[dict[str, Any]]:
        return [a for c in self._customers.values() for a in c.get("addresses", [])]

    def list(self, req: Request) -> Response:
        rows = sorted(self._all(), key=lambda a: a["id"])
        for name, key in (("customer_id:in", "customer_id"), ("id:in", "id")):
            wanted = ids_filter(req, name)
            if wanted is not None:
                rows = [a for a in rows if a[key] in wanted]
        chunk, meta = paginate(req, rows)
        return Response({"data": chunk, "meta": meta})

    def _check(self, body: Any, required: tuple[str, ...]) -> builtins.list[dict[str, Any]]:
        if not isinstance(body, list) or not body:
            raise ApiError(422, "JSON data is missing or invalid")
        errors: dict[str, str] = {}
        for index, raw in enumerate(body):
            if not isinstance(raw, dict):
                errors[str(index)] = "each address must be an object"
                continue
            errors.update(
                {
                    f"{index}.{f}": f"{f} is required"
                    for f in required
                    if raw.get(f) is None or (raw[f] == "" and f not in _MAY_BE_EMPTY)
                }
            )
            for name, (low, high) in _LENGTHS.items():
                value = raw.get(name)
                if value is not None and (
                    not isinstance(value, str) or not low <= len(value) <= high
                ):
                    errors[f"{index}.{name}"] = f"{name} must be {low} to {high} characters"
        if errors:
            raise ApiError(422, "The address was not valid", errors)
        return body

    def create(self, req: Request) -> Response:
        out = []
        for raw in self._check(req.body, _REQUIRED):
            customer = self._customers.get(str(raw["customer_id"]))
            if customer is None:
                raise ApiError(
                    422,
                    "The address was not valid",
                    {"customer_id": f"customer {raw['customer_id']} not found"},
                )
            if any(_core(a) == _core(raw) for a in customer["addresses"]):
                continue  # the same address again: nothing changes, left out of the answer
            address = {
                "id": self.state.next_id("address"),
                "customer_id": customer["id"],
                **{k: raw.get(k, "") or "" for k in FIELDS},
                "country": "",
            }
            address["address_type"] = address["address_type"] or "residential"
            customer["addresses"].append(address)
            out.append(address)
        self.state.dirty()
        return Response({"data": out, "meta": {}})

    def update(self, req: Request) -> Response:
        by_id = {a["id"]: a for a in self._all()}
        body = self._check(req.body, ("id",))
        unknown = [raw["id"] for raw in body if raw["id"] not in by_id]
        if unknown:
            raise ApiError(
                422, "The address was not valid", {"id": f"address {unknown[0]} not found"}
            )
        out = []
        for raw in body:
            address = by_id[raw["id"]]
            address.update({k: raw[k] for k in FIELDS if k in raw})
            out.append(address)
        self.state.dirty()
        return Response({"data": out, "meta": {}})
