"""Validation of customer fields and metafields, as the Admin reference states it.

- metafields (input-objects/MetafieldsSetInput, MetafieldInput; enums/
  MetafieldsSetUserErrorCode): a namespace is 3–255 characters, a key 2–64, both of
  letters, digits, ``-`` and ``_``; a namespace with ``--`` is reserved
  (``shopify--…`` for Shopify's standard definitions, ``app--<id>--…`` for the app that
  owns it: https://shopify.dev/changelog/posts/reserved-prefix-protection-for-metafields-and-metaobjects)
  and another app writing there is refused (``APP_NOT_AUTHORIZED``); without a
  definition the ``type`` is required; the value must be of its type
  (``single_line_text_field`` holds no line break, ``number_decimal`` a decimal, ``json``
  valid JSON: apps/build/custom-data/metafields/list-of-data-types; the message is
  unverified);
- customers (mutations/customerCreate, customerUpdate: ``UserError`` carries a field and
  a message, no code): an e-mail must look like one ("Email is invalid") and belong to no
  other customer ("Email has already been taken"); a phone is in E.164 form ("+33…",
  "Phone is invalid") and unique too.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["OWN_APP_NAMESPACE", "customer_errors", "metafield_errors"]

OWN_APP_NAMESPACE = "app--1"  # the sandbox's app id is 1
_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+[1-9][0-9]{6,14}$")


def _err(field: list[Any], message: str, code: str | None) -> dict[str, Any]:
    return {"field": [str(f) for f in field], "message": message, "code": code}


def _value_error(kind: str, value: str) -> str | None:
    if kind == "single_line_text_field" and ("\n" in value or "\r" in value):
        return "Value must be a single line of text."
    if kind == "json":
        try:
            json.loads(value)
        except ValueError:
            return "Value must be valid JSON."
    if kind == "number_decimal":
        try:
            Decimal(value)
        except InvalidOperation:
            return "Value must be a decimal."
    return None


def metafield_errors(m: dict[str, Any], path: list[Any]) -> list[dict[str, Any]]:
    namespace, key = m.get("namespace") or "$app", str(m.get("key") or "")
    errors = []
    if namespace != "$app":
        if not 3 <= len(namespace) <= 255 or not _NAME.match(namespace):
            errors.append(
                _err(
                    [*path, "namespace"],
                    "Namespace must be 3 to 255 letters, digits, hyphens or underscores.",
                    "INVALID",
                )
            )
        elif (
            "--" in namespace
            and not namespace.startswith(OWN_APP_NAMESPACE + "--")
            and namespace != OWN_APP_NAMESPACE
        ):
            errors.append(
                _err(
                    [*path, "namespace"],
                    "Access to this namespace and key on "
                    "Metafields for this resource type is not allowed.",
                    "APP_NOT_AUTHORIZED",
                )
            )
    if not 2 <= len(key) <= 64 or not _NAME.match(key):
        errors.append(
            _err(
                [*path, "key"],
                "Key must be 2 to 64 letters, digits, hyphens or underscores.",
                "INVALID",
            )
        )
    if not m.get("type"):
        errors.append(_err([*path, "type"], "Type can't be blank", "INVALID_TYPE"))
    else:
        problem = _value_error(str(m["type"]), str(m.get("value") or ""))
        if problem:
            errors.append(_err([*path, "value"], problem, "INVALID_VALUE"))
    return errors


def customer_errors(
    customers: dict[str, Any], own_id: int | None, data: dict[str, Any]
) -> list[dict[str, Any]]:
    errors = []
    email = (data.get("email") or "").strip().lower()
    if email and not _EMAIL.match(email):
        errors.append(_err(["email"], "Email is invalid", None))
    elif email and any(
        (c.get("email") or "").lower() == email and c["id"] != own_id for c in customers.values()
    ):
        errors.append(_err(["email"], "Email has already been taken", None))
    phone = data.get("phone")
    if phone and not _PHONE.match(phone):
        errors.append(_err(["phone"], "Phone is invalid", None))
    elif phone and any(c.get("phone") == phone and c["id"] != own_id for c in customers.values()):
        errors.append(_err(["phone"], "Phone has already been taken", None))
    for index, m in enumerate(data.get("metafields") or []):
        errors += [dict(e, code=None) for e in metafield_errors(m, ["metafields", index])]
    return errors
