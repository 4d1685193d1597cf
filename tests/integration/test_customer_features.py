"""K1–K8 from the Tryton demo database into the WooCommerce sandbox, field by field.

Each test runs the flow, compares the shop's accounts with what Tryton holds
(read here through trytond itself, not through the connector under test),
then changes one back-office value and checks that exactly the affected
accounts are sent again, counting the sandbox's requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from trytond.pool import Pool
from trytond.transaction import Transaction

from passerelle.connectors.tryton.database import session
from passerelle.demo_data import (
    CUSTOMER_CONTACTS,
    CUSTOMER_PRICE_LISTS,
    CUSTOMERS,
    INACTIVE_CUSTOMER,
    PRICE_LISTS,
)
from passerelle.flows.customer_mapping import valid_email
from passerelle.flows.export_customers import FLOW as EXPORT
from passerelle.flows.export_customers import GROUP_KIND
from passerelle.flows.import_prospects import FLOW as PROSPECTS
from passerelle.profiles import Profile
from passerelle.store import JournalLevel
from tests.integration.conftest import World
from tests.integration.test_flow_rules import api

BATCH = ("POST", "/wp-json/wc/v3/customers/batch")


@dataclass(frozen=True)
class PartyView:
    code: str
    name: str
    active: bool
    email: str
    contacts: tuple[tuple[str, str], ...]  # (name, e-mail) of the other e-mail mechanisms
    group: str
    city: str
    postal_code: str
    category: str


def read_parties(world: World) -> dict[str, PartyView]:
    """Every party with a code, inactive ones included, as Tryton holds it."""
    with session(world.target, readonly=True), Transaction().set_context(active_test=False):
        views = {}
        for party in Pool().get("party.party").search([("code", "!=", None)]):
            emails = [m for m in party.contact_mechanisms if m.type == "email" and m.value]
            address = next((a for a in party.addresses if a.active), None)
            price_list = getattr(party, "sale_price_list", None)
            views[party.code] = PartyView(
                code=party.code,
                name=party.name,
                active=party.active,
                email=emails[0].value if emails else "",
                contacts=tuple((m.name or "", m.value) for m in emails[1:]),
                group=price_list.name if price_list else "",
                city=address.city or "" if address else "",
                postal_code=address.postal_code or "" if address else "",
                category=party.categories[0].name if party.categories else "",
            )
        return views


def edit_party(world: World, code: str, **values: Any) -> None:
    """A back-office edit: ``email`` / ``city`` change the contact mechanism / address."""
    with session(world.target), Transaction().set_context(active_test=False):
        pool = Pool()
        (party,) = pool.get("party.party").search([("code", "=", code)])
        if "email" in values:
            mechanism = next(m for m in party.contact_mechanisms if m.type == "email")
            mechanism.value = values.pop("email")
            mechanism.save()
        if "city" in values:
            address = party.addresses[0]
            address.city = values.pop("city")
            address.save()
        for name, value in values.items():
            setattr(party, name, value)
        party.save()


def accounts(world: World) -> dict[str, dict[str, Any]]:
    """The shop's accounts by e-mail (lower case)."""
    return {c["email"].lower(): c for c in world.sandbox.data.customers.values()}


def meta(account: dict[str, Any]) -> dict[str, Any]:
    return {m["key"]: m["value"] for m in account["meta_data"]}


def run_counted(
    world: World, profile: Profile | None = None, flow: str = EXPORT
) -> tuple[dict[str, int], list[tuple[str, str]]]:
    world.sandbox.reset_requests()
    summary = world.run(flow, profile)
    assert summary.status == "succeeded", summary.error
    return summary.counts, list(world.sandbox.requests)


