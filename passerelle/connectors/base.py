"""What a connector promises, as typing protocols.

Flows are written against these protocols only, so a new back-office or a new
shop is one package that implements them. A connector knows nothing of
profiles, the state store or the other side.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol, TypeVar, runtime_checkable

import httpx

from passerelle.connectors.arithmetic import BackOfficeArithmetic
from passerelle.connectors.errors import ConnectorError
from passerelle.i18n.messages import Message, Text
from passerelle.model import (
    BackOfficeSale,
    Category,
    Customer,
    CustomerGroup,
    FieldInfo,
    Item,
    ItemWrite,
    OpenDemand,
    Order,
    ProductDraft,
    SaleResult,
    ShipmentInfo,
    ShopCategory,
    ShopCustomer,
    ShopProduct,
    StockKind,
    StockLevel,
    Tax,
)

__all__ = [
    "DOCUMENTS",
    "GROUP_PRICES",
    "IMAGES",
    "REFERENCE_KINDS",
    "SHOP_REFERENCE_KINDS",
    "UNREAD_KINDS",
    "BackOffice",
    "CategoryWrite",
    "ConnectionReport",
    "CustomerWrite",
    "GroupWrite",
    "Keys",
    "LeavesOutFields",
    "NewAccountOptions",
    "OneUnitOfWork",
    "ProductWrite",
    "ReadsChanges",
    "ReadsWithProblems",
    "Shop",
    "TRANSLATIONS",
    "WriteOutcome",
    "address_identity",
]


def address_identity(url: str) -> str:
    """A shop's name derived from its address: host, port unless 443, and path.

    What a shop that has no store id of its own (WooCommerce, PrestaShop,
    Magento) is called at its first contact. The profile records it then and
    keeps it (``passerelle.store.shop_identities``), so a later change of
    address does not change the keys of the orders already imported. Two
    shops on one host but different ports or paths stay apart.
    """
    parsed = httpx.URL(url)
    port = f":{parsed.port}" if parsed.port not in (None, 443) else ""
    return f"{parsed.host}{port}{parsed.path}".rstrip("/")


# What ``BackOffice.missing_references`` can check, by kind.
REFERENCE_KINDS = (
    "item",
    "tax",
    "tax_rule",
    "carrier",
    "payment_journal",
    "payment_term",
    "currency",
    "warehouse",
    "customer_category",
    "representative",
    "account",
    "price_list",
    "attribute",
)


# What ``Shop.missing_references`` can check, by kind: the shop's own names a
# profile refers to (a product's tax class, the payment methods, order statuses
# and shipping methods its order mappings name).
SHOP_REFERENCE_KINDS = (
    "tax_class",
    "payment_method",
    "order_status",
    "shipping_method",
)


@dataclass(frozen=True, slots=True)
class ConnectionReport:
    """The answer to "test connection" (P2): ok, or what is wrong and where."""

    ok: bool
    message: str


@dataclass(slots=True)
class WriteOutcome:
    """Per-record result of a batch write: the shop id, or the reason it failed.

    ``key`` is the caller's key for the record (a back-office id), so a flow can
    bind or park each record of a batch separately.
    """

    key: str
    shop_id: str | None = None
    #: Why it failed, in English (a catalogue message given here is kept in ``said``).
    error: Text | None = None
    created: bool = False
    # C7: the shop's id of each file written with the record, by its digest,
    # so a later update refers to a file the shop holds instead of sending it again.
    media_ids: dict[str, str] = field(default_factory=dict)
    # The shop says the record written to (``shop_id``) no longer exists: it was
    # deleted in the shop. The flow drops the binding so the next export creates
    # it again, instead of failing on it forever.
    gone: bool = False
    # Fields asked for that this platform cannot hold (canonical attribute names:
    # ``active``, ``notes``, ``credit_limit``…). They were written nowhere; the flow
    # journals them as not supported on this platform, never as updated.
    unsupported: tuple[str, ...] = ()
    #: Why it failed as given, a message shown in the reader's language (see ``error``).
    said: Text | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        # ``error`` stays text for whoever reads it as such (logs, tests, scripts).
        if self.error is not None and self.said is None:
            self.said = self.error
        if isinstance(self.error, Message):
            self.error = self.error.english

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class CategoryWrite:
    key: str
    category: ShopCategory
    shop_id: str | None = None


@dataclass(frozen=True, slots=True)
class ProductWrite:
    """Create (no ``shop_id``) or update the listed ``fields`` of a product.

    A variation (``draft.kind == "variation"``) is written under
    ``parent_shop_id``. ``keep_other_images`` (C7): the shop's images that
    passerelle did not send stay; otherwise only ``draft.images`` remain.
    Shop ids are the connector's own strings: flows store and pass them back
    as they are.
    """

    key: str
    draft: ProductDraft
    shop_id: str | None = None
    fields: frozenset[str] | None = None
    parent_shop_id: str | None = None
    keep_other_images: bool = False
    # Shop ids of every file passerelle ever sent: with ``keep_other_images``
    # these are still removed when the draft no longer lists them.
    own_media_ids: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class NewAccountOptions:
    """K6: how a new shop customer account is opened."""

    generate_password: bool = True
    newsletter: bool = False
    opt_in: bool = False
    welcome_email: bool = False


@dataclass(frozen=True, slots=True)
class CustomerWrite:
    """Create (no ``shop_id``) or update the listed ``fields`` of a customer account.

    ``fields`` names the K5 policy groups to write (``email``, ``names``,
    ``group``, ``addresses``, ``notes``, ``b2b``); None writes everything.
    ``customer.active`` False disables the account (K3); ``customer.code`` is
    the back-office account code shown on the shop customer (K8).
    """

    key: str
    customer: Customer
    shop_id: str | None = None
    fields: frozenset[str] | None = None
    new_account: NewAccountOptions = NewAccountOptions()


@dataclass(frozen=True, slots=True)
class GroupWrite:
    key: str
    group: CustomerGroup
    shop_id: str | None = None


@runtime_checkable
class BackOffice(Protocol):
    """A back-office (ERP) seen from passerelle."""

    @property
    def arithmetic(self) -> BackOfficeArithmetic:
        """How this back-office rounds a document's amounts: the order mapping
        computes a document's total with it before writing, so the document
        lands on the shop's total to the cent."""
        ...

    def test_connection(self) -> ConnectionReport: ...

    def list_taxes(self) -> list[Tax]: ...

    def list_categories(self) -> list[Category]: ...

    def list_items(self, modified_since: datetime | None = None) -> Sequence[Item]:
        """Every item, or those changed since a moment (see :class:`ReadsChanges`); a
        sequence, which a back-office may build as it is gone over (an item at a time)."""
        ...

    def item_fields(self) -> list[FieldInfo]:
        """Every item field a mapping may name, standard and custom (C3)."""
        ...

    def read_item_file(self, ref: str) -> bytes:
        """The bytes of an item's image or document (``ItemFile.ref``)."""
        ...

    def stock_levels(
        self,
        warehouses: Sequence[str] | None = None,
        item_ids: Iterable[str] | None = None,
        kind: StockKind = StockKind.ON_HAND,
    ) -> list[StockLevel]:
        """One level per item and warehouse; ``warehouses`` are warehouse codes."""
        ...

    def write_inventory(self, warehouse: str, quantities: Mapping[str, Decimal]) -> str:
        """X2: make the quantity on hand of these items (item id → quantity) in
        ``warehouse`` (a code; the warehouse and its locations together) what was
        counted, as the back-office records a stock count, all or nothing; the count's
        reference (Tryton: a confirmed ``stock.inventory``, its number).

        Why a count and not moves of passerelle's own: at go-live the stock the
        merchant kept in the shop becomes the back-office's, and a confirmed
        inventory is how a back-office takes a counted figure, with the trail its
        users read (when, which location, each difference booked against lost and
        found). RecordError, writing nothing, for an unknown warehouse or an item
        that has no stock of its own (a service, a kit).
        """
        ...

    def open_sales_demand(
        self, key_prefix: str, warehouses: Sequence[str] | None = None
    ) -> list[OpenDemand]:
        """Per item, what the sales whose order key starts with ``key_prefix`` (one
        shop's orders) still owe customers, from the ``warehouses`` (codes; all when
        None): so the stock a shop is offered never includes units already sold."""
        ...

    def upsert_item(self, item: ItemWrite) -> Item:
        """C21: create the item ``item.code``, or update its texts, price, weight, barcode."""
        ...

    def list_customer_groups(self) -> list[CustomerGroup]:
        """K1: customer groups (Tryton: sale price lists)."""
        ...

    def list_customers(self, modified_since: datetime | None = None) -> list[Customer]: ...

    def find_customer(
        self, *, code: str = "", email: str = "", tax_identifier: str = ""
    ) -> Customer | None:
        """By code, else by e-mail (case-insensitive), else by company/person number."""
        ...

    def upsert_customer(self, customer: Customer, *, update_addresses: bool = True) -> Customer:
        """Create the party ``customer.code``, or update its name, e-mail and addresses.

        A new party also gets ``receivable_account`` (created when missing),
        ``category`` and ``representative``; an existing one keeps them.
        """
        ...

    def item_codes(self) -> set[str]:
        """Codes of every item a sale line may use (active and salable)."""
        ...

    def item_quantities(self, codes: Iterable[str]) -> dict[str, Decimal]:
        """Quantity on hand (all warehouses) of the stocked items among ``codes``."""
        ...

    def missing_references(self, kind: str, names: Iterable[str]) -> set[str]:
        """Which ``names`` do not exist as ``kind`` in the back-office.

        ``kind`` is one of REFERENCE_KINDS; flows check a profile's mappings
        with this before touching any order (O14).
        """
        ...

    def find_sale(self, external_key: str) -> SaleResult | None: ...

    def create_sale(self, sale: BackOfficeSale) -> SaleResult:
        """Write the sale whole (lines, taxes, payments) or not at all."""
        ...

    def cancel_sale(self, external_key: str) -> SaleResult:
        """O20: cancel the sale's status (lines and addresses never change).

        RecordError saying why when the back-office cannot (already shipped).
        """
        ...

    def shipped_sales(self, since: datetime | None) -> list[ShipmentInfo]:
        """O20: shipments of imported sales done since ``since`` (all when None)."""
        ...


