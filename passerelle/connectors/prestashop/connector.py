"""The PrestaShop shop connector: what flows can ask of a PrestaShop 1.7/8 shop.

No batch endpoint exists (``webservice/reference.md``): each record is one
request, ``concurrency`` in flight at once; reads page with ``limit``.
Where the sale number goes back: an order has no free field a merchant sees
besides its private ``note`` (``orders.md``; shown on the back-office order
page), so the number is written there as a line ``Vente ERP : <number>``,
the merchant's own text kept — a read then a PUT of the whole order, since
PUT blanks what it is not given. A status change is an ``order_histories``
record (``order_states`` by their flags), which is how PrestaShop moves an
order and sends its e-mails.
"""

from __future__ import annotations

import re
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
from passerelle.connectors.prestashop.catalogue import Catalogue
from passerelle.connectors.prestashop.client import PrestaShopClient, writable
from passerelle.connectors.prestashop.customers import Customers
from passerelle.connectors.prestashop.orders import OrderReader
from passerelle.connectors.prestashop.wire import format_date
from passerelle.model import Order, ShopCategory, ShopCustomer, ShopProduct
from passerelle.profiles.shop_settings import PrestaShopSettings

__all__ = ["SALE_LINE", "PrestaShopShop", "from_settings"]

SALE_LINE = "Vente ERP : {number}"
_SALE = re.compile(r"^Vente ERP\s*:.*$\n?", re.M)
# Records handed over at once: each batch costs a few reads (the records to update, their
# stock rows) and keeps ``concurrency`` writes in flight; bindings are saved after each.
BATCH = {"stock": 1000, "price": 1000}


