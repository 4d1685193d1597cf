"""Contacts (Contacts API V4) and their labels, which stand for customer groups.

Sources (dev.wix.com/docs/api-reference/crm/members-contacts/contacts/contacts):
- "Create Contact" (``POST /contacts/v4/contacts``): ``info`` must hold a name, a phone or an
  email; "if the call contains an email already in use by another contact, the new contact
  won't be created" unless ``allowDuplicates`` (409 Already Exists, ``DUPLICATE_CONTACT_EXISTS``
  with the other contact's id [verify: the data's key, ``duplicateContactId``]).
- "Update Contact" (``PATCH /contacts/v4/contacts/{id}``) takes the current ``revision``;
  "Query Contacts" (``POST /contacts/v4/contacts/query``, filter ``info.emails.email``, offset
  paging, at most 1000 a page [verify]); ``primaryInfo.email`` is the first email.
- Labels ("Find Or Create Label", ``POST /contacts/v4/labels``; "Label Contact",
  ``POST /contacts/v4/contacts/{id}/labels``): custom keys ``custom.<name>``.
- Extended fields ("Find Or Create Extended Field", ``POST /contacts/v4/extended-fields``
  with ``displayName`` and ``dataType`` TEXT/NUMBER/DATE/URL; "The number of custom fields
  is limited to 100", 429 past it; "Extended Field Object": ``namespace`` ``custom``,
  ``key``, ``displayName``, ``dataType``, ``fieldType`` ``USER_DEFINED``): a contact holds
  their values in ``info.extendedFields.items`` by key [verify: the answer's ``field`` and
  ``newField`` names; a value for an unknown key refused with 400].
"""

from __future__ import annotations

from typing import Any

from .query import matches
from .state import Table
from .wire import WixError, invalid, not_found, offset_page, required

__all__ = ["MAX_CUSTOM_FIELDS", "Contacts"]

MAX_CUSTOM_FIELDS = 100


def _emails(info: dict[str, Any]) -> list[str]:
    return [str(e.get("email", "")).lower() for e in (info.get("emails") or {}).get("items", [])]


