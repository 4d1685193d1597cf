"""Price lists, their records and their assignments to customer groups; the store's currencies.

From ``reference/price_lists.v3.yml`` (bigcommerce/docs) and ``reference/currencies.v2.yml``:

- ``POST /pricelists`` needs ``name``, "The unique name of the Price List" (422 without it,
  409 "conflicts with another Price List … such as name"); ``active`` defaults to true.
  ``GET /pricelists`` filters by ``name`` and ``id:in``.
- ``PUT /pricelists/{id}/records`` upserts "up to 1,000 items per request"; "Required
  Fields: currency"; each item names its variant by ``variant_id`` or ``sku`` and carries
  ``price`` (``x-required: put``); ``sale_price``, ``retail_price`` and ``map_price`` are
  ``minimum: 0``; "don't include records for the parent product SKU" of a product with
  variants. A refused item answers 422 ``batch_errors`` (``data`` with the item's
  identifiers, ``field_errors``) and, as BigCommerce's strict mode, nothing is written.
  A record is keyed by its list, variant and currency; ``calculated_price`` is the
  ``sale_price`` if set, else the ``price``; ``product_id`` is the variant's product.
- ``GET /pricelists/{id}/records`` filters by ``variant_id:in``, ``product_id:in``,
  ``sku:in`` and ``currency``; ``DELETE`` takes the same (``variant_id:in``, ``sku:in``,
  ``currency``) and answers 204. An unknown list is a 404.
- ``POST /pricelists/assignments`` takes "a batch of … 25" ``{price_list_id (required),
  customer_group_id, channel_id}`` and answers 200 with no content, or 422 ``{status,
  title, type, errors, meta: {saved_records}}``; the list and the customer group must
  exist, and "You cannot assign Price Lists to a customer group with customer group
  discounts" (the file's usage notes). A customer group and channel hold one list: a new
  assignment for them replaces the old one. ``GET /pricelists/assignments`` filters by
  ``price_list_id``, ``customer_group_id`` and ``channel_id``.
- ``GET /v2/currencies`` lists the store's currencies (``currency_Full``), one
  ``is_default``: the sandbox store's is the euro.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from .listing import ids_filter, paginate
from .state import Resource
from .wire import ApiError, Request, Response

__all__ = ["PriceLists", "RECORD_BATCH", "ASSIGNMENT_BATCH"]

RECORD_BATCH = 1000
ASSIGNMENT_BATCH = 25
_PRICES = ("price", "sale_price", "retail_price", "map_price")
_EURO: dict[str, Any] = {
    "id": 1,
    "is_default": True,
    "last_updated": "2018-06-12T14:41:56+00:00",
    "country_iso2": "EU",
    "currency_code": "EUR",
    "currency_exchange_rate": "1.0000000000",
    "auto_update": False,
    "token_location": "right",
    "token": "€",
    "decimal_token": ",",
    "thousands_token": " ",
    "decimal_places": 2,
    "name": "Euro",
    "enabled": True,
    "is_transactional": True,
}


def _strings(req: Request, name: str) -> set[str] | None:
    raw = req.arg(name)
    return {v for v in raw.split(",") if v} if raw else None


class PriceLists(Resource):
    """``/v3/pricelists`` and its records and assignments, ``/v2/currencies``."""

    @property
    def _lists(self) -> dict[str, dict[str, Any]]:
        return self.data.setdefault("price_lists", {})  # type: ignore[no-any-return]

    @property
    def _records(self) -> dict[str, dict[str, Any]]:
        return self.data.setdefault("price_records", {})  # type: ignore[no-any-return]

    @property
    def _assignments(self) -> dict[str, dict[str, Any]]:
        return self.data.setdefault("price_assignments", {})  # type: ignore[no-any-return]

    # -- currencies ---------------------------------------------------------------------
    def currencies(self, req: Request) -> Response:
        return Response([dict(c) for c in self.data.setdefault("currencies", [dict(_EURO)])])

    # -- price lists --------------------------------------------------------------------
    def list_lists(self, req: Request) -> Response:
        rows = sorted(self._lists.values(), key=lambda p: p["id"])
        ids = ids_filter(req, "id:in")
        name = req.arg("name")
        rows = [
            r for r in rows if (ids is None or r["id"] in ids) and (not name or r["name"] == name)
        ]
        page, meta = paginate(req, rows)
        return Response({"data": page, "meta": meta})

    def create_list(self, req: Request) -> Response:
        body = req.body if isinstance(req.body, dict) else {}
        name = body.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ApiError(422, "Price List is not valid", {"name": "name is required"})
        if any(p["name"] == name for p in self._lists.values()):
            raise ApiError(
                409, "Price List conflicts with another Price List", {"name": "is not unique"}
            )
        active = body.get("active", True)
        if not isinstance(active, bool):
            raise ApiError(422, "Price List is not valid", {"active": "must be a boolean"})
        stamp = self.state.now()
        made = {
            "id": self.state.next_id("price_list", 0),
            "name": name,
            "active": active,
            "date_created": stamp,
            "date_modified": stamp,
        }
        self._lists[str(made["id"])] = made
        self.state.dirty()
        return Response({"data": made, "meta": {}})

    def _list(self, price_list_id: str) -> dict[str, Any]:
        found = self._lists.get(price_list_id)
        if found is None:
            raise ApiError(404, "The resource was not found.")
        return found

    # -- records ------------------------------------------------------------------------
    def _variant(self, item: dict[str, Any]) -> dict[str, Any] | None:
        variants = self.data["variants"].values()
        if "variant_id" in item:
            return next((v for v in variants if v["id"] == item["variant_id"]), None)
        return next((v for v in variants if v.get("sku") == item.get("sku")), None)

    def _problems(self, item: Any) -> dict[str, str]:
        if not isinstance(item, dict):
            return {"item": "must be an object"}
        errors: dict[str, str] = {}
        if not isinstance(item.get("currency"), str) or len(item["currency"]) != 3:
            errors["currency"] = "currency is required (ISO-4217)"
        if "variant_id" not in item and "sku" not in item:
            errors["variant_id"] = "Either variant_id or sku is required"
        else:
            variant = self._variant(item)
            if variant is None:
                errors["variant_id" if "variant_id" in item else "sku"] = "variant not found"
            elif not variant.get("option_values") and any(
                v.get("option_values")
                for v in self.data["variants"].values()
                if v["product_id"] == variant["product_id"]
            ):
                errors["sku"] = "is the parent product of variants: price its variants"
        if "price" not in item:
            errors["price"] = "price is required"
        for name in _PRICES:
            if name in item:
                try:
                    amount = Decimal(str(item[name]))
                except InvalidOperation:
                    errors[name] = "must be a number"
                    continue
                if isinstance(item[name], bool) or (name != "price" and amount < 0):
                    errors[name] = "must be a number of 0 or more"
        return errors

    def upsert_records(self, req: Request, price_list_id: str) -> Response:
        self._list(price_list_id)
        items = req.body
        if not isinstance(items, list):
            raise ApiError(422, "The request body must be an array of price records")
        if len(items) > RECORD_BATCH:
            raise ApiError(422, f"Batch requests support up to {RECORD_BATCH} items per request")
        errors = []
        for item in items:
            problems = self._problems(item)
            if problems:
                ids = {k: item[k] for k in ("variant_id", "sku", "currency") if k in item}
                errors.append(
                    {
                        "data": {"price_list_id": int(price_list_id), **ids},
                        "field_errors": problems,
                    }
                )
        if errors:
            return Response({"batch_errors": errors}, status=422)
        stamp = self.state.now()
        for item in items:
            variant = self._variant(item) or {}
            currency = str(item["currency"]).lower()
            key = f"{price_list_id}/{variant['id']}/{currency}"
            record = self._records.get(key) or {
                "price_list_id": int(price_list_id),
                "variant_id": variant["id"],
                "product_id": variant["product_id"],
                "currency": currency,
                "date_created": stamp,
                "bulk_pricing_tiers": [],
            }
            for name in _PRICES:
                if name in item:
                    record[name] = float(item[name])
            record["calculated_price"] = record.get("sale_price") or record["price"]
            record["date_modified"] = stamp
            self._records[key] = record
        self.state.dirty()
        return Response({"data": {}, "meta": {}})

    def _matching(self, req: Request, price_list_id: str) -> list[tuple[str, dict[str, Any]]]:
        self._list(price_list_id)
        variant_ids = ids_filter(req, "variant_id:in")
        product_ids = ids_filter(req, "product_id:in")
        skus = _strings(req, "sku:in")
        currency = req.arg("currency").lower()
        sku_of = {v["id"]: v.get("sku") for v in self.data["variants"].values()}
        return [
            (key, r)
            for key, r in sorted(self._records.items())
            if r["price_list_id"] == int(price_list_id)
            and (variant_ids is None or r["variant_id"] in variant_ids)
            and (product_ids is None or r["product_id"] in product_ids)
            and (skus is None or sku_of.get(r["variant_id"]) in skus)
            and (not currency or r["currency"] == currency)
        ]

    def list_records(self, req: Request, price_list_id: str) -> Response:
        include = set(req.arg("include").split(","))
        sku_of = {v["id"]: v.get("sku") for v in self.data["variants"].values()}
        rows = [
            {**r, **({"sku": sku_of.get(r["variant_id"])} if "sku" in include else {})}
            for _key, r in self._matching(req, price_list_id)
        ]
        page, meta = paginate(req, rows)
        return Response({"data": page, "meta": meta})

    def delete_records(self, req: Request, price_list_id: str) -> Response:
        for key, _record in self._matching(req, price_list_id):
            del self._records[key]
        self.state.dirty()
        return Response(None, status=204)

    # -- assignments --------------------------------------------------------------------
    def list_assignments(self, req: Request) -> Response:
        rows = sorted(self._assignments.values(), key=lambda a: a["id"])
        for name in ("price_list_id", "customer_group_id", "channel_id"):
            wanted = req.arg(name)
            if wanted:
                rows = [a for a in rows if str(a.get(name)) == wanted]
        page, meta = paginate(req, rows)
        return Response({"data": page, "meta": meta})

    def _assignment_problem(self, item: Any) -> str:
        if not isinstance(item, dict) or not isinstance(item.get("price_list_id"), int):
            return "price_list_id is required"
        if str(item["price_list_id"]) not in self._lists:
            return f"Price list {item['price_list_id']} does not exist"
        group_id = item.get("customer_group_id")
        if group_id is not None:
            group = self.data["customer_groups"].get(str(group_id))
            if group is None:
                return f"Customer group {group_id} does not exist"
            if any(r.get("type") != "price_list" for r in group.get("discount_rules") or []):
                return (
                    "You cannot assign Price Lists to a customer group with customer group "
                    "discounts"
                )
        return ""

    def create_assignments(self, req: Request) -> Response:
        items = req.body
        if not isinstance(items, list) or len(items) > ASSIGNMENT_BATCH:
            raise ApiError(422, f"The batch limit for Price List Assignments is {ASSIGNMENT_BATCH}")
        problems = {
            str(i): p for i, item in enumerate(items) if (p := self._assignment_problem(item))
        }
        if problems:
            return Response(
                {
                    "status": 422,
                    "title": "Price list assignments were not valid",
                    "type": "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes",
                    "errors": problems,
                    "meta": {"saved_records": 0},
                },
                status=422,
            )
        for item in items:
            place = (item.get("customer_group_id"), item.get("channel_id"))
            for key, old in list(self._assignments.items()):
                if (old.get("customer_group_id"), old.get("channel_id")) == place:
                    del self._assignments[key]
            made = {
                "id": self.state.next_id("price_assignment", 0),
                "price_list_id": item["price_list_id"],
                **{k: item[k] for k in ("customer_group_id", "channel_id") if k in item},
            }
            self._assignments[str(made["id"])] = made
        self.state.dirty()
        return Response(None)
