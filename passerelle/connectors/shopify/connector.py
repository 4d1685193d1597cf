"""The Shopify shop connector (Admin GraphQL API): what flows can ask of a Shopify shop.

Shop ids: a product or variant is ``<product>/<variant>/<inventory item>`` (the
numbers of their GIDs), so a stock update needs no lookup; a variable
product is ``<product>/0/0``. Categories are custom collections, customers
carry the account code (K8) in the ``passerelle.account_code`` metafield,
and the sale number goes back on the order as a tag (seen in the order list)
and the ``passerelle.sale_number`` metafield (one request, two mutations).

Writes: ``productSet`` (a product with *all* its variants: the ones left out
are deleted, so a variation write reads its siblings first), stock alone through
``inventorySetQuantities`` (250 quantities a call, ``changeFromQuantity`` null:
the back-office is the source of truth for stock, as the docs allow).
Large work goes through bulk operations (:mod:`.bulk`): SKU lookups of
``bulk_read_min`` or more, ``bulk_write_min`` or more productSet writes at
once, order reads of ``bulk_orders_min`` or more (counted by ``ordersCount``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from passerelle.connectors.base import (
    CategoryWrite,
    ConnectionReport,
    CustomerWrite,
    GroupWrite,
    ProductWrite,
    WriteOutcome,
)
from passerelle.connectors.errors import ConnectorError, NotFoundError, RecordError
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.shopify import documents as doc
from passerelle.connectors.shopify.bulk import BulkRunner
from passerelle.connectors.shopify.client import ShopifyClient, require, user_errors
from passerelle.connectors.shopify.orders import order_from_wire
from passerelle.model import Order, ShopCategory, ShopCustomer, ShopProduct
from passerelle.profiles.shop_settings import ShopifySettings

__all__ = ["ShopifyShop", "from_settings"]

STOCK_FIELDS = frozenset({"manage_stock", "stock_quantity", "hidden"})
MUTATION_COST = 10
INVENTORY_BATCH = 250
NS = "passerelle"
# Above these sizes a bulk operation (10 points + 1 a poll) beats pages and calls:
BULK_READ_MIN = 1000  # SKUs to find: 4 pages of variants = 3,000 points, past the bucket
BULK_WRITE_MIN = 100  # productSet writes at once: 1,000 points of single mutations
BULK_ORDERS_MIN = 100  # orders to read: 34 pages of 3 = 9,700 points
BATCH_SIZES = {"stock": INVENTORY_BATCH, "product": 1000, "price": 1000}


def _gid(kind: str, number: str | int) -> str:
    return f"gid://shopify/{kind}/{number}"


def _num(gid: str | None) -> str:
    return str(gid or "").rsplit("/", 1)[-1]


class ShopifyShop:
    platform = "shopify"

    def __init__(self, url: str, access_token: str, *, api_version: str | None = None,
                 location: str | None = None, options: HttpOptions | None = None,
                 bulk_read_min: int = BULK_READ_MIN, bulk_write_min: int = BULK_WRITE_MIN,
                 bulk_orders_min: int = BULK_ORDERS_MIN) -> None:
        self.client = ShopifyClient(url, access_token, options=options,
                                    **({"api_version": api_version} if api_version else {}))
        self.bulk = BulkRunner(self.client, options or HttpOptions())
        self.bulk_read_min, self.bulk_write_min, self.bulk_orders_min = (
            bulk_read_min, bulk_write_min, bulk_orders_min)
        self._location_name = location
        self._location: str | None = None

    def batch_size(self, kind: str) -> int:
        """Stock: one ``inventorySetQuantities`` call (250). Products and prices: enough
        for a bulk ``productSet`` (one operation, not one call each); others: 100."""
        return BATCH_SIZES.get(kind, 100)

    # ------------------------------------------------------------------ plumbing
    @property
    def identity(self) -> str:
        return self.client.url.split("://", 1)[-1]

    @property
    def request_count(self) -> int:
        return self.client.request_count + self.bulk.transfers

    def on_retry(self, listener: Callable[[str], None] | None) -> None:
        self.client.http.on_retry = listener

    def close(self) -> None:
        self.bulk.close()
        self.client.close()

    def test_connection(self) -> ConnectionReport:
        try:
            data = self.client.run("query { shop { name } }", cost=1, what="the shop")
        except ConnectorError as exc:
            return ConnectionReport(False, str(exc))
        return ConnectionReport(True, f"Shopify shop {data['shop']['name']} answered.")

    def location(self) -> str:
        """The inventory location: the profile's by name, else the primary one."""
        if self._location is None:
            data = self.client.run(doc.LOCATIONS, cost=doc.LOCATIONS_COST, what="the locations")
            nodes = data["locations"]["nodes"]
            chosen = next((n for n in nodes if n["name"] == self._location_name), None) if \
                self._location_name else next((n for n in nodes if n["isPrimary"]), None)
            if chosen is None:
                raise ConnectorError(f"Shopify has no location {self._location_name!r}")
            self._location = chosen["id"]
        return self._location

    # ------------------------------------------------------------------ categories
    def list_categories(self) -> list[tuple[str, ShopCategory]]:
        return [(_num(c["id"]), ShopCategory(name=c["title"])) for c in self.client.pages(
            doc.COLLECTIONS, "collections", cost=doc.COLLECTIONS_COST, what="the collections")]

    def write_categories(self, writes: Sequence[CategoryWrite]) -> list[WriteOutcome]:
        """Custom collections (Shopify collections are flat: the parent is not kept)."""
        out = []
        for w in writes:
            name = "collectionUpdate" if w.shop_id else "collectionCreate"
            data: dict[str, Any] = {"title": w.category.name}
            if w.shop_id:
                data["id"] = _gid("Collection", w.shop_id)
            document = (f"mutation C($input: CollectionInput!) {{ {name}(input: $input) "
                        "{ collection { id } userErrors { field message } } }")
            try:
                payload = self.client.run(document, {"input": data}, cost=MUTATION_COST,
                                          what=f"collection {w.category.name}")[name]
                error = user_errors(payload, "collection")
            except RecordError as exc:
                error = str(exc)
            out.append(WriteOutcome(key=w.key, error=error) if error else WriteOutcome(
                key=w.key, shop_id=_num(payload["collection"]["id"]), created=not w.shop_id))
        return out

    # ------------------------------------------------------------------ products
    def _variants(self, query: str | None = None) -> Iterator[dict[str, Any]]:
        return self.client.pages(doc.VARIANTS, "productVariants", cost=doc.VARIANTS_COST,
                                 what="the product variants", variables={"query": query})

    @staticmethod
    def _variant_id(v: dict[str, Any]) -> str:
        return f"{_num(v['product']['id'])}/{_num(v['id'])}/{_num(v['inventoryItem']['id'])}"

    def find_products_by_sku(self, skus: Iterable[str]) -> dict[str, str]:
        wanted = sorted({s for s in skus if s})
        if not wanted:
            return {}
        found: dict[str, str] = {}
        if len(wanted) <= 20:
            query = " OR ".join(f"sku:{s}" for s in wanted)
            variants: Iterable[dict[str, Any]] = self._variants(query)
        elif len(wanted) >= self.bulk_read_min:
            variants = self.bulk.query(doc.BULK_VARIANTS, "the product variants")
        else:
            variants = self._variants()
        for v in variants:
            if v.get("sku") in wanted:
                found[v["sku"]] = self._variant_id(v)
        return found

    def write_products(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        """Stock-only updates in ``inventorySetQuantities`` calls of 250, the rest by
        ``productSet``; variations grouped by parent. Outcomes in the order of writes."""
        outcomes: dict[int, WriteOutcome] = {}
        stock = [(i, w) for i, w in enumerate(writes) if w.shop_id and w.fields is not None
                 and w.fields <= STOCK_FIELDS and w.draft.kind != "variable"]
        for start in range(0, len(stock), INVENTORY_BATCH):
            outcomes.update(self._set_stock(stock[start:start + INVENTORY_BATCH]))
        by_parent: dict[str, list[tuple[int, ProductWrite]]] = {}
        singles: list[tuple[int, ProductWrite]] = []
        for i, w in enumerate(writes):
            if i in outcomes:
                continue
            if w.draft.kind == "variation" and w.parent_shop_id:
                by_parent.setdefault(w.parent_shop_id, []).append((i, w))
            else:
                singles.append((i, w))
        if len(singles) >= self.bulk_write_min:
            outcomes.update(self._bulk_product_set(singles))
        else:
            outcomes.update((i, self._product_set(w)) for i, w in singles)
        for parent, group in by_parent.items():
            outcomes.update(self._set_variations(parent, group))
        return [outcomes[i] for i in range(len(writes))]

    def write_variations(self, parent_shop_id: str, writes: Sequence[ProductWrite]
                         ) -> list[WriteOutcome]:
        done = self._set_variations(parent_shop_id, list(enumerate(writes)))
        return [done[i] for i in range(len(writes))]

    def _set_stock(self, chunk: list[tuple[int, ProductWrite]]) -> dict[int, WriteOutcome]:
        location = self.location()
        quantities = [{"inventoryItemId": _gid("InventoryItem", (w.shop_id or "").split("/")[2]),
                       "locationId": location, "quantity": int(w.draft.stock_quantity or 0),
                       "changeFromQuantity": None} for _, w in chunk]
        try:
            payload = self.client.run(doc.INVENTORY_SET, {"input": {
                "name": "available", "reason": "correction",
                "referenceDocumentUri": "passerelle://update-stock",
                "quantities": quantities}}, cost=MUTATION_COST,
                what=f"{len(chunk)} stock levels")["inventorySetQuantities"]
            error = user_errors(payload, "stock levels")
        except RecordError as exc:
            error = str(exc)
        return {i: WriteOutcome(key=w.key, shop_id=w.shop_id, error=error) for i, w in chunk}

    def _product_input(self, w: ProductWrite) -> dict[str, Any]:
        draft = w.draft
        data: dict[str, Any] = {"title": draft.name, "descriptionHtml": draft.description,
                                "status": "ACTIVE" if draft.active else "DRAFT",
                                "collections": [_gid("Collection", c)
                                                for c in draft.category_ids]}
        return data

    def _variant_input(self, draft: Any, variant_id: str | None,
                       options: Sequence[tuple[str, str]], stock: bool) -> dict[str, Any]:
        data: dict[str, Any] = {
            "price": str(draft.regular_price),
            "optionValues": [{"optionName": k, "name": v} for k, v in options],
            "inventoryItem": {"sku": draft.sku, "tracked": bool(draft.manage_stock)}}
        if variant_id:
            data["id"] = _gid("ProductVariant", variant_id)
        if stock and draft.stock_quantity is not None and draft.manage_stock:
            data["inventoryQuantities"] = [{"locationId": self.location(), "name": "available",
                                            "quantity": int(draft.stock_quantity)}]
        return data

    def _run_product_set(self, data: dict[str, Any], product_id: str | None, what: str
                         ) -> dict[str, Any]:
        variables: dict[str, Any] = {"input": data}
        if product_id and product_id != "0":
            variables["identifier"] = {"id": _gid("Product", product_id)}
        return require(self.client.run(doc.PRODUCT_SET, variables, cost=MUTATION_COST,
                                       what=what)["productSet"], what)

    def _product_set(self, w: ProductWrite) -> WriteOutcome:
        data, product_id = self._set_input(w)
        try:
            payload = self._run_product_set(data, product_id or None, f"product {w.draft.sku}")
        except RecordError as exc:
            return WriteOutcome(key=w.key, error=str(exc))
        return self._set_outcome(w, payload)

    def _bulk_product_set(self, group: list[tuple[int, ProductWrite]]
                          ) -> dict[int, WriteOutcome]:
        """Many ``productSet`` in one bulk mutation; each line's answer is its outcome."""
        lines = []
        for _, w in group:
            data, product_id = self._set_input(w)
            variables: dict[str, Any] = {"input": data}
            if product_id and product_id != "0":
                variables["identifier"] = {"id": _gid("Product", product_id)}
            lines.append(variables)
        results = self.bulk.mutation(doc.PRODUCT_SET, lines, f"{len(lines)} products")
        out = {}
        for (i, w), line in zip(group, results, strict=True):
            what = f"product {w.draft.sku}"
            try:
                if line.get("errors") or not line.get("data"):
                    raise RecordError(f"Shopify refused {what}: {line.get('errors')}")
                out[i] = self._set_outcome(w, require(line["data"]["productSet"], what))
            except RecordError as exc:
                out[i] = WriteOutcome(key=w.key, error=str(exc))
        return out

    def _set_input(self, w: ProductWrite) -> tuple[dict[str, Any], str]:
        draft = w.draft
        product_id, variant_id = ((w.shop_id or "").split("/") + ["", ""])[:2]
        data = self._product_input(w)
        if draft.kind == "variable":
            axes = [a for a in draft.attributes if a.variation]
            data["productOptions"] = [{"name": a.name, "values": [{"name": o}
                                                                  for o in a.options]}
                                      for a in axes]
        else:
            data["productOptions"] = [{"name": "Title", "values": [{"name": "Default Title"}]}]
            data["variants"] = [self._variant_input(
                draft, variant_id if variant_id not in ("", "0") else None,
                [("Title", "Default Title")], stock=not w.shop_id or
                "stock_quantity" in (w.fields or frozenset()))]
        return data, product_id

    def _set_outcome(self, w: ProductWrite, payload: dict[str, Any]) -> WriteOutcome:
        draft = w.draft
        product = payload["product"]
        nodes = product["variants"]["nodes"]
        shop_id = (f"{_num(product['id'])}/{_num(nodes[0]['id'])}/"
                   f"{_num(nodes[0]['inventoryItem']['id'])}") if nodes and \
            draft.kind != "variable" else f"{_num(product['id'])}/0/0"
        return WriteOutcome(key=w.key, shop_id=shop_id, created=not w.shop_id)

    def _set_variations(self, parent: str, group: list[tuple[int, ProductWrite]]
                        ) -> dict[int, WriteOutcome]:
        """All the parent's variants in one productSet: the current ones (read first)
        with these written over them."""
        product_id = parent.split("/")[0]
        what = f"the variations of product {product_id}"
        try:
            node = self.client.run(doc.PRODUCT_VARIANTS, {"id": _gid("Product", product_id)},
                                   cost=doc.PRODUCT_VARIANTS_COST, what=what)["node"]
            if node is None:
                raise NotFoundError(f"product {product_id} no longer exists in the shop")
            current = {v["sku"]: v for v in node["variants"]["nodes"]}
            variants = {sku: {"id": v["id"], "price": v["price"], "optionValues": [
                {"optionName": o["name"], "name": o["value"]} for o in v["selectedOptions"]]}
                for sku, v in current.items()}
            for _, w in group:
                existing = current.get(w.draft.sku)
                variants[w.draft.sku] = self._variant_input(
                    w.draft, _num(existing["id"]) if existing else None,
                    w.draft.variation_options, stock=existing is None)
            options: dict[str, list[str]] = {}
            for v in variants.values():
                for o in v["optionValues"]:
                    values = options.setdefault(o["optionName"], [])
                    if o["name"] not in values:
                        values.append(o["name"])
            payload = self._run_product_set({
                "productOptions": [{"name": k, "values": [{"name": x} for x in vs]}
                                   for k, vs in options.items()],
                "variants": list(variants.values())}, product_id, what)
        except RecordError as exc:
            return {i: WriteOutcome(key=w.key, error=str(exc)) for i, w in group}
        by_sku = {v["sku"]: v for v in payload["product"]["variants"]["nodes"]}
        out = {}
        for i, w in group:
            v = by_sku.get(w.draft.sku)
            out[i] = WriteOutcome(key=w.key, error=None if v else "variant not saved",
                                  shop_id=f"{product_id}/{_num(v['id'])}/"
                                          f"{_num(v['inventoryItem']['id'])}" if v else None,
                                  created=not w.shop_id)
        return out

    def iter_products(self) -> Iterator[ShopProduct]:
        for v in self._variants():
            yield ShopProduct(shop_id=self._variant_id(v), sku=v.get("sku") or "",
                              name=v["product"]["title"], regular_price=None if v.get(
                                  "price") is None else __import__("decimal").Decimal(
                                  v["price"]), active=v["product"]["status"] == "ACTIVE")

    # ------------------------------------------------------------------ customers
    def _customers(self, query: str | None = None) -> Iterator[dict[str, Any]]:
        return self.client.pages(doc.CUSTOMERS, "customers", cost=doc.CUSTOMERS_COST,
                                 what="the customers", variables={"query": query})

    def find_customers_by_email(self, emails: Iterable[str]) -> dict[str, str]:
        wanted = {e.lower() for e in emails if e}
        if not wanted:
            return {}
        query = " OR ".join(f"email:{e}" for e in sorted(wanted)) if len(wanted) <= 20 else None
        return {c["email"].lower(): _num(c["id"]) for c in self._customers(query)
                if (c.get("email") or "").lower() in wanted}

    def write_customers(self, writes: Sequence[CustomerWrite]) -> list[WriteOutcome]:
        out = []
        for w in writes:
            c = w.customer
            data: dict[str, Any] = {"email": c.email or None,
                                    "firstName": c.first_name or None,
                                    "lastName": c.last_name or c.name or None,
                                    "phone": None, "note": c.notes or None,
                                    "metafields": [{"namespace": NS, "key": "account_code",
                                                    "value": c.code,
                                                    "type": "single_line_text_field"}]
                                    if c.code else []}
            if c.group:
                data["tags"] = [c.group]
            if c.addresses:
                a = c.addresses[0]
                data["addresses"] = [{"firstName": a.first_name or None,
                                      "lastName": a.last_name or None,
                                      "company": a.company or None, "address1": a.street or None,
                                      "address2": a.street2 or None, "city": a.city or None,
                                      "zip": a.postal_code or None,
                                      "countryCode": a.country_code or None}]
            name = "customerUpdate" if w.shop_id else "customerCreate"
            if w.shop_id:
                data["id"] = _gid("Customer", w.shop_id)
            document = (f"mutation K($input: CustomerInput!) {{ {name}(input: $input) "
                        "{ customer { id } userErrors { field message } } }")
            try:
                payload = self.client.run(document, {"input": data}, cost=MUTATION_COST,
                                          what=f"customer {c.code or c.email}")[name]
                error = user_errors(payload, "customer")
            except RecordError as exc:
                error = str(exc)
            out.append(WriteOutcome(key=w.key, error=error) if error else WriteOutcome(
                key=w.key, shop_id=_num(payload["customer"]["id"]), created=not w.shop_id))
        return out

    def write_customer_groups(self, writes: Sequence[GroupWrite]) -> list[WriteOutcome]:
        """K1: Shopify has no customer group resource: a group is a customer tag."""
        return [WriteOutcome(key=w.key, shop_id=w.group.name, created=w.shop_id is None)
                for w in writes]

    def iter_customers(self, *, created_after: datetime | None = None
                       ) -> Iterator[ShopCustomer]:
        query = f"created_at:>{created_after.strftime('%Y-%m-%dT%H:%M:%SZ')}" \
            if created_after else None
        for c in self._customers(query):
            yield ShopCustomer(shop_id=_num(c["id"]), email=c.get("email") or "",
                               first_name=c.get("firstName") or "",
                               last_name=c.get("lastName") or "", phone=c.get("phone") or "",
                               created_at=datetime.fromisoformat(
                                   c["createdAt"].replace("Z", "+00:00")),
                               has_orders=int(c.get("numberOfOrders") or 0) > 0)

    # ------------------------------------------------------------------ orders
    def iter_orders(self, *, statuses: Sequence[str] | None = None,
                    created_after: datetime | None = None,
                    created_before: datetime | None = None,
                    modified_after: datetime | None = None,
                    include_archived: bool = False) -> Iterator[Order | ConnectorError]:
        fmt = "%Y-%m-%dT%H:%M:%SZ"
        terms = []
        if created_after:
            terms.append(f"created_at:>={created_after.strftime(fmt)}")
        if created_before:
            terms.append(f"created_at:<={created_before.strftime(fmt)}")
        if modified_after:
            terms.append(f"updated_at:>={modified_after.strftime(fmt)}")
        for raw in self._raw_orders(" ".join(terms) or None):
            try:
                order = order_from_wire(raw)
            except (KeyError, ValueError, TypeError) as exc:
                yield RecordError(f"order {raw.get('name')} could not be read: {exc!r}",
                                  record_id=_num(raw.get("id")))
                continue
            if order.archived and not include_archived:
                continue
            if statuses and order.shop_status not in statuses:
                continue
            yield order

    def _raw_orders(self, search: str | None) -> Iterator[dict[str, Any]]:
        """By pages of 3 (an order costs ~290 points), or, past ``bulk_orders_min``
        orders, one bulk query whose line items and shipping lines come as lines of
        their own (``__parentId``), put back under their order here."""
        count = self.client.run(doc.ORDERS_COUNT, {"query": search}, cost=doc.ORDERS_COUNT_COST,
                                what="the orders")["ordersCount"]
        if count is None or int(count["count"]) < self.bulk_orders_min:
            yield from self.client.pages(doc.ORDERS, "orders", cost=doc.ORDERS_COST,
                                         what="the orders", variables={"query": search})
            return
        current: dict[str, Any] | None = None
        for line in self.bulk.query(doc.bulk_orders(search), "the orders"):
            parent = line.pop("__parentId", None)
            if parent is None:
                if current is not None:
                    yield current
                current = dict(line, lineItems={"nodes": []}, shippingLines={"nodes": []})
            elif current is not None and parent == current["id"]:
                kind = "shippingLines" if "/ShippingLine/" in str(line.get("id")) \
                    else "lineItems"
                current[kind]["nodes"].append(line)
        if current is not None:
            yield current

    def get_order(self, order_id: str) -> Order:
        raw = self.client.run(doc.ORDER, {"id": _gid("Order", order_id)},
                              cost=doc.ORDER_COST, what=f"order {order_id}")["order"]
        if raw is None:
            raise NotFoundError(f"order {order_id} no longer exists in the shop",
                                record_id=order_id)
        return order_from_wire(raw)

    def with_notes(self, order: Order) -> Order:
        return order  # the order's note is already its customer_note

    def write_shipment(self, order_id: str, *, carrier: str, tracking_number: str,
                       shipped_at: datetime | None, notify_customer: bool,
                       status: str | None) -> None:
        """O20: ``fulfillmentCreate`` of the order's open fulfillment orders, with tracking.
        Told twice, the second finds none open (or the tracking number already there)."""
        order = self.client.run(doc.FULFILLMENT_ORDERS, {"id": _gid("Order", order_id)},
                                cost=doc.FULFILLMENT_ORDERS_COST,
                                what=f"order {order_id}")["order"]
        if order is None:
            raise NotFoundError(f"order {order_id} no longer exists in the shop",
                                record_id=order_id)
        known = {t.get("number") for f in order["fulfillments"] for t in f["trackingInfo"]}
        open_ids = [f["id"] for f in order["fulfillmentOrders"]["nodes"]
                    if f["status"] in ("OPEN", "IN_PROGRESS")]
        if not open_ids or (tracking_number and tracking_number in known):
            return
        fulfillment: dict[str, Any] = {
            "lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": i} for i in open_ids],
            "notifyCustomer": notify_customer}
        if tracking_number:
            fulfillment["trackingInfo"] = {"company": carrier or None, "number": tracking_number}
        require(self.client.run(doc.FULFILLMENT_CREATE, {"fulfillment": fulfillment},
                                cost=MUTATION_COST, what=f"the shipment of order {order_id}")[
            "fulfillmentCreate"], f"the shipment of order {order_id}")

    def write_order_result(self, order_id: str, *, document_number: str,
                           status: str | None) -> None:
        """The sale number as order tags (one per number: tags split on commas) and the
        ``passerelle.sale_number`` metafield, in one request."""
        gid = _gid("Order", order_id)
        data = self.client.run(doc.WRITE_BACK, {
            "id": gid, "tags": [n.strip() for n in document_number.split(",") if n.strip()],
            "metafields": [{"ownerId": gid, "namespace": NS, "key": "sale_number",
                            "value": document_number, "type": "single_line_text_field"}]},
            cost=2 * MUTATION_COST, what=f"order {order_id}")
        for name in ("tagsAdd", "metafieldsSet"):
            error = user_errors(data[name], f"order {order_id}")
            if error:
                raise NotFoundError(f"Shopify refused order {order_id}: {error}",
                                    record_id=order_id)


def from_settings(settings: ShopifySettings, options: HttpOptions) -> ShopifyShop:
    from passerelle.profiles.secrets import resolve_secret

    return ShopifyShop(settings.url, resolve_secret(settings.access_token,
                                                    field="shop.access_token"),
                       api_version=settings.api_version, location=settings.location,
                       options=options)
