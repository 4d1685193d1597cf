"""Query and mutation resolvers over the sandbox's state (Admin GraphQL 2026-01).

Each mutation follows its reference page: input checked first, then
``userErrors`` (field path + message + code) for what the platform refuses
while still answering HTTP 200, and nothing written when there is one.
- queries: products, variants, collections, customers, orders (the search syntax
  subset served), ``nodes`` (at most 250 ids), ``deliveryProfiles``, ``ordersCount``.
- productSet: creates, or with ``identifier.id`` replaces, a product with all
  its variants; variants left out of ``variants`` are deleted (mutations/productSet);
  what it refuses is :mod:`.product_checks`.
- collectionCreate/Update here; ``inventorySetQuantities`` in :mod:`.inventory`;
  customers, tags and metafields in :mod:`.customer_writes`; an order's life in
  :mod:`.order_writes`; deletes in :mod:`.product_deletes`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from graphql import GraphQLError

from .customer_writes import CustomerWrites
from .field_rules import metafield_errors
from .inventory import Inventory, move, new_level, quantity
from .media import ProductMedia
from .order_writes import OrderWrites
from .product_checks import product_set_errors, unique_handle
from .product_deletes import ProductDeletes
from .views import Views, connection, gid, parse_gid

__all__ = ["Resolvers"]

_MAX_INPUT = 250


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _err(field: list[Any], message: str, code: str | None = None) -> dict[str, Any]:
    return {"field": [str(f) for f in field], "message": message, "code": code}


def _max_input(values: list[Any], path: str) -> None:
    if len(values) > _MAX_INPUT:
        raise GraphQLError(
            f"The input array size of {len(values)} is greater than the maximum "
            f"allowed of {_MAX_INPUT}.",
            extensions={"code": "MAX_INPUT_SIZE_EXCEEDED", "path": path},
        )


def _terms(query: str | None) -> list[list[tuple[str, str, str]]]:
    """Shopify search syntax, the subset served: ``a:b OR a:c``, ``x:>=v y:v`` (AND)."""
    groups = []
    for part in re.split(r"\s+OR\s+", (query or "").strip()):
        terms = []
        for term in part.split():
            name, _, value = term.partition(":")
            op = next((o for o in (">=", "<=", ">", "<") if value.startswith(o)), "=")
            terms.append(
                (
                    name.lower(),
                    op,
                    value[len(op) :].strip("'\"") if op != "=" else value.strip("'\""),
                )
            )
        if terms:
            groups.append(terms)
    return groups


def _match(
    record: dict[str, Any],
    groups: list[list[tuple[str, str, str]]],
    value_of: Callable[[dict[str, Any], str], Any],
) -> bool:
    if not groups:
        return True
    for terms in groups:
        ok = True
        for name, op, wanted in terms:
            have = value_of(record, name)
            if have is None:
                ok = False
            elif op == "=":
                ok = (
                    str(have).lower() == wanted.lower()
                    or wanted == "*"
                    or (wanted.lower() == "any" and name == "status")
                )
            else:
                have, wanted = str(have), wanted
                ok = {
                    ">=": have >= wanted,
                    "<=": have <= wanted,
                    ">": have > wanted,
                    "<": have < wanted,
                }[op]
            if not ok:
                break
        if ok:
            return True
    return False


class Resolvers(CustomerWrites):
    """The root value handed to graphql-core: one callable per root field."""

    def __init__(
        self,
        state: dict[str, Any],
        mark_dirty: Callable[[], None],
        base_url: Callable[[], str] = lambda: "",
    ) -> None:
        self.state = state
        self.views = Views(state)
        self.media = ProductMedia(state, self.next_id, base_url)
        self.views.media = self.media
        self.bulk: Any = None  # .bulk.BulkOperations, attached by the server
        self.dirty = mark_dirty
        self.inventory = Inventory(state, self.next_id, mark_dirty)
        self.order_writes = OrderWrites(state, self.views, self.next_id, mark_dirty)
        self.deletes = ProductDeletes(state, self.views, mark_dirty)

    def next_id(self, sequence: str) -> int:
        # a state file from before a sequence existed (orders placed here: issue 12)
        self.state["sequences"].setdefault(sequence, 10_000)
        self.state["sequences"][sequence] += 1
        return int(self.state["sequences"][sequence])

    def root(self) -> dict[str, Any]:
        return {
            name: getattr(self, name)
            for name in (
                "shop",
                "locations",
                "products",
                "productVariants",
                "collections",
                "customers",
                "orders",
                "order",
                "node",
                "currentBulkOperation",
                "ordersCount",
                "productSet",
                "inventorySetQuantities",
                "collectionCreate",
                "collectionUpdate",
                "customerCreate",
                "customerUpdate",
                "tagsAdd",
                "metafieldsSet",
                "bulkOperationRunQuery",
                "bulkOperationRunMutation",
                "stagedUploadsCreate",
                "nodes",
                "deliveryProfiles",
            )
        } | {
            # order lifecycle (.order_writes) and deletes (.product_deletes)
            "orderCreate": lambda _i=None, *, order, options=None: self.order_writes.order_create(
                order, options
            ),
            "orderMarkAsPaid": lambda _i=None, *, input: self.order_writes.mark_as_paid(input),
            "fulfillmentOrderHold": lambda _i=None, *, fulfillmentHold, id: self.order_writes.hold(
                id, fulfillmentHold
            ),
            "fulfillmentOrderReleaseHold": lambda _i=None, *, id, **_a: (
                self.order_writes.release_hold(id)
            ),
            "fulfillmentCreate": lambda _i=None, *, fulfillment, **_a: (
                self.order_writes.fulfillment_create(fulfillment)
            ),
            "orderCancel": lambda _i=None, **a: self.order_writes.cancel(**a),
            "refundCreate": lambda _i=None, *, input: self.order_writes.refund(input),
            "inventoryAdjustQuantities": lambda _i=None, *, input: self.inventory.adjust_quantities(
                input
            ),
            "productDelete": lambda _i=None, *, input, **_a: self.deletes.product_delete(input),
            "productVariantsBulkDelete": lambda _i=None, **a: self.deletes.variants_bulk_delete(
                **a
            ),
        }

    # ================================================================== queries
    def shop(self, _info: Any = None) -> dict[str, Any]:
        return {
            "id": gid("Shop", 1),
            "myshopifyDomain": "maison-passerelle.myshopify.com",
            "taxesIncluded": False,  # Shopify's default; a state saved before the switch
            **self.state["shop"],
        }

    def locations(self, _info: Any = None, **args: Any) -> dict[str, Any]:
        return connection(
            [(r["id"], self.views.location(r)) for r in self.state["locations"].values()], **args
        )

    def products(
        self,
        _info: Any = None,
        *,
        query: str | None = None,
        sortKey: str | None = None,
        reverse: bool = False,
        **args: Any,
    ) -> dict[str, Any]:  # noqa: N803
        groups = _terms(query)
        records = [
            p
            for p in self.state["products"].values()
            if _match(
                p,
                groups,
                lambda r, name: {
                    "title": r["title"],
                    "handle": r["handle"],
                    "status": r["status"].lower(),
                    "updated_at": r["updatedAt"],
                }.get(name),
            )
        ]
        records.sort(key=lambda r: r["id"], reverse=reverse)
        return connection([(r["id"], self.views.product(r)) for r in records], **args)

    def productVariants(
        self,
        _info: Any = None,
        *,
        query: str | None = None,  # noqa: N802
        **args: Any,
    ) -> dict[str, Any]:
        groups = _terms(query)
        items = self.state["inventory_items"]

        def value(r: dict[str, Any], name: str) -> Any:
            return {
                "sku": items[str(r["inventory_item_id"])].get("sku"),
                "product_id": r["product_id"],
            }.get(name)

        records = sorted(
            (v for v in self.state["variants"].values() if _match(v, groups, value)),
            key=lambda r: r["id"],
        )
        return connection([(r["id"], self.views.variant(r)) for r in records], **args)

    def collections(
        self, _info: Any = None, *, query: str | None = None, **args: Any
    ) -> dict[str, Any]:
        groups = _terms(query)
        records = [
            c
            for c in self.state["collections"].values()
            if _match(c, groups, lambda r, n: {"title": r["title"], "handle": r["handle"]}.get(n))
        ]
        return connection([(r["id"], self.views.collection(r)) for r in records], **args)

    def customers(
        self, _info: Any = None, *, query: str | None = None, **args: Any
    ) -> dict[str, Any]:
        groups = _terms(query)
        records = sorted(
            (
                c
                for c in self.state["customers"].values()
                if _match(
                    c,
                    groups,
                    lambda r, n: {
                        "email": r.get("email"),
                        "created_at": r["createdAt"],
                        "updated_at": r["updatedAt"],
                    }.get(n),
                )
            ),
            key=lambda r: r["id"],
        )
        return connection([(r["id"], self.views.customer(r)) for r in records], **args)

    def orders(
        self,
        _info: Any = None,
        *,
        query: str | None = None,
        sortKey: str = "ID",  # noqa: N803
        reverse: bool = False,
        **args: Any,
    ) -> dict[str, Any]:
        records = self._orders(query, sortKey, reverse)
        return connection([(r["id"], self.views.order(r)) for r in records], **args)

    def _orders(
        self,
        query: str | None,
        sortKey: str = "ID",
        reverse: bool = False,  # noqa: N803
    ) -> list[dict[str, Any]]:
        groups = _terms(query)

        def value(r: dict[str, Any], name: str) -> Any:
            status = "cancelled" if r["cancelledAt"] else "closed" if r["closed"] else "open"
            return {
                "created_at": r["createdAt"],
                "updated_at": r["updatedAt"],
                "processed_at": r["processedAt"],
                "status": status,
                "name": r["name"],
                "financial_status": (r["displayFinancialStatus"] or "").lower(),
                "fulfillment_status": r["displayFulfillmentStatus"].lower(),
                "id": str(r["id"]),
            }.get(name)

        key = {
            "ID": "id",
            "CREATED_AT": "createdAt",
            "UPDATED_AT": "updatedAt",
            "PROCESSED_AT": "processedAt",
        }[sortKey]
        return sorted(
            (o for o in self.state["orders"].values() if _match(o, groups, value)),
            key=lambda r: (r[key], r["id"]),
            reverse=reverse,
        )

    def order(self, _info: Any = None, *, id: str) -> Any:  # noqa: A002
        number = parse_gid(id, "Order")
        record = self.state["orders"].get(str(number))
        return self.views.order(record) if record else None

    def node(self, _info: Any = None, *, id: str) -> Any:  # noqa: A002
        if str(id).startswith("gid://shopify/MediaImage/"):
            return self.media.view(int(parse_gid(id, "MediaImage") or 0))
        if str(id).startswith("gid://shopify/BulkOperation/"):
            record = self.state["bulk_operations"].get(str(parse_gid(id, "BulkOperation")))
            return self.bulk.view(record) if record else None
        return self.views.node(id)

    def currentBulkOperation(self, _info: Any = None, *, type: str = "QUERY") -> Any:  # noqa: N802, A002
        ops = [o for o in self.state["bulk_operations"].values() if o["type"] == type]
        if not ops:
            return None
        return self.bulk.view(max(ops, key=lambda o: o["id"]))

    def ordersCount(
        self,
        _info: Any = None,
        *,
        query: str | None = None,  # noqa: N802
        limit: int | None = 10000,
    ) -> dict[str, Any]:
        """queries/ordersCount: the count up to ``limit`` (10,000 by default), then
        precision AT_LEAST."""
        total = len(self._orders(query))
        if limit is not None and total > limit:
            return {"count": limit, "precision": "AT_LEAST"}
        return {"count": total, "precision": "EXACT"}

    def nodes(self, _info: Any = None, *, ids: list[str]) -> list[Any]:
        """queries/nodes: at most 250 ids; an id of nothing is a null in its place."""
        _max_input(ids, "ids")
        return [self.node(id=value) for value in ids]

    def deliveryProfiles(self, _info: Any = None, **args: Any) -> dict[str, Any]:  # noqa: N802
        return connection(
            [
                (p["id"], self.views.delivery_profile(p))
                for p in self.state.get("delivery_profiles", {}).values()
            ],
            **args,
        )

    # ================================================================== catalogue writes
    def _option_title(self, option_values: list[dict[str, Any]]) -> str:
        return " / ".join(str(v.get("name") or "") for v in option_values)

    def productSet(
        self,
        _info: Any = None,
        *,
        input: dict[str, Any],  # noqa: N802, A002
        synchronous: bool = True,
        identifier: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        products = self.state["products"]
        record: dict[str, Any] | None = None
        if identifier and identifier.get("id"):
            number = parse_gid(identifier["id"], "Product")
            record = products.get(str(number))
            if record is None:
                return {
                    "product": None,
                    "productSetOperation": None,
                    "userErrors": [
                        _err(
                            ["identifier", "id"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST"
                        )
                    ],
                }
        elif identifier and identifier.get("handle"):
            record = next(
                (p for p in products.values() if p["handle"] == identifier["handle"]), None
            )
        variants_in = input.get("variants") or []
        errors = (
            product_set_errors(products, record, input)
            + self.media.errors(input)
            + [
                e
                for index, m in enumerate(input.get("metafields") or [])
                for e in metafield_errors(m, ["input", "metafields", index])
            ]
        )
        collections = []
        for index, value in enumerate(input.get("collections") or []):
            number = parse_gid(value, "Collection")
            if number is None or str(number) not in self.state["collections"]:
                errors.append(
                    _err(
                        ["input", "collections", index],
                        "Collection does not exist",
                        "INVALID_INPUT",
                    )
                )
            collections.append(number)
        if errors:
            return {"product": None, "productSetOperation": None, "userErrors": errors}
        now = _now()
        if record is None:
            number = self.next_id("product")
            title = input["title"]
            record = {
                "id": number,
                "title": title,
                "handle": input.get("handle") or unique_handle(products, title, None),
                "status": "ACTIVE",
                "descriptionHtml": "",
                "vendor": "Maison Passerelle",
                "tags": [],
                "updatedAt": now,
                "collections": [],
                "variants": [],
                "options": [{"name": "Title", "values": ["Default Title"]}],
            }
            products[str(number)] = record
        for key in ("title", "handle", "descriptionHtml", "status", "vendor", "tags"):
            if input.get(key) is not None:
                record[key] = input[key]
        if input.get("metafields") is not None:
            # A list field: "creates new entries, updates existing entries, and deletes
            # existing entries that aren't included... list fields include collections,
            # metafields, and variants" (mutations/productSet, 2026-01). Left out, the
            # product's metafields stay as they are.
            given = {f"{m.get('namespace') or '$app'}.{m['key']}" for m in input["metafields"]}
            record["metafields"] = {
                k: v for k, v in (record.get("metafields") or {}).items() if k in given
            }
            for m in input["metafields"]:
                self._set_metafield(record, m)
        if input.get("seo") is not None:
            record["seo"] = {k: input["seo"].get(k) for k in ("title", "description")}
        if input.get("collections") is not None:
            record["collections"] = collections
        if input.get("productOptions") is not None:
            record["options"] = [
                {"name": o.get("name"), "values": [v.get("name") for v in o.get("values") or []]}
                for o in input["productOptions"]
            ]
        files = None if input.get("files") is None else self.media.set_files(record, input["files"])
        if "variants" in input:
            self._set_variants(record, variants_in, now, files)
        if files is not None:  # a media detached from the product leaves its variants too
            for number in record["variants"]:
                variant = self.state["variants"][str(number)]
                variant["media"] = [m for m in variant.get("media") or [] if m in record["media"]]
        record["updatedAt"] = now
        self.dirty()
        return {
            "product": self.views.product(record),
            "productSetOperation": None,
            "userErrors": [],
        }

    def _set_variants(
        self,
        record: dict[str, Any],
        variants_in: list[dict[str, Any]],
        now: str,
        files: dict[str, int] | None = None,
    ) -> None:
        """Replace the product's variants by the list: the ones left out are deleted."""
        variants, items = self.state["variants"], self.state["inventory_items"]
        kept = []
        for v in variants_in:
            title = self._option_title(v.get("optionValues") or [])
            existing = None
            if v.get("id"):
                existing = variants.get(str(parse_gid(v["id"], "ProductVariant")))
            if existing is None:
                existing = next(
                    (
                        variants[str(i)]
                        for i in record["variants"]
                        if variants[str(i)]["title"] == title
                    ),
                    None,
                )
            if existing is None:
                item_id = self.next_id("inventory_item")
                items[str(item_id)] = {
                    "id": item_id,
                    "sku": None,
                    "tracked": True,
                    "levels": {str(k): new_level() for k in self.state["locations"]},
                }
                existing = {
                    "id": self.next_id("variant"),
                    "product_id": record["id"],
                    "inventory_item_id": item_id,
                    "price": "0.00",
                    "barcode": None,
                    "compareAtPrice": None,
                    "taxable": True,
                }
                variants[str(existing["id"])] = existing
            existing.update(
                title=title,
                updatedAt=now,
                selectedOptions=[
                    {"name": o.get("optionName"), "value": o.get("name")}
                    for o in v.get("optionValues") or []
                ],
            )
            for key in ("price", "compareAtPrice"):
                if key in v:  # null clears compareAtPrice
                    existing[key] = (
                        None
                        if v[key] is None
                        else str(Decimal(str(v[key])).quantize(Decimal("0.01")))
                    )
            for key in ("barcode", "taxable"):
                if v.get(key) is not None:
                    existing[key] = v[key]
            if v.get("file") is not None:  # in ``files`` too (checked first)
                existing["media"] = self.media.variant_file(files or {}, v["file"])
            item = items[str(existing["inventory_item_id"])]
            if v.get("inventoryItem"):
                for key in ("sku", "tracked", "cost", "measurement"):
                    if v["inventoryItem"].get(key) is not None:
                        item[key] = v["inventoryItem"][key]
            for q in v.get("inventoryQuantities") or []:
                loc = parse_gid(q["locationId"], "Location")
                if str(loc) in item["levels"] and q["name"] in ("available", "on_hand"):
                    level = item["levels"][str(loc)]
                    move(level, None, "available", int(q["quantity"]) - quantity(level, q["name"]))
            kept.append(existing["id"])
        for old in record["variants"]:
            if old not in kept:
                gone = variants.pop(str(old), None)
                if gone:
                    items.pop(str(gone["inventory_item_id"]), None)
        record["variants"] = kept

    def inventorySetQuantities(
        self,
        _info: Any = None,
        *,  # noqa: N802
        input: dict[str, Any],
    ) -> dict[str, Any]:  # noqa: A002
        return self.inventory.set_quantities(input)

    def collectionCreate(
        self,
        _info: Any = None,
        *,
        input: dict[str, Any],  # noqa: N802, A002
    ) -> dict[str, Any]:
        if input.get("id"):
            return {"collection": None, "userErrors": [_err(["id"], "Id must not be set")]}
        if not input.get("title"):
            return {"collection": None, "userErrors": [_err(["title"], "Title can't be blank")]}
        number = self.next_id("collection")
        record = {
            "id": number,
            "title": input["title"],
            "handle": input.get("handle")
            or re.sub(r"[^a-z0-9]+", "-", input["title"].lower()).strip("-"),
            "updatedAt": _now(),
        }
        self.state["collections"][str(number)] = record
        self.dirty()
        return {"collection": self.views.collection(record), "userErrors": []}

    def collectionUpdate(
        self,
        _info: Any = None,
        *,
        input: dict[str, Any],  # noqa: N802, A002
    ) -> dict[str, Any]:
        record = self.state["collections"].get(str(parse_gid(input.get("id") or "", "Collection")))
        if record is None:
            return {"collection": None, "userErrors": [_err(["id"], "Collection does not exist")]}
        for key in ("title", "handle"):
            if input.get(key):
                record[key] = input[key]
        record["updatedAt"] = _now()
        self.dirty()
        return {"collection": self.views.collection(record), "userErrors": []}

    # ================================================================== bulk operations
    # (the work is in .bulk.BulkOperations, which the server attaches as ``self.bulk``)
    def bulkOperationRunQuery(self, _info: Any = None, *, query: str) -> dict[str, Any]:  # noqa: N802
        self.dirty()  # the operation's record, kept with the shop
        return self.bulk.run_query(query)

    def bulkOperationRunMutation(
        self,
        _info: Any = None,
        *,
        mutation: str,  # noqa: N802
        stagedUploadPath: str,
        **_: Any,
    ) -> dict[str, Any]:  # noqa: N803
        self.dirty()
        return self.bulk.run_mutation(mutation, stagedUploadPath)

    def stagedUploadsCreate(
        self,
        _info: Any = None,
        *,
        input: list[dict[str, Any]],  # noqa: N802, A002
    ) -> dict[str, Any]:
        return self.bulk.uploads.create(input)