#: Ids, codes or template ids of items (``ReadsChanges.list_items_where``).
Keys = Iterable[str]

#: What ``ReadsWithProblems.unread_records`` reports on: the reads of a flow.
UNREAD_KINDS = ("item", "stock", "customer", "shipment")


@runtime_checkable
class ReadsWithProblems(Protocol):
    """A back-office whose reads can meet records they cannot read, and go on.

    Why apart from :class:`BackOffice`: an ERP's database hands over whole
    records, but an exported file can hold a malformed line (a price of
    "douze", an unknown item in the stock file). Its read returns the good
    records and keeps each bad one as a :class:`RecordError` naming the file,
    the line and the column; the flow that made the read parks them, so the
    merchant sees what to fix, and the other records go on.
    """

    def unread_records(self, kind: str) -> list[ConnectorError]:
        """What the last read of ``kind`` (one of ``UNREAD_KINDS``: ``list_items``,
        ``stock_levels``, ``list_customers``, ``shipped_sales``) could not read;
        ``record_id`` is the record's code when the line names one."""
        ...


_Done = TypeVar("_Done")


@runtime_checkable
class OneUnitOfWork(Protocol):
    """A back-office that can run several of its calls as one unit of work.

    Why apart from :class:`BackOffice`: an ERP's database can look up an
    order's sale and customer, write the customer and write the sale in one
    transaction, where one transaction per call costs a round trip and a
    commit each (seven per order). A back-office without it (files, memory)
    runs the same calls one by one, as before.
    """

    def unit_of_work(self, work: Callable[[], _Done]) -> _Done:
        """``work()``, whose calls to this back-office read and write as one unit:
        all it writes is kept together or not at all.

        ``work`` may be run more than once (the back-office replays it when its
        database asks to start over): it decides from what it reads each time
        and records nothing outside the back-office; what it returns is the
        last run's. An error it raises undoes the unit's writes and comes out
        as is.
        """
        ...


