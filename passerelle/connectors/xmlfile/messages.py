"""libxml2's schema messages rewritten in the words of the orders format.

Why: libxml2 says ``Element '{https://passerelle.dev/ns/orders/1}subtotal':
'1,5' is not a valid value of the atomic type '{…}money'``. A merchant needs
``<subtotal>: '1,5' is not a number: write digits with a dot…``. The rules
below recognise the handful of message shapes libxml2 produces for this
schema; anything else keeps libxml2's text, namespaces removed, so nothing
is ever hidden.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

from passerelle.i18n.messages import M_, Message, Text

from .schema import NAMESPACE, schema_text

__all__ = ["explain", "namespace_hint"]

_NUMBER = M_(
    "is not a number: write digits with a dot for decimals, with no thousands "
    "separator, exponent or currency sign (like 1234.50)"
)
_UNSIGNED = M_(
    "is not a positive number: write digits with a dot for decimals, with no sign, "
    "thousands separator or exponent (like 12.50)"
)

# What each simple type of orders.xsd expects, said once per type.
_HINTS: dict[str, Message] = {
    "money": _NUMBER,
    "quantity": _NUMBER,
    "unsignedMoney": _UNSIGNED,
    "unsignedQuantity": _UNSIGNED,
    "percent": M_(
        "is not a positive number: write digits with a dot for decimals, with no sign, "
        "thousands separator or exponent (like 12.50) — a percentage: 20 for 20 %"
    ),
    "dateTimeWithZone": M_(
        "is not a date and time in ISO 8601 with its zone "
        "(like 2024-05-01T14:30:00+02:00 or 2024-05-01T12:30:00Z)"
    ),
    "currency": M_("is not an ISO 4217 currency code in capitals (like EUR)"),
    "country": M_("is not an ISO 3166 country code in two capitals (like FR)"),
    "orderStatus": M_(
        "is not a status passerelle knows: use one of pending, processing, on-hold, "
        "completed, cancelled, refunded, failed, draft, other, and keep the shop's "
        'own word in the shop attribute (<status shop="shipped">completed</status>)'
    ),
    "identifier": M_("is not an identifier: it must be present and contain no spaces"),
    "sourceName": M_(
        "is not a source name: one word, no spaces and no '#', at most 200 characters"
    ),
    "xs:boolean": M_("is not true or false"),
    "xs:decimal": _NUMBER,
    "xs:dateTime": M_("is not an ISO 8601 date and time (like 2024-05-01T14:30:00+02:00)"),
}

_NS = re.compile(r"\{[^}]*\}")
_ELEMENT = re.compile(r"^Element '([^']+)'(?:, attribute '([^']+)')?: (.*)$", re.S)
_ATOMIC = re.compile(r"^'(.*)' is not a valid value of the atomic type '([^']+)'\.$", re.S)
_PATTERN = re.compile(
    r"^\[facet 'pattern'\] The value '(.*)' is not accepted by the pattern "
    r"'(.*)'\.$",
    re.S,
)
_ENUM = re.compile(r"^\[facet 'enumeration'\] The value '(.*)' is not an element of the set", re.S)
_MISSING = re.compile(r"^Missing child element\(s\)\. Expected is (?:one of )?\( (.*) \)\.$", re.S)
_UNEXPECTED = re.compile(
    r"^This element is not expected\.(?: Expected is (?:one of )?"
    r"\( (.*) \)\.)?$",
    re.S,
)
_REQUIRED_ATTR = re.compile(r"^The attribute '([^']+)' is required but missing\.$")
_DUPLICATE = re.compile(
    r"^Duplicate key-sequence \['(.*)'\] in unique identity-constraint "
    r"'([^']+)'\.$",
    re.S,
)
_UNKNOWN_ATTR = re.compile(r"^The attribute '([^']+)' is not allowed\.$")
_FIXED = re.compile(r"^The value '(.*)' does not match the fixed value constraint '(.*)'\.$")


@lru_cache(maxsize=1)
def _type_of_pattern() -> dict[str, str]:
    """Pattern text → the first simple type declaring it (facet messages omit the type)."""
    xsd = etree.fromstring(schema_text())
    ns = {"xs": "http://www.w3.org/2001/XMLSchema"}
    out: dict[str, str] = {}
    for simple in xsd.iterfind("xs:simpleType", ns):
        for pattern in simple.iterfind("xs:restriction/xs:pattern", ns):
            out.setdefault(pattern.get("value", ""), simple.get("name", ""))
    return out


def _names(text: str) -> str:
    """``{ns}total, {ns}ship-to`` → ``<total>, <ship-to>``."""
    return ", ".join(f"<{_NS.sub('', part.strip())}>" for part in text.split(",") if part.strip())


def _hint(type_name: str) -> Message:
    name = _NS.sub("", type_name)
    return _HINTS.get(name) or M_("is not a valid %(type)s", type=name)


def explain(message: str) -> Text:
    """One libxml2 schema message in the format's words (namespaces never shown), kept
    to be said in the reader's language; a message no rule knows stays libxml2's words."""
    message = message.strip()
    match = _ELEMENT.match(message)
    if match is None:
        return _NS.sub("", message)
    element = f"<{_NS.sub('', match.group(1))}>"
    attribute = match.group(2)
    rest = match.group(3).strip()
    subject: Text = (
        M_("attribute %(attribute)s of %(element)s", attribute=attribute, element=element)
        if attribute
        else element
    )
    if found := _ATOMIC.match(rest):
        return _value(subject, found.group(1), _hint(found.group(2)))
    if found := _PATTERN.match(rest):
        type_name = _type_of_pattern().get(found.group(2), "")
        return _value(subject, found.group(1), _hint(type_name) if type_name else M_("is refused"))
    if found := _ENUM.match(rest):
        return _value(subject, found.group(1), _HINTS["orderStatus"])
    if found := _MISSING.match(rest):
        names = _names(found.group(1))
        if "," in names:
            return M_(
                "%(element)s is incomplete: expected one of %(names)s here",
                element=element,
                names=names,
            )
        return M_("%(element)s is incomplete: %(names)s is missing", element=element, names=names)
    if found := _UNEXPECTED.match(rest):
        if expected := found.group(1):
            return M_(
                "%(element)s is not expected at this place (expected here: %(names)s)",
                element=element,
                names=_names(expected),
            )
        return M_("%(element)s is not expected at this place", element=element)
    if found := _REQUIRED_ATTR.match(rest):
        return M_(
            "%(element)s lacks its required attribute %(attribute)s",
            element=element,
            attribute=found.group(1),
        )
    if found := _UNKNOWN_ATTR.match(rest):
        return M_(
            "%(element)s has an attribute the format does not know: %(attribute)s",
            element=element,
            attribute=found.group(1),
        )
    if found := _DUPLICATE.match(rest):
        if "uniqueOrderId" in found.group(2):
            return M_(
                "%(element)s: another order of the file has the id '%(id)s' (ids must be unique)",
                element=element,
                id=found.group(1),
            )
        return M_(
            "%(element)s: another line of this order has the id '%(id)s' (ids must be unique)",
            element=element,
            id=found.group(1),
        )
    if found := _FIXED.match(rest):
        return M_(
            "%(subject)s: '%(value)s' must be '%(expected)s'",
            subject=subject,
            value=found.group(1),
            expected=found.group(2),
        )
    return M_("%(what)s: %(problem)s", what=subject, problem=_NS.sub("", rest))


def _value(subject: Text, value: str, hint: Message) -> Message:
    """``<total>: 'ten' is not a number…``: the value as written, what it should be."""
    return M_("%(subject)s: '%(value)s' %(hint)s", subject=subject, value=value, hint=hint)


def namespace_hint() -> str:
    """What to write on the root element, for files missing the namespace."""
    return f'<orders xmlns="{NAMESPACE}" version="1" source="…">'
