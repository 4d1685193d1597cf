"""``TrytonBackOffice``: the :class:`~passerelle.connectors.base.BackOffice` protocol on trytond.

Every public method is one trytond transaction (see :mod:`.database`): reads
are consistent snapshots, and ``create_sale`` writes the sale, its lines, its
addresses and its payments whole or not at all. Inside ``unit_of_work`` the
methods called share one read-write transaction instead (an order's look-ups,
customer and sale: one commit, not seven). trytond's exceptions never
leave this module: they become the connector errors of
:mod:`passerelle.connectors.errors`, with a message naming the record.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

from passerelle.connectors.arithmetic import BackOfficeArithmetic
from passerelle.connectors.base import ConnectionReport, Keys
from passerelle.connectors.errors import (
    ConnectorError,
    FatalError,
    NotFoundError,
    RecordError,
    RetriableError,
)
from passerelle.connectors.tryton import (
    bulk,
    catalogue,
    changes,
    demand,
    inventory,
    items,
    lifecycle,
    parties,
    references,
    sales,
    stock,
    translate,
)
from passerelle.connectors.tryton.arithmetic import TRYTON_ARITHMETIC
from passerelle.connectors.tryton.collector import collector_paused
from passerelle.connectors.tryton.constants import EXTERNAL_KEY_SHOP, MODULES, OPTIONAL_MODULES
from passerelle.connectors.tryton.database import (
    TrytonTarget,
    database_exists,
    run_retrying,
    session,
)
from passerelle.connectors.tryton.lookups import NO_LOOKUPS, Lookups
from passerelle.i18n import _
from passerelle.i18n.messages import M_, Message, Mn_, Text, render, said
from passerelle.model import (
    BackOfficeSale,
    Category,
    Customer,
    CustomerGroup,
    FieldInfo,
    Item,
    ItemWrite,
    OpenDemand,
    SaleResult,
    ShipmentInfo,
    StockKind,
    StockLevel,
    Tax,
)
from passerelle.model.builders import builder

__all__ = ["TrytonBackOffice"]

T = TypeVar("T")


def _changed_since(moment: datetime, *relations: str) -> list[Any]:
    """A domain: created or written since ``moment``, the record or any of its relations
    (an item whose barcode changed, a customer whose address changed, has changed)."""
    since = translate.utc_naive(moment)
    domain: list[Any] = ["OR"]
    for prefix in ("", *(f"{relation}." for relation in relations)):
        domain += [(f"{prefix}create_date", ">=", since), (f"{prefix}write_date", ">=", since)]
    return domain


# Stock levels are made without StockLevel's per-field object.__setattr__ (see .builders).
_build_level = builder(StockLevel)


def _levels(
    pool: Any, locations: Sequence[Any], ids: list[int], kind: StockKind, *, whole: bool
) -> list[StockLevel]:
    """:meth:`stock_levels` of the searched ``ids``, item by item, then by warehouse."""
    known = stock.stock_products(pool, ids, whole=whole)
    quantities = stock.quantities(pool, locations, ids, kind, known)
    codes = [(loc.id, loc.code or str(loc.id)) for loc in locations]  # read once
    zero = Decimal(0)
    return [
        _build_level(  # a level per item and warehouse: see .model.builders
            item_id,
            item_code,
            code,
            quantities.get((location_id, product_id), zero),
        )
        for product_id in ids
        for item_id, item_code in ((str(product_id), known[product_id].code or ""),)
        for location_id, code in codes
    ]


@dataclass
class _Unit:
    """The unit of work open in this thread: the sale keys whose writing was refused in it
    (perhaps written meanwhile by another run, which a replay of the unit finds), and what
    it already looked up (its sales by key, its buyer by code: each asked once)."""

    refused_keys: list[str] = field(default_factory=list)
    lookups: Lookups = field(default_factory=Lookups)


class TrytonBackOffice:
    """A Tryton database read and written in-process.

    ``database`` is the database name; ``uri`` the server (``sqlite://`` or
    ``postgresql://user@host:port/``); ``path`` the directory of SQLite files
    (default: trytond's configured ``[database] path``); ``company`` the name of
    the company's party when the database holds several companies.
    """

    def __init__(
        self,
        database: str,
        *,
        uri: str = "sqlite://",
        path: Path | None = None,
        company: str | None = None,
    ) -> None:
        if urlparse(uri).scheme == "sqlite" and path is None:
            from trytond import config

            path = Path(config.get("database", "path"))
        self.target = TrytonTarget(database, uri, Path(path) if path is not None else None)
        self.company = company
        self._units = threading.local()  # the unit of work open in each thread
        self._reads = threading.local()  # what each thread's item reads leave out

    @classmethod
    def from_target(cls, target: TrytonTarget, *, company: str | None = None) -> TrytonBackOffice:
        return cls(target.database, uri=target.uri, path=target.path, company=company)

    def __repr__(self) -> str:
        return f"TrytonBackOffice({self.target.describe()})"

    # ------------------------------------------------------------------
    # Plumbing
    # ------------------------------------------------------------------

    def _open_unit(self) -> _Unit | None:
        unit: _Unit | None = getattr(self._units, "unit", None)
        return unit

    def _lookups(self) -> Lookups:
        """What the open unit of work already looked up; outside one, nothing is kept."""
        unit = self._open_unit()
        return NO_LOOKUPS if unit is None else unit.lookups

    def unit_of_work(self, work: Callable[[], T]) -> T:
        """``work()`` in one read-write transaction: every call it makes to this
        back-office reads and writes in it, committed together or not at all.

        Why: an order's look-ups, its customer and its sale were seven
        transactions, each a round trip and a commit on a server database.
        When trytond asks for locks first, the whole of ``work`` is replayed in
        a new transaction, as a single write is. When a sale written in the
        unit is refused and another run committed a sale with its key
        meanwhile, ``work`` is replayed once: it finds that sale instead of
        writing it. Inside a unit already, ``work`` is part of it.
        """
        if self._open_unit() is not None:
            return work()
        refused: list[str] = []

        def in_unit() -> T:
            unit = _Unit()
            self._units.unit = unit
            try:
                return work()
            finally:
                self._units.unit = None
                refused[:] = unit.refused_keys

        def once() -> T:
            return run_retrying(
                lambda extras: self._session(readonly=False, extras=extras), in_unit
            )

        try:
            return once()
        except RecordError:
            if not any(self._find_after_conflict(key) is not None for key in refused):
                raise
        return once()

    def _write(self, what: Text, func: Callable[[], T]) -> T:
        """``func()`` in a read-write session, replayed when trytond asks for locks first.

        In a unit of work, ``func()`` runs in the unit's transaction; a replay
        is the unit's (the whole of its work).
        """
        if self._open_unit() is not None:
            with self._session(readonly=False, what=what):
                return func()
        return run_retrying(
            lambda extras: self._session(readonly=False, what=what, extras=extras), func
        )

    @contextmanager
    def _transaction(self, readonly: bool, extras: dict[str, Any] | None) -> Iterator[Any]:
        """A new trytond transaction, or the unit of work's when one is open."""
        from trytond.transaction import Transaction

        if self._open_unit() is not None:
            yield Transaction()
            return
        with session(self.target, company=self.company, readonly=readonly, extras=extras) as tx:
            with Transaction().set_context(_skip_warnings=True):
                yield tx

    @contextmanager
    def _session(
        self, *, readonly: bool = True, what: Text = "", extras: dict[str, Any] | None = None
    ) -> Iterator[Any]:
        """A transaction whose trytond errors come out as connector errors.

        ``what`` names the record being read or written, for the message.
        Warnings are skipped: nobody is there to answer them in a batch run,
        and every check that matters is a Tryton *error*, which still raises.
        In a unit of work, the unit's transaction (an error still names
        ``what``, and undoes the whole unit as it leaves it).
        """
        from trytond.exceptions import (
            ConcurrencyException,
            UserError,
            UserWarning,
        )

        def about(problem: Message) -> Message:
            return M_("%(what)s: %(problem)s", what=what, problem=problem) if what else problem

        try:
            with self._transaction(readonly, extras) as transaction:
                yield transaction
        except ConnectorError:
            raise
        except (UserError, UserWarning) as exc:
            message = getattr(exc, "message", None) or str(exc)
            raise RecordError(about(M_("Tryton refused it: %(message)s", message=message))) from exc
        except ConcurrencyException as exc:
            raise RetriableError(about(M_("record changed meanwhile in Tryton"))) from exc
        except Exception as exc:
            if self._is_operational(exc):
                raise RetriableError(
                    about(M_("Tryton database busy or unreachable: %(error)s", error=str(exc)))
                ) from exc
            raise

    @staticmethod
    def _is_operational(exc: Exception) -> bool:
        from trytond import backend

        return isinstance(exc, (backend.DatabaseOperationalError, backend.DatabaseTimeoutError))

    @staticmethod
    def _pool() -> Any:
        from trytond.pool import Pool

        return Pool()

    @property
    def arithmetic(self) -> BackOfficeArithmetic:
        """Tryton's rounding of a sale's amounts (``tryton/arithmetic.py``)."""
        return TRYTON_ARITHMETIC

    # ------------------------------------------------------------------
    # Connection
    # ------------------------------------------------------------------

    def test_connection(self) -> ConnectionReport:
        """Database reachable, passerelle's Tryton modules activated, a company present.

        Said in the language of whoever asked (the CLI's, a console request's).
        """
        where = render(self.target.said())
        if not database_exists(self.target):
            return ConnectionReport(
                False, _("%(database)s does not exist or is unreachable", database=where)
            )
        try:
            with self._session():
                pool = self._pool()
                Module = pool.get("ir.module")
                active = {m.name for m in Module.search([("state", "=", "activated")])}
                missing = sorted(set(MODULES) - active - OPTIONAL_MODULES - {"web_shop"})
                if missing:
                    return ConnectionReport(
                        False,
                        _(
                            "%(database)s: activate the Tryton modules %(modules)s",
                            database=where,
                            modules=", ".join(missing),
                        ),
                    )
                company = pool.get("company.company")(self._context_company())
                name = company.rec_name
        except ConnectorError as exc:
            return ConnectionReport(
                False, _("%(database)s: %(error)s", database=where, error=render(said(exc)))
            )
        except Exception as exc:  # noqa: BLE001 - report anything as "not ok"
            error = f"{type(exc).__name__}: {exc}"
            return ConnectionReport(
                False, _("%(database)s: %(error)s", database=where, error=error)
            )
        if "web_shop" not in active:
            return ConnectionReport(
                False,
                _(
                    "%(database)s: activate the Tryton module web_shop (passerelle keeps each "
                    "imported order's key in sale.web_id so it is imported exactly once)",
                    database=where,
                ),
            )
        return ConnectionReport(
            True, _("%(database)s: company %(company)s", database=where, company=repr(name))
        )

    @staticmethod
    def _context_company() -> int:
        from trytond.transaction import Transaction

        return int(Transaction().context["company"])

    # ------------------------------------------------------------------
    # Catalogue
    # ------------------------------------------------------------------

    def list_taxes(self) -> list[Tax]:
        """Percentage taxes of the company (children of composite taxes excluded)."""
        with self._session():
            Tax_ = self._pool().get("account.tax")
            taxes = Tax_.search(
                [("parent", "=", None), ("company", "=", self._context_company())],
                order=[("id", "ASC")],
            )
            return [translate.to_tax(t) for t in taxes]

    def list_categories(self) -> list[Category]:
        """Catalogue categories only: accounting categories are Tryton's business."""
        with self._session():
            Cat = self._pool().get("product.category")
            cats = Cat.search([("accounting", "=", False)], order=[("id", "ASC")])
            return [translate.to_category(c) for c in cats]

    @contextmanager
    def leaving_out(self, fields: frozenset[str]) -> Iterator[None]:
        """:class:`~passerelle.connectors.base.LeavesOutFields`: inside, item reads
        neither read nor compute the group prices, images, documents or translations
        ``fields`` names (each price list's price of each item is about a tenth of a
        catalogue read; each image's bytes are read to digest them). Other names are
        ignored."""
        before = self._left_out()
        self._reads.left_out = before | fields
        try:
            yield
        finally:
            self._reads.left_out = before

    def _left_out(self) -> frozenset[str]:
        left_out: frozenset[str] = getattr(self._reads, "left_out", frozenset())
        return left_out

    def _read_items(self, pool: Any, products: Sequence[Any]) -> list[Item]:
        """:func:`.catalogue.read_items`, without what the run leaves out."""
        return catalogue.read_items(
            pool,
            products,
            self._tax_index(),
            self._context_company(),
            leave_out=self._left_out(),
        )

    def _tax_index(self) -> dict[int, Tax]:
        Tax_ = self._pool().get("account.tax")
        return {t.id: translate.to_tax(t) for t in Tax_.search([])}

    def list_items(self, modified_since: datetime | None = None) -> list[Item]:
        """Every variant, inactive ones included (so a flow can unpublish them).

        Items carry every catalogue field (custom fields, images, documents,
        kit, supplier, group prices, translations…), read in batches: see
        :mod:`.catalogue`. ``modified_since`` keeps variants whose product,
        template or identifiers were created or written at or after that
        time, and those :func:`.changes.changed_item_ids` finds (images,
        attachments, kit components, suppliers, prices, categories…, each with
        its whole template; every item when a price list changed).
        """
        from trytond.transaction import Transaction

        with self._session(), Transaction().set_context(active_test=False):
            pool = self._pool()
            Product = pool.get("product.product")
            domain: list[Any] = []
            if modified_since is not None:
                around = changes.changed_item_ids(pool, modified_since)
                if around is not None:
                    domain = _changed_since(modified_since, "template", "identifiers")
                    if around:
                        domain.append(("id", "in", sorted(around)))
            # Only the ids: the catalogue read selects its own columns, so the search
            # need not fill the record cache with each variant's eager fields.
            ids = bulk.search_ids(Product, domain, [("code", "ASC"), ("id", "ASC")])
            return self._read_items(pool, ids)

    def list_items_where(
        self, *, ids: Keys = (), codes: Keys = (), templates: Keys = ()
    ) -> list[Item]:
        """Items by id, code (case ignored) or template, read as ``list_items`` reads them
        (:class:`~passerelle.connectors.base.ReadsChanges`, see :mod:`.changes`)."""
        from trytond.transaction import Transaction

        numbers = [int(i) for i in ids if str(i).isdigit()]
        template_ids = [int(t) for t in templates if str(t).isdigit()]
        with self._session(), Transaction().set_context(active_test=False):
            pool = self._pool()
            products = changes.products_where(pool, numbers, list(codes), template_ids)
            if not products:
                return []
            return self._read_items(pool, products)

    def items_with_stock_changes_since(self, moment: datetime) -> set[str] | None:
        """Items whose stock moves or sales changed since ``moment`` (:mod:`.changes`)."""
        with self._session():
            return {str(i) for i in changes.stock_changed_ids(self._pool(), moment)}

    def item_fields(self) -> list[FieldInfo]:
        """Standard item fields, then ``attr:<name>`` per Tryton product attribute (C3)."""
        with self._session():
            return catalogue.item_fields(self._pool())

    def read_item_file(self, ref: str) -> bytes:
        """The bytes of an ``ItemFile`` (a product image or an attachment)."""
        with self._session(what=M_("item file %(file)s", file=repr(ref))):
            data = catalogue.read_item_file(self._pool(), ref)
        if data is None:
            raise NotFoundError(M_("item file %(file)s no longer exists in Tryton", file=repr(ref)))
        return data

    def upsert_item(self, item: ItemWrite) -> Item:
        """C21: create the goods item ``item.code`` or update it; see :mod:`.items`.

        RecordError, writing nothing, when the tax or the category does not exist.
        """
        label = M_("item %(code)s", code=repr(item.code))

        def write() -> Item:
            pool = self._pool()
            product = items.upsert_item(pool, item)
            (read,) = catalogue.read_items(
                pool, [product], self._tax_index(), self._context_company()
            )
            return read

        return self._write(label, write)

    def list_customer_groups(self) -> list[CustomerGroup]:
        """K1: every Tryton price list (sale_price_list: a customer's price list is its group)."""
        with self._session():
            try:
                PriceList = self._pool().get("product.price_list")
            except KeyError:  # product_price_list not activated: no groups
                return []
            return [
                CustomerGroup(
                    source_id=str(p.id), name=p.name, prices_include_tax=bool(p.tax_included)
                )
                for p in PriceList.search([], order=[("name", "ASC"), ("id", "ASC")])
            ]

    def item_codes(self) -> set[str]:
        """Codes of active, salable variants: what a sale line may use."""
        with self._session():
            Product = self._pool().get("product.product")
            products = Product.search([("salable", "=", True), ("code", "!=", None)])
            return {p.code for p in products}

    def stock_levels(
        self,
        warehouses: Sequence[str] | None = None,
        item_ids: Iterable[str] | None = None,
        kind: StockKind = StockKind.ON_HAND,
    ) -> list[StockLevel]:
        """The ``kind`` quantity (C9, see :mod:`.stock`) of each item per warehouse.

        ON_HAND is Tryton's "quantity" (done moves up to today); FORECAST its
        forecast quantity. Items are goods variants and kits (services have no
        stock; a kit has as many as its components make); an item with no
        move gets 0.
        """
        with self._session():
            pool = self._pool()
            Location = pool.get("stock.location")
            Product = pool.get("product.product")
            domain: list[Any] = [("type", "=", "warehouse")]
            if warehouses is not None:
                domain.append(("code", "in", list(warehouses)))
            locations = Location.search(domain, order=[("code", "ASC")])
            if warehouses is not None:
                unknown = sorted(set(warehouses) - {loc.code for loc in locations})
                if unknown:
                    raise RecordError(
                        Mn_(
                            "unknown Tryton warehouse code: %(codes)s (Inventory › Locations)",
                            "unknown Tryton warehouse codes: %(codes)s (Inventory › Locations)",
                            len(unknown),
                            codes=unknown,
                        )
                    )
            product_domain: list[Any] = [("type", "in", ["goods", "kit"])]
            wanted = None if item_ids is None else [int(i) for i in item_ids]
            # Most of the catalogue asked (a run's read-ahead): the search without the
            # ids, then those asked kept (the same records: the domain is a conjunction);
            # naming 100,000 ids cost the search a tenth of the stock read.
            whole = wanted is None or bulk.covers_most(pool, wanted)
            if not whole:
                product_domain.append(("id", "in", wanted))
            # Ids from the search (its domain, rules and order are Tryton's), then the
            # codes, types and units selected as rows: walking the search's records one
            # by one costs in the square of the catalogue (each record is built with the
            # whole id list), and ``read`` typed each value apart.
            ids = bulk.search_ids(Product, product_domain, [("code", "ASC")])
            if wanted is not None and whole:
                asked = set(wanted)
                ids = [i for i in ids if i in asked]
            if not ids or not locations:
                return []
            with collector_paused():  # see .collector: 200,000 levels at 100,000 items
                return _levels(pool, locations, ids, StockKind(kind), whole=whole)

    def write_inventory(self, warehouse: str, quantities: Mapping[str, Decimal]) -> str:
        """X2: one confirmed ``stock.inventory`` of the warehouse's storage (:mod:`.inventory`)."""
        if not quantities:
            return ""
        label = M_("the inventory of warehouse %(code)s", code=repr(warehouse))
        return self._write(
            label, lambda: inventory.write_inventory(self._pool(), warehouse, quantities)
        )

    # ------------------------------------------------------------------
    # Customers
    # ------------------------------------------------------------------

    def _customer_parties(self, domain: list[Any]) -> list[Any]:
        """Parties that are customers: not the companies, carriers, sales representatives
        or item suppliers.

        Tryton has no "customer" flag; those kinds of party are the
        merchant's own partners and must never be sent to a shop.
        """
        from trytond.transaction import Transaction

        pool = self._pool()
        excluded = {c.party.id for c in pool.get("company.company").search([])}
        with Transaction().set_context(active_test=False):
            for model in ("carrier", "commission.agent", "purchase.product_supplier"):
                try:
                    Model = pool.get(model)
                except KeyError:  # module not activated
                    continue
                excluded.update(record.party.id for record in Model.search([]))
        Party = pool.get("party.party")
        # Inactive customers too: their shop accounts are disabled (K3).
        with Transaction().set_context(active_test=False):
            return Party.search(
                [*domain, ("id", "not in", sorted(excluded))], order=[("code", "ASC")]
            )

    def list_customers(self, modified_since: datetime | None = None) -> list[Customer]:
        with self._session():
            domain: list[Any] = []
            if modified_since is not None:
                domain = [_changed_since(modified_since, "addresses", "contact_mechanisms")]
            return [translate.to_customer(p) for p in self._customer_parties(domain)]

    def find_customer(
        self, *, code: str = "", email: str = "", tax_identifier: str = ""
    ) -> Customer | None:
        """By code, else by e-mail (case-insensitive), else by company number (K7).

        The number is compared without spaces, dots or dashes and in upper
        case, against the party identifiers (EU VAT numbers and others).
        """
        with self._session():
            party = parties.find_party(
                self._pool(),
                code=code,
                email=email,
                tax_identifier=tax_identifier,
                lookups=self._lookups(),
            )
            return translate.to_customer(party) if party else None

    def upsert_customer(self, customer: Customer, *, update_addresses: bool = True) -> Customer:
        """Create or update the party ``customer.code``; an empty code lets Tryton number it.

        Updates name, e-mail and phone; adds the addresses it does not have yet
        (existing ones are kept: past sales point at them), unless
        ``update_addresses`` is False for an existing party. A new party also
        gets ``tax_identifier`` (party identifier, typed EU VAT when valid),
        ``receivable_account`` (created like the default receivable account
        when missing, O5), ``category`` and ``representative`` (which must
        exist: RecordError naming them otherwise).
        """
        label = M_(
            "customer %(customer)s", customer=repr(customer.code or customer.email or customer.name)
        )

        def write() -> Customer:
            party = parties.upsert_party(
                self._pool(),
                customer,
                update_addresses=update_addresses,
                lookups=self._lookups(),
            )
            return translate.to_customer(party)

        return self._write(label, write)

    def item_quantities(self, codes: Iterable[str]) -> dict[str, Decimal]:
        """Quantity on hand summed over every warehouse, for the goods among ``codes``.

        Services and unknown codes are left out: they have no stock to check.
        """
        from trytond.transaction import Transaction

        wanted = sorted(set(codes))
        if not wanted:
            return {}
        with self._session():
            pool = self._pool()
            Product = pool.get("product.product")
            Location = pool.get("stock.location")
            Date = pool.get("ir.date")
            products = Product.search([("code", "in", wanted), ("type", "=", "goods")])
            warehouses = Location.search([("type", "=", "warehouse")])
            if not products or not warehouses:
                return {}
            with Transaction().set_context(
                stock_date_end=Date.today(), forecast=False, with_childs=True
            ):
                quantities = Product.products_by_location(
                    [w.id for w in warehouses],
                    with_childs=True,
                    grouping_filter=([p.id for p in products],),
                )
            return {
                product.code: translate.quantity(
                    sum(quantities.get((w.id, product.id), 0) or 0 for w in warehouses)
                )
                for product in products
            }

    def missing_references(self, kind: str, names: Iterable[str]) -> set[str]:
        """Which ``names`` do not exist in Tryton as ``kind`` (see ``base.REFERENCE_KINDS``).

        item: code of an active salable product; tax, tax_rule, payment_journal,
        payment_term, customer_category: record name; carrier and
        representative: name of the carrier's / commission agent's party;
        currency: ISO code; warehouse: location code; account: code of an
        open account; price_list, attribute: name of a price list / product
        attribute. ValueError for an unknown kind.
        """
        names = list(names)
        references.check_kind(kind)
        with self._session():
            return references.missing_references(self._pool(), kind, names)

    def reference_names(self, kind: str) -> list[str]:
        """Every name of ``kind`` Tryton has (taxes, payment journals, carriers...), for
        a mapping to choose from; see ``references.LISTED_KINDS``."""
        with self._session():
            return references.reference_names(self._pool(), kind)

    # ------------------------------------------------------------------
    # Sales
    # ------------------------------------------------------------------

    def _external_key_shop(self, *, create: bool) -> Any | None:
        """The web.shop whose ``(web_shop, web_id)`` pair Tryton keeps unique."""
        pool = self._pool()
        try:
            Shop = pool.get("web.shop")
        except KeyError as exc:
            raise FatalError(
                M_(
                    "the Tryton module web_shop is not activated; passerelle stores the "
                    "shop order key in sale.web_id to import each order exactly once"
                )
            ) from exc
        lookups = self._lookups()
        shop = lookups.find(
            pool, "web.shop", EXTERNAL_KEY_SHOP, lambda: _one(Shop, "name", EXTERNAL_KEY_SHOP)
        )
        if shop is not None or not create:
            return shop
        company = pool.get("company.company")(self._context_company())
        (shop,) = Shop.create(
            [
                {
                    "name": EXTERNAL_KEY_SHOP,
                    "company": company.id,
                    "currency": company.currency.id,
                }
            ]
        )
        lookups.note("web.shop", EXTERNAL_KEY_SHOP, shop)
        return shop

    def _find_sale_record(self, external_key: str, *, create_shop: bool = False) -> Any | None:
        shop = self._external_key_shop(create=create_shop)
        if shop is None:
            return None
        pool = self._pool()

        def search() -> Any | None:
            Sale = pool.get("sale.sale")
            found = Sale.search(
                [("web_shop", "=", shop.id), ("web_id", "=", external_key)], limit=1
            )
            return found[0] if found else None

        return self._lookups().find(pool, "sale.sale", external_key, search)

    def open_sales_demand(
        self, key_prefix: str, warehouses: Sequence[str] | None = None
    ) -> list[OpenDemand]:
        """What the open sales imported from one shop still owe, per item (see :mod:`.demand`)."""
        with self._session():
            shop = self._external_key_shop(create=False)
            if shop is None:
                return []
            return demand.open_demand(self._pool(), shop, key_prefix, warehouses)

    def find_sale(self, external_key: str) -> SaleResult | None:
        """The sale written for ``external_key``, if any (how a lost answer is recovered)."""
        with self._session(what=M_("sale %(key)s", key=repr(external_key))):
            sale = self._find_sale_record(external_key)
            return translate.to_sale_result(sale) if sale else None

    def create_sale(self, sale: BackOfficeSale) -> SaleResult:
        """Write the sale whole (lines, taxes, addresses, payments) or not at all.

        If a sale already carries ``sale.external_key`` it is returned as is:
        calling twice never writes twice. The sale is taken to
        ``sale.document_type`` (see :mod:`.sales`); payments are *processing*
        until the sale is confirmed, *succeeded* from then on, and recorded
        after confirmation when ``validate_before_paying``.
        """
        label = M_("order %(number)s", number=sale.reference or sale.external_key)
        if not sale.lines:
            raise RecordError(M_("%(order)s: no lines to write", order=label))

        def write() -> SaleResult:
            existing = self._find_sale_record(sale.external_key, create_shop=True)
            if existing is not None:
                return translate.to_sale_result(existing)
            lookups = self._lookups()
            record = sales.write_sale(
                self._pool(),
                sale,
                label,
                self._external_key_shop(create=True),
                self._context_company(),
                lookups,
            )
            lookups.note("sale.sale", sale.external_key, record)
            return translate.to_sale_result(record)

        try:
            return self._write(label, write)
        except RecordError:
            unit = self._open_unit()
            if unit is not None:
                # The unit's transaction is spoilt: the unit looks once it is undone.
                unit.refused_keys.append(sale.external_key)
                raise
            # Two writers raced on the same key: the unique (web_shop, web_id)
            # refused the second one; the first one's sale is the answer.
            found = self._find_after_conflict(sale.external_key)
            if found is not None:
                return found
            raise

    def cancel_sale(self, external_key: str) -> SaleResult:
        """O20: cancel the sale's status; see :func:`.lifecycle.cancel_sale_record`.

        NotFoundError for an unknown key; RecordError, writing nothing, when
        the goods left or the invoice was posted (a credit note is the way).
        """
        label = M_("sale %(key)s", key=repr(external_key))

        def write() -> SaleResult:
            record = self._find_sale_record(external_key)
            if record is None:
                raise NotFoundError(
                    M_(
                        "%(sale)s: no Tryton sale carries this order key; nothing to cancel",
                        sale=label,
                    )
                )
            record = lifecycle.cancel_sale_record(self._pool(), record, label)
            return translate.to_sale_result(record)

        return self._write(label, write)

    def shipped_sales(self, since: datetime | None) -> list[ShipmentInfo]:
        """O20: done customer shipments of imported sales, at or after ``since``.

        A shipment counts when its effective date is on or after the day of
        ``since``, or it was written since. The tracking number is
        :func:`.lifecycle.tracking_number`.
        """
        with self._session():
            shop = self._external_key_shop(create=False)
            if shop is None:
                return []
            return lifecycle.shipment_infos(self._pool(), shop, since)

    def _find_after_conflict(self, external_key: str) -> SaleResult | None:
        try:
            return self.find_sale(external_key)
        except ConnectorError:
            return None


def _one(Model: Any, name: str, value: str) -> Any | None:
    """The first record of ``Model`` whose ``name`` is ``value``, if any."""
    found = Model.search([(name, "=", value)], limit=1)
    return found[0] if found else None
