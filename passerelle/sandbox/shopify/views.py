"""Stored records rendered as the Admin GraphQL objects, and the connection pager.

Records are plain JSON in the state file; a view is a dict shaped like the
GraphQL object (``__typename`` lets graphql-core resolve ``Node``), whose
fields with arguments are callables (graphql-core's default resolver calls
them with the field's arguments).

Pagination (https://shopify.dev/docs/api/usage/pagination-graphql): a
connection needs ``first`` or ``last`` (at most 250); ``pageInfo`` gives
``hasNextPage`` and ``endCursor``, the opaque cursor ``after`` takes.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from graphql import GraphQLError

from .ids import gid, parse_gid
from .inventory import level_quantities, quantity

__all__ = ["MAX_PAGE", "UNPAGED", "Views", "connection", "gid", "parse_gid"]

MAX_PAGE = 250
# Inside a bulk query every connection is read whole: no ``first`` needed, none enforced
# (https://shopify.dev/docs/api/usage/bulk-operations/queries).
UNPAGED: ContextVar[bool] = ContextVar("UNPAGED", default=False)


def _cursor(number: int) -> str:
    return base64.b64encode(json.dumps({"last_id": number}).encode()).decode()


def _decode(cursor: str) -> int:
    try:
        return int(json.loads(base64.b64decode(cursor))["last_id"])
    except (ValueError, KeyError, TypeError) as exc:
        raise GraphQLError(
            "Invalid cursor for current pagination sort.", extensions={"code": "BAD_REQUEST"}
        ) from exc


def connection(
    items: Sequence[tuple[int, Any]],
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    **_: Any,
) -> dict[str, Any]:
    """One page of ``items`` ((id, node) pairs, in order) as a Connection."""
    if UNPAGED.get():
        return {
            "edges": [{"cursor": _cursor(n), "node": node} for n, node in items],
            "nodes": [node for _, node in items],
            "pageInfo": {
                "hasNextPage": False,
                "hasPreviousPage": False,
                "startCursor": None,
                "endCursor": None,
            },
        }
    if first is None and last is None:
        raise GraphQLError(
            "you must provide one of first or last", extensions={"code": "BAD_REQUEST"}
        )
    size = first if first is not None else last
    assert size is not None
    if size < 0 or size > MAX_PAGE:
        which = "first" if first is not None else "last"
        raise GraphQLError(
            f"The {which} argument must be less than or equal to {MAX_PAGE}",
            extensions={"code": "BAD_REQUEST"},
        )
    start = 0
    if after:
        marker = _decode(after)
        start = next((i + 1 for i, (n, _) in enumerate(items) if n == marker), len(items))
    page = list(items[start : start + size]) if first is not None else list(items[-size:])
    has_next = first is not None and start + size < len(items)
    return {
        "edges": [{"cursor": _cursor(n), "node": node} for n, node in page],
        "nodes": [node for _, node in page],
        "pageInfo": {
            "hasNextPage": has_next,
            "hasPreviousPage": start > 0,
            "startCursor": _cursor(page[0][0]) if page else None,
            "endCursor": _cursor(page[-1][0]) if page else None,
        },
    }


def _amount(value: str | Decimal) -> str:
    """A Decimal scalar as Shopify serialises it: a string, trailing zeros dropped
    down to one decimal ("24.9", "10.0")."""
    text = format(Decimal(str(value)).normalize(), "f")
    return text if "." in text else f"{text}.0"


def money_bag(amount: str | Decimal, currency: str) -> dict[str, Any]:
    money = {"amount": _amount(amount), "currencyCode": currency}
    return {"shopMoney": money, "presentmentMoney": dict(money)}


class Views:
    """Renders the state's records (``state`` is the JSON dict the sandbox holds)."""

    def __init__(self, state: dict[str, Any]) -> None:
        self.state = state
        self.media: Any = None  # .media.ProductMedia, attached by the resolvers

    def _media(self, numbers: Sequence[int]) -> Callable[..., dict[str, Any]]:
        """A Media connection over these MediaImage ids, rendered when asked for."""

        def page(_info: Any = None, **args: Any) -> dict[str, Any]:
            views = [(n, self.media.view(n)) for n in numbers]
            return connection([(n, v) for n, v in views if v is not None], **args)

        return page

    # ------------------------------------------------------------------ helpers
    def _list(
        self, records: Sequence[dict[str, Any]], view: Callable[[dict[str, Any]], Any]
    ) -> Callable[..., dict[str, Any]]:
        def page(_info: Any = None, **args: Any) -> dict[str, Any]:
            return connection([(r["id"], view(r)) for r in records], **args)

        return page

    @staticmethod
    def _metafield(owner: dict[str, Any]) -> Callable[..., Any]:
        def read(_info: Any = None, *, key: str, namespace: str | None = None) -> Any:
            found = owner.get("metafields", {}).get(f"{namespace or '$app'}.{key}")
            if found is None:
                return None
            return {
                "__typename": "Metafield",
                "id": gid("Metafield", found["id"]),
                **{k: found[k] for k in ("namespace", "key", "value", "type")},
            }

        return read

    # ------------------------------------------------------------------ catalogue
    def location(self, record: dict[str, Any]) -> dict[str, Any]:
        return {"__typename": "Location", **record, "id": gid("Location", record["id"])}

    def collection(self, record: dict[str, Any]) -> dict[str, Any]:
        return {"__typename": "Collection", **record, "id": gid("Collection", record["id"])}

    def inventory_item(self, record: dict[str, Any]) -> dict[str, Any]:
        def level(_info: Any = None, *, locationId: str) -> Any:  # noqa: N803 - GraphQL name
            number = parse_gid(locationId, "Location")
            levels = record["levels"]
            if number is None or str(number) not in levels:
                return None
            quantities = levels[str(number)]
            return {
                "__typename": "InventoryLevel",
                "id": gid("InventoryLevel", f"{record['id']}?inventory_item_id={number}"),
                "location": self.location(self.state["locations"][str(number)]),
                "quantities": lambda _i=None, *, names: level_quantities(quantities, names),
            }

        cost = record.get("cost")
        return {
            "__typename": "InventoryItem",
            "id": gid("InventoryItem", record["id"]),
            "sku": record.get("sku"),
            "tracked": record.get("tracked", True),
            "unitCost": None
            if cost is None
            else {"amount": _amount(cost), "currencyCode": self.state["shop"]["currencyCode"]},
            "measurement": record.get("measurement") or {"weight": None},
            "inventoryLevel": level,
        }

    def variant(self, record: dict[str, Any]) -> dict[str, Any]:
        item = self.state["inventory_items"][str(record["inventory_item_id"])]
        total = sum(quantity(q, "available") for q in item["levels"].values())
        return {
            "__typename": "ProductVariant",
            "id": gid("ProductVariant", record["id"]),
            "title": record["title"],
            "sku": item.get("sku"),
            "barcode": record.get("barcode"),
            "price": record["price"],
            "compareAtPrice": record.get("compareAtPrice"),
            "taxable": record.get("taxable", True),
            "inventoryQuantity": total if item.get("tracked", True) else None,
            "inventoryItem": lambda _i=None: self.inventory_item(item),
            "product": lambda _i=None: self.product(
                self.state["products"][str(record["product_id"])]
            ),
            "selectedOptions": record["selectedOptions"],
            "media": self._media(record.get("media") or []),
            "metafield": self._metafield(record),
            "updatedAt": record["updatedAt"],
        }

    def product(self, record: dict[str, Any]) -> dict[str, Any]:
        variants = [self.state["variants"][str(v)] for v in record["variants"]]
        collections = [
            self.state["collections"][str(c)]
            for c in record["collections"]
            if str(c) in self.state["collections"]
        ]
        return {
            "__typename": "Product",
            "id": gid("Product", record["id"]),
            **{
                k: record[k]
                for k in (
                    "title",
                    "handle",
                    "status",
                    "descriptionHtml",
                    "vendor",
                    "tags",
                    "updatedAt",
                )
            },
            "seo": record.get("seo") or {"title": None, "description": None},
            "hasOnlyDefaultVariant": record["options"]
            == [{"name": "Title", "values": ["Default Title"]}],
            "options": lambda _i=None, **_a: [
                {"name": o["name"], "optionValues": [{"name": v} for v in o["values"]]}
                for o in record["options"]
            ],
            "variants": self._list(variants, self.variant),
            "collections": self._list(collections, self.collection),
            "media": self._media(record.get("media") or []),
            "metafield": self._metafield(record),
        }

    # ------------------------------------------------------------------ customers
    def customer(self, record: dict[str, Any]) -> dict[str, Any]:
        orders = sum(
            1 for o in self.state["orders"].values() if o.get("customerId") == record["id"]
        )
        return {
            "__typename": "Customer",
            "id": gid("Customer", record["id"]),
            **{
                k: record.get(k)
                for k in (
                    "email",
                    "firstName",
                    "lastName",
                    "phone",
                    "note",
                    "tags",
                    "state",
                    "createdAt",
                    "updatedAt",
                )
            },
            "defaultEmailAddress": {"emailAddress": record["email"]}
            if record.get("email")
            else None,
            "numberOfOrders": str(orders),
            "defaultAddress": record["addresses"][0] if record.get("addresses") else None,
            "addresses": lambda _i=None, first=None: list(record.get("addresses") or [])[:first],
            "metafield": self._metafield(record),
        }

    # ------------------------------------------------------------------ orders
    def _taxes(self, lines: Sequence[dict[str, Any]], currency: str) -> list[dict[str, Any]]:
        return [
            {
                "title": t["title"],
                "rate": t["rate"],
                "ratePercentage": t["ratePercentage"],
                "priceSet": money_bag(t["amount"], currency),
            }
            for t in lines
        ]

    def order(self, record: dict[str, Any]) -> dict[str, Any]:
        cur = record["currencyCode"]
        lines = [
            {
                "__typename": "LineItem",
                "id": gid("LineItem", li["id"]),
                "sku": li["sku"],
                "name": li["name"],
                "title": li["name"],
                "quantity": li["quantity"],
                "originalUnitPriceSet": money_bag(li["unitPrice"], cur),
                "originalTotalSet": money_bag(li["originalTotal"], cur),
                "discountedTotalSet": money_bag(
                    Decimal(li["originalTotal"]) - Decimal(li["discount"]), cur
                ),
                "taxLines": (lambda t: lambda _i=None, **_a: t)(self._taxes(li["taxLines"], cur)),
                "discountAllocations": [{"allocatedAmountSet": money_bag(li["discount"], cur)}]
                if Decimal(li["discount"])
                else [],
                "variant": None,
                "currentQuantity": int(li["quantity"]) - int(li.get("removed", 0)),
                "unfulfilledQuantity": int(li["quantity"])
                - int(li.get("removed", 0))
                - int(li.get("fulfilled", 0)),
            }
            for li in record["lineItems"]
        ]
        shipping = [
            {
                "id": gid("ShippingLine", s["id"]),
                "title": s["title"],
                "code": s["code"],
                "source": s["source"],
                "originalPriceSet": money_bag(s["price"], cur),
                "discountedPriceSet": money_bag(s["price"], cur),
                "taxLines": self._taxes(s["taxLines"], cur),
            }
            for s in record["shippingLines"]
        ]
        taxes: dict[tuple[str, float], Decimal] = {}
        for source in [*record["lineItems"], *record["shippingLines"]]:
            for t in source["taxLines"]:
                key = (t["title"], t["ratePercentage"])
                taxes[key] = taxes.get(key, Decimal(0)) + Decimal(t["amount"])
        customer = self.state["customers"].get(str(record.get("customerId")))
        subtotal = sum(
            (Decimal(li["originalTotal"]) - Decimal(li["discount"]) for li in record["lineItems"]),
            Decimal(0),
        )
        discounts = sum((Decimal(li["discount"]) for li in record["lineItems"]), Decimal(0))
        shipping_total = sum((Decimal(s["price"]) for s in record["shippingLines"]), Decimal(0))
        return {
            "__typename": "Order",
            "id": gid("Order", record["id"]),
            **{
                k: record[k]
                for k in (
                    "name",
                    "email",
                    "note",
                    "tags",
                    "createdAt",
                    "updatedAt",
                    "processedAt",
                    "cancelledAt",
                    "closed",
                    "currencyCode",
                    "taxesIncluded",
                    "displayFinancialStatus",
                    "displayFulfillmentStatus",
                    "paymentGatewayNames",
                    "discountCodes",
                    "billingAddress",
                    "shippingAddress",
                )
            },
            "subtotalPriceSet": money_bag(subtotal, cur),
            "totalPriceSet": money_bag(record["total"], cur),
            "totalTaxSet": money_bag(record["totalTax"], cur),
            "transactions": lambda _i=None, first=None, **_a: [
                {
                    "id": gid("OrderTransaction", t["id"]),
                    "gateway": t["gateway"],
                    "kind": t["kind"],
                    "status": t["status"],
                    "amountSet": money_bag(t["amount"], cur),
                }
                for t in record.get("transactions", [])[:first]
            ],
            "totalShippingPriceSet": money_bag(shipping_total, cur),
            "totalDiscountsSet": money_bag(discounts, cur),
            "customer": self.customer(customer) if customer else None,
            "lineItems": lambda _i=None, **a: connection(
                [(int(li["id"].rsplit("/", 1)[1]), li) for li in lines], **a
            ),
            "shippingLines": lambda _i=None, **a: connection(
                [(int(s["id"].rsplit("/", 1)[1]), s) for s in shipping], **a
            ),
            "taxLines": [
                {"title": t, "rate": r / 100, "ratePercentage": r, "priceSet": money_bag(v, cur)}
                for (t, r), v in taxes.items()
            ],
            "fulfillmentOrders": lambda _i=None, **a: connection(
                [(f["id"], self.fulfillment_order(f)) for f in record["fulfillmentOrders"]], **a
            ),
            "fulfillments": lambda _i=None, **_a: [
                self.fulfillment(f) for f in record["fulfillments"]
            ],
            "metafield": self._metafield(record),
        }

    @staticmethod
    def fulfillment_order(record: dict[str, Any]) -> dict[str, Any]:
        return {
            "__typename": "FulfillmentOrder",
            "id": gid("FulfillmentOrder", record["id"]),
            "status": record["status"],
            "fulfillmentHolds": record.get("holds", []),
        }

    def delivery_profile(self, record: dict[str, Any]) -> dict[str, Any]:
        """objects/DeliveryProfile: its zones' shipping rates (method definitions)."""
        zones = [
            {
                "zone": {"id": gid("DeliveryZone", z["id"]), "name": z["name"]},
                "methodDefinitions": self._list(
                    z["methods"],
                    lambda m: {
                        "__typename": "DeliveryMethodDefinition",
                        "id": gid("DeliveryMethodDefinition", m["id"]),
                        "name": m["name"],
                        "active": m.get("active", True),
                    },
                ),
            }
            for z in record["zones"]
        ]
        return {
            "__typename": "DeliveryProfile",
            "id": gid("DeliveryProfile", record["id"]),
            "name": record["name"],
            "default": record.get("default", False),
            "profileLocationGroups": [
                {
                    "locationGroupZones": lambda _i=None, **a: connection(
                        [(n, z) for n, z in enumerate(zones, 1)], **a
                    )
                }
            ],
        }

    def fulfillment(self, record: dict[str, Any]) -> dict[str, Any]:
        return {
            "__typename": "Fulfillment",
            "id": gid("Fulfillment", record["id"]),
            "status": "SUCCESS",
            "createdAt": record["createdAt"],
            "trackingInfo": lambda _i=None, **_a: record["trackingInfo"],
        }

    def node(self, value: str) -> Any:
        kinds = {
            "Product": ("products", self.product),
            "ProductVariant": ("variants", self.variant),
            "Collection": ("collections", self.collection),
            "Customer": ("customers", self.customer),
            "Order": ("orders", self.order),
            "Location": ("locations", self.location),
            "InventoryItem": ("inventory_items", self.inventory_item),
            "BulkOperation": (
                "bulk_operations",
                lambda r: dict(r, __typename="BulkOperation", id=gid("BulkOperation", r["id"])),
            ),
        }
        parts = str(value).split("/")
        if len(parts) != 5 or parts[3] not in kinds:
            return None
        table, view = kinds[parts[3]]
        record = self.state[table].get(parts[4])
        return view(record) if record else None
