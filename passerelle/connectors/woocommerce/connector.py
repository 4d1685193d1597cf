"""The WooCommerce shop connector: what flows can ask of a WooCommerce shop.

Writes go through the batch endpoints (100 operations a request) and come
back as one ``WriteOutcome`` per record, so a flow binds or parks each record
on its own. Reads walk every page.

Orders cost one request per page of 100, plus only what an order needs:
``GET /orders/<id>/refunds`` for an order whose ``refunds`` summary is not
empty, ``GET /coupons?code=`` once per coupon code (for its description),
and ``GET /orders/<id>/notes`` only when a flow asks (:meth:`with_notes`).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, TypeVar

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
from passerelle.connectors.woocommerce.client import WooCommerceClient
from passerelle.connectors.woocommerce.customer_payload import (
    ACCOUNT_META_KEY,
    customer_payload,
    shop_customer_from_wire,
    unsupported_fields,
)
from passerelle.connectors.woocommerce.order_translate import (
    ARCHIVED_STATUS,
    note_from_wire,
    order_from_wire,
)
from passerelle.connectors.woocommerce.product_read import shop_product_from_wire
from passerelle.connectors.woocommerce.product_writes import ProductWriter
from passerelle.connectors.woocommerce.references import missing_references
from passerelle.connectors.woocommerce.tracking import (
    TRACKING_META_KEY,
    has_tracking,
    tracking_item,
    with_tracking,
)
from passerelle.connectors.woocommerce.translate import NUMBER_META_KEY, category_payload
from passerelle.connectors.woocommerce.wire import batch_error, format_datetime, meta_value
from passerelle.model import Order, OrderNote, ShopCategory, ShopCustomer, ShopProduct
from passerelle.profiles.shop_settings import WooCommerceSettings

__all__ = ["ACCOUNT_META_KEY", "WooCommerceShop"]

# The note told to the shop (and, if asked, to the buyer) when an order left.
SHIPMENT_NOTE = "Commande expédiée par {carrier}{tracking}."
ORDER_GONE_CODE = "woocommerce_rest_shop_order_invalid_id"
_SKU_CHUNK = 40  # SKUs per ``GET /products?sku=a,b,…`` (keeps the URL short)

_W = TypeVar("_W", CategoryWrite, CustomerWrite)


def _outcomes(
    keys: Sequence[str], answers: Sequence[Mapping[str, Any]], *, created: bool, what: str
) -> list[WriteOutcome]:
    outcomes = []
    for key, answer in zip(keys, answers, strict=True):
        error = batch_error(answer, key, what)
        outcomes.append(WriteOutcome(key=key, error=error) if error else
                        WriteOutcome(key=key, shop_id=str(answer.get("id")), created=created))
    return outcomes


class WooCommerceShop:
    """A WooCommerce shop reached through its REST API v3."""

    platform = "woocommerce"

    def __init__(
        self,
        url: str,
        consumer_key: str,
        consumer_secret: str,
        *,
        query_string_auth: bool = False,
        options: HttpOptions | None = None,
    ) -> None:
        self.client = WooCommerceClient(
            url,
            consumer_key,
            consumer_secret,
            query_string_auth=query_string_auth,
            options=options,
        )
        self._coupon_descriptions: dict[str, str] = {}

    @property
    def identity(self) -> str:
        """Stable name of this shop, used in order keys: host, port if not the
        default one, and path. It survives a profile rename; two shops on one
        host but different ports stay apart."""
        url = httpx.URL(self.client.site_url)
        port = f":{url.port}" if url.port not in (None, 443) else ""
        return f"{url.host}{port}{url.path}".rstrip("/")

    @property
    def request_count(self) -> int:
        return self.client.request_count

    def on_retry(self, listener: Callable[[str], None] | None) -> None:
        self.client.http.on_retry = listener

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> WooCommerceShop:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def batch_size(self, kind: str) -> int:
        """Every WooCommerce batch endpoint takes 100 operations a request."""
        return 100

    def test_connection(self) -> ConnectionReport:
        try:
            self.client.get("system_status", what="the system status")
        except ConnectorError as exc:
            return ConnectionReport(False, str(exc))
        return ConnectionReport(True, f"WooCommerce at {self.client.site_url} answered.")

    def _batch_write(
        self,
        path: str,
        writes: Sequence[_W],
        payload: Callable[[_W, bool], dict[str, Any]],
        *,
        what: str,
    ) -> list[WriteOutcome]:
        """Records without a shop id are created, the others updated, through one batch
        endpoint; one outcome per record, creates first."""
        creates = [w for w in writes if w.shop_id is None]
        updates = [w for w in writes if w.shop_id is not None]
        answer = self.client.batch(
            path,
            create=[payload(w, True) for w in creates],
            update=[dict(payload(w, False), id=int(w.shop_id or 0)) for w in updates],
        )
        return _outcomes(
            [w.key for w in creates], answer["create"], created=True, what=what
        ) + _outcomes([w.key for w in updates], answer["update"], created=False, what=what)

    # ----------------------------------------------------------------- categories
    def list_categories(self) -> list[tuple[str, ShopCategory]]:
        return [
            (str(c["id"]), ShopCategory(name=str(c.get("name", "")),
                                        parent_id=str(c["parent"]) if c.get("parent") else None))
            for c in self.client.iter_all("products/categories", what="the categories")
        ]

    def write_categories(self, writes: Sequence[CategoryWrite]) -> list[WriteOutcome]:
        return self._batch_write(
            "products/categories", writes, lambda w, _create: category_payload(w.category),
            what="category",
        )

    # ------------------------------------------------------------------- products
    def find_products_by_sku(self, skus: Iterable[str]) -> dict[str, str]:
        """Shop ids of the products (and variations) holding these SKUs.

        A variation's id is ``<parent>/<variation>``. A few SKUs are looked
        up one by one (``GET /products?sku=`` also matches variations); many
        are found by reading the catalogue page by page, which costs fewer
        requests, and then — only if the catalogue has variable products —
        the SKUs still missing are asked 40 at a time (``sku`` takes a comma
        list, ``_products.md``), since the catalogue walk lists no variation.
        SKUs match whatever their case, as the shop compares them (MySQL
        collation): a product holding ``KIT-001`` is found for ``kit-001``, which
        the shop would refuse as a duplicate.
        """
        wanted = {s.casefold(): s for s in skus if s}
        if not wanted:
            return {}
        found: dict[str, str] = {}

        def keep(product: Mapping[str, Any], shop_id: str) -> None:
            ours = wanted.get(str(product.get("sku") or "").casefold())
            if ours is not None:
                found[ours] = shop_id

        if len(wanted) <= 5:
            for sku in sorted(wanted.values()):
                for product in self.client.get("products", {"sku": sku}, what=f"product {sku}"):
                    keep(product, _product_shop_id(product))
            return found
        variable = False
        for product in self.client.iter_all("products", what="the products"):
            variable = variable or product.get("type") == "variable"
            keep(product, str(product["id"]))
        missing = sorted(set(wanted.values()) - set(found))
        if variable:
            for index in range(0, len(missing), _SKU_CHUNK):
                chunk = missing[index:index + _SKU_CHUNK]
                for product in self.client.iter_all("products", {"sku": ",".join(chunk)},
                                                    what="products by SKU"):
                    keep(product, _product_shop_id(product))
        return found

    def write_products(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        """Products through ``products/batch``, variations under their parent.

        A write whose draft is a variation, or whose shop id is
        ``<parent>/<variation>``, goes to ``products/<parent>/variations/batch``
        (one batch per parent); the rest to ``products/batch``. Outcomes
        come back in the order of ``writes``.
        """
        return ProductWriter(self.client).write(writes)

    def write_variations(
        self, parent_shop_id: str, writes: Sequence[ProductWrite]
    ) -> list[WriteOutcome]:
        """Create or update the variations of one variable product, 100 a request."""
        return ProductWriter(self.client).write_variations(parent_shop_id, writes)

    def iter_products(self) -> Iterator[ShopProduct]:
        """C21: every product, then right after a variable one its variations.

        One request per page of 100 products, plus the pages of
        ``/products/<id>/variations`` of each variable product.
        """
        for product in self.client.iter_all("products", what="the products"):
            yield shop_product_from_wire(product)
            if product.get("type") == "variable":
                for variation in self.client.iter_all(
                        f"products/{product['id']}/variations",
                        what=f"the variations of product {product['id']}"):
                    yield shop_product_from_wire(variation, parent=product)

    # ------------------------------------------------------------------ customers
    def find_customers_by_email(self, emails: Iterable[str]) -> dict[str, str]:
        wanted = {e.lower() for e in emails if e}
        if not wanted:
            return {}
        found: dict[str, str] = {}
        if len(wanted) <= 5:
            for email in sorted(wanted):
                for customer in self.client.get(
                    "customers", {"email": email, "role": "all"}, what=f"customer {email}"
                ):
                    found[str(customer.get("email", "")).lower()] = str(customer["id"])
            return found
        for customer in self.client.iter_all("customers", {"role": "all"}, what="the customers"):
            email = str(customer.get("email", "")).lower()
            if email in wanted:
                found[email] = str(customer["id"])
        return found

    def write_customers(self, writes: Sequence[CustomerWrite]) -> list[WriteOutcome]:
        """K2–K8 through ``customers/batch``; see ``customer_payload`` for each field.

        Each written outcome names what the shop could not hold (``unsupported``).
        """
        outcomes = self._batch_write("customers", writes, customer_payload, what="customer")
        asked = {w.key: unsupported_fields(w) for w in writes}
        for outcome in outcomes:
            if outcome.ok:
                outcome.unsupported = asked.get(outcome.key, ())
        return outcomes

    def write_customer_groups(self, writes: Sequence[GroupWrite]) -> list[WriteOutcome]:
        """K1: WooCommerce has no customer group resource (``_customers.md``).

        No request: each group's name is its id, and a customer's group is
        the ``passerelle_customer_group`` meta written with the customer.
        """
        return [WriteOutcome(key=w.key, shop_id=w.group.name, created=w.shop_id is None)
                for w in writes]

    def iter_customers(self, *, created_after: datetime | None = None
                       ) -> Iterator[ShopCustomer]:
        """K4: every customer account (all pages), newest filter applied here.

        ``role=customer``: the shop's administrators and managers are users
        too, but never prospects. ``GET /customers`` has no date parameter
        (``_customers.md``), so the walk reads every page and keeps the
        accounts created after the moment.
        """
        for raw in self.client.iter_all("customers", {"role": "customer"},
                                        what="the customers"):
            customer = shop_customer_from_wire(raw)
            if created_after is not None and (
                    customer.created_at is None or customer.created_at <= created_after):
                continue
            yield customer

    # --------------------------------------------------------------------- orders
    def iter_orders(
        self,
        *,
        statuses: Sequence[str] | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        modified_after: datetime | None = None,
        include_archived: bool = False,
    ) -> Iterator[Order | ConnectorError]:
        """Orders oldest first; an unreadable order comes as its error, not a stop.

        ``include_archived`` adds the trash: ``status=any`` (the default)
        excludes it (``_orders.md``), so the trash is walked too and the two
        date-ordered walks are merged.
        """
        params: dict[str, Any] = {"orderby": "date", "order": "asc", "dates_are_gmt": "true"}
        if created_after:
            params["after"] = format_datetime(created_after)
        if created_before:
            params["before"] = format_datetime(created_before)
        if modified_after:
            params["modified_after"] = format_datetime(modified_after)
        if statuses:
            wanted = list(statuses)
            if include_archived and ARCHIVED_STATUS not in wanted:
                wanted.append(ARCHIVED_STATUS)
            raws: Iterable[Any] = self.client.iter_all(
                "orders", dict(params, status=",".join(wanted)), what="the orders")
        else:
            raws = self.client.iter_all("orders", dict(params, status="any"), what="the orders")
            if include_archived:
                trash = self.client.iter_all("orders", dict(params, status=ARCHIVED_STATUS),
                                             what="the orders in the trash")
                raws = heapq.merge(raws, trash, key=_created_key)
        for raw in raws:
            try:
                yield self._order(raw)
            except ConnectorError as exc:
                if isinstance(raw, Mapping) and not exc.record_id:
                    exc.record_id = str(raw.get("id"))
                yield exc

    def iter_open_orders(self) -> Iterator[Order | ConnectorError]:
        """Orders whose stock WooCommerce took and that are not shipped: ``processing``
        and ``on-hold`` (``wc_maybe_reduce_stock_levels`` runs on both; ``completed``
        is shipped, ``pending`` takes nothing), read 100 a page, oldest first."""
        return self.iter_orders(statuses=("processing", "on-hold"))

    @property
    def holds_reservations(self) -> bool:
        """False: the ``stock_quantity`` written is the quantity WooCommerce offers."""
        return False

    def missing_references(self, kind: str, names: Iterable[str]) -> set[str]:
        """Tax classes, payment methods, order statuses, shipping methods the shop
        lacks (``references.py``): one request per kind asked."""
        return missing_references(self.client, kind, names)

    def get_order(self, order_id: str, *, with_notes: bool = False) -> Order:
        order = self._order(self.client.get(f"orders/{order_id}", what=f"order {order_id}"))
        return self.with_notes(order) if with_notes else order

    def _order(self, raw: Any) -> Order:
        """Translate one order, reading its refunds and coupon descriptions if it has any."""
        if not isinstance(raw, Mapping):
            return order_from_wire(raw)  # raises the RecordError naming the shape
        order_id = raw.get("id")
        refunds: list[dict[str, Any]] = []
        if raw.get("refunds"):
            refunds = list(self.client.iter_all(f"orders/{order_id}/refunds",
                                                what=f"the refunds of order {order_id}"))
        codes = {str(c.get("code") or "").lower() for c in raw.get("coupon_lines") or []
                 if isinstance(c, Mapping)}
        return order_from_wire(raw, coupon_descriptions=self._descriptions(codes),
                               refunds=refunds)

    def _descriptions(self, codes: Iterable[str]) -> dict[str, str]:
        """Coupon descriptions by code (``GET /coupons?code=``), each code read once."""
        for code in sorted(c for c in codes if c and c not in self._coupon_descriptions):
            found = self.client.get("coupons", {"code": code}, what=f"coupon {code}")
            match = next((c for c in found or [] if isinstance(c, Mapping)
                          and str(c.get("code") or "").lower() == code), None)
            self._coupon_descriptions[code] = str(match.get("description") or "") \
                if match else ""
        return self._coupon_descriptions

    def order_notes(self, order_id: str) -> tuple[OrderNote, ...]:
        """The order's messages (``GET /orders/<id>/notes``), oldest first.

        WooCommerce's own event notes (author "system") are left out.
        """
        raw = self.client.get(f"orders/{order_id}/notes", what=f"the notes of order {order_id}")
        notes = [n for n in (note_from_wire(r) for r in raw or []) if n is not None]
        return tuple(sorted(notes, key=lambda n: n.created_at.timestamp()
                            if n.created_at else 0.0))

    def with_notes(self, order: Order) -> Order:
        """``order`` with its messages read (one request): call it for orders you import."""
        return replace(order, notes=self.order_notes(order.source_id))

    def write_shipment(
        self,
        order_id: str,
        *,
        carrier: str,
        tracking_number: str,
        shipped_at: datetime | None,
        notify_customer: bool,
        status: str | None,
    ) -> None:
        """O20: tracking in the Shipment Tracking meta, the status, and a note.

        Three requests: the order is read (its tracking items are kept, as
        the extension keeps them), then one ``PUT`` writes the tracking and
        the status, then one note tells carrier and number (to the buyer too
        when ``notify_customer``). Told twice — a retry after a lost answer —
        it adds neither a second tracking item nor a second note.
        """
        what = f"order {order_id}"
        try:
            raw = self.client.get(f"orders/{order_id}", what=what)
        except NotFoundError as exc:
            raise NotFoundError(f"order {order_id} no longer exists in the shop: {exc}",
                                status=404, record_id=order_id) from exc
        existing = meta_value(raw, TRACKING_META_KEY)
        retold = bool(tracking_number) and has_tracking(existing, tracking_number)
        body: dict[str, Any] = {}
        if tracking_number and not retold:
            item = tracking_item(carrier, tracking_number, shipped_at)
            body["meta_data"] = [{"key": TRACKING_META_KEY,
                                  "value": with_tracking(existing, item)}]
        if status and raw.get("status") != status:
            body["status"] = status
        if body:
            self.client.put(f"orders/{order_id}", body, what=what)
        tracking = f", suivi {tracking_number}" if tracking_number else ""
        text = SHIPMENT_NOTE.format(carrier=carrier or "le transporteur", tracking=tracking)
        if retold and any(n.text == text for n in self.order_notes(order_id)):
            return
        self.client.post(f"orders/{order_id}/notes",
                         {"note": text, "customer_note": notify_customer},
                         what=f"a note on {what}")

    def write_order_result(
        self, order_id: str, *, document_number: str, status: str | None
    ) -> None:
        body: dict[str, Any] = {"meta_data": [{"key": NUMBER_META_KEY, "value": document_number}]}
        if status:
            body["status"] = status
        try:
            self.client.put(f"orders/{order_id}", body, what=f"order {order_id}")
        except RecordError as exc:
            # Updating a deleted order is 400 woocommerce_rest_shop_order_invalid_id
            # (WC_REST_CRUD_Controller::update_item), not 404.
            if not isinstance(exc, NotFoundError) and exc.code != ORDER_GONE_CODE:
                raise
            raise NotFoundError(
                f"order {order_id} no longer exists in the shop: {exc}", status=404
            ) from exc


def _product_shop_id(product: Mapping[str, Any]) -> str:
    """A product's shop id; a variation (as ``GET /products?sku=`` shows it) is
    ``<parent>/<variation>``."""
    if product.get("type") == "variation" and product.get("parent_id"):
        return f"{product['parent_id']}/{product['id']}"
    return str(product["id"])


def _created_key(raw: Any) -> str:
    """Merge key of two date-ordered order walks."""
    return str(raw.get("date_created_gmt") or "") if isinstance(raw, Mapping) else ""


def from_settings(settings: WooCommerceSettings, options: HttpOptions) -> WooCommerceShop:
    """The connector of a profile's WooCommerce shop (``passerelle.connectors.platforms``)."""
    from passerelle.profiles.secrets import resolve_secret

    return WooCommerceShop(
        settings.url,
        resolve_secret(settings.consumer_key, field="shop.consumer_key"),
        resolve_secret(settings.consumer_secret, field="shop.consumer_secret"),
        query_string_auth=settings.query_string_auth,
        options=options,
    )
