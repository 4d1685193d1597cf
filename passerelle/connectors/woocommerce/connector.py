"""The WooCommerce shop connector: what flows can ask of a WooCommerce shop.

Writes go through the batch endpoints (100 operations a request) and come
back as one ``WriteOutcome`` per record, so a flow binds or parks each record
on its own. Reads walk every page.

Orders are read and written by ``orders.py`` (the class this one
extends), the shop's references checked by ``references.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from passerelle.connectors.base import (
    CategoryWrite,
    ConnectionReport,
    CustomerWrite,
    GroupWrite,
    ProductWrite,
    WriteOutcome,
)
from passerelle.connectors.errors import ConnectorError
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.kit.base import HttpShop
from passerelle.connectors.woocommerce import endpoints as ep
from passerelle.connectors.woocommerce.client import WooCommerceClient
from passerelle.connectors.woocommerce.orders import OrderAccess
from passerelle.connectors.woocommerce.products import ProductWriter
from passerelle.connectors.woocommerce.references import missing_references, reference_names
from passerelle.connectors.woocommerce.translate_categories import category_payload
from passerelle.connectors.woocommerce.translate_customers import (
    ACCOUNT_META_KEY,
    customer_payload,
    shop_customer_from_wire,
    unsupported_fields,
)
from passerelle.connectors.woocommerce.translate_shop_products import shop_product_from_wire
from passerelle.connectors.woocommerce.translate_values import batch_error
from passerelle.i18n import _
from passerelle.i18n.messages import M_, Message, Text, render, said
from passerelle.model import ShopCategory, ShopCustomer, ShopProduct

__all__ = ["ACCOUNT_META_KEY", "WooCommerceShop"]

_SKU_CHUNK = 40  # SKUs per ``GET /products?sku=a,b,…`` (keeps the URL short)

_W = TypeVar("_W", CategoryWrite, CustomerWrite)


def _outcomes(
    keys: Sequence[str],
    answers: Sequence[Mapping[str, Any]],
    *,
    created: bool,
    record: Callable[[str], Message],
) -> list[WriteOutcome]:
    outcomes = []
    for key, answer in zip(keys, answers, strict=True):
        error = batch_error(answer, record(key))
        outcomes.append(
            WriteOutcome(key=key, error=error)
            if error
            else WriteOutcome(key=key, shop_id=str(answer.get("id")), created=created)
        )
    return outcomes


class WooCommerceShop(OrderAccess, HttpShop[WooCommerceClient]):
    """A WooCommerce shop reached through its REST API v3.

    WooCommerce has no store id: its identity is the shop's address (host, port
    unless 443, path), which the profile records at its first contact and keeps.
    """

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

    def batch_size(self, kind: str) -> int:
        """Every WooCommerce batch endpoint takes 100 operations a request."""
        return 100

    def test_connection(self) -> ConnectionReport:
        try:
            self.client.get(ep.SYSTEM_STATUS, what=M_("the system status"))
        except ConnectorError as exc:
            return ConnectionReport(False, render(said(exc)))
        return ConnectionReport(
            True,
            _(
                "%(platform)s at %(url)s answered.",
                platform="WooCommerce",
                url=self.client.site_url,
            ),
        )

    def _batch_write(
        self,
        path: str,
        writes: Sequence[_W],
        payload: Callable[[_W, bool], dict[str, Any]],
        *,
        what: Text,
        record: Callable[[str], Message],
    ) -> list[WriteOutcome]:
        """Records without a shop id are created, the others updated, through one batch
        endpoint; one outcome per record, creates first. ``what`` names the request,
        ``record`` one record by its key, for the merchant."""
        creates = [w for w in writes if w.shop_id is None]
        updates = [w for w in writes if w.shop_id is not None]
        answer = self.client.batch(
            path,
            create=[payload(w, True) for w in creates],
            update=[dict(payload(w, False), id=int(w.shop_id or 0)) for w in updates],
            what=what,
        )
        return _outcomes(
            [w.key for w in creates], answer["create"], created=True, record=record
        ) + _outcomes([w.key for w in updates], answer["update"], created=False, record=record)

    # ----------------------------------------------------------------- categories
    def list_categories(self) -> list[tuple[str, ShopCategory]]:
        return [
            (
                str(c["id"]),
                ShopCategory(
                    name=str(c.get("name", "")),
                    parent_id=str(c["parent"]) if c.get("parent") else None,
                ),
            )
            for c in self.client.iter_all(ep.CATEGORIES, what=M_("the categories"))
        ]

    def write_categories(self, writes: Sequence[CategoryWrite]) -> list[WriteOutcome]:
        return self._batch_write(
            ep.CATEGORIES,
            writes,
            lambda w, _create: category_payload(w.category),
            what=M_("the batch of categories"),
            record=lambda key: M_("category %(key)s", key=key),
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
                for product in self.client.get(
                    ep.PRODUCTS, {"sku": sku}, what=M_("product %(sku)s", sku=sku)
                ):
                    keep(product, _product_shop_id(product))
            return found
        variable = False
        for product in self.client.iter_all(ep.PRODUCTS, what=M_("the products")):
            variable = variable or product.get("type") == "variable"
            keep(product, str(product["id"]))
        missing = sorted(set(wanted.values()) - set(found))
        if variable:
            for index in range(0, len(missing), _SKU_CHUNK):
                chunk = missing[index : index + _SKU_CHUNK]
                for product in self.client.iter_all(
                    ep.PRODUCTS, {"sku": ",".join(chunk)}, what=M_("products by SKU")
                ):
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
        for product in self.client.iter_all(ep.PRODUCTS, what=M_("the products")):
            yield shop_product_from_wire(product)
            if product.get("type") == "variable":
                for variation in self.client.iter_all(
                    ep.variations(product["id"]),
                    what=M_("the variations of product %(parent)s", parent=product["id"]),
                ):
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
                    ep.CUSTOMERS,
                    {"email": email, "role": "all"},
                    what=M_("customer %(key)s", key=email),
                ):
                    found[str(customer.get("email", "")).lower()] = str(customer["id"])
            return found
        for customer in self.client.iter_all(
            ep.CUSTOMERS, {"role": "all"}, what=M_("the customers")
        ):
            email = str(customer.get("email", "")).lower()
            if email in wanted:
                found[email] = str(customer["id"])
        return found

    def write_customers(self, writes: Sequence[CustomerWrite]) -> list[WriteOutcome]:
        """K2–K8 through ``customers/batch``; see ``customer_payload`` for each field.

        Each written outcome names what the shop could not hold (``unsupported``).
        """
        outcomes = self._batch_write(
            ep.CUSTOMERS,
            writes,
            customer_payload,
            what=M_("the batch of customers"),
            record=lambda key: M_("customer %(key)s", key=key),
        )
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
        return [
            WriteOutcome(key=w.key, shop_id=w.group.name, created=w.shop_id is None) for w in writes
        ]

    def iter_customers(self, *, created_after: datetime | None = None) -> Iterator[ShopCustomer]:
        """K4: every customer account (all pages), newest filter applied here.

        ``role=customer``: the shop's administrators and managers are users
        too, but never prospects. ``GET /customers`` has no date parameter
        (``_customers.md``), so the walk reads every page and keeps the
        accounts created after the moment.
        """
        for raw in self.client.iter_all(
            ep.CUSTOMERS, {"role": "customer"}, what=M_("the customers")
        ):
            customer = shop_customer_from_wire(raw)
            if created_after is not None and (
                customer.created_at is None or customer.created_at <= created_after
            ):
                continue
            yield customer

    # ---------------------------------------------------------------- references
    @property
    def holds_reservations(self) -> bool:
        """False: the ``stock_quantity`` written is the quantity WooCommerce offers."""
        return False

    def missing_references(self, kind: str, names: Iterable[str]) -> set[str]:
        """Tax classes, payment methods, order statuses, shipping methods the shop
        lacks (``references.py``): one request per kind asked."""
        return missing_references(self.client, kind, names)

    def reference_names(self, kind: str) -> list[str]:
        """The shop's tax classes, payment methods, order statuses or shipping methods,
        for a mapping to choose from (``references.py``): one request."""
        return reference_names(self.client, kind)


def _product_shop_id(product: Mapping[str, Any]) -> str:
    """A product's shop id; a variation (as ``GET /products?sku=`` shows it) is
    ``<parent>/<variation>``."""
    if product.get("type") == "variation" and product.get("parent_id"):
        return f"{product['parent_id']}/{product['id']}"
    return str(product["id"])