@runtime_checkable
class ReadsChanges(Protocol):
    """A back-office that can say what changed since a moment, so a run reads only that.

    Why apart from :class:`BackOffice`: reading a whole catalogue costs minutes
    on a large ERP, while a run usually has a handful of changes to send. A
    back-office with this capability promises that ``list_items(modified_since=...)``
    returns every item whose own record or any record feeding it changed since
    then, each with the other variants of its template (a variable product is
    built from the whole family) and the items sharing its code, case ignored
    (references must be unique over the items sent). The flows complete it with
    :meth:`list_items_where` (the items a run set aside) and ask which items'
    stock moved. Without it, every run reads everything.
    """

    def list_items_where(
        self, *, ids: Keys = (), codes: Keys = (), templates: Keys = ()
    ) -> list[Item]:
        """The items whose id is in ``ids``, whose code is in ``codes`` (case
        ignored) or whose template is in ``templates``, read as ``list_items`` reads
        them; an id, code or template the back-office does not know is ignored."""
        ...

    def items_with_stock_changes_since(self, moment: datetime) -> set[str] | None:
        """Ids of the items whose stock or open demand may have changed since
        ``moment`` (stock moves created or written, kits whose components moved,
        sales changed); None when the back-office cannot tell (read them all)."""
        ...


# Item fields a back-office may leave out (see LeavesOutFields), by their Item names:
#: a price per price list;
GROUP_PRICES = "group_prices"
#: the item's own image files and attached documents (a digest of each file's bytes);
IMAGES = "images"
DOCUMENTS = "documents"
#: the names and descriptions in the other languages.
TRANSLATIONS = "translations"


