"""``TrytonBackOffice``: the :class:`~passerelle.connectors.base.BackOffice` protocol on trytond.

Every public method is one trytond transaction (see :mod:`.database`): reads
are consistent snapshots, and ``create_sale`` writes the sale, its lines, its
addresses and its payments whole or not at all. trytond's exceptions never
leave this module: they become the connector errors of
:mod:`passerelle.connectors.errors`, with a message naming the record.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from passerelle.connectors.base import ConnectionReport
from passerelle.connectors.errors import (
    ConnectorError,
    FatalError,
    RecordError,
    RetriableError,
)
from passerelle.connectors.tryton import translate
from passerelle.connectors.tryton.constants import EXTERNAL_KEY_SHOP, MODULES
from passerelle.connectors.tryton.database import TrytonTarget, database_exists, session
from passerelle.model import (
    Address,
    BackOfficePayment,
    BackOfficeSale,
    Category,
    Customer,
    DocumentType,
    Item,
    SaleResult,
    StockLevel,
    Tax,
)

__all__ = ["TrytonBackOffice"]


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _changed_since(moment: datetime, *relations: str) -> list[Any]:
    """A domain: created or written since ``moment``, the record or any of its relations
    (an item whose barcode changed, a customer whose address changed, has changed)."""
    since = translate.utc_naive(moment)
    domain: list[Any] = ["OR"]
    for prefix in ("", *(f"{relation}." for relation in relations)):
        domain += [(f"{prefix}create_date", ">=", since), (f"{prefix}write_date", ">=", since)]
    return domain


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

    @classmethod
    def from_target(cls, target: TrytonTarget, *, company: str | None = None) -> TrytonBackOffice:
        return cls(target.database, uri=target.uri, path=target.path, company=company)

    def __repr__(self) -> str:
        return f"TrytonBackOffice({self.target.describe()})"

    # ------------------------------------------------------------------
    # Plumbing
    # ------------------------------------------------------------------

    @contextmanager
    def _session(self, *, readonly: bool = True, what: str = "") -> Iterator[Any]:
        """A transaction whose trytond errors come out as connector errors.

        ``what`` names the record being read or written, for the message.
        Warnings are skipped: nobody is there to answer them in a batch run,
        and every check that matters is a Tryton *error*, which still raises.
        """
        from trytond.exceptions import (
            ConcurrencyException,
            UserError,
            UserWarning,
        )
        from trytond.transaction import Transaction

        prefix = f"{what}: " if what else ""
        try:
            with session(self.target, company=self.company, readonly=readonly) as transaction:
                with Transaction().set_context(_skip_warnings=True):
                    yield transaction
        except ConnectorError:
            raise
        except (UserError, UserWarning) as exc:
            message = getattr(exc, "message", None) or str(exc)
            raise RecordError(f"{prefix}Tryton refused it: {message}") from exc
        except ConcurrencyException as exc:
            raise RetriableError(f"{prefix}record changed meanwhile in Tryton") from exc
        except Exception as exc:
            if self._is_operational(exc):
                raise RetriableError(f"{prefix}Tryton database busy or unreachable: {exc}") from exc
            raise

    @staticmethod
    def _is_operational(exc: Exception) -> bool:
        from trytond import backend

        return isinstance(exc, (backend.DatabaseOperationalError, backend.DatabaseTimeoutError))

    @staticmethod
    def _pool() -> Any:
        from trytond.pool import Pool

        return Pool()

    # ------------------------------------------------------------------
    # Connection
    # ------------------------------------------------------------------

    def test_connection(self) -> ConnectionReport:
        """Database reachable, passerelle's Tryton modules activated, a company present."""
        where = self.target.describe()
        if not database_exists(self.target):
            return ConnectionReport(False, f"{where} does not exist or is unreachable")
        try:
            with self._session() as _:
                pool = self._pool()
                Module = pool.get("ir.module")
                active = {m.name for m in Module.search([("state", "=", "activated")])}
                missing = sorted(set(MODULES) - active - {"web_shop", "product_measurements"})
                if missing:
                    return ConnectionReport(
                        False,
                        f"{where}: activate the Tryton modules {', '.join(missing)}",
                    )
                company = pool.get("company.company")(self._context_company())
                name = company.rec_name
        except ConnectorError as exc:
            return ConnectionReport(False, f"{where}: {exc}")
        except Exception as exc:  # noqa: BLE001 - report anything as "not ok"
            return ConnectionReport(False, f"{where}: {type(exc).__name__}: {exc}")
        if "web_shop" not in active:
            return ConnectionReport(
                False,
                f"{where}: activate the Tryton module web_shop (passerelle keeps each "
                "imported order's key in sale.web_id so it is imported exactly once)",
            )
        return ConnectionReport(True, f"{where}: company {name!r}")

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

    def _tax_index(self) -> dict[int, Tax]:
        Tax_ = self._pool().get("account.tax")
        return {t.id: translate.to_tax(t) for t in Tax_.search([])}

    def list_items(self, modified_since: datetime | None = None) -> list[Item]:
        """Every variant, inactive ones included (so a flow can unpublish them).

        ``modified_since`` keeps variants whose product, template or identifiers
        were created or written at or after that time.
        """
        from trytond.transaction import Transaction

        with self._session(), Transaction().set_context(active_test=False):
            Product = self._pool().get("product.product")
            domain: list[Any] = []
            if modified_since is not None:
                domain = _changed_since(modified_since, "template", "identifiers")
            products = Product.search(domain, order=[("code", "ASC"), ("id", "ASC")])
            taxes = self._tax_index()
            return [translate.to_item(p, taxes) for p in products]

    def item_codes(self) -> set[str]:
        """Codes of active, salable variants: what a sale line may use."""
        with self._session():
            Product = self._pool().get("product.product")
            products = Product.search([("salable", "=", True), ("code", "!=", None)])
            return {p.code for p in products}

    def stock_levels(
        self, warehouses: Sequence[str] | None = None, item_ids: Iterable[str] | None = None
    ) -> list[StockLevel]:
        """Quantity on hand (Tryton's "quantity": done moves up to today) per warehouse.

        One ``products_by_location`` call for all items and warehouses. Items are
        goods variants (services have no stock); an item with no move gets 0.
        """
        from trytond.transaction import Transaction

        with self._session():
            pool = self._pool()
            Location = pool.get("stock.location")
            Product = pool.get("product.product")
            Date = pool.get("ir.date")
            domain: list[Any] = [("type", "=", "warehouse")]
            if warehouses is not None:
                domain.append(("code", "in", list(warehouses)))
            locations = Location.search(domain, order=[("code", "ASC")])
            if warehouses is not None:
                unknown = sorted(set(warehouses) - {loc.code for loc in locations})
                if unknown:
                    raise RecordError(f"unknown Tryton warehouse code(s): {', '.join(unknown)}")
            product_domain: list[Any] = [("type", "=", "goods")]
            if item_ids is not None:
                product_domain.append(("id", "in", [int(i) for i in item_ids]))
            products = Product.search(product_domain, order=[("code", "ASC")])
            if not products or not locations:
                return []
            with Transaction().set_context(
                stock_date_end=Date.today(), forecast=False, with_childs=True
            ):
                quantities = Product.products_by_location(
                    [loc.id for loc in locations],
                    with_childs=True,
                    grouping_filter=([p.id for p in products],),
                )
            return [
                StockLevel(
                    item_id=str(product.id),
                    item_code=product.code or "",
                    warehouse=location.code or str(location.id),
                    quantity=translate.quantity(quantities.get((location.id, product.id))),
                )
                for product in products
                for location in locations
            ]

    # ------------------------------------------------------------------
    # Customers
    # ------------------------------------------------------------------

    def _customer_parties(self, domain: list[Any]) -> list[Any]:
        """Parties that are customers, i.e. not the companies themselves."""
        pool = self._pool()
        Company = pool.get("company.company")
        companies = [c.party.id for c in Company.search([])]
        Party = pool.get("party.party")
        return Party.search([*domain, ("id", "not in", companies)], order=[("code", "ASC")])

    def list_customers(self, modified_since: datetime | None = None) -> list[Customer]:
        with self._session():
            domain: list[Any] = []
            if modified_since is not None:
                domain = [_changed_since(modified_since, "addresses", "contact_mechanisms")]
            return [translate.to_customer(p) for p in self._customer_parties(domain)]

    def _find_party(self, *, code: str = "", email: str = "") -> Any | None:
        pool = self._pool()
        Party = pool.get("party.party")
        if code:
            parties = Party.search([("code", "=", code)], limit=1)
            return parties[0] if parties else None
        if email:
            Mechanism = pool.get("party.contact_mechanism")
            found = Mechanism.search(
                [
                    ("type", "=", "email"),
                    ("value", "ilike", _escape_like(email.strip())),
                ],
                order=[("party", "ASC")],
                limit=1,
            )
            return found[0].party if found else None
        return None

    def find_customer(self, *, code: str = "", email: str = "") -> Customer | None:
        """By back-office code first; else by e-mail (case-insensitive)."""
        with self._session():
            party = self._find_party(code=code, email=email)
            return translate.to_customer(party) if party else None

    def upsert_customer(self, customer: Customer) -> Customer:
        """Create or update the party ``customer.code``; an empty code lets Tryton number it.

        Updates name, e-mail and phone; adds the addresses it does not have yet
        (existing ones are kept: past sales point at them).
        """
        label = f"customer {customer.code or customer.email or customer.name!r}"
        with self._session(readonly=False, what=label):
            party = self._upsert_party(customer)
            return translate.to_customer(party)

    def _upsert_party(self, customer: Customer) -> Any:
        pool = self._pool()
        Party = pool.get("party.party")
        Mechanism = pool.get("party.contact_mechanism")
        name = (
            customer.name.strip()
            or " ".join(p for p in (customer.first_name, customer.last_name) if p)
            or customer.company
            or customer.email
        )
        if not name:
            raise RecordError(f"customer {customer.code!r}: no name, company or e-mail to name it")
        party = self._find_party(code=customer.code) if customer.code else None
        if party is None:
            values: dict[str, Any] = {"name": name}
            if customer.code:
                values["code"] = customer.code
            (party,) = Party.create([values])
        elif party.name != name:
            party.name = name
            party.save()
        for kind, value in (("email", customer.email), ("phone", customer.phone)):
            if not value:
                continue
            current = [m for m in party.contact_mechanisms if m.type == kind]
            if not current:
                Mechanism.create([{"party": party.id, "type": kind, "value": value}])
            elif current[0].value != value:
                current[0].value = value
                current[0].save()
        for address in customer.addresses:
            if not address.is_empty():
                self._ensure_address(party, address, own=True)
        return Party(party.id)

    def _country(self, code: str) -> Any | None:
        """The country of an ISO code, created on first use (Tryton ships none)."""
        if not code:
            return None
        Country = self._pool().get("country.country")
        code = code.strip().upper()
        found = Country.search([("code", "=", code)], limit=1)
        if found:
            return found[0]
        name = code
        try:
            import pycountry  # optional: nicer names when installed

            record = pycountry.countries.get(alpha_2=code)
            if record is not None:
                name = record.name
        except ImportError:
            pass
        (country,) = Country.create([{"name": name, "code": code}])
        return country

    def _ensure_address(self, party: Any, address: Address, *, own: bool = False) -> Any:
        """The party's address equal to ``address``, created if it has none."""
        Address_ = self._pool().get("party.address")
        values = translate.address_values(
            address, party.name, self._country(address.country_code), own=own
        )
        for existing in party.addresses:
            if existing.active and translate.address_matches(existing, values):
                return existing
        (created,) = Address_.create([{**values, "party": party.id}])
        return created

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
                "the Tryton module web_shop is not activated; passerelle stores the "
                "shop order key in sale.web_id to import each order exactly once"
            ) from exc
        shops = Shop.search([("name", "=", EXTERNAL_KEY_SHOP)], limit=1)
        if shops:
            return shops[0]
        if not create:
            return None
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
        return shop

    def _find_sale_record(self, external_key: str, *, create_shop: bool = False) -> Any | None:
        shop = self._external_key_shop(create=create_shop)
        if shop is None:
            return None
        Sale = self._pool().get("sale.sale")
        sales = Sale.search([("web_shop", "=", shop.id), ("web_id", "=", external_key)], limit=1)
        return sales[0] if sales else None

    def find_sale(self, external_key: str) -> SaleResult | None:
        """The sale written for ``external_key``, if any (how a lost answer is recovered)."""
        with self._session(what=f"sale {external_key!r}"):
            sale = self._find_sale_record(external_key)
            return translate.to_sale_result(sale) if sale else None

    def create_sale(self, sale: BackOfficeSale) -> SaleResult:
        """Write the sale whole (lines, taxes, addresses, payments) or not at all.

        If a sale already carries ``sale.external_key`` it is returned as is:
        calling twice never writes twice. Quotation: the sale is quoted, its
        payments recorded as *processing* (succeeding them would let Tryton's
        sale_payment confirm it). Order: payments succeeded and sale confirmed;
        Tryton then creates the shipment and invoice after the commit.
        """
        label = f"order {sale.reference or sale.external_key}"
        if not sale.lines:
            raise RecordError(f"{label}: no lines to write")
        try:
            with self._session(readonly=False, what=label):
                existing = self._find_sale_record(sale.external_key, create_shop=True)
                if existing is not None:
                    return translate.to_sale_result(existing)
                record = self._write_sale(sale, label)
                return translate.to_sale_result(record)
        except RecordError:
            # Two writers raced on the same key: the unique (web_shop, web_id)
            # refused the second one; the first one's sale is the answer.
            found = self._find_after_conflict(sale.external_key)
            if found is not None:
                return found
            raise

    def _find_after_conflict(self, external_key: str) -> SaleResult | None:
        try:
            return self.find_sale(external_key)
        except ConnectorError:
            return None

    def _write_sale(self, sale: BackOfficeSale, label: str) -> Any:
        pool = self._pool()
        Sale = pool.get("sale.sale")
        Line = pool.get("sale.line")
        Product = pool.get("product.product")
        Tax_ = pool.get("account.tax")
        Currency = pool.get("currency.currency")
        Location = pool.get("stock.location")

        party = self._find_party(code=sale.party_code) if sale.party_code else None
        if party is None:
            raise RecordError(
                f"{label}: customer {sale.party_code!r} does not exist in Tryton; "
                "create it (export customers) or map the order to an existing customer code"
            )
        currencies = Currency.search([("code", "=", sale.currency)], limit=1)
        if not currencies:
            raise RecordError(f"{label}: currency {sale.currency!r} is not defined in Tryton")

        codes = sorted({line.item_code for line in sale.lines})
        products = {p.code: p for p in Product.search([("code", "in", codes)])}
        unknown = [c for c in codes if c not in products]
        if unknown:
            raise RecordError(
                f"{label}: item(s) {', '.join(map(repr, unknown))} unknown or inactive in Tryton"
            )
        tax_ids = sorted({int(t) for line in sale.lines for t in line.tax_ids})
        taxes = {t.id: t for t in Tax_.search([("id", "in", tax_ids)])}
        missing_taxes = [str(t) for t in tax_ids if t not in taxes]
        if missing_taxes:
            raise RecordError(f"{label}: Tryton tax id(s) {', '.join(missing_taxes)} do not exist")

        # Instances get no defaults by themselves (create() would, too late
        # for on_change_party): start from the model's defaults, as a client does.
        record = Sale(**Sale.default_get(list(Sale._fields), with_rec_name=False))
        record.party = party
        record.on_change_party()
        record.company = self._context_company()
        record.currency = currencies[0]
        record.sale_date = sale.sale_date
        record.reference = sale.reference or None
        record.description = sale.description or None
        record.comment = sale.comment or None
        record.web_shop = self._external_key_shop(create=True)
        record.web_id = sale.external_key
        if sale.warehouse:
            warehouses = Location.search(
                [("type", "=", "warehouse"), ("code", "=", sale.warehouse)], limit=1
            )
            if not warehouses:
                raise RecordError(f"{label}: warehouse {sale.warehouse!r} does not exist in Tryton")
            record.warehouse = warehouses[0]
        elif record.warehouse is None:
            # Several warehouses: Tryton has no default. Use the key shop's one,
            # else the first warehouse created (the main one).
            shop_warehouse = record.web_shop.warehouse
            record.warehouse = (
                shop_warehouse
                or Location.search([("type", "=", "warehouse")], order=[("id", "ASC")], limit=1)[0]
            )
        if sale.invoice_address is not None and not sale.invoice_address.is_empty():
            record.invoice_address = self._ensure_address(party, sale.invoice_address)
        if sale.shipment_address is not None and not sale.shipment_address.is_empty():
            record.shipment_address = self._ensure_address(party, sale.shipment_address)
        if record.invoice_address is None or record.shipment_address is None:
            raise RecordError(
                f"{label}: customer {sale.party_code!r} has no address in Tryton "
                "and the order gives none"
            )
        lines = []
        for sequence, line in enumerate(sale.lines, start=1):
            product = products[line.item_code]
            lines.append(
                Line(
                    type="line",
                    sequence=sequence,
                    product=product,
                    description=line.description or product.rec_name,
                    quantity=float(line.quantity),
                    unit=product.sale_uom,
                    unit_price=line.unit_price,
                    # Exactly the taxes mapped by the flow, not the product's.
                    taxes=[taxes[int(t)] for t in line.tax_ids],
                )
            )
        record.lines = lines
        record.save()
        Sale.quote([record])
        self._check_total(record, sale, label)
        if sale.payments:
            self._record_payments(
                record,
                sale.payments,
                succeed=sale.document_type is DocumentType.ORDER,
                label=label,
            )
        if sale.document_type is DocumentType.ORDER:
            Sale.confirm([record])
        return Sale(record.id)

    @staticmethod
    def _check_total(record: Any, sale: BackOfficeSale, label: str) -> None:
        """Refuse (so nothing is written) a total that differs from the shop's beyond tolerance."""
        expected = getattr(sale, "expected_total", None)
        if expected is None:
            return
        tolerance = abs(getattr(sale, "total_tolerance", Decimal(0)) or Decimal(0))
        total = Decimal(record.total_amount)
        if abs(total - Decimal(expected)) > tolerance:
            raise RecordError(
                f"{label}: Tryton computes a total of {total} {sale.currency} "
                f"but the shop says {expected} (difference {total - Decimal(expected)}, "
                f"tolerance {tolerance}); check the tax mapping and the prices"
            )

    def _record_payments(
        self,
        record: Any,
        payments: Sequence[BackOfficePayment],
        *,
        succeed: bool,
        label: str,
    ) -> None:
        """account.payment on the named journals, linked to the sale, processed manually."""
        pool = self._pool()
        Payment = pool.get("account.payment")
        Journal = pool.get("account.payment.journal")
        Group = pool.get("account.payment.group")
        names = sorted({p.journal for p in payments})
        journals = {j.name: j for j in Journal.search([("name", "in", names)])}
        unknown = [n for n in names if n not in journals]
        if unknown:
            raise RecordError(
                f"{label}: payment journal(s) {', '.join(map(repr, unknown))} do not exist "
                "in Tryton (Accounting › Payments › Journals)"
            )
        party = record.invoice_party or record.party
        created = Payment.create(
            [
                {
                    "company": record.company.id,
                    "journal": journals[p.journal].id,
                    "kind": "receivable" if p.amount >= 0 else "payable",
                    "party": party.id,
                    "amount": abs(p.amount),
                    "date": p.date,
                    "reference": p.reference or None,
                    "origin": str(record),
                }
                for p in payments
            ]
        )
        Payment.submit(created)
        for journal_name in names:
            batch = [p for p in created if p.journal.name == journal_name]
            journal = journals[journal_name]

            def new_group(journal: Any = journal, batch: list[Any] = batch) -> Any:
                (group,) = Group.create(
                    [
                        {
                            "company": record.company.id,
                            "journal": journal.id,
                            "kind": batch[0].kind,
                        }
                    ]
                )
                return group

            Payment.process(batch, new_group)
        if succeed:
            Payment.succeed(created)
