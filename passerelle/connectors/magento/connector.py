"""The Magento 2 / Adobe Commerce shop connector (REST ``/rest/<store>/V1``).

Shop ids: a product's is its SKU (every catalogue route takes the SKU), a
category's, customer's and group's their numeric id, an order's its
``entity_id`` (its ``increment_id`` is the number). Request costs:

- stock (writes touching only ``manage_stock``/``stock_quantity``):
  ``POST /V1/inventory/source-items``, ``list_limit`` items a request (20 by
  default, Magento's input-list limit since 2.4.3): ⌈n / 20⌉ requests;
- more than ``BULK_THRESHOLD`` product saves: one ``POST
  /async/bulk/V1/products`` plus the status polls; fewer: one save each;
- C6 variable products are configurable (tutorial "Create a configurable
  product"): each axis's dropdown attribute read once, missing values added, the
  parent's missing axes posted as options, each new child saved and linked;
- reads: one request per page of 300 (``searchCriteria``), stopped by
  ``total_count``. The product list carries no ``stock_item``
  (magento/magento2#36533: only the single-product route does), so the
  quantities come from the source's MSI source items, ``GET
  /V1/inventory/source-items`` filtered by ``source_code``, 300 a page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

import httpx

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
from passerelle.connectors.magento.client import PAGE_SIZE, MagentoClient
from passerelle.connectors.magento.payloads import (
    attribute_code,
    category_payload,
    customer_payload,
    product_payload,
    source_item,
)
from passerelle.connectors.magento.references import StoreReferences
from passerelle.connectors.magento.translate import (
    NUMBER_PREFIX,
    OPEN_STATES,
    customer_from_wire,
    money,
    order_from_wire,
    product_from_wire,
)
from passerelle.connectors.magento.unsupported import customer_unsupported, product_unsupported
from passerelle.model import Order, ProductDraft, ShopCategory, ShopCustomer, ShopProduct
from passerelle.profiles.shop_settings import MagentoSettings

__all__ = ["BULK_THRESHOLD", "STOCK_REQUESTS_PER_BATCH", "MagentoShop", "from_settings"]

STOCK_REQUESTS_PER_BATCH = 25  # source-items requests per flow batch (bindings saved after)
BULK_THRESHOLD = 20  # more product saves than this go through the async bulk endpoint
_STOCK_FIELDS = frozenset({"manage_stock", "stock_quantity"})
_ROOTS = {"1", "2"}  # Root Catalog and the store's Default Category
_FILTER_CHARS = 2000  # an ``in`` filter's values per search: the URL stays well under 8 KB


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


class MagentoShop:
    platform = "magento"

    def __init__(self, url: str, token: str, *, store_code: str = "default",
                 source_code: str = "default", list_limit: int = 20,
                 options: HttpOptions | None = None) -> None:
        self.client = MagentoClient(url, token, store_code=store_code, options=options)
        self.source_code = source_code
        self.list_limit = list_limit
        self._groups: dict[str, int] | None = None
        self._axes: dict[str, tuple[str, dict[str, str]]] = {}  # code → (id, LABEL → value)
        self.references = StoreReferences(self.client)

    @property
    def holds_reservations(self) -> bool:
        """Magento MSI offers the *salable* quantity: the source quantity written here
        minus the reservations its own open orders hold (placed, not shipped, not
        cancelled), so what passerelle writes is the physical stock, never net of
        those orders (docs: "Inventory management: reservations")."""
        return True

    def missing_references(self, kind: str, names: Iterable[str]) -> set[str]:
        """Tax classes are checked; payment methods, order statuses and carriers are
        store configuration no REST route lists (``references.py``): none missing."""
        return self.references.missing(kind, names)

    @property
    def identity(self) -> str:
        url = httpx.URL(self.client.site_url)
        port = f":{url.port}" if url.port not in (None, 443) else ""
        return f"{url.host}{port}{url.path}/{self.client.store_code}".replace("//", "/")

    @property
    def request_count(self) -> int:
        return self.client.request_count

    def on_retry(self, listener: Callable[[str], None] | None) -> None:
        self.client.http.on_retry = listener

    def close(self) -> None:
        self.client.close()

    def batch_size(self, kind: str) -> int:
        """Records the flows hand over at once.

        Stock: a whole number of source-items requests (``list_limit`` items each),
        so the batches split into full requests and n levels cost ⌈n / limit⌉.
        Products and prices: one async bulk (and its polls) per 100 saves. The
        rest is one request per record: the batch only spaces the binding writes.
        """
        if kind == "stock":
            return self.list_limit * STOCK_REQUESTS_PER_BATCH
        if kind in ("product", "price"):
            return 100
        return 50

    def test_connection(self) -> ConnectionReport:
        try:
            self.client.call("GET", "store/storeConfigs", what="the store configuration")
        except ConnectorError as exc:
            return ConnectionReport(False, str(exc))
        return ConnectionReport(True, f"Magento at {self.client.site_url} answered.")

    # ---------------------------------------------------------------- categories
    def list_categories(self) -> list[tuple[str, ShopCategory]]:
        out = []
        for c in self.client.search("categories/list", what="the categories"):
            if str(c["id"]) in _ROOTS:
                continue
            parent = str(c.get("parent_id") or "")
            out.append((str(c["id"]), ShopCategory(name=str(c.get("name") or ""),
                                                   parent_id=None if parent in _ROOTS
                                                   else parent)))
        return out

    def write_categories(self, writes: Sequence[CategoryWrite]) -> list[WriteOutcome]:
        def one(w: CategoryWrite) -> WriteOutcome:
            if w.shop_id is None:
                answer = self.client.call("POST", "categories", category_payload(w.category),
                                          what=f"category {w.category.name}", idempotent=False)
            else:
                answer = self.client.call("PUT", f"categories/{w.shop_id}",
                                          category_payload(w.category),
                                          what=f"category {w.category.name}")
            return WriteOutcome(w.key, shop_id=str(answer["id"]), created=w.shop_id is None)
        return [_guard(w.key, lambda w=w: one(w)) for w in writes]

    # ------------------------------------------------------------------ products
    def find_products_by_sku(self, skus: Iterable[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in _chunks(sorted({s for s in skus if s})):
            for product in self.client.search("products", [[("sku", ",".join(chunk), "in")]],
                                              what="products by SKU"):
                if product.get("sku") in chunk:
                    found[product["sku"]] = product["sku"]
        return found

    def write_products(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        """Stock through MSI source items; other saves one by one, or in one async bulk.

        Updates first look their SKUs up (``in`` searches, a request per ~160 SKUs):
        Magento would not say a product is gone — a save by SKU creates it again, and
        MSI takes source items of any SKU — so a product deleted in the shop is
        answered ``gone`` instead of being written to."""
        gone = self._gone(writes)
        outcomes = {id(w): gone[id(w)] for w in writes if id(w) in gone}
        writes_left = [w for w in writes if id(w) not in gone]
        outcomes.update(zip(map(id, writes_left), self._write_present(writes_left),
                            strict=True))
        return [outcomes[id(w)] for w in writes]

    def _gone(self, writes: Sequence[ProductWrite]) -> dict[int, WriteOutcome]:
        updates = [w for w in writes if w.shop_id]
        if not updates:
            return {}
        present = self.find_products_by_sku(str(w.shop_id) for w in updates)
        return {id(w): WriteOutcome(w.key, shop_id=w.shop_id, gone=True,
                                    error=f"product {w.draft.sku} no longer exists in the "
                                          "shop (deleted there)")
                for w in updates if str(w.shop_id) not in present}

    def _write_present(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        stock = [w for w in writes if w.shop_id and w.fields is not None
                 and w.fields <= _STOCK_FIELDS and w.draft.manage_stock
                 and w.draft.stock_quantity is not None]
        chosen = {id(w) for w in stock}
        saves = [w for w in writes if id(w) not in chosen]
        outcomes = {id(w): o for w, o in zip(stock, self._write_stock(stock), strict=True)}
        singles = [w for w in saves if w.draft.kind == "variable"]  # options need the answer
        bulk = [w for w in saves if w.draft.kind != "variable"]
        if len(bulk) > BULK_THRESHOLD:
            outcomes.update(zip(map(id, bulk), self._bulk_save(bulk), strict=True))
        else:
            singles = saves
        outcomes.update({id(w): _guard(w.key, lambda w=w: self._save(w)) for w in singles})
        for w in saves:
            outcome = outcomes[id(w)]
            if outcome.ok and outcome.created and w.draft.kind == "variation":
                parent = w.parent_shop_id
                if parent:
                    outcomes[id(w)] = _guard(w.key, lambda w=w, p=parent: self._attach(w, p))
        for w in saves:
            if outcomes[id(w)].ok:
                outcomes[id(w)].unsupported = product_unsupported(w)
        return [outcomes[id(w)] for w in writes]

    def _write_stock(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        out: list[WriteOutcome] = []
        for index in range(0, len(writes), self.list_limit):
            chunk = writes[index:index + self.list_limit]
            items = [source_item(str(w.shop_id), int(w.draft.stock_quantity or 0),
                                 self.source_code) for w in chunk]
            try:
                self.client.call("POST", "inventory/source-items", {"sourceItems": items},
                                 what=f"the stock of {len(items)} products")
            except RecordError as exc:
                out.extend(WriteOutcome(w.key, error=str(exc)) for w in chunk)
                continue
            out.extend(WriteOutcome(w.key, shop_id=w.shop_id) for w in chunk)
        return out

    def _body(self, write: ProductWrite) -> dict[str, Any]:
        """The save body; a variation's axis values as option ids (added when missing)."""
        axes = write.draft.variation_options if write.fields is None or (
            "variation_options" in write.fields) else ()
        values = [{"attribute_code": attribute_code(name),
                   "value": self._axis(name, [label])[1][label.upper()]} for name, label in axes]
        draft, asked = write.draft, write.fields
        tax_class = self.references.tax_class_id(draft.tax_class) if draft.tax_class and (
            asked is None or "tax_class" in asked) else None
        groups: dict[str, int] = {}
        if draft.group_prices and (asked is None or "group_prices" in asked):
            groups = self._group_ids()
            missing = sorted({n for n, _ in draft.group_prices if n[:32] not in groups})
            if missing:
                raise RecordError(f"product {draft.sku}: the shop has no customer group "
                                  f"{', '.join(missing)} for its group prices")
        return {"product": product_payload(write, values, tax_class_id=tax_class,
                                           group_ids=groups), "saveOptions": True}

    def _save(self, write: ProductWrite) -> WriteOutcome:
        body, sku = self._body(write), write.draft.sku
        if write.shop_id is None:
            answer = self.client.call("POST", "products", body, what=f"product {sku}",
                                      idempotent=False)
        else:
            answer = self.client.call("PUT", f"products/{write.shop_id}", body,
                                      what=f"product {sku}")
        if write.draft.kind == "variable":
            self._configure(write.draft, answer)
        return WriteOutcome(write.key, shop_id=str(answer["sku"]), created=write.shop_id is None)

    def _axis(self, name: str, labels: Iterable[str]) -> tuple[str, dict[str, str]]:
        """An axis's dropdown attribute (id, option ids by label), missing values added.

        The attribute itself is the merchant's to create: Magento makes configurable
        products only of global dropdown attributes of the product's attribute set."""
        code = attribute_code(name)
        if code not in self._axes:
            try:
                found = self.client.call("GET", f"products/attributes/{code}",
                                         what=f"attribute {code}")
            except NotFoundError as exc:
                raise RecordError(f"Magento has no product attribute {code!r} for the "
                                  f"variation axis {name!r}: create it as a dropdown with "
                                  "global scope in the attribute set Default") from exc
            self._axes[code] = (str(found["attribute_id"]), {
                str(o["label"]).upper(): str(o["value"]) for o in found.get("options") or []
                if o.get("value")})
        options = self._axes[code][1]
        for label in labels:
            if label.upper() not in options:
                options[label.upper()] = str(self.client.call(
                    "POST", f"products/attributes/{code}/options", {"option": {"label": label}},
                    what=f"value {label} of attribute {code}", idempotent=False))
        return self._axes[code]

    def _configure(self, draft: ProductDraft, product: dict[str, Any]) -> None:
        """Post the parent's axes it has no configurable option for yet."""
        ext = product.get("extension_attributes") or {}
        have = {str(o.get("attribute_id")) for o in ext.get("configurable_product_options") or []}
        for position, axis in enumerate(a for a in draft.attributes if a.variation):
            attribute_id, options = self._axis(axis.name, axis.options)
            if attribute_id not in have:
                self.client.call("POST", f"configurable-products/{draft.sku}/options", {
                    "option": {"attribute_id": attribute_id, "label": axis.name,
                               "position": position, "is_use_default": True,
                               "values": [{"value_index": int(options[o.upper()])}
                                          for o in axis.options]}},
                    what=f"the {axis.name} option of {draft.sku}", idempotent=False)

    def _bulk_save(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        """One ``POST /async/bulk/V1/products`` (a save by SKU creates or updates)."""
        bodies: dict[int, dict[str, Any]] = {}
        out: dict[int, WriteOutcome] = {}
        for index, write in enumerate(writes):
            try:
                bodies[index] = self._body(write)
            except RecordError as exc:
                out[index] = WriteOutcome(write.key, error=str(exc))
        operations = self.client.bulk("products", list(bodies.values()),
                                      what=f"{len(bodies)} products") if bodies else []
        for index, operation in zip(bodies, operations, strict=True):
            write = writes[index]
            out[index] = WriteOutcome(write.key, shop_id=write.draft.sku,
                                      created=write.shop_id is None) \
                if operation.get("status") == 1 else WriteOutcome(
                    write.key, error=f"Magento refused product {write.draft.sku}: "
                                     f"{operation.get('result_message')}")
        return [out[index] for index in range(len(writes))]

    def _attach(self, write: ProductWrite, parent: str) -> WriteOutcome:
        self.client.call("POST", f"configurable-products/{parent}/child",
                         {"childSku": write.draft.sku}, what=f"variation {write.draft.sku}",
                         idempotent=False)
        return WriteOutcome(write.key, shop_id=write.draft.sku, created=True)

    def write_variations(self, parent_shop_id: str, writes: Sequence[ProductWrite]
                         ) -> list[WriteOutcome]:
        return self.write_products([ProductWrite(
            w.key, w.draft, w.shop_id, w.fields, parent_shop_id=parent_shop_id) for w in writes])

    def iter_products(self) -> Iterator[ShopProduct]:
        names = {cid: c.name for cid, c in self.list_categories()}
        stock = self._source_quantities()
        for product in self.client.search("products", what="the products"):
            yield product_from_wire(product, names, stock=stock)
            if product.get("type_id") == "configurable":
                for child in self.client.call("GET", f"configurable-products/"
                                              f"{product['sku']}/children") or []:
                    yield product_from_wire(child, names, parent_sku=str(product["sku"]),
                                            stock=stock)

    def _source_quantities(self) -> dict[str, int]:
        """SKU → quantity of the source stock is written to (a SKU not assigned to it
        has no source item there: its stock is not managed at that source)."""
        items = self.client.search("inventory/source-items",
                                   [[("source_code", self.source_code, "eq")]],
                                   what="the stock of the products")
        return {str(i["sku"]): int(money(i.get("quantity"), "a source item quantity"))
                for i in items}

    # ----------------------------------------------------------------- customers
    def find_customers_by_email(self, emails: Iterable[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in _chunks(sorted({e.lower() for e in emails if e})):
            for customer in self.client.search("customers/search",
                                               [[("email", ",".join(chunk), "in")]],
                                               what="customers by e-mail"):
                found[str(customer["email"]).lower()] = str(customer["id"])
        return found

    def _group_ids(self) -> dict[str, int]:
        if self._groups is None:
            self._groups = {str(g["code"]): int(g["id"]) for g in
                            self.client.search("customerGroups/search",
                                               what="the customer groups")}
        return self._groups

    def write_customer_groups(self, writes: Sequence[GroupWrite]) -> list[WriteOutcome]:
        def one(w: GroupWrite) -> WriteOutcome:
            groups = self._group_ids()
            code = w.group.name[:32]  # customer group codes hold 32 characters
            if code in groups:
                return WriteOutcome(w.key, shop_id=str(groups[code]))
            answer = self.client.call("POST", "customerGroups",
                                      {"group": {"code": code, "tax_class_id": 3}},
                                      what=f"customer group {code}", idempotent=False)
            groups[code] = int(answer["id"])
            return WriteOutcome(w.key, shop_id=str(answer["id"]), created=True)
        return [_guard(w.key, lambda w=w: one(w)) for w in writes]

    def write_customers(self, writes: Sequence[CustomerWrite]) -> list[WriteOutcome]:
        def one(w: CustomerWrite) -> WriteOutcome:
            group = self._group_ids().get(w.customer.group[:32]) if w.customer.group else None
            if w.customer.group and group is None and (w.fields is None or "group" in w.fields):
                raise RecordError(f"the shop has no customer group {w.customer.group!r}")
            body = customer_payload(w, group)
            what = f"customer {w.customer.code or w.customer.email}"
            if w.shop_id is None:
                answer = self.client.call("POST", "customers", body, what=what, idempotent=False)
            else:
                body["customer"]["id"] = int(w.shop_id)
                try:
                    answer = self.client.call("PUT", f"customers/{w.shop_id}", body, what=what)
                except NotFoundError as exc:
                    return WriteOutcome(w.key, shop_id=w.shop_id, gone=True, error=str(exc))
            return WriteOutcome(w.key, shop_id=str(answer["id"]), created=w.shop_id is None,
                                unsupported=customer_unsupported(w))
        return [_guard(w.key, lambda w=w: one(w)) for w in writes]

    def iter_customers(self, *, created_after: datetime | None = None
                       ) -> Iterator[ShopCustomer]:
        filters = [[("created_at", _stamp(created_after), "gt")]] if created_after else None
        for raw in self.client.search("customers/search", filters, what="the customers"):
            yield customer_from_wire(raw)

    # -------------------------------------------------------------------- orders
    def iter_orders(self, *, statuses: Sequence[str] | None = None,
                    created_after: datetime | None = None,
                    created_before: datetime | None = None,
                    modified_after: datetime | None = None,
                    include_archived: bool = False) -> Iterator[Order | ConnectorError]:
        """Oldest first by ``created_at``; Magento has no archive through this API."""
        filters: list[list[tuple[str, str, str]]] = []
        if statuses:
            filters.append([("status", ",".join(statuses), "in")])
        if created_after:
            filters.append([("created_at", _stamp(created_after), "gteq")])
        if created_before:
            filters.append([("created_at", _stamp(created_before), "lteq")])
        if modified_after:
            filters.append([("updated_at", _stamp(modified_after), "gteq")])
        for raw in self.client.search("orders", filters, sort=("created_at", "ASC"),
                                      what="the orders"):
            try:
                yield order_from_wire(raw)
            except ConnectorError as exc:
                yield exc

    def iter_open_orders(self) -> Iterator[Order | ConnectorError]:
        """Orders whose placement reservation MSI has not compensated: in a state that
        keeps it (new, pending_payment, processing, holded, payment_review) with
        goods neither shipped, cancelled nor refunded yet — a processing order
        already shipped but not invoiced holds nothing."""
        for raw in self.client.search("orders", [[("state", ",".join(sorted(OPEN_STATES)),
                                                    "in")]], sort=("created_at", "ASC"),
                                      what="the open orders"):
            if not any(float(i.get("qty_ordered") or 0) > sum(
                    float(i.get(k) or 0) for k in ("qty_shipped", "qty_canceled",
                                                   "qty_refunded"))
                       for i in raw.get("items") or [] if not i.get("parent_item_id")):
                continue
            try:
                yield order_from_wire(raw)
            except ConnectorError as exc:
                yield exc

    def get_order(self, order_id: str) -> Order:
        return order_from_wire(self.client.call("GET", f"orders/{order_id}",
                                                what=f"order {order_id}"))

    def with_notes(self, order: Order) -> Order:
        """The buyer's words are ``customer_note``, already read with the order."""
        return order

    def _comment(self, order_id: str, text: str, status: str | None, notify: bool) -> None:
        history: dict[str, Any] = {"comment": text, "is_customer_notified": int(notify),
                                   "is_visible_on_front": int(notify),
                                   "parent_id": int(order_id)}
        if status:
            history["status"] = status
        try:
            self.client.call("POST", f"orders/{order_id}/comments", {"statusHistory": history},
                             what=f"a comment on order {order_id}", idempotent=False)
        except NotFoundError as exc:
            raise NotFoundError(f"order {order_id} no longer exists in the shop: {exc}",
                                status=404, record_id=order_id) from exc

    def write_shipment(self, order_id: str, *, carrier: str, tracking_number: str,
                       shipped_at: datetime | None, notify_customer: bool,
                       status: str | None) -> None:
        """O20: ``POST /V1/order/{id}/ship`` with the track; an order already shipped
        (Magento refuses a second shipment) is left as it is."""
        body: dict[str, Any] = {"notify": notify_customer, "appendComment": False}
        if tracking_number:
            body["tracks"] = [{"track_number": tracking_number, "title": carrier or "Carrier",
                               "carrier_code": "custom"}]
        try:
            self.client.call("POST", f"order/{order_id}/ship", body,
                             what=f"the shipment of order {order_id}", idempotent=False)
        except RecordError as exc:
            if "does not allow a shipment" not in str(exc):
                raise
        if status:
            self._comment(order_id, f"Shipped by {carrier}", status, False)

    def write_order_result(self, order_id: str, *, document_number: str,
                           status: str | None) -> None:
        self._comment(order_id, f"{NUMBER_PREFIX} {document_number}", status, False)


def _chunks(values: list[str]) -> Iterator[list[str]]:
    """``in``-filter groups: at most a page of values, at most ``_FILTER_CHARS`` long."""
    chunk: list[str] = []
    length = 0
    for value in values:
        if chunk and (len(chunk) == PAGE_SIZE or length + len(value) + 1 > _FILTER_CHARS):
            yield chunk
            chunk, length = [], 0
        chunk.append(value)
        length += len(value) + 1
    if chunk:
        yield chunk


def _guard(key: str, write: Callable[[], WriteOutcome]) -> WriteOutcome:
    """One record's refusal is its outcome, not the batch's end."""
    try:
        return write()
    except RecordError as exc:
        return WriteOutcome(key, error=str(exc))


def from_settings(settings: MagentoSettings, options: HttpOptions) -> MagentoShop:
    from passerelle.profiles.secrets import resolve_secret

    return MagentoShop(settings.url, resolve_secret(settings.access_token,
                                                    field="shop.access_token"),
                       store_code=settings.store_code, source_code=settings.source_code,
                       list_limit=settings.input_list_limit, options=options)
