"""Field checks as PrestaShop 8 makes them before any Webservice write.

``classes/Validate.php`` (PrestaShop/PrestaShop, 8.x) gives each rule; the
resources of :mod:`.schema` name them per field, as each class's
``$definition`` does (``classes/Customer.php``, ``classes/Product.php``,
``classes/Combination.php``, ``classes/Address.php``). ``isCustomerName`` is
``src/Core/ConstraintValidator/CustomerNameValidator.php``: no digits, none
of ``!<>,;?=+()/\\@#"°*`{}_^$%:¤[]|``, a dot only before a space or at the
end. ``isEmail`` is Egulias' RFC validation with Swift Mailer's: one ``@``,
a dot-atom of ASCII before it, a domain of dotted labels after.

``ObjectModel::validateFields`` (``classes/ObjectModel.php``) goes through
the fields in order and stops at the first fault: required and empty
("Property Customer->email is empty."), longer than its ``size``, then its
``validate`` rule ("Property Customer->email is not valid"). The Webservice
answers 400 with code 85, or 84 for a multilingual field
(``validateFieldsLang``), ``WebserviceRequest::saveEntityFromXml``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .engine import ApiError
from .schema import Resource

__all__ = ["FORMATS", "PRICES", "validate_fields"]


def _pattern(regex: str, flags: int = 0) -> Callable[[str], bool]:
    compiled = re.compile(regex, flags)
    return lambda value: compiled.fullmatch(value) is not None


def _no(chars: str) -> Callable[[str], bool]:
    return lambda value: not any(c in chars for c in value)


_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
_is_email = _pattern(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})*")
_CUSTOMER_NAME_FORBIDDEN = set('0123456789!<>,;?=+()/\\@#"°*`{}_^$%:¤[]|')


def _is_customer_name(value: str) -> bool:
    if not value.strip() or any(c in _CUSTOMER_NAME_FORBIDDEN for c in value):
        return False
    return all(
        i + 1 == len(value) or value[i + 1].isspace() for i, c in enumerate(value) if c in ".。"
    )


def _is_float(value: str, unsigned: bool = False) -> bool:
    try:
        number = float(value)
    except ValueError:
        return False
    return not (unsigned and number < 0)


FORMATS: dict[str, Callable[[str], bool]] = {
    "isUnsignedId": str.isdigit,
    "isUnsignedInt": str.isdigit,
    "isInt": _pattern(r"-?[0-9]+"),
    "isBool": lambda value: value in ("0", "1"),
    "isPrice": _pattern(r"[0-9]{1,10}(\.[0-9]{1,9})?"),
    "isNegativePrice": _pattern(r"-?[0-9]{1,10}(\.[0-9]{1,9})?"),
    "isFloat": _is_float,
    "isUnsignedFloat": lambda value: _is_float(value, unsigned=True),
    "isReductionType": lambda value: value in ("amount", "percentage"),
    "isDateFormat": _pattern(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}( [0-9]{2}:[0-9]{2}:[0-9]{2})?"),
    "isCleanHtml": lambda value: (
        re.search(
            r"<\s*script|\son\w+\s*=|script:|<\s*(i?frame|"
            r"form|input|embed|object)",
            value,
            re.I,
        )
        is None
    ),
    "isEmail": _is_email,
    "isCustomerName": _is_customer_name,
    "isName": _no('0123456789!<>,;?=+()@#"°{}_$%:¤|'),
    "isGenericName": _no("<>={}"),
    "isCatalogName": _no("<>;=#{}"),
    "isReference": _no("<>;={}"),
    "isAddress": _no("!<>?=+@{}_$%"),
    "isCityName": _no('!<>;?=+@#"°{}_$%'),
    "isEan13": _pattern(r"[0-9]{0,13}"),
    "isLinkRewrite": _pattern(r"[_a-zA-Z0-9-]+"),
    "isPostCode": _pattern(r"[a-zA-Z 0-9-]+"),
    "isPhoneNumber": _pattern(r"[+0-9. ()/-]*"),
    "isProductVisibility": lambda value: value in ("both", "catalog", "search", "none"),
}
PRICES = frozenset({"isPrice", "isNegativePrice"})


def _empty(value: Any) -> bool:
    if isinstance(value, dict):
        return not any(str(v).strip() for v in value.values())
    return str(value if value is not None else "").strip() == ""


def _fault(resource: Resource, name: str, value: str) -> str | None:
    size = resource.sizes.get(name)
    if size is not None and len(value) > size:
        return f"The {name} field is too long ({size} chars max)."
    check = resource.formats.get(name)
    if check is not None and value and not FORMATS[check](value):
        return "is not valid"
    return None


def validate_fields(resource: Resource, record: dict[str, Any]) -> None:
    """The first fault of ``record`` as PrestaShop answers it; prices stored as the
    database gives them back (``decimal(20,6)``)."""
    node = resource.node.replace("_", " ").title().replace(" ", "")
    for name in resource.fields:
        value = record.get(name)
        lang = name in resource.lang
        code = 84 if lang else 85
        if name in resource.required and _empty(value):
            raise ApiError(400, code, f'Validation error: "Property {node}->{name} is empty."')
        values = value.values() if isinstance(value, dict) else [value]
        for one in values:
            fault = _fault(resource, name, "" if one is None else str(one))
            if fault is not None:
                text = fault if fault.startswith("The ") else f"Property {node}->{name} {fault}"
                raise ApiError(400, code, f'Validation error: "{text}"')
        if not lang and value and resource.formats.get(name) in PRICES:
            record[name] = f"{Decimal(str(value)):.6f}"