class Contacts(Table):
    name = "contacts"

    def by_email(self, email: str) -> dict[str, Any] | None:
        return next((c for c in self.table.values() if email.lower() in _emails(c["info"])), None)

    def _check(self, info: dict[str, Any], allow: bool, own_id: str = "") -> None:
        fields = self.state.data.get("extended_fields") or {}
        for key in (info.get("extendedFields") or {}).get("items") or {}:
            if key not in fields:
                raise invalid("info.extendedFields.items", f"{key} is not an extended field")
        name = info.get("name") or {}
        if not (
            name.get("first")
            or name.get("last")
            or _emails(info)
            or (info.get("phones") or {}).get("items")
        ):
            raise invalid("info", "must hold a name, a phone or an email")
        for email in _emails(info):
            if "@" not in email:
                raise invalid("info.emails.items.email", "must be a valid email address")
            other = self.by_email(email)
            if other and other["id"] != own_id and not allow:
                raise WixError(
                    409,
                    "Duplicate contact exists",
                    "DUPLICATE_CONTACT_EXISTS",
                    "Cannot create contact with duplicate email",
                    data={"duplicateContactId": other["id"]},
                )

    def _render(self, contact: dict[str, Any]) -> dict[str, Any]:
        emails = _emails(contact["info"])
        return {**contact, "primaryInfo": {"email": emails[0]} if emails else {}}

    def insert(self, info: dict[str, Any], when: str | None = None) -> dict[str, Any]:
        now = when or self.state.now()
        contact: dict[str, Any] = {
            "id": self.state.new_id("contact"),
            "revision": 1,
            "info": info,
            "createdDate": now,
            "updatedDate": now,
            "source": {"sourceType": "OTHER"},
        }
        self.table[contact["id"]] = contact
        return self._render(contact)

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        info = required(body, "info")
        self._check(info, bool(body.get("allowDuplicates")))
        return {"contact": self.insert(info)}

    def update(self, body: dict[str, Any], contact_id: str) -> dict[str, Any]:
        contact = self.table.get(contact_id)
        if contact is None:
            raise not_found("Contact", contact_id)
        if required(body, "revision") != contact["revision"]:
            raise WixError(409, "revision mismatch", "REVISION_MISMATCH")
        info = {**contact["info"], **required(body, "info")}
        self._check(info, bool(body.get("allowDuplicates")), contact_id)
        contact.update(info=info, revision=contact["revision"] + 1, updatedDate=self.state.now())
        return {"contact": self._render(contact)}

    def get(self, body: Any, contact_id: str) -> dict[str, Any]:
        if contact_id not in self.table:
            raise not_found("Contact", contact_id)
        return {"contact": self._render(self.table[contact_id])}

    def query(self, body: dict[str, Any]) -> dict[str, Any]:
        spec = (body or {}).get("query") or {}
        condition = dict(spec.get("filter") or {})
        email = condition.pop("info.emails.email", None)
        # Filters name the contact as the API shows it (``primaryInfo.email``: "Contacts:
        # Supported Filters, Sorting, and Search").
        rendered = (self._render(c) for c in self.table.values())
        items = [
            c
            for c in rendered
            if matches(c, condition) and (email is None or self._email_matches(c, email))
        ]
        page, limit, offset = offset_page(items, spec.get("paging"), maximum=1000, default=50)
        return {
            "contacts": page,
            "pagingMetadata": {"count": len(page), "offset": offset, "total": len(items)},
        }

    @staticmethod
    def _email_matches(contact: dict[str, Any], wanted: Any) -> bool:
        emails = _emails(contact["info"])
        if isinstance(wanted, dict):
            return any(
                matches(
                    {"e": e},
                    {
                        "e": {
                            k: str(v).lower() if isinstance(v, str) else v
                            for k, v in wanted.items()
                        }
                    },
                )
                for e in emails
            )
        return str(wanted).lower() in emails

    def find_or_create_label(self, body: dict[str, Any]) -> dict[str, Any]:
        name = str(required(body, "displayName"))
        key = "custom." + "-".join(name.lower().split())
        labels = self.state.data["labels"]
        created = key not in labels
        labels.setdefault(key, {"key": key, "displayName": name, "labelType": "USER_DEFINED"})
        return {"label": labels[key], "newLabel": created}

    def find_or_create_field(self, body: dict[str, Any]) -> dict[str, Any]:
        name = str(required(body, "displayName"))
        data_type = str(required(body, "dataType"))
        if data_type not in ("TEXT", "NUMBER", "DATE", "URL"):
            raise invalid("dataType", "must be TEXT, NUMBER, DATE or URL")
        fields = self.state.data.setdefault("extended_fields", {})
        found = next((f for f in fields.values() if f["displayName"] == name), None)
        if found is not None:
            return {"field": found, "newField": False}
        if len(fields) >= MAX_CUSTOM_FIELDS:
            raise WixError(
                429, "RESOURCE_EXHAUSTED: at most 100 custom fields", "RESOURCE_EXHAUSTED"
            )
        key = "custom." + "-".join(name.lower().split())
        now = self.state.now()
        fields[key] = {
            "namespace": "custom",
            "key": key,
            "displayName": name,
            "dataType": data_type,
            "fieldType": "USER_DEFINED",
            "createdDate": now,
            "updatedDate": now,
        }
        return {"field": fields[key], "newField": True}

    def label(self, body: dict[str, Any], contact_id: str) -> dict[str, Any]:
        contact = self.table.get(contact_id)
        if contact is None:
            raise not_found("Contact", contact_id)
        keys = required(body, "labelKeys")
        unknown = [k for k in keys if k not in self.state.data["labels"]]
        if unknown:
            raise invalid("labelKeys", f"unknown label {unknown[0]}")
        held = contact["info"].setdefault("labelKeys", {"items": []})["items"]
        held.extend(k for k in keys if k not in held)
        contact["revision"] += 1
        return {"contact": self._render(contact)}