def test_groups_customers_and_contacts_land_field_by_field(world: World) -> None:
    """K1 (groups first, contacts, skips), K8 (account code)."""
    summary = world.run(EXPORT)
    assert summary.status == "succeeded", summary.error
    # Created: the groups and C0002's contacts (the demo customers' own accounts were
    # seeded in the shop: adopted). Skipped: C0009 (no e-mail) and C0011 (dormant).
    assert summary.counts["created"] == len(PRICE_LISTS) + len(CUSTOMER_CONTACTS["C0002"])
    assert summary.counts["skipped"] == 2
    parties = read_parties(world)
    shop = accounts(world)
    sent = 0
    demo_codes = {c.code for c in CUSTOMERS} | {INACTIVE_CUSTOMER.code}
    for party in (p for code, p in parties.items() if code in demo_codes):
        if not party.active:
            assert party.email.lower() not in shop, party.code
            continue
        if not valid_email(party.email):
            continue
        account = shop[party.email.lower()]
        data = meta(account)
        assert data["passerelle_account_code"] == party.code
        assert data["passerelle_customer_group"] == party.group
        # WooCommerce core cannot disable an account: no such flag is written.
        assert not any("disabled" in key for key in data), data
        assert f"{account['first_name']} {account['last_name']}".strip() == party.name
        assert account["billing"]["city"] == party.city, party.code
        assert account["billing"]["postcode"] == party.postal_code, party.code
        sent += 1
        for name, email in party.contacts:
            contact = shop[email.lower()]
            assert meta(contact)["passerelle_account_code"] == party.code
            assert meta(contact)["passerelle_customer_group"] == party.group
            assert contact["first_name"] == name.split()[0]
            assert contact["billing"]["city"] == party.city
            sent += 1
    assert sent >= 10
    # The demo's groups and contacts are there (not a vacuous loop).
    for code, group in CUSTOMER_PRICE_LISTS.items():
        assert meta(shop[parties[code].email.lower()])["passerelle_customer_group"] == group
    for code, contacts in CUSTOMER_CONTACTS.items():
        for _name, email in contacts:
            assert meta(shop[email])["passerelle_account_code"] == code
    groups = world.store.bindings(world.profile.name, GROUP_KIND)
    assert sorted(b.remote_id for b in groups.values()) == sorted(p.name for p in PRICE_LISTS)
    journal = [line.text for line in world.store.journal(summary.run_id)]
    assert any("C0009" in t and "no valid e-mail" in t for t in journal)
    assert any(
        "C0011" in t and "dormant in the back-office and not in the shop" in t for t in journal
    )
    assert "ines.fontaine@example.org" not in shop  # C0011, dormant, never sent
    # Emails stay unique: the seeded accounts were adopted, not duplicated.
    emails = [c["email"].lower() for c in world.sandbox.data.customers.values()]
    assert len(emails) == len(set(emails))


def test_only_changed_customers_are_sent_again(world: World) -> None:
    """K2: nothing changed → not one request; one address changed → that account only."""
    world.run(EXPORT)
    counts, requests = run_counted(world)
    assert counts["created"] == counts["updated"] == 0
    assert requests == []
    edit_party(world, "C0005", city="Besançon")
    counts, requests = run_counted(world)
    assert counts["updated"] == 1 and counts["created"] == 0
    assert requests == [BATCH]
    party = read_parties(world)["C0005"]
    assert accounts(world)[party.email.lower()]["billing"]["city"] == "Besançon"
    # A contact's account follows its customer: C0002's address reaches its two contacts.
    edit_party(world, "C0002", city="Chalon-sur-Saône")
    counts, requests = run_counted(world)
    assert counts["updated"] == 1 + len(CUSTOMER_CONTACTS["C0002"])
    assert requests == [BATCH]
    for _name, email in CUSTOMER_CONTACTS["C0002"]:
        assert accounts(world)[email]["billing"]["city"] == "Chalon-sur-Saône"


def test_a_group_change_is_sent(world: World) -> None:
    """K1/K2: moving a customer to another price list changes its shop group."""
    world.run(EXPORT)
    with session(world.target):
        pool = Pool()
        (party,) = pool.get("party.party").search([("code", "=", "C0005")])
        (price_list,) = pool.get("product.price_list").search([("name", "=", "Revendeurs")])
        party.sale_price_list = price_list
        party.save()
    counts, requests = run_counted(world)
    assert counts["updated"] == 1 and requests == [BATCH]
    party_view = read_parties(world)["C0005"]
    assert (
        meta(accounts(world)[party_view.email.lower()])["passerelle_customer_group"] == "Revendeurs"
    )


def _without_dates(account: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in account.items() if not k.startswith("date_modified")}


def test_a_dormant_customer_cannot_be_disabled_in_woocommerce(world: World) -> None:
    """K3 on WooCommerce: core has no disabled account, so the merchant is told it is
    not supported on this platform; nothing claims a disabled flag was written."""
    world.run(EXPORT)
    email = read_parties(world)["C0005"].email.lower()
    before = accounts(world)[email]
    edit_party(world, "C0005", active=False)
    world.sandbox.reset_requests()
    summary = world.run(EXPORT)
    assert summary.status == "succeeded", summary.error
    # The account is still sent (its other fields), counted as updated, with a warning.
    assert summary.counts["updated"] == 1 and world.sandbox.requests == [BATCH]
    journal = list(world.store.journal(summary.run_id))
    warned = [
        line
        for line in journal
        if line.record_key == "C0005" and line.level == JournalLevel.WARNING
    ]
    assert [line.text for line in warned] == [
        f"1/1 - C0005: account disabled in the back-office — disabling an account is not "
        f"supported on this platform (shop id {before['id']}; its other fields are sent)"
    ]
    assert not any("updated (shop id" in line.text for line in journal)
    # No disabled flag anywhere on the account: it reads as before, but for its dates.
    after = accounts(world)[email]
    assert _without_dates(after) == _without_dates(before)
    assert not any("disabled" in key or "active" in key for key in meta(after))
    counts, requests = run_counted(world)
    assert counts["updated"] == 0 and requests == []
    # Active again: an ordinary update, with nothing reported as unsupported.
    edit_party(world, "C0005", active=True)
    world.sandbox.reset_requests()
    summary = world.run(EXPORT)
    assert summary.counts["updated"] == 1 and world.sandbox.requests == [BATCH]
    texts = [line.text for line in world.store.journal(summary.run_id)]
    assert not any("not supported on this platform" in t for t in texts), texts
    assert _without_dates(accounts(world)[email]) == _without_dates(before)


