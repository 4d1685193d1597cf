"""Customer addresses as ``POST``/``PUT /V1/customers`` save them.

Docs: ``customer-data-address-interface`` (admin-schema-2.4.9.yaml): ``street`` a
list of lines, ``default_billing``/``default_shipping`` booleans. Magento's source
(magento/magento2) for what it refuses, each refusal a ``"%fieldName" is required.
Enter and try again.`` (several gathered in one ``InputException``:
``errors.input_errors``):

- ``Customer/Model/Address/Validator/General.php``: ``firstname``, ``lastname``,
  ``street`` (its first line), ``city`` always; ``telephone`` when its address
  attribute is required (a fresh store's setting, "Show Telephone: Required");
  ``fax`` and ``company`` optional in a fresh store; ``postcode`` unless the country
  is one of ``general/country/optional_zip_countries``;
- ``Customer/Model/Address/Validator/Country.php``: ``countryId`` required, and one
  of the store's allowed countries (``general/country/allow``) else ``Invalid value
  of "%value" provided for the %fieldName field.``; a fresh store allows the
  countries of ``Directory/etc/config.xml``; the region check (states required for
  some countries) is not modelled;
- 2.4.7 and later refuse a ``default_billing``/``default_shipping`` that is not a
  boolean (the string ``"true"``): ``The %fieldName value is invalid. Set the correct
  value and try again.`` (magento/magento2#38878).

Reading back (``AbstractAddress::getDataModel``): the customer holds the default
billing and shipping address ids as strings; an address says ``true`` when it is
that default and carries no flag otherwise. The last address flagged wins, as the
repository sets the customer's default from each in turn.
"""

from __future__ import annotations

from typing import Any

from .errors import MagentoError, input_errors

__all__ = ["check_address", "defaults"]

# ``Directory/etc/config.xml`` of a fresh store.
OPTIONAL_ZIP_COUNTRIES = frozenset({"HK", "IE", "MO", "PA", "GB"})
ALLOWED_COUNTRIES = frozenset(
    "AF AL DZ AS AD AO AI AQ AG AR AM AW AU AT AX AZ BS BH BD BB BY BE BZ BJ BM BL BT BO "
    "BA BW BV BR IO VG BN BG BF BI KH CM CA CD CV KY CF TD CL CN CX CC CO KM CG CK CR HR "
    "CU CY CZ DK DJ DM DO EC EG SV GQ ER EE ET FK FO FJ FI FR GF PF TF GA GM GE DE GG GH "
    "GI GR GL GD GP GU GT GN GW GY HT HM HN HK HU IS IM IN ID IR IQ IE IL IT CI JE JM JP "
    "JO KZ KE KI KW KG LA LV LB LS LR LY LI LT LU ME MF MO MK MG MW MY MV ML MT MH MQ MR "
    "MU YT FX MX FM MD MC MN MS MA MZ MM NA NR NP NL AN NC NZ NI NE NG NU NF KP MP NO OM "
    "PK PW PA PG PY PE PH PN PL PS PT PR QA RE RO RS RU RW SH KN LC PM VC WS SM ST SA SN "
    "SC SL SG SK SI SB SO ZA GS KR ES LK SD SR SJ SZ SE CH SY TL TW TJ TZ TH TG TK TO TT "
    "TN TR TM TC TV VI UG UA AE GB US UM UY UZ VU VA VE VN WF EH YE ZM ZW".split()
)
_REQUIRED = '"%fieldName" is required. Enter and try again.'


def _empty(value: Any) -> bool:
    return value is None or not str(value).strip()


def _required(field: str) -> MagentoError:
    return MagentoError(400, _REQUIRED, {"fieldName": field})


def check_address(address: dict[str, Any]) -> None:
    """Refuse an address as the validators do: General's errors, then Country's."""
    for flag in ("default_billing", "default_shipping"):
        if flag in address and not isinstance(address[flag], bool | None):
            raise MagentoError(
                400,
                "The %fieldName value is invalid. Set the correct value and try again.",
                {"fieldName": flag},
            )
    street = address.get("street")
    first_line = street[0] if isinstance(street, list) and street else None
    errors = [
        _required(field)
        for field, value in (
            ("firstname", address.get("firstname")),
            ("lastname", address.get("lastname")),
            ("street", first_line),
            ("city", address.get("city")),
            ("telephone", address.get("telephone")),
        )
        if _empty(value)
    ]
    country = address.get("country_id")
    if country not in OPTIONAL_ZIP_COUNTRIES and _empty(address.get("postcode")):
        errors.append(_required("postcode"))
    if _empty(country):
        errors.append(_required("countryId"))
    elif country not in ALLOWED_COUNTRIES:
        errors.append(
            MagentoError(
                400,
                'Invalid value of "%value" provided for the %fieldName field.',
                {"fieldName": "countryId", "value": country},
            )
        )
    if errors:
        raise input_errors(errors)


def defaults(customer: dict[str, Any], addresses: list[dict[str, Any]]) -> None:
    """The customer's default billing and shipping ids from the flags sent, then each
    address flagged only when it is that default."""
    for flag in ("default_billing", "default_shipping"):
        for address in addresses:
            if address.get(flag):
                customer[flag] = str(address["id"])
        for address in addresses:
            address.pop(flag, None)
            if customer.get(flag) == str(address["id"]):
                address[flag] = True
