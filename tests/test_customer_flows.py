"""K1–K8, C21, C22 and the `fields` / `bookmarks` commands, on an in-memory back-office
and a small fake shop (the integration tests run the same flows on Tryton + the sandbox)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from typer.testing import CliRunner

import passerelle.cli.catalogue as catalogue_cli
import passerelle.flows.import_products as import_products
import passerelle.flows.import_prospects as import_prospects
from passerelle.cli.main import app
from passerelle.connectors.base import CustomerWrite, GroupWrite, WriteOutcome
from passerelle.connectors.errors import NotFoundError, RecordError
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.flows.customer_mapping import customer_hash, update_groups, written_fields
from passerelle.flows.export_customers import FLOW as EXPORT
from passerelle.flows.export_customers import settings_hash
from passerelle.flows.import_products import TaxLookup, html_to_text
from passerelle.flows.references import check_references, reference_problem
from passerelle.model import (
    Address,
    Category,
    Contact,
    Customer,
    CustomerGroup,
    FieldInfo,
    Item,
    ItemWrite,
    Order,
    ShopCustomer,
    ShopProduct,
    Tax,
)
from passerelle.profiles import Profile, ProfileRepository
from passerelle.profiles.catalogue_options import CustomerOptions
from passerelle.runner import Runner, RunSummary
from passerelle.store import Store
from tests.test_profiles import VALID

LONG_AGO = datetime(2024, 1, 1, tzinfo=UTC)

# --------------------------------------------------------------------------- fakes


@dataclass
class BackOffice(MemoryBackOffice):
    """The memory back-office, with what these flows need beyond it."""

    asked_since: list[datetime | None] = field(default_factory=list)
    item_writes: list[ItemWrite] = field(default_factory=list)

    def list_customers(self, modified_since: datetime | None = None) -> list[Customer]:
        self.asked_since.append(modified_since)
        return [
            c
            for c in self.customers.values()
            if modified_since is None or (c.modified_at or LONG_AGO) > modified_since
        ]

    def touch(self, code: str, **changes: Any) -> None:
        """A back-office edit: the customer changes and its modification date moves."""
        self.customers[code] = replace(
            self.customers[code], modified_at=datetime.now(UTC), **changes
        )

    def missing_references(self, kind: str, names: Iterable[str]) -> set[str]:
        if kind == "customer_category":
            return set(names) - {"Prospects"}
        return super().missing_references(kind, names)

    def item_fields(self) -> list[FieldInfo]:
        return [
            FieldInfo("code", "char", "Code"),
            FieldInfo("attr:colour", "char", "Colour", custom=True),
        ]

    def upsert_item(self, write: ItemWrite) -> Item:
        if write.code == "BOOM":
            raise RecordError("item BOOM: the back-office refused it")
        self.item_writes.append(write)
        old = next((i for i in self.items.values() if i.code == write.code), None)
        source_id = old.source_id if old else str(len(self.items) + 100)
        self.items[source_id] = Item(
            source_id, write.code, write.name, write.sale_price or Decimal(0)
        )
        return self.items[source_id]


@dataclass
class FakeShop:
    """Customer accounts, groups, products and prospects, with a log of writes."""

    accounts: dict[str, CustomerWrite] = field(default_factory=dict)  # shop id → last write
    emails: dict[str, str] = field(default_factory=dict)  # e-mail → shop id
    group_ids: dict[str, str] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    customer_writes: list[CustomerWrite] = field(default_factory=list)
    group_writes: list[GroupWrite] = field(default_factory=list)
    shop_customers: list[ShopCustomer] = field(default_factory=list)
    products: list[ShopProduct] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # e-mails the shop answers with an error
    open_orders: list[Order] = field(default_factory=list)  # orders holding stock

    def on_retry(self, listener: object) -> None:
        pass

    def close(self) -> None:
        pass

    def find_customers_by_email(self, emails: Iterable[str]) -> dict[str, str]:
        self.calls.append("find_customers_by_email")
        return {e.lower(): self.emails[e.lower()] for e in emails if e.lower() in self.emails}

    def write_customers(self, writes: Sequence[CustomerWrite]) -> list[WriteOutcome]:
        self.calls.append("write_customers")
        outcomes = []
        for write in writes:
            self.customer_writes.append(write)
            if write.customer.email in self.refuse:
                outcomes.append(WriteOutcome(write.key, error="refused"))
                continue
            shop_id = write.shop_id or str(len(self.accounts) + 1)
            self.accounts[shop_id] = write
            self.emails.setdefault(write.customer.email.lower(), shop_id)
            outcomes.append(WriteOutcome(write.key, shop_id, created=write.shop_id is None))
        return outcomes

    def write_customer_groups(self, writes: Sequence[GroupWrite]) -> list[WriteOutcome]:
        self.calls.append("write_customer_groups")
        self.group_writes.extend(writes)
        return [WriteOutcome(w.key, w.group.name, created=w.shop_id is None) for w in writes]

    def iter_customers(self, *, created_after: datetime | None = None) -> Iterator[ShopCustomer]:
        return iter(
            [
                c
                for c in self.shop_customers
                if created_after is None or (c.created_at and c.created_at >= created_after)
            ]
        )

    def iter_products(self) -> Iterator[ShopProduct]:
        return iter(self.products)

    def iter_open_orders(self) -> Iterator[Order]:
        return iter(self.open_orders)

    def iter_orders(self, **_filters: object) -> Iterator[Order]:
        return iter(self.open_orders)

    def get_order(self, order_id: str) -> Order:
        raise NotFoundError(f"order {order_id} is not in this fake shop", record_id=order_id)

    identity = "fake.example"
    holds_reservations = False


def _customer(code: str, email: str = "", **values: Any) -> Customer:
    values.setdefault("modified_at", LONG_AGO)
    return Customer(
        source_id=code.lower(),
        code=code,
        name=f"Customer {code}",
        email=email,
        first_name="Ann",
        last_name=code,
        **values,
    )


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with Store.open_data_dir(tmp_path) as store:
        yield World(tmp_path, store, BackOffice(), FakeShop())


@dataclass
class World:
    path: Path
    store: Store
    backoffice: BackOffice
    shop: FakeShop

    def profile(self, **sections: Any) -> Profile:
        return ProfileRepository(self.path).validate(dict(VALID, **sections))

    def run(self, flow: str, profile: Profile | None = None) -> RunSummary:
        runner = Runner(self.path, store=self.store, console=Console(quiet=True))
        return runner.run(
            profile or self.profile(), flow, backoffice=self.backoffice, shop=self.shop
        )  # type: ignore[arg-type]

    def journal(self, summary: RunSummary) -> list[str]:
        return [line.text for line in self.store.journal(summary.run_id)]


# ---------------------------------------------------------------------- C22 rule

_ALLOWED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_./"
valid_codes = st.text(alphabet=_ALLOWED, min_size=1, max_size=30)
forbidden = st.sampled_from(list(" \t\n,åäö&%¤#€é;:'\"*+?!@()[]{}<>=|\\~^`$ß"))


@given(valid_codes)
def test_a_valid_reference_always_passes(code: str) -> None:
    assert reference_problem(code) is None
    assert check_references([("k", code)]) == ([("k", code)], [])


@given(valid_codes, forbidden, st.integers(min_value=0))
def test_any_forbidden_character_fails(code: str, char: str, where: int) -> None:
    at = where % (len(code) + 1)
    bad = code[:at] + char + code[at:]
    problem = reference_problem(bad)
    assert problem is not None and repr(bad) in problem
    assert "use only letters A-Z, digits and - _ . /" in problem
    valid, rejected = check_references([("k", bad)])
    assert valid == [] and [r.key for r in rejected] == ["k"]


@given(st.lists(valid_codes, min_size=1, max_size=8), st.data())
def test_every_copy_of_a_duplicate_is_rejected_and_the_rest_kept(
    codes: list[str], data: st.DataObject
) -> None:
    copied = data.draw(st.sampled_from(codes))
    twin = data.draw(st.sampled_from([copied, copied.upper(), copied.lower()]))
    pairs = [(i, c) for i, c in enumerate(codes)] + [(len(codes), twin)]
    valid, rejected = check_references(pairs)
    folded = [c.casefold() for _, c in pairs]
    assert [k for k, _ in valid] == [k for k, c in pairs if folded.count(c.casefold()) == 1]
    assert {r.key for r in rejected} == {k for k, c in pairs if folded.count(c.casefold()) > 1}
    assert all("none of them is sent" in r.reason for r in rejected)


def test_reference_messages_name_the_character() -> None:
    assert reference_problem("") == "has no reference"
    assert "a space" in (reference_problem("AB 12") or "")
    assert "a comma" in (reference_problem("AB,12") or "")
    assert "'€' (euro sign)" in (reference_problem("PRIX€") or "")


# --------------------------------------------------------------- export-customers


def test_groups_go_first_then_customers_with_code_group_and_contacts(world: World) -> None:
    world.backoffice.groups = [CustomerGroup("1", "Pros"), CustomerGroup("2", "VIP", True)]
    world.backoffice.customers["C1"] = _customer(
        "C1",
        "c1@example.org",
        group="Pros",
        company="Acme",
        contacts=(Contact("Bob Stone", "bob@example.org", "0102"), Contact("No Mail", "")),
    )
    world.backoffice.customers["C2"] = _customer("C2", "")  # no e-mail
    world.backoffice.customers["C3"] = _customer("C3", "c3@example.org", active=False)
    summary = world.run(EXPORT)
    assert summary.status == "succeeded"
    assert world.shop.calls[0] == "write_customer_groups"
    assert [w.group.name for w in world.shop.group_writes] == ["Pros", "VIP"]
    assert summary.counts["created"] == 2 + 2  # two groups, C1 and Bob's account
    writes = {w.key: w for w in world.shop.customer_writes}
    assert set(writes) == {"c1", "c1#contact:bob@example.org"}
    bob = writes["c1#contact:bob@example.org"].customer
    assert (bob.email, bob.first_name, bob.last_name, bob.code, bob.group, bob.phone) == (
        "bob@example.org",
        "Bob",
        "Stone",
        "C1",
        "Pros",
        "0102",
    )
    assert bob.company == "Acme"
    assert all(w.fields is None for w in writes.values())  # creation writes everything
    journal = world.journal(summary)
    assert any("C2: no valid e-mail address: not sent" in t for t in journal)
    assert any("C3: dormant in the back-office and not in the shop" in t for t in journal)
    assert any("C1 contact No Mail: no valid e-mail" in t for t in journal)
    assert summary.counts["skipped"] == 3


def test_groups_are_not_sent_when_the_profile_says_so(world: World) -> None:
    world.backoffice.groups = [CustomerGroup("1", "Pros")]
    world.run(EXPORT, world.profile(customers={"groups": False}))
    assert world.shop.group_writes == []


def test_only_changed_customers_are_read_and_sent(world: World) -> None:
    world.backoffice.groups = [CustomerGroup("1", "Pros")]
    for n in range(5):
        world.backoffice.customers[f"C{n}"] = _customer(f"C{n}", f"c{n}@example.org")
    assert world.run(EXPORT).counts["created"] == 6
    assert world.backoffice.asked_since == [None]
    world.shop.customer_writes.clear()
    world.shop.calls.clear()
    second = world.run(EXPORT)
    assert second.counts["created"] == second.counts["updated"] == 0
    assert world.shop.calls == []  # not one request
    since = world.backoffice.asked_since[-1]
    assert since is not None and since > LONG_AGO
    world.backoffice.touch("C3", last_name="Changed")
    third = world.run(EXPORT)
    assert third.counts["updated"] == 1
    assert [w.key for w in world.shop.customer_writes] == ["c3"]
    assert world.shop.customer_writes[0].customer.last_name == "Changed"


def test_a_settings_change_compares_every_customer_again(world: World) -> None:
    world.backoffice.customers["C1"] = _customer("C1", "c1@example.org", notes="call first")
    world.run(EXPORT)
    keep_notes = world.profile(customers={"update_policy": {"email": "keep", "notes": "keep"}})
    assert settings_hash(keep_notes, world.store) != settings_hash(world.profile(), world.store)
    world.backoffice.asked_since.clear()
    world.run(EXPORT, keep_notes)
    assert world.backoffice.asked_since == [None]
    # A new-account option only matters to creations: not a reason to read everything.
    newsletter = world.profile(
        customers={
            "update_policy": {"email": "keep", "notes": "keep"},
            "new_accounts": {"newsletter": True},
        }
    )
    assert settings_hash(newsletter, world.store) == settings_hash(keep_notes, world.store)


def test_a_kept_field_changing_sends_nothing(world: World) -> None:
    world.backoffice.customers["C1"] = _customer("C1", "c1@example.org")
    world.run(EXPORT)
    world.shop.customer_writes.clear()
    world.backoffice.touch("C1", email="new.login@example.org")  # e-mail: "keep" by default
    summary = world.run(EXPORT)
    assert summary.counts["updated"] == 0 and world.shop.customer_writes == []
    world.backoffice.touch("C1", first_name="Anna")
    assert world.run(EXPORT).counts["updated"] == 1
    (write,) = world.shop.customer_writes
    # The K5 groups whose policy is "overwrite" (code and state are always written).
    assert write.fields == frozenset({"names", "group", "addresses", "notes", "b2b"})


def test_overwrite_policy_writes_the_email(world: World) -> None:
    overwrite = world.profile(
        customers={"update_policy": {"email": "overwrite", "addresses": "keep"}}
    )
    world.backoffice.customers["C1"] = _customer("C1", "c1@example.org")
    world.run(EXPORT, overwrite)
    world.backoffice.touch("C1", email="c1.new@example.org")
    world.shop.customer_writes.clear()
    assert world.run(EXPORT, overwrite).counts["updated"] == 1
    (write,) = world.shop.customer_writes
    assert write.fields is not None
    assert "email" in write.fields and "addresses" not in write.fields
    assert write.customer.email == "c1.new@example.org"


def test_the_hash_covers_what_an_update_writes_only() -> None:
    fields = update_groups(CustomerOptions())
    assert fields == frozenset({"names", "group", "addresses", "notes", "b2b"})
    assert {"code", "active", "first_name", "credit_limit"} <= written_fields(fields)
    assert "email" not in written_fields(fields)
    base = _customer(
        "C1", "a@example.org", addresses=(Address(city="Lyon", email="a@example.org"),)
    )
    for change in (
        {"email": "b@example.org"},
        {"addresses": (Address(city="Lyon", email="b@example.org"),)},
        {"receivable_account": "411X"},
        {"category": "Retail"},
        {"modified_at": datetime.now(UTC)},
        {"contacts": (Contact("X", "x@example.org"),)},
    ):
        assert customer_hash(replace(base, **change), fields) == customer_hash(base, fields)
    for change in (
        {"name": "Other"},
        {"code": "C2"},
        {"active": False},
        {"notes": "n"},
        {"credit_limit": Decimal("100.00")},
        {"group": "VIP"},
        {"addresses": (Address(city="Dijon"),)},
    ):
        assert customer_hash(replace(base, **change), fields) != customer_hash(base, fields)


def test_a_dormant_customer_in_the_shop_is_disabled_there(world: World) -> None:
    world.backoffice.customers["C1"] = _customer(
        "C1", "c1@example.org", contacts=(Contact("Bob Stone", "bob@example.org"),)
    )
    world.run(EXPORT)
    world.shop.customer_writes.clear()
    world.backoffice.touch("C1", active=False)
    summary = world.run(EXPORT)
    assert summary.counts["updated"] == 2  # the account and its contact's
    assert {w.key: w.customer.active for w in world.shop.customer_writes} == {
        "c1": False,
        "c1#contact:bob@example.org": False,
    }
    assert all(w.fields is not None for w in world.shop.customer_writes)
    assert world.run(EXPORT).counts["updated"] == 0
    world.backoffice.touch("C1", active=True)  # back in business: enabled again
    world.shop.customer_writes.clear()
    assert world.run(EXPORT).counts["updated"] == 2
    assert all(w.customer.active for w in world.shop.customer_writes)


def test_without_disable_a_dormant_customer_is_left_alone(world: World) -> None:
    profile = world.profile(customers={"disable_inactive": False})
    world.backoffice.customers["C1"] = _customer("C1", "c1@example.org")
    world.run(EXPORT, profile)
    world.backoffice.touch("C1", active=False)
    world.shop.customer_writes.clear()
    summary = world.run(EXPORT, profile)
    assert world.shop.customer_writes == [] and summary.counts["skipped"] == 1


def test_new_account_options_go_with_creations(world: World) -> None:
    profile = world.profile(
        customers={
            "new_accounts": {"newsletter": True, "welcome_email": True, "generate_password": False}
        }
    )
    world.backoffice.customers["C1"] = _customer("C1", "c1@example.org")
    world.run(EXPORT, profile)
    (write,) = world.shop.customer_writes
    assert (
        write.new_account.newsletter,
        write.new_account.welcome_email,
        write.new_account.generate_password,
        write.new_account.opt_in,
    ) == (True, True, False, False)


def test_existing_shop_accounts_are_adopted_by_email_and_never_shared(world: World) -> None:
    world.shop.emails["shared@example.org"] = "77"
    world.backoffice.customers["C1"] = _customer("C1", "Shared@example.org")
    summary = world.run(EXPORT)
    assert summary.counts["updated"] == 1 and summary.counts["created"] == 0
    (write,) = world.shop.customer_writes
    assert (write.key, write.shop_id) == ("c1", "77")
    assert any(
        "C1: e-mail already has a shop account (id 77): updated" in t
        for t in world.journal(summary)
    )
    world.backoffice.customers["C2"] = _customer(
        "C2", "shared@example.org", modified_at=datetime.now(UTC)
    )
    second = world.run(EXPORT)
    assert second.counts["skipped"] == 1 and len(world.shop.customer_writes) == 1
    assert any(
        "C2: e-mail shared@example.org already belongs to back-office customer c1 "
        "(shop account 77); merge the two customers or change one e-mail" in t
        for t in world.journal(second)
    )


def test_two_new_accounts_with_one_email_send_only_the_first(world: World) -> None:
    world.backoffice.customers["C1"] = _customer(
        "C1", "c1@example.org", contacts=(Contact("Twin", "c2@example.org"),)
    )
    world.backoffice.customers["C2"] = _customer("C2", "c2@example.org")
    summary = world.run(EXPORT)
    assert [w.key for w in world.shop.customer_writes] == ["c1", "c1#contact:c2@example.org"]
    assert any(
        "C2: e-mail c2@example.org is also the e-mail of C1 contact Twin" in t
        for t in world.journal(summary)
    )


def test_a_refused_customer_keeps_the_bookmark_so_it_is_read_again(world: World) -> None:
    world.backoffice.customers["C1"] = _customer("C1", "c1@example.org")
    world.shop.refuse.add("c1@example.org")
    assert world.run(EXPORT).counts["failed"] == 1
    assert world.store.get_bookmark(world.profile().name, EXPORT) is None
    world.shop.refuse.clear()
    assert world.run(EXPORT).counts["created"] == 1
    assert world.store.get_bookmark(world.profile().name, EXPORT) is not None


# ---------------------------------------------------------------- import-prospects

PROSPECTS = import_prospects.FLOW


def _shop_customer(shop_id: str, email: str, **values: Any) -> ShopCustomer:
    values.setdefault("created_at", datetime(2025, 3, 1, tzinfo=UTC))
    return ShopCustomer(shop_id=shop_id, email=email, **values)


def test_prospects_need_a_date(world: World) -> None:
    summary = world.run(PROSPECTS)
    assert summary.status == "failed"
    assert "customers.prospects_since" in (summary.error or "")
    assert world.backoffice.customers == {}


def test_prospects_become_customers_once(world: World) -> None:
    profile = world.profile(
        customers={"prospects_since": "2025-01-01", "prospect_category": "Prospects"}
    )
    world.backoffice.customers["C9"] = _customer("C9", "known@example.org")
    world.shop.shop_customers = [
        _shop_customer(
            "42",
            "new@example.org",
            first_name="Zoé",
            last_name="Lune",
            address=Address(street="1 rue", city="Lyon", postal_code="69001", country_code="FR"),
        ),
        _shop_customer("43", "buyer@example.org", has_orders=True),
        _shop_customer("44", "Known@example.org"),
        _shop_customer("45", "old@example.org", created_at=datetime(2024, 6, 1, tzinfo=UTC)),
        _shop_customer("46", ""),
    ]
    summary = world.run(PROSPECTS, profile)
    assert summary.status == "succeeded" and summary.counts["created"] == 1
    created = world.backoffice.customers["WEB000042"]  # orders.account_length = 9
    assert (created.email, created.name, created.category, created.addresses[0].city) == (
        "new@example.org",
        "Zoé Lune",
        "Prospects",
        "Lyon",
    )
    assert set(world.backoffice.customers) == {"C9", "WEB000042"}
    journal = world.journal(summary)
    assert any("same e-mail as back-office customer C9: linked" in t for t in journal)
    assert any("shop customer 46" in t and "no valid e-mail" in t for t in journal)
    again = world.run(PROSPECTS, profile)
    assert again.counts["created"] == 0 and again.counts["unchanged"] == 2


def test_an_unknown_prospect_category_is_refused_before_anything(world: World) -> None:
    profile = world.profile(
        customers={"prospects_since": "2025-01-01", "prospect_category": "Nope"}
    )
    world.shop.shop_customers = [_shop_customer("42", "new@example.org")]
    summary = world.run(PROSPECTS, profile)
    assert summary.status == "failed" and "'Nope' does not exist" in (summary.error or "")
    assert world.backoffice.customers == {}


def test_accounts_sent_by_the_customer_export_are_not_prospects(world: World) -> None:
    world.backoffice.customers["C1"] = _customer("C1", "c1@example.org")
    world.run(EXPORT)
    (shop_id,) = world.shop.accounts
    world.shop.shop_customers = [_shop_customer(shop_id, "c1@example.org")]
    profile = world.profile(customers={"prospects_since": date(2025, 1, 1).isoformat()})
    summary = world.run(PROSPECTS, profile)
    assert summary.counts["created"] == 0 and summary.counts["skipped"] == 1


# ------------------------------------------------------------------ import-products

PRODUCTS = import_products.FLOW


def _product(shop_id: str, sku: str, name: str = "", **values: Any) -> ShopProduct:
    values.setdefault("regular_price", Decimal("10.00"))
    return ShopProduct(shop_id=shop_id, sku=sku, name=name or f"Product {sku}", **values)


def _catalogue(**reverse: Any) -> dict[str, Any]:
    return {
        "tax_classes": {"TVA 20": "", "TVA 5.5": "reduced-rate", "TVA 5.5 bis": "reduced-rate"},
        "reverse": reverse,
    }


def test_shop_products_become_items_and_bad_references_are_reported(world: World) -> None:
    world.backoffice.taxes = [
        Tax("1", "TVA 20", Decimal("0.2")),
        Tax("2", "TVA 5.5", Decimal("0.055")),
    ]
    world.backoffice.categories = [Category("1", "Pans")]
    world.backoffice.items["1"] = Item("1", "OLD-1", "Old", Decimal(5))
    world.backoffice.items["2"] = Item("2", "MIX-1", "Mixed", Decimal(5))
    world.shop.products = [
        _product(
            "10",
            "NEW-1",
            "Pan",
            description="<p>Big &amp; <b>deep</b></p><p>Steel</p>",
            category_names=("Other", "Pans"),
            weight=Decimal("1.5"),
            barcode="123",
        ),
        _product("11", "OLD-1", "Old renamed", tax_class="reduced-rate"),
        _product("12", "", "No reference"),
        _product("13", "BAD REF", "Spaced"),
        _product("14", "DUP-1"),
        _product("15", "dup-1"),
        _product("16", "mix-1"),
        _product("20", "TEE", "T-shirt"),
        ShopProduct("20/21", "TEE-RED", "", Decimal("10.00"), parent_sku="TEE"),
        _product("20/22", "TEE-BLUE", "T-shirt - Blue", parent_sku="TEE"),
    ]
    profile = world.profile(catalogue=_catalogue(category="Pans", default_tax="TVA 20"))
    summary = world.run(PRODUCTS, profile)
    assert summary.status == "succeeded"
    assert (summary.counts["created"], summary.counts["updated"]) == (3, 1)
    writes = {w.code: w for w in world.backoffice.item_writes}
    assert set(writes) == {"NEW-1", "OLD-1", "TEE-RED", "TEE-BLUE"}
    new = writes["NEW-1"]
    assert (new.name, new.description, new.category, new.tax, new.weight, new.barcode) == (
        "Pan",
        "Big & deep\n\nSteel",
        "Pans",
        "TVA 20",
        Decimal("1.5"),
        "123",
    )
    # Two taxes share the shop class: the class does not say which; an existing
    # item keeps its tax.
    assert writes["OLD-1"].tax is None and writes["OLD-1"].category is None
    assert writes["TEE-RED"].name == "T-shirt"  # a variation without a name of its own
    journal = world.journal(summary)
    assert any("shop product 12 'No reference': has no SKU" in t for t in journal)
    assert any(
        "shop product 13 'Spaced': reference 'BAD REF' contains a space" in t for t in journal
    )
    assert sum("none of them is sent" in t for t in journal) == 2
    assert any("'mix-1' differs only by case from back-office item 'MIX-1'" in t for t in journal)
    world.backoffice.item_writes.clear()
    again = world.run(PRODUCTS, profile)
    assert world.backoffice.item_writes == [] and again.counts["unchanged"] == 4
    world.shop.products[0] = replace(world.shop.products[0], regular_price=Decimal("12.00"))
    assert world.run(PRODUCTS, profile).counts["updated"] == 1
    assert [w.code for w in world.backoffice.item_writes] == ["NEW-1"]


def test_existing_items_are_left_alone_when_updates_are_off(world: World) -> None:
    world.backoffice.items["1"] = Item("1", "OLD-1", "Old", Decimal(5))
    world.shop.products = [_product("11", "OLD-1", "Old renamed"), _product("12", "BOOM")]
    summary = world.run(PRODUCTS, world.profile(catalogue=_catalogue(update_existing=False)))
    assert world.backoffice.item_writes == []
    assert summary.counts["failed"] == 1  # the back-office refused BOOM; the run went on
    assert any("BOOM: the back-office refused it" in t for t in world.journal(summary))


def test_an_unknown_default_tax_is_refused_before_anything(world: World) -> None:
    world.shop.products = [_product("10", "NEW-1")]
    summary = world.run(
        PRODUCTS, world.profile(catalogue=_catalogue(default_tax="Nope", category="Nope"))
    )
    assert summary.status == "failed"
    assert "default_tax: tax 'Nope'" in (summary.error or "")
    assert "category: category 'Nope'" in (summary.error or "")
    assert world.backoffice.item_writes == []


def test_tax_lookup_and_html() -> None:
    taxes = TaxLookup({"A": "", "B": "reduced", "C": "reduced"}, default_tax="C")
    assert taxes.tax("standard", new=False) == "A" and taxes.tax("", new=True) == "A"
    assert taxes.tax("reduced", new=False) == "C"
    assert taxes.tax("zero", new=False) is None and taxes.tax("zero", new=True) == "C"
    assert html_to_text("<ul><li>one</li><li>two</li></ul>") == "- one\n- two"
    assert html_to_text("plain &amp; simple") == "plain & simple"


# ------------------------------------------------------------------ CLI commands


def _saved_profile(world: World) -> Profile:
    profile = world.profile()
    ProfileRepository(world.path).save(profile)
    return profile


def test_fields_lists_standard_and_custom_fields(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _saved_profile(world)
    monkeypatch.setattr(catalogue_cli, "build_backoffice", lambda *_: world.backoffice)
    result = CliRunner().invoke(app, ["fields", "--data-dir", str(world.path)])
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.output.splitlines()]
    assert ["code", "char", "Code"] in rows
    assert ["attr:colour", "char", "Colour", "yes"] in rows


def test_bookmarks_show_set_and_clear(world: World) -> None:
    profile = _saved_profile(world)
    cli = CliRunner()
    data = ["--data-dir", str(world.path)]
    empty = cli.invoke(app, ["bookmarks", *data])
    assert empty.exit_code == 0 and "no bookmark" in empty.output
    world.backoffice.customers["C1"] = _customer("C1", "c1@example.org")
    world.run(EXPORT, profile)
    world.store.set_bookmark(profile.name, "import-orders", "2025-02-01T10:00:00+00:00")
    shown = cli.invoke(app, ["bookmarks", *data])
    assert shown.exit_code == 0, shown.output
    lines = {line.split()[0]: line for line in shown.output.splitlines()[1:]}
    assert lines[EXPORT].rstrip().endswith("yes")
    assert "2025-02-01" in lines["import-orders"]

    moved = cli.invoke(app, ["bookmarks", "set", EXPORT, "2025-03-01T12:00", *data])
    assert moved.exit_code == 0, moved.output
    stored = json.loads(world.store.get_bookmark(profile.name, EXPORT).value)  # type: ignore[union-attr]
    assert datetime.fromisoformat(stored["at"]) == datetime(2025, 3, 1, 12).astimezone()
    assert stored["settings"] == settings_hash(profile, world.store)  # so it applies
    world.backoffice.asked_since.clear()
    world.run(EXPORT, profile)
    assert world.backoffice.asked_since == [
        datetime(2025, 3, 1, 12).astimezone() - timedelta(minutes=5)
    ]
    plain = cli.invoke(app, ["bookmarks", "set", "import-orders", "2025-01-15", *data])
    assert plain.exit_code == 0
    value = world.store.get_bookmark(profile.name, "import-orders").value  # type: ignore[union-attr]
    assert datetime.fromisoformat(value) == datetime(2025, 1, 15).astimezone()

    future = cli.invoke(app, ["bookmarks", "set", EXPORT, "2999-01-01", *data])
    assert future.exit_code == 1 and "in the future" in future.output
    unknown = cli.invoke(app, ["bookmarks", "set", "nope", "2025-01-01", *data])
    assert unknown.exit_code == 1 and "unknown flow 'nope'" in unknown.output
    bad = cli.invoke(app, ["bookmarks", "set", EXPORT, "yesterday", *data])
    assert bad.exit_code == 1 and "not a date" in bad.output

    changed = profile.model_copy(deep=True)
    changed.customers.contacts = False
    ProfileRepository(world.path).save(changed)
    stale = cli.invoke(app, ["bookmarks", *data])
    assert "no: settings changed since" in stale.output


def test_bookmarks_clear(world: World) -> None:
    profile = _saved_profile(world)
    world.store.set_bookmark(profile.name, "import-orders", "2025-02-01T10:00:00+00:00")
    data = ["--data-dir", str(world.path)]
    cleared = CliRunner().invoke(app, ["bookmarks", "clear", "import-orders", *data])
    assert cleared.exit_code == 0, cleared.output
    assert world.store.get_bookmark(profile.name, "import-orders") is None
    again = CliRunner().invoke(app, ["bookmarks", "clear", "import-orders", *data])
    assert again.exit_code == 1 and "has no bookmark" in again.output


def test_every_customer_option_and_policy_group_is_documented() -> None:
    from passerelle.flows.customer_mapping import POLICY_FIELDS
    from passerelle.profiles.catalogue_options import NewAccountSettings

    doc = (Path(__file__).parent.parent / "docs" / "customers.md").read_text()
    names = [*CustomerOptions.model_fields, *NewAccountSettings.model_fields, *POLICY_FIELDS]
    assert [name for name in names if f"`{name}`" not in doc] == []