class PrestaShopShop:
    """A PrestaShop shop reached through its Webservice."""

    platform = "prestashop"

    def __init__(self, url: str, api_key: str, *, options: HttpOptions | None = None,
                 concurrency: int = 8, language: int = 1,
                 tax_rules_groups: dict[str, int] | None = None) -> None:
        self.client = PrestaShopClient(url, api_key, options=options, concurrency=concurrency,
                                       language=language)
        self.catalogue = Catalogue(self.client, dict(tax_rules_groups or {}))
        self.customers = Customers(self.client)
        self.orders = OrderReader(self.client)

    @property
    def identity(self) -> str:
        url = httpx.URL(self.client.site_url)
        port = f":{url.port}" if url.port not in (None, 443) else ""
        return f"{url.host}{port}{url.path}".rstrip("/")

    @property
    def request_count(self) -> int:
        return self.client.http.request_count

    def on_retry(self, listener: Callable[[str], None] | None) -> None:
        self.client.http.on_retry = listener

    def close(self) -> None:
        self.client.http.close()

    def batch_size(self, kind: str) -> int:
        """No batch endpoint: a large batch only amortises the reads of a write (one
        filtered list for many records) and keeps the pool of requests busy."""
        return BATCH.get(kind, 200)

    def test_connection(self) -> ConnectionReport:
        try:
            self.client.list("configurations", {"filter[name]": "[PS_SHOP_NAME]",
                                                "display": "[name,value]"}, what="the shop")
        except ConnectorError as exc:
            return ConnectionReport(False, str(exc))
        return ConnectionReport(True, f"PrestaShop at {self.client.site_url} answered.")

    # ---------------------------------------------------------------- catalogue
    def list_categories(self) -> list[tuple[str, ShopCategory]]:
        return self.catalogue.list_categories()

    def write_categories(self, writes: Sequence[CategoryWrite]) -> list[WriteOutcome]:
        return self.catalogue.write_categories(writes)

    def find_products_by_sku(self, skus: Iterable[str]) -> dict[str, str]:
        return self.catalogue.find_by_sku(skus)

    def write_products(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        return self.catalogue.write_products(writes)

    def write_variations(self, parent_shop_id: str, writes: Sequence[ProductWrite]
                         ) -> list[WriteOutcome]:
        from dataclasses import replace

        return self.catalogue.write_products(
            [replace(w, parent_shop_id=parent_shop_id) for w in writes])

    def iter_products(self) -> Iterator[ShopProduct]:
        return self.catalogue.iter_products()

    # ---------------------------------------------------------------- customers
    def find_customers_by_email(self, emails: Iterable[str]) -> dict[str, str]:
        return self.customers.find_by_email(emails)

    def write_customers(self, writes: Sequence[CustomerWrite]) -> list[WriteOutcome]:
        return self.customers.write(writes)

    def write_customer_groups(self, writes: Sequence[GroupWrite]) -> list[WriteOutcome]:
        return self.customers.write_groups(writes)

    def iter_customers(self, *, created_after: datetime | None = None
                       ) -> Iterator[ShopCustomer]:
        return self.customers.iter_customers(created_after)

    # ------------------------------------------------------------------- orders
    def iter_orders(self, *, statuses: Sequence[str] | None = None,
                    created_after: datetime | None = None,
                    created_before: datetime | None = None,
                    modified_after: datetime | None = None,
                    include_archived: bool = False) -> Iterator[Order | ConnectorError]:
        """Oldest first; ``statuses`` are the slugs of :mod:`.orders`. PrestaShop has no
        archive, so ``include_archived`` changes nothing."""
        params: dict[str, Any] = {"sort": "[date_add_ASC,id_ASC]"}
        if statuses:
            ids = self.orders.state_ids(statuses)
            if not ids:
                return
            params["filter[current_state]"] = "[" + "|".join(ids) + "]"
        if created_after or created_before:
            low = format_date(created_after) if created_after else "0000-00-00 00:00:00"
            high = format_date(created_before) if created_before else "9999-12-31 23:59:59"
            params.update({"filter[date_add]": f"[{low},{high}]", "date": "1"})
        if modified_after:
            params.update({"filter[date_upd]": f"[{format_date(modified_after)},"
                                               "9999-12-31 23:59:59]", "date": "1"})
        for page in self.orders.orders(params):
            for raw in page:
                try:
                    yield self.orders.translate(raw)
                except ConnectorError as exc:
                    exc.record_id = exc.record_id or str(raw.get("id"))
                    yield exc
                except (KeyError, ValueError, TypeError, ArithmeticError) as exc:
                    yield RecordError(f"order {raw.get('id')}: unreadable ({exc})",
                                      record_id=str(raw.get("id")))

    def _raw_order(self, order_id: str) -> dict[str, Any]:
        try:
            body = self.client.get(f"orders/{order_id}", what=f"order {order_id}")
        except NotFoundError as exc:
            raise NotFoundError(f"order {order_id} no longer exists in the shop: {exc}",
                                status=404, record_id=order_id) from exc
        return dict(body["order"])

    def get_order(self, order_id: str) -> Order:
        return self.orders.translate(self.orders.attach_one(self._raw_order(order_id)))

    def with_notes(self, order: Order) -> Order:
        return order  # buyers' messages are customer_threads; not read yet

    def _set_state(self, order_id: str, status: str | None, current: str) -> None:
        if not status:
            return
        ids = [status] if status.isdigit() else self.orders.state_ids([status])
        if not ids:
            raise RecordError(f"no order state is {status!r} in the shop (give a state id, "
                              "or paid, shipped, delivered, canceled…)")
        if current in ids:
            return
        self.client.create("order_histories", "order_history", {
            "id_order": order_id, "id_order_state": ids[0], "id_employee": "0"},
            what=f"the state of order {order_id}")

    def write_order_result(self, order_id: str, *, document_number: str,
                           status: str | None) -> None:
        raw = self._raw_order(order_id)
        note = str(raw.get("note") or "")
        wanted = "\n".join(p for p in (SALE_LINE.format(number=document_number),
                                       _SALE.sub("", note).strip()) if p)
        if wanted != note:
            record = writable("orders", raw)
            record["associations"] = {}  # order rows are not written back
            record["note"] = wanted
            self.client.put("orders", "order", record, what=f"order {order_id}")
        self._set_state(order_id, status, str(raw.get("current_state")))

    def write_shipment(self, order_id: str, *, carrier: str, tracking_number: str,
                       shipped_at: datetime | None, notify_customer: bool,
                       status: str | None) -> None:
        """O20: the tracking number on the order's ``order_carriers`` row, then the state."""
        raw = self._raw_order(order_id)
        if tracking_number:
            rows = self.client.list("order_carriers", {"filter[id_order]": f"[{order_id}]"},
                                    what=f"the carrier of order {order_id}")
            for row in rows[:1]:
                if row.get("tracking_number") != tracking_number:
                    record = {k: v for k, v in row.items() if k != "associations"}
                    record["tracking_number"] = tracking_number
                    self.client.put("order_carriers", "order_carrier", record,
                                    what=f"the tracking of order {order_id}")
        self._set_state(order_id, status or "shipped", str(raw.get("current_state")))


def from_settings(settings: PrestaShopSettings, options: HttpOptions) -> PrestaShopShop:
    """The connector of a profile's PrestaShop shop (``passerelle.connectors.platforms``)."""
    from passerelle.profiles.secrets import resolve_secret

    return PrestaShopShop(settings.url, resolve_secret(settings.api_key, field="shop.api_key"),
                          options=options, concurrency=settings.concurrency,
                          language=settings.language_id,
                          tax_rules_groups=settings.tax_rules_groups)
