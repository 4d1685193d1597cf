"""Issue 16, Magento: a customer's addresses reach the store and read back as sent.

Written through the connector, read back raw with ``GET /V1/customers/{customerId}``
(``tests/conformance/readback/magento``): each address's street lines, city,
postcode, country and telephone, the first one the default billing and shipping
address (the customer's ``default_billing``/``default_shipping`` ids, the address's
own flags). The sandbox refuses an address missing what Magento requires, in
Magento's words (``passerelle/sandbox/magento/addresses.py``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from passerelle.connectors.base import CustomerWrite
from passerelle.connectors.magento.connector import MagentoShop
from passerelle.model import Address, Customer
from passerelle.sandbox.magento.errors import MagentoError
from passerelle.sandbox.magento.platform import MagentoPlatform
from tests import test_magento_shop
from tests.conformance.readback import magento as readback

world = test_magento_shop.world  # the connector on a fresh sandbox

HOME = Address(
    first_name="Louise",
    last_name="Martin",
    company="Atelier Martin",
    street="12 rue des Arts",
    street2="Bâtiment B",
    postal_code="59000",
    city="Lille",
    country_code="FR",
    phone="06 11 22 33 44",
)
DEPOT = Address(
    first_name="Paul",
    last_name="Martin",
    street="3 quai du Port",
    postal_code="13002",
    city="Marseille",
    country_code="FR",
)
CUSTOMER = Customer(
    source_id="k7",
    name="Louise Martin",
    first_name="Louise",
    last_name="Martin",
    email="louise.martin@example.org",
    code="C0107",
    phone="03 20 11 22 33",
    # An address with a name and nothing else is no address: it is not sent.
    addresses=(HOME, DEPOT, Address(first_name="Louise", last_name="Martin")),
)


def _fields(address: dict[str, Any]) -> tuple[object, ...]:
    return (
        address.get("firstname"),
        address.get("lastname"),
        address.get("street"),
        address.get("city"),
        address.get("postcode"),
        address.get("country_id"),
        address.get("telephone"),
        address.get("default_billing"),
        address.get("default_shipping"),
    )


def test_a_customer_s_addresses_read_back_with_the_first_as_default(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    platform, shop = world
    outcome = shop.write_customers([CustomerWrite("k7", CUSTOMER)])[0]
    assert outcome.ok, outcome.error
    record = readback.customer_record(platform, str(outcome.shop_id))
    addresses = record["addresses"]
    assert [_fields(a) for a in addresses] == [
        ("Louise", "Martin", ["12 rue des Arts", "Bâtiment B"], "Lille", "59000", "FR",
         "06 11 22 33 44", True, True),
        # No phone of its own: the account's (Magento keeps phones on addresses only).
        ("Paul", "Martin", ["3 quai du Port"], "Marseille", "13002", "FR",
         "03 20 11 22 33", None, None),
    ]  # fmt: skip
    assert addresses[0]["company"] == "Atelier Martin"
    assert record["default_billing"] == record["default_shipping"] == str(addresses[0]["id"])


def test_an_update_of_the_addresses_replaces_them_and_moves_the_default(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    platform, shop = world
    made = shop.write_customers([CustomerWrite("k7", CUSTOMER)])[0]
    moved = replace(CUSTOMER, addresses=(DEPOT,))
    outcome = shop.write_customers(
        [CustomerWrite("k7", moved, made.shop_id, fields=frozenset({"addresses"}))]
    )[0]
    assert outcome.ok, outcome.error
    record = readback.customer_record(platform, str(made.shop_id))
    assert [_fields(a) for a in record["addresses"]] == [
        ("Paul", "Martin", ["3 quai du Port"], "Marseille", "13002", "FR",
         "03 20 11 22 33", True, True),
    ]  # fmt: skip
    assert record["default_billing"] == str(record["addresses"][0]["id"])


def test_an_address_magento_would_refuse_is_that_customer_s_error_in_magento_s_words(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    platform, shop = world
    no_postcode = replace(CUSTOMER, addresses=(replace(HOME, postal_code=""),))
    outcome = shop.write_customers([CustomerWrite("k7", no_postcode)])[0]
    assert not outcome.ok
    assert '"postcode" is required. Enter and try again.' in str(outcome.error)
    # Nothing was saved: the account is not half made.
    with pytest.raises(LookupError):
        readback.read_customer(platform, CUSTOMER.email)


def test_several_refusals_of_an_address_are_all_said(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    _, shop = world
    wrong = replace(CUSTOMER, addresses=(replace(HOME, postal_code="", country_code="ZZ"),))
    error = str(shop.write_customers([CustomerWrite("k7", wrong)])[0].error)
    # Magento's headline says nothing; its errors list says what is wrong.
    assert '"postcode" is required. Enter and try again.' in error
    assert 'Invalid value of "ZZ" provided for the countryId field.' in error


def _post(
    platform: MagentoPlatform, address: dict[str, Any], email: str = "anne.sud@example.org"
) -> MagentoError:
    with pytest.raises(MagentoError) as refused:
        platform.sandbox.call(
            "POST",
            "customers",
            {
                "customer": {
                    "email": email,
                    "firstname": "Anne",
                    "lastname": "Sud",
                    "addresses": [address],
                }
            },
        )
    return refused.value


_FULL = {
    "firstname": "Anne",
    "lastname": "Sud",
    "street": ["1 rue Basse"],
    "city": "Nice",
    "postcode": "06000",
    "country_id": "FR",
    "telephone": "0493000000",
}


@pytest.mark.parametrize("field", ["firstname", "lastname", "street", "city", "telephone"])
def test_the_sandbox_refuses_an_address_missing_a_required_field(
    world: tuple[MagentoPlatform, MagentoShop], field: str
) -> None:
    platform, _ = world
    error = _post(platform, {**_FULL, field: [""] if field == "street" else ""})
    assert (error.status, error.body()) == (
        400,
        {
            "message": '"%fieldName" is required. Enter and try again.',
            "parameters": [{"fieldName": field}],
        },
    )


def test_the_sandbox_gathers_several_refusals_as_magento_does(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    platform, _ = world
    address = {k: v for k, v in _FULL.items() if k not in ("city", "postcode", "country_id")}
    error = _post(platform, address)
    assert (error.status, error.body()) == (
        400,
        {
            "message": "One or more input exceptions have occurred.",
            "errors": [
                {
                    "message": '"%fieldName" is required. Enter and try again.',
                    "parameters": [{"fieldName": name}],
                }
                for name in ("city", "postcode", "countryId")
            ],
        },
    )


def test_the_sandbox_takes_no_postcode_where_the_country_needs_none_and_refuses_a_country(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    platform, _ = world
    irish = {**_FULL, "country_id": "IE", "postcode": "", "city": "Dublin"}
    made = platform.sandbox.call(
        "POST",
        "customers",
        {
            "customer": {
                "email": "anne.sud@example.org",
                "firstname": "Anne",
                "lastname": "Sud",
                "addresses": [irish],
            }
        },
    )
    assert made["addresses"][0]["country_id"] == "IE"
    error = _post(platform, {**_FULL, "country_id": "ZZ"}, "marc.sud@example.org")
    assert error.body() == {
        "message": 'Invalid value of "%value" provided for the %fieldName field.',
        "parameters": [{"fieldName": "countryId", "value": "ZZ"}],
    }


def test_the_sandbox_refuses_a_default_flag_sent_as_a_string(
    world: tuple[MagentoPlatform, MagentoShop],
) -> None:
    platform, _ = world
    error = _post(platform, {**_FULL, "default_billing": "true"})
    assert error.body() == {
        "message": "The %fieldName value is invalid. Set the correct value and try again.",
        "parameters": [{"fieldName": "default_billing"}],
    }