def test_update_policy_keeps_the_email_and_hand_edits(world: World) -> None:
    """K5: a kept field changing in Tryton costs no request; overwrite/keep per group."""
    world.run(EXPORT)
    old_email = read_parties(world)["C0005"].email.lower()
    shop_id = accounts(world)[old_email]["id"]
    assert api(world, "PUT", f"customers/{shop_id}", {"first_name": "Main"}).status_code == 200
    edit_party(world, "C0005", email="nouvelle.adresse@example.org")
    counts, requests = run_counted(world)
    assert counts["updated"] == 0 and requests == []  # e-mail: "keep" by default
    assert world.sandbox.data.customers[shop_id]["email"].lower() == old_email

    policy = world.profile.model_copy(deep=True)
    policy.customers.update_policy = {"email": "overwrite", "names": "keep"}
    counts, requests = run_counted(world, policy)
    # Another policy: every account is compared again, and rewritten with the new field set.
    assert requests == [BATCH]
    account = world.sandbox.data.customers[shop_id]
    assert account["email"] == "nouvelle.adresse@example.org"
    assert account["first_name"] == "Main"  # names: kept as edited in the shop
    assert meta(account)["passerelle_account_code"] == "C0005"  # always written

    edit_party(world, "C0005", name="Camille Nouveau")
    counts, requests = run_counted(world)  # default policy again: names overwritten
    assert requests == [BATCH]
    assert (
        world.sandbox.data.customers[shop_id]["first_name"],
        world.sandbox.data.customers[shop_id]["last_name"],
    ) == ("Camille", "Nouveau")


def test_new_accounts_options_and_account_code(world: World) -> None:
    """K6 on creation only, K8 on every account."""
    options = world.profile.model_copy(deep=True)
    options.customers.new_accounts.newsletter = True
    options.customers.new_accounts.opt_in = True
    options.customers.new_accounts.generate_password = False
    counts, _requests = run_counted(world, options)
    created = [
        c for c in world.sandbox.data.customers.values() if "passerelle_newsletter" in meta(c)
    ]
    # Created: the groups (no request: WooCommerce shows them on accounts) and the accounts.
    assert len(created) == counts["created"] - len(PRICE_LISTS)
    assert len(created) >= len(CUSTOMER_CONTACTS["C0002"])
    for account in created:
        assert meta(account)["passerelle_newsletter"] == "yes"
        assert meta(account)["passerelle_opt_in"] == "yes"
        assert account["_password_generated"] is False
    parties = read_parties(world)
    codes = {p.email.lower(): p.code for p in parties.values() if p.email}
    for email, account in accounts(world).items():
        if email in codes:
            assert meta(account)["passerelle_account_code"] == codes[email]


def test_prospects_become_back_office_customers_once(world: World) -> None:
    """K4: shop accounts without orders since a date; known e-mails are linked, not copied."""
    refused = world.run(PROSPECTS)
    assert refused.status == "failed" and "customers.prospects_since" in (refused.error or "")
    for n, email in enumerate(("prospect.un@example.org", "prospect.deux@example.org")):
        created = api(
            world,
            "POST",
            "customers",
            {
                "email": email,
                "first_name": ["Léa", "Hugo"][n],
                "last_name": "Prospect",
                "billing": {
                    "first_name": ["Léa", "Hugo"][n],
                    "last_name": "Prospect",
                    "address_1": f"{n + 1} rue du Port",
                    "city": "Nantes",
                    "postcode": "44000",
                    "country": "FR",
                    "phone": "0240000000",
                },
            },
        )
        assert created.status_code == 201, created.text
    before = read_parties(world)
    profile = world.profile.model_copy(deep=True)
    profile.customers.prospects_since = (datetime.now(UTC) - timedelta(days=365)).date()
    profile.customers.prospect_category = "Clients web"
    counts, requests = run_counted(world, profile, PROSPECTS)
    assert all(method == "GET" for method, _ in requests)  # the shop is only read
    assert counts["created"] == 2
    after = read_parties(world)
    new = {code: p for code, p in after.items() if code not in before}
    shop = accounts(world)
    assert {p.email for p in new.values()} == {
        "prospect.un@example.org",
        "prospect.deux@example.org",
    }
    for code, party in new.items():
        shop_id = str(shop[party.email]["id"])
        assert code == "WEB" + shop_id.zfill(6)  # orders.account_length = 9
        assert party.category == "Clients web"
        assert (party.city, party.postal_code) == ("Nantes", "44000")
        assert party.name.endswith("Prospect")
    # The demo's registered customers without orders share e-mails with Tryton parties:
    # linked, never duplicated.
    emails = [p.email.lower() for p in after.values() if p.email]
    assert len(emails) == len(set(emails))
    again, _ = run_counted(world, profile, PROSPECTS)
    assert again["created"] == 0 and len(read_parties(world)) == len(after)
