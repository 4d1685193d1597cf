"""Customer, tag and metafield mutations (Admin GraphQL 2026-01).

- customerCreate / customerUpdate (mutations/customerCreate, customerUpdate): e-mail
  and phone checked and unique (:mod:`.field_rules`), addresses replaced, metafields set;
  an unknown customer is a user error on ``id`` ("Customer does not exist");
- tagsAdd (mutations/tagsAdd): tags split on commas, added once;
- metafieldsSet (mutations/metafieldsSet): at most 25 at once, namespace, key, type and
  value checked (:mod:`.field_rules`), nothing written when one is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from graphql import GraphQLError

from .field_rules import customer_errors, metafield_errors
from .ids import gid, parse_gid
from .views import Views

__all__ = ["CustomerWrites"]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _err(field: list[Any], message: str, code: str | None = None) -> dict[str, Any]:
    return {"field": [str(f) for f in field], "message": message, "code": code}


class CustomerWrites:
    """Part of the resolvers (``Resolvers`` derives from it): the state it writes."""

    state: dict[str, Any]
    views: Views
    dirty: Callable[[], None]
    next_id: Callable[[str], int]

    # ================================================================== customers
    def _customer_write(
        self, record: dict[str, Any] | None, data: dict[str, Any]
    ) -> dict[str, Any]:
        email = (data.get("email") or "").strip().lower()
        customers = self.state["customers"]
        errors = customer_errors(customers, record["id"] if record else None, data)
        if errors:
            return {"customer": None, "userErrors": errors}
        if record is None and not (email or data.get("phone")):
            return {
                "customer": None,
                "userErrors": [
                    _err(["customer"], "A name, phone number, or email address must be present")
                ],
            }
        now = _now()
        if record is None:
            number = self.next_id("customer")
            record = {
                "id": number,
                "email": None,
                "firstName": None,
                "lastName": None,
                "phone": None,
                "note": None,
                "tags": [],
                "state": "DISABLED",
                "createdAt": now,
                "addresses": [],
                "metafields": {},
            }
            customers[str(number)] = record
        for key in ("email", "firstName", "lastName", "phone", "note", "tags"):
            if key in data:
                record[key] = data[key]
        if data.get("addresses") is not None:
            record["addresses"] = [
                {
                    **{
                        k: a.get(k)
                        for k in (
                            "firstName",
                            "lastName",
                            "company",
                            "address1",
                            "address2",
                            "city",
                            "zip",
                            "provinceCode",
                            "phone",
                        )
                    },
                    "countryCodeV2": a.get("countryCode"),
                }
                for a in data["addresses"]
            ]
        for m in data.get("metafields") or []:
            self._set_metafield(record, m)
        record["updatedAt"] = now
        self.dirty()
        return {"customer": self.views.customer(record), "userErrors": []}

    def _set_metafield(self, owner: dict[str, Any], m: dict[str, Any]) -> dict[str, Any]:
        key = f"{m.get('namespace') or '$app'}.{m['key']}"
        found = owner.setdefault("metafields", {}).get(key)
        if found is None:
            found = {
                "id": self.next_id("metafield"),
                "namespace": m.get("namespace") or "$app",
                "key": m["key"],
            }
            owner["metafields"][key] = found
        found.update(value=m["value"], type=m.get("type") or "single_line_text_field")
        return found

    def customerCreate(
        self,
        _info: Any = None,
        *,
        input: dict[str, Any],  # noqa: N802, A002
    ) -> dict[str, Any]:
        return self._customer_write(None, input)

    def customerUpdate(
        self,
        _info: Any = None,
        *,
        input: dict[str, Any],  # noqa: N802, A002
    ) -> dict[str, Any]:
        record = self.state["customers"].get(str(parse_gid(input.get("id") or "", "Customer")))
        if record is None:
            return {"customer": None, "userErrors": [_err(["id"], "Customer does not exist")]}
        return self._customer_write(record, input)

    # ================================================================== tags, metafields
    def _owner(self, value: str) -> tuple[str, dict[str, Any]] | None:
        for kind, table in (
            ("Order", "orders"),
            ("Customer", "customers"),
            ("Product", "products"),
            ("ProductVariant", "variants"),
        ):
            number = parse_gid(value, kind)
            if number is not None and str(number) in self.state[table]:
                return kind, self.state[table][str(number)]
        return None

    def tagsAdd(
        self,
        _info: Any = None,
        *,
        id: str,
        tags: list[str],  # noqa: N802, A002
    ) -> dict[str, Any]:
        found = self._owner(id)
        if found is None:
            return {"node": None, "userErrors": [_err(["id"], "Object does not exist")]}
        record = found[1]
        for tag in tags:
            for part in (t.strip() for t in tag.split(",")):
                if part and part not in record["tags"]:
                    record["tags"].append(part)
        record["updatedAt"] = _now()
        self.dirty()
        return {"node": {"__typename": found[0], "id": id}, "userErrors": []}

    def metafieldsSet(
        self,
        _info: Any = None,
        *,
        metafields: list[dict[str, Any]],  # noqa: N802
    ) -> dict[str, Any]:
        if len(metafields) > 25:
            raise GraphQLError(
                f"The input array size of {len(metafields)} is greater than "
                "the maximum allowed of 25.",
                extensions={"code": "MAX_INPUT_SIZE_EXCEEDED"},
            )
        errors, owners = [], []
        for index, m in enumerate(metafields):
            found = self._owner(m["ownerId"])
            if found is None:
                errors.append(
                    _err(["metafields", index, "ownerId"], "Owner does not exist.", "INVALID_VALUE")
                )
            errors += metafield_errors(m, ["metafields", index])
            owners.append(found)
        if errors:
            return {"metafields": None, "userErrors": errors}
        out = []
        for m, found in zip(metafields, owners, strict=True):
            assert found is not None
            stored = self._set_metafield(found[1], m)
            found[1]["updatedAt"] = _now()
            out.append(
                {
                    "__typename": "Metafield",
                    "id": gid("Metafield", stored["id"]),
                    **{k: stored[k] for k in ("namespace", "key", "value", "type")},
                }
            )
        self.dirty()
        return {"metafields": out, "userErrors": []}
