"""The Wix shop connector: what flows can ask of a Wix site with Wix Stores.

The site's catalogue is V1 or V3 (never both), asked once of the Catalog Versioning
API, ``GET /stores/v3/provision/version`` answering ``catalogVersion``: ``V1_CATALOG``,
``V3_CATALOG`` or ``STORES_NOT_INSTALLED``; a site upgraded to V3 never goes back
(dev.wix.com/docs/api-reference/business-solutions/stores/catalog-versioning/get-catalog-version,
dev.wix.com/docs/sdk/backend-modules/stores/catalog-versioning/setup). The catalogue
then goes through ``catalog_v3`` or ``catalog_v1``; orders (eCommerce), customers
(Contacts) and shipments (fulfillments) are the same for both.

What is not done yet (the capability matrix and ``WriteOutcome.unsupported`` say so):
- creating variable products and variations on catalog V1, and writing a V1
  variation's own price or SKU; their stock is written (V3: see ``variants_v3``);
- renaming a V3 category (it needs its revision);
- images, documents, SEO texts, brands, group prices, customer groups (contacts have none);
- the back-office document number on an order (no field for it) and order statuses;
- V1 catalogues past ~10,000 products (the ``numericId`` walk).
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
from passerelle.connectors.errors import ConnectorError, FatalError
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.kit.base import HttpShop
from passerelle.connectors.kit.orders import OrdersVia
from passerelle.connectors.wix.catalog_v1 import CatalogV1
from passerelle.connectors.wix.catalog_v3 import INVENTORY_BATCH, PRODUCT_BATCH, CatalogV3
from passerelle.connectors.wix.client import WIX_API, WixClient
from passerelle.connectors.wix.customers import Contacts
from passerelle.connectors.wix.orders import ORDER_PAGE, OrderAccess
from passerelle.connectors.wix.translate_orders import ORDER_STATUSES
from passerelle.connectors.wix.unsupported import product_unsupported
from passerelle.i18n import _
from passerelle.i18n.messages import M_, Message, render, said
from passerelle.model import ShopCategory, ShopCustomer, ShopProduct

__all__ = ["STOCK_FIELDS", "WixShop"]

STOCK_FIELDS = frozenset({"manage_stock", "stock_quantity"})
_BATCHES = {
    "stock": INVENTORY_BATCH,
    "price": PRODUCT_BATCH,
    "product": PRODUCT_BATCH,
    "category": 50,
    "customer": 100,
    "customer_group": 100,
    "order": ORDER_PAGE,
}


class WixShop(HttpShop[WixClient], OrdersVia):
    """A Wix site through its REST API, authenticated by an API key."""

    platform = "wix"

    def __init__(
        self,
        site_id: str,
        api_key: str,
        *,
        api_url: str = WIX_API,
        options: HttpOptions | None = None,
        **client_options: Any,
    ) -> None:
        self.client = WixClient(
            site_id, api_key, api_url=api_url, options=options, **client_options
        )
        self.orders = OrderAccess(self.client)
        self.contacts = Contacts(self.client)
        self._version: str | None = None

    @property
    def identity(self) -> str:
        """The site id: Wix's own name for the site, whatever its domain."""
        return f"wix/{self.client.site_id}"

    @property
    def catalog_version(self) -> str:
        """``V1_CATALOG`` or ``V3_CATALOG``, asked once for this connection."""
        if self._version is None:
            body = self.client.get("stores/v3/provision/version", what=M_("the catalog version"))
            version = str((body or {}).get("catalogVersion") or "")
            if version not in ("V1_CATALOG", "V3_CATALOG"):
                raise FatalError(
                    M_(
                        "the Wix site has no Wix Stores catalog (%(version)s): install Wix "
                        "Stores on the site, or check the site id of the profile",
                        version=version or "no answer",
                    )
                )
            self._version = version
        return self._version

    def _catalog(self) -> CatalogV1 | CatalogV3:
        if self.catalog_version == "V3_CATALOG":
            return CatalogV3(self.client)
        return CatalogV1(self.client)

    def batch_size(self, kind: str) -> int:
        """Stock 1,000 (one inventory bulk update); products 100 (one bulk write)."""
        return _BATCHES.get(kind, 100)

    def test_connection(self) -> ConnectionReport:
        try:
            version = self.catalog_version
        except ConnectorError as exc:
            return ConnectionReport(False, render(said(exc)))
        return ConnectionReport(
            True,
            _(
                "Wix site %(site)s answered (catalog %(version)s).",
                site=self.client.site_id,
                version=version,
            ),
        )

    # ----------------------------------------------------------------- catalogue
    def list_categories(self) -> list[tuple[str, ShopCategory]]:
        return self._catalog().categories()

    def write_categories(self, writes: Sequence[CategoryWrite]) -> list[WriteOutcome]:
        return self._catalog().write_categories(writes)

    def find_products_by_sku(self, skus: Iterable[str]) -> dict[str, str]:
        wanted = {s for s in skus if s}
        if not wanted:
            return {}
        return {sku: id_ for sku, id_ in self._catalog().skus().items() if sku in wanted}

    def iter_products(self) -> Iterator[ShopProduct]:
        catalog = self._catalog()
        names = {k: v.name for k, v in catalog.categories()}
        yield from catalog.products(names)

    def write_products(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        """New products (in bulk; on catalog V3 with variants too), new variations of
        V3 products, and updates; what V1 cannot be given yet is refused with what to do
        instead."""
        catalog = self._catalog()
        # A pack is written as a simple product: Wix has no bundles (its components are
        # reported not supported, ``unsupported.py``).
        kinds: tuple[str, ...] = ("simple", "grouped", "variable")
        kinds = kinds if isinstance(catalog, CatalogV3) else kinds[:2]
        made = [w for w in writes if w.shop_id is None and w.draft.kind in kinds]
        outcomes = {o.key: o for o in catalog.create(made)}
        by_parent: dict[str, list[ProductWrite]] = {}
        for write in writes:
            if write.shop_id is None and write.draft.kind == "variation" and write.parent_shop_id:
                by_parent.setdefault(write.parent_shop_id, []).append(write)
        for parent, group in by_parent.items():
            outcomes |= _variations_added(catalog, parent, group)
        return _reported(catalog, writes, _written(catalog, writes, outcomes, _new_product))

    def write_variations(
        self, parent_shop_id: str, writes: Sequence[ProductWrite]
    ) -> list[WriteOutcome]:
        """Variations: new ones added to a V3 product; existing ones (``<product>/<variant>``
        ids) their values and stock."""
        catalog = self._catalog()
        new = [w for w in writes if w.shop_id is None]
        outcomes = _variations_added(catalog, parent_shop_id, new) if new else {}
        return _reported(catalog, writes, _written(catalog, writes, outcomes, _new_variation))

    # ----------------------------------------------------------------- customers
    def find_customers_by_email(self, emails: Iterable[str]) -> dict[str, str]:
        return self.contacts.find_by_email(emails)

    def write_customers(self, writes: Sequence[CustomerWrite]) -> list[WriteOutcome]:
        return self.contacts.write(writes)

    def write_customer_groups(self, writes: Sequence[GroupWrite]) -> list[WriteOutcome]:
        return self.contacts.write_groups(writes)

    def iter_customers(self, *, created_after: datetime | None = None) -> Iterator[ShopCustomer]:
        return self.contacts.iter_customers(created_after)

    @property
    def holds_reservations(self) -> bool:
        """False: the quantity written is the quantity offered; Wix lowers it itself when
        an order is approved."""
        return False

    def missing_references(self, kind: str, names: Iterable[str]) -> set[str]:
        """Order statuses are Wix's payment statuses (and ``CANCELED``); tax classes,
        payment and shipping methods are free text on Wix orders: nothing to check."""
        if kind == "order_status":
            return {n for n in names if n not in ORDER_STATUSES}
        return set()


def _new_product(sku: str) -> Message:
    return M_(
        "passerelle does not create Wix products with variants yet: "
        "create %(sku)s in Wix, it is then found by its SKU",
        sku=sku,
    )


def _new_variation(sku: str) -> Message:
    return M_(
        "passerelle does not add variants to a Wix product yet: add "
        "%(sku)s to the product in Wix, it is then found by its SKU",
        sku=sku,
    )


def _reported(
    catalog: CatalogV1 | CatalogV3, writes: Sequence[ProductWrite], outcomes: list[WriteOutcome]
) -> list[WriteOutcome]:
    """``outcomes`` with the fields written nowhere (``unsupported.py``) on each success."""
    barcode = isinstance(catalog, CatalogV3)
    for write, outcome in zip(writes, outcomes, strict=True):
        if outcome.ok:
            found = product_unsupported(write, barcode=barcode)
            outcome.unsupported = (
                *outcome.unsupported,
                *(f for f in found if f not in outcome.unsupported),
            )
    return outcomes


def _variations_added(
    catalog: CatalogV1 | CatalogV3, parent: str, writes: Sequence[ProductWrite]
) -> dict[str, WriteOutcome]:
    """New variations of ``parent`` on V3; none on V1 (refused by ``_written``)."""
    if not isinstance(catalog, CatalogV3):
        return {}
    return {o.key: o for o in catalog.add_variations(parent.split("/")[0], writes)}


def _written(
    catalog: CatalogV1 | CatalogV3,
    writes: Sequence[ProductWrite],
    outcomes: dict[str, WriteOutcome],
    refusal: Callable[[str], Message],
) -> list[WriteOutcome]:
    """``outcomes`` (the creates done) completed: the updates written, the creates not
    done refused with ``refusal`` (naming the SKU), one outcome per write in order."""
    for write in writes:
        if write.shop_id is None and write.key not in outcomes:
            outcomes[write.key] = WriteOutcome(write.key, error=refusal(write.draft.sku))
    _update(catalog, [w for w in writes if w.shop_id is not None], outcomes)
    return [outcomes[w.key] for w in writes]


def _update(
    catalog: CatalogV1 | CatalogV3,
    updates: Sequence[ProductWrite],
    outcomes: dict[str, WriteOutcome],
) -> None:
    """Stock through the inventory; other fields through a product update."""
    stock = [w for w in updates if w.fields is None or w.fields & STOCK_FIELDS]
    other = [w for w in updates if w.fields is None or w.fields - STOCK_FIELDS - {"hidden"}]
    for outcome in catalog.update(other):
        outcomes[outcome.key] = outcome
    for key, outcome in catalog.write_stock(stock).items():
        if outcomes.get(key) is None or outcomes[key].ok:
            outcomes[key] = outcome
    for write in updates:
        done = outcomes.setdefault(write.key, WriteOutcome(write.key, write.shop_id))
        if write.fields and "hidden" in write.fields and write not in other and done.ok:
            # A stock update that would hide the product: the quantity is written, the
            # visibility is not (the flow journals it as not supported here).
            done.unsupported = (*done.unsupported, "hidden")