@runtime_checkable
class LeavesOutFields(Protocol):
    """A back-office that can leave out item fields a run does not use.

    Why apart from :class:`BackOffice`: a field may cost a back-office more than
    the others (Tryton computes each item's price in each price list, and reads
    every image's bytes to tell when it changed), while a run that sends only
    stock, or a profile that sends no group price and no file, never looks at it.
    While :meth:`leaving_out` is open, ``list_items`` and ``list_items_where`` may
    give the fields named empty (their default value); every other field is read
    as always.
    """

    def leaving_out(self, fields: frozenset[str]) -> AbstractContextManager[None]:
        """A context in which the item reads may leave ``fields`` empty (of
        :data:`GROUP_PRICES`, :data:`IMAGES`, :data:`DOCUMENTS`, :data:`TRANSLATIONS`;
        a name the back-office does not know is ignored)."""
        ...


@runtime_checkable
class Shop(Protocol):
    """A shop (sales channel) seen from passerelle.

    Writes take one record per ``*Write`` and answer one ``WriteOutcome`` per
    record, whatever batching the platform allows underneath.
    """

    @property
    def identity(self) -> str:
        """The shop's name as this connection sees it: the platform's own store id
        where its address carries one (a Shopify shop's myshopify.com domain, a
        BigCommerce store hash), else its address (:func:`address_identity`).

        Flows do not key orders with it directly: the profile records it at its
        first contact and keeps it (``flows/shop_identity.py``), so the shop may
        change address without its orders being imported again.
        """
        ...

    @property
    def request_count(self) -> int: ...

    def on_retry(self, listener: Callable[[str], None] | None) -> None:
        """Be told of each retried request as it happens (the journal shows it)."""
        ...

    def test_connection(self) -> ConnectionReport: ...

    def close(self) -> None: ...

    def batch_size(self, kind: str) -> int:
        """How many records of a kind (``product``, ``stock``, ``price``, ``category``,
        ``customer``…) a flow hands over at once: the platform's largest useful batch."""
        ...

    # Catalogue
    def list_categories(self) -> list[tuple[str, ShopCategory]]: ...

    def write_categories(self, writes: Sequence[CategoryWrite]) -> list[WriteOutcome]: ...

    def find_products_by_sku(self, skus: Iterable[str]) -> dict[str, str]: ...

    def write_products(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]: ...

    def write_variations(
        self, parent_shop_id: str, writes: Sequence[ProductWrite]
    ) -> list[WriteOutcome]:
        """Create or update the variations of one variable product."""
        ...

    def iter_products(self) -> Iterator[ShopProduct]:
        """C21: every product and variation of the shop, as the shop holds them."""
        ...

    # Customers
    def find_customers_by_email(self, emails: Iterable[str]) -> dict[str, str]: ...

    def write_customers(self, writes: Sequence[CustomerWrite]) -> list[WriteOutcome]: ...

    def write_customer_groups(self, writes: Sequence[GroupWrite]) -> list[WriteOutcome]:
        """K1: make the groups exist (a platform without a group resource answers
        each group's name as its id, and shows the group on each customer)."""
        ...

    def iter_customers(self, *, created_after: datetime | None = None) -> Iterator[ShopCustomer]:
        """K4: the shop's customer accounts, created after a moment when given."""
        ...

    # Orders
    def iter_orders(
        self,
        *,
        statuses: Sequence[str] | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        modified_after: datetime | None = None,
        include_archived: bool = False,
    ) -> Iterator[Order | ConnectorError]:
        """Orders oldest first; an unreadable order comes as its error, not a stop."""
        ...

    def get_order(self, order_id: str) -> Order: ...

    def iter_open_orders(self) -> Iterator[Order | ConnectorError]:
        """Orders whose goods the shop has taken out of the stock it offers and not
        shipped yet: placed and paid or put on hold (or however the platform
        reserves), neither shipped, cancelled nor refunded. update-stock subtracts
        those the back-office does not know yet, so units sold are never offered again.
        """
        ...

    @property
    def holds_reservations(self) -> bool:
        """True when the shop subtracts its open orders from the quantity passerelle
        writes before offering it (Magento MSI: salable = source quantity − the
        reservations of orders not shipped); False when the quantity written is the
        quantity offered (WooCommerce, PrestaShop's ``quantity``, Shopify's
        *available*, BigCommerce's inventory level)."""
        ...

    def missing_references(self, kind: str, names: Iterable[str]) -> set[str]:
        """Which ``names`` do not exist as ``kind`` (one of SHOP_REFERENCE_KINDS) in
        the shop, so ``profile test`` names every one before a flow writes with it."""
        ...

    def with_notes(self, order: Order) -> Order:
        """``order`` with its messages (O16): asked only for orders being imported,
        since a shop may need a request per order to give them."""
        ...

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
        """O20: tell the shop (and the buyer, if asked) the order left, with its tracking."""
        ...

    def write_order_result(
        self, order_id: str, *, document_number: str, status: str | None
    ) -> None:
        """Write the back-office document number (and a status) on the shop order."""
        ...
