"""The WooCommerce shop connector: what flows can ask of a WooCommerce shop.

Writes go through the batch endpoints (100 operations a request) and come
back as one ``WriteOutcome`` per record, so a flow binds or parks each record
on its own. Reads walk every page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

import httpx

from passerelle.connectors.base import (
    CategoryWrite,
    ConnectionReport,
    CustomerWrite,
    ProductWrite,
    WriteOutcome,
)
from passerelle.connectors.errors import ConnectorError, NotFoundError
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.woocommerce.client import WooCommerceClient
from passerelle.connectors.woocommerce.translate import (
    NUMBER_META_KEY,
    category_payload,
    format_datetime,
    order_from_wire,
    product_payload,
    variation_payload,
)
from passerelle.model import Customer, Order, ShopCategory

__all__ = ["WooCommerceShop"]

ACCOUNT_META_KEY = "_passerelle_account_code"

_W = TypeVar("_W", CategoryWrite, ProductWrite, CustomerWrite)


def _outcomes(
    keys: Sequence[str], answers: Sequence[Mapping[str, Any]], *, created: bool, what: str
) -> list[WriteOutcome]:
    outcomes = []
    for key, answer in zip(keys, answers, strict=True):
        error = answer.get("error")
        if error:
            message = error.get("message") if isinstance(error, Mapping) else str(error)
            code = error.get("code", "") if isinstance(error, Mapping) else ""
            text = f"WooCommerce refused {what} {key}: {message}"
            outcomes.append(WriteOutcome(key=key, error=f"{text} [{code}]" if code else text))
        else:
            outcomes.append(WriteOutcome(key=key, shop_id=str(answer.get("id")), created=created))
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
        """Shop ids of the products holding these SKUs.

        A few SKUs are looked up one by one; many are found by reading the
        catalogue page by page, which costs fewer requests.
        """
        wanted = {s for s in skus if s}
        if not wanted:
            return {}
        found: dict[str, str] = {}
        if len(wanted) <= 5:
            for sku in sorted(wanted):
                for product in self.client.get("products", {"sku": sku}, what=f"product {sku}"):
                    if product.get("sku") == sku:
                        found[sku] = str(product["id"])
            return found
        for product in self.client.iter_all("products", what="the products"):
            sku = product.get("sku")
            if sku in wanted:
                found[sku] = str(product["id"])
        return found

    def write_products(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        return self._batch_write(
            "products", writes,
            lambda w, create: product_payload(w.draft, None if create else w.fields),
            what="product",
        )

    def write_variations(
        self, parent_shop_id: str, writes: Sequence[ProductWrite]
    ) -> list[WriteOutcome]:
        """Create or update the variations of one variable product, 100 a request."""
        return self._batch_write(
            f"products/{parent_shop_id}/variations", writes,
            lambda w, create: variation_payload(w.draft, None if create else w.fields),
            what="variation",
        )

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

    @staticmethod
    def _customer_payload(customer: Customer, create: bool) -> dict[str, Any]:
        address = customer.addresses[0] if customer.addresses else None
        billing: dict[str, Any] = {
            "first_name": customer.first_name,
            "last_name": customer.last_name,
            "company": customer.company,
            "email": customer.email,
            "phone": customer.phone,
        }
        if address is not None:
            billing.update(
                address_1=address.street,
                address_2=address.street2,
                postcode=address.postal_code,
                city=address.city,
                country=address.country_code,
                state=address.subdivision,
            )
        shipping = {k: v for k, v in billing.items() if k not in ("email",)}
        body: dict[str, Any] = {
            "first_name": customer.first_name,
            "last_name": customer.last_name,
            "billing": billing,
            "shipping": shipping,
            "meta_data": [{"key": ACCOUNT_META_KEY, "value": customer.code}],
        }
        if create:
            body["email"] = customer.email
        return body

    def write_customers(self, writes: Sequence[CustomerWrite]) -> list[WriteOutcome]:
        return self._batch_write(
            "customers", writes, lambda w, create: self._customer_payload(w.customer, create),
            what="customer",
        )

    # --------------------------------------------------------------------- orders
    def iter_orders(
        self,
        *,
        statuses: Sequence[str] | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        modified_after: datetime | None = None,
    ) -> Iterator[Order | ConnectorError]:
        """Orders oldest first; an unreadable order comes as its error, not a stop."""
        params: dict[str, Any] = {"orderby": "date", "order": "asc", "dates_are_gmt": "true"}
        params["status"] = ",".join(statuses) if statuses else "any"
        if created_after:
            params["after"] = format_datetime(created_after)
        if created_before:
            params["before"] = format_datetime(created_before)
        if modified_after:
            params["modified_after"] = format_datetime(modified_after)
        for raw in self.client.iter_all("orders", params, what="the orders"):
            try:
                yield order_from_wire(raw)
            except ConnectorError as exc:
                yield exc

    def get_order(self, order_id: str) -> Order:
        return order_from_wire(self.client.get(f"orders/{order_id}", what=f"order {order_id}"))

    def write_order_result(
        self, order_id: str, *, document_number: str, status: str | None
    ) -> None:
        body: dict[str, Any] = {"meta_data": [{"key": NUMBER_META_KEY, "value": document_number}]}
        if status:
            body["status"] = status
        try:
            self.client.put(f"orders/{order_id}", body, what=f"order {order_id}")
        except NotFoundError as exc:
            raise NotFoundError(
                f"order {order_id} no longer exists in the shop: {exc}", status=404
            ) from exc
