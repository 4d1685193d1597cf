"""Issue 16, PrestaShop customers: the newsletter and offers the profile chooses for a
new account, and the back-office group as the account's groups, read back raw.

The connector writes (:class:`PrestaShopShop`); what the shop keeps is read through
``GET /api/customers/{id}`` (``tests.conformance.readback.prestashop``), not through
the connector. The customers and their groups are the demo's
(``passerelle.demo_data``: C0003 is a "Professionnels" customer).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from passerelle.connectors.base import CustomerWrite, GroupWrite, NewAccountOptions
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.prestashop import PrestaShopShop
from passerelle.demo_data import CUSTOMER_PRICE_LISTS, CUSTOMERS, DemoCustomer
from passerelle.model import Customer, CustomerGroup
from passerelle.sandbox.prestashop import DEMO_KEY
from passerelle.sandbox.prestashop.platform import PrestaShopPlatform, start
from tests.conformance.readback.prestashop import read_customer_account

GROUPED = next(c for c in CUSTOMERS if c.code in CUSTOMER_PRICE_LISTS)
PLAIN = next(c for c in CUSTOMERS if c.code not in CUSTOMER_PRICE_LISTS)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[PrestaShopPlatform, PrestaShopShop]]:
    platform = start(tmp_path)
    shop = PrestaShopShop(
        platform.url, DEMO_KEY, options=HttpOptions(verify=platform.sandbox.ca_bundle)
    )
    try:
        yield platform, shop
    finally:
        shop.close()
        platform.stop()


def _email(demo: DemoCustomer) -> str:
    """The demo customer's e-mail on a new account (the seeded shop has its orders'
    buyers, with the demo's e-mails, already)."""
    return demo.email.replace("@", ".issue16@")


def _customer(demo: DemoCustomer, group: str = "") -> Customer:
    return Customer(
        source_id=demo.code,
        name=f"{demo.first_name} {demo.last_name}",
        email=_email(demo),
        first_name=demo.first_name,
        last_name=demo.last_name,
        company=demo.company,
        code=demo.code,
        group=group,
    )


def _write(shop: PrestaShopShop, *writes: CustomerWrite) -> list[str]:
    outcomes = shop.write_customers(list(writes))
    assert all(o.ok for o in outcomes), outcomes
    return [str(o.shop_id) for o in outcomes]


@pytest.mark.parametrize(("newsletter", "opt_in"), [(True, False), (False, True)])
def test_a_new_account_gets_the_newsletter_and_offers_the_profile_chooses(
    world: tuple[PrestaShopPlatform, PrestaShopShop], newsletter: bool, opt_in: bool
) -> None:
    platform, shop = world
    options = NewAccountOptions(newsletter=newsletter, opt_in=opt_in)
    _write(shop, CustomerWrite(PLAIN.code, _customer(PLAIN), new_account=options))
    shown = read_customer_account(platform, _email(PLAIN))
    assert (shown["newsletter"], shown["opt_in"]) == (newsletter, opt_in)
    # Customer::add dates a subscription itself; no subscription, no date.
    assert bool(shown["newsletter_date"]) is newsletter


def test_an_update_keeps_the_subscriptions_the_customer_chose_in_the_shop(
    world: tuple[PrestaShopPlatform, PrestaShopShop],
) -> None:
    platform, shop = world
    options = NewAccountOptions(newsletter=True, opt_in=True)
    (shop_id,) = _write(shop, CustomerWrite(PLAIN.code, _customer(PLAIN), new_account=options))
    before = read_customer_account(platform, _email(PLAIN))
    renamed = replace(_customer(PLAIN), last_name=f"{PLAIN.last_name}-Durand")
    _write(shop, CustomerWrite(PLAIN.code, renamed, shop_id=shop_id))
    after = read_customer_account(platform, _email(PLAIN))
    assert (after["newsletter"], after["opt_in"], after["newsletter_date"]) == (
        True,
        True,
        before["newsletter_date"],
    )


def test_the_back_office_group_is_the_default_group_and_the_only_one(
    world: tuple[PrestaShopPlatform, PrestaShopShop],
) -> None:
    platform, shop = world
    group = CUSTOMER_PRICE_LISTS[GROUPED.code]
    assert all(
        o.ok for o in shop.write_customer_groups([GroupWrite(group, CustomerGroup(group, group))])
    )
    (shop_id,) = _write(shop, CustomerWrite(GROUPED.code, _customer(GROUPED, group)))
    shown = read_customer_account(platform, _email(GROUPED))
    assert (shown["group"], shown["groups"]) == (group, (group,))
    # Out of the price list in the back-office: back to the shop's default group,
    # whose prices are the catalogue's.
    _write(
        shop,
        CustomerWrite(
            GROUPED.code, _customer(GROUPED), shop_id=shop_id, fields=frozenset({"group"})
        ),
    )
    shown = read_customer_account(platform, _email(GROUPED))
    assert (shown["group"], shown["groups"]) == ("Client", ("Client",))


def test_a_customer_without_group_is_a_client_of_the_shop(
    world: tuple[PrestaShopPlatform, PrestaShopShop],
) -> None:
    platform, shop = world
    _write(shop, CustomerWrite(PLAIN.code, _customer(PLAIN)))
    shown = read_customer_account(platform, _email(PLAIN))
    assert (shown["group"], shown["groups"]) == ("Client", ("Client",))
