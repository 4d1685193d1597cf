"""Customer, customer group and order routes.

Docs (admin-schema-2.4.9.yaml, AdobeDocs/commerce-webapi):
- ``POST /V1/customers`` ``{"customer", "password"}`` creates
  (``customer-data-customer-interface``); an e-mail already used on the
  website is refused ("A customer with the same email address already exists
  in an associated website.", ``Customer\\Model\\ResourceModel\\Customer::
  _beforeSave``), one that is not an address '"Email" is not a valid email
  address.' (the ``email`` attribute's input validation); ``PUT /V1/customers/{customerId}``
  ``{"customer"}`` saves; ``GET /V1/customers/search`` takes ``searchCriteria``.
- ``POST /V1/customerGroups`` ``{"group": {code, tax_class_id}}``; a code in use
  is refused; ``GET /V1/customerGroups/search``; ``GET``/``PUT
  /V1/customerGroups/{id}`` (``Customer\\Model\\ResourceModel\\GroupRepository``:
  an unknown id "No such entity with id = …"; a save of an existing group checks its
  ``tax_class_id`` is a CUSTOMER class, 'Invalid value of "%value" provided for the
  %fieldName field.' with fieldName ``taxClassId``, and keeps codes unique).
- ``GET /V1/orders`` (``searchCriteria``), ``GET /V1/orders/{id}`` by
  ``entity_id`` (``increment_id`` is the number the buyer sees);
  ``POST /V1/orders/{id}/comments`` ``{"statusHistory": {comment,
  is_customer_notified, is_visible_on_front, parent_id, status}}`` adds a
  comment and, with ``status``, sets the order's status; answers ``true``.
- what the merchant does to an order (invoice, hold, cancel, ship, refund):
  ``order_actions.py``.
"""

from __future__ import annotations

import re
from typing import Any

from .addresses import check_address, defaults
from .errors import MagentoError, no_such_entity, not_found
from .search import Criteria, search

__all__ = ["Sales"]

# ``Zend_Validate_EmailAddress`` as ``Eav\Model\Attribute\Data\AbstractData`` sets it up
# for the customer ``email`` attribute (any hostname, no TLD check): a dot-atom local
# part, ``@``, dot-separated host labels.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_EMAIL = re.compile(
    rf"^{_ATOM}(\.{_ATOM})*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$"
)


class Sales:
    def __init__(self, data: dict[str, Any], now: Any, customer_attributes: set[str]) -> None:
        self.data = data
        self.now = now
        self.customer_attributes = customer_attributes

    # ---------------------------------------------------------------- customers
    def search_customers(self, criteria: Criteria) -> dict[str, Any]:
        def value(record: dict[str, Any], field: str) -> Any:
            if field in record:
                return record[field]
            return next(
                (
                    a["value"]
                    for a in record.get("custom_attributes") or []
                    if a["attribute_code"] == field
                ),
                None,
            )

        items, total = search(self.data["customers"].values(), criteria, value)
        return {"items": items, "search_criteria": criteria.echo(), "total_count": total}

    def get_customer(self, cid: str) -> dict[str, Any]:
        customer = self.data["customers"].get(cid)
        if customer is None:
            raise no_such_entity("customerId", cid)
        return customer

    def save_customer(self, body: dict[str, Any], cid: str | None = None) -> dict[str, Any]:
        raw = body.get("customer")
        if not isinstance(raw, dict):
            raise MagentoError(
                400, '"%fieldName" is required. Enter and try again.', {"fieldName": "customer"}
            )
        for field in ("email", "firstname", "lastname"):
            if not raw.get(field) and cid is None:
                raise MagentoError(
                    400, '"%fieldName" is required. Enter and try again.', {"fieldName": field}
                )
        email = str(raw.get("email") or "").lower()
        if "email" in raw and not _EMAIL.match(email):
            raise MagentoError(400, '"Email" is not a valid email address.')
        for other in self.data["customers"].values():
            if other["email"].lower() == email and str(other["id"]) != (cid or ""):
                raise MagentoError(
                    400,
                    "A customer with the same email address already "
                    "exists in an associated website.",
                )
        if str(raw.get("group_id", 1)) not in self.data["groups"]:
            raise MagentoError(
                404,
                "No such entity with %fieldName = %fieldValue",
                {"fieldName": "id", "fieldValue": raw.get("group_id")},
            )
        for address in raw.get("addresses") or []:
            check_address(address)  # before anything is saved
        if cid is None:
            new_id = self.data["next"]["customer"]
            self.data["next"]["customer"] += 1
            customer: dict[str, Any] = {
                "id": new_id,
                "group_id": 1,
                "created_at": self.now(),
                "created_in": "Default Store View",
                "store_id": 1,
                "website_id": 1,
                "addresses": [],
                "disable_auto_group_change": 0,
                "extension_attributes": {"is_subscribed": False},
                "custom_attributes": [],
            }
        else:
            customer = self.get_customer(cid)
        for field, value in raw.items():
            if field in ("id", "created_at", "updated_at", "custom_attributes", "addresses"):
                continue
            customer[field] = value
        if raw.get("addresses") is not None:
            addresses = []
            for address in raw["addresses"]:
                address = dict(address, customer_id=customer["id"])
                if not address.get("id"):
                    address["id"] = self.data["next"]["address"]
                    self.data["next"]["address"] += 1
                addresses.append(address)
            customer["addresses"] = addresses
            defaults(customer, addresses)
        attrs = {a["attribute_code"]: a for a in customer.get("custom_attributes") or []}
        for attribute in raw.get("custom_attributes") or []:
            # Only attributes the store defines are saved (EAV); others are dropped.
            if attribute.get("attribute_code") in self.customer_attributes:
                attrs[attribute["attribute_code"]] = {
                    "attribute_code": attribute["attribute_code"],
                    "value": attribute.get("value"),
                }
        customer["custom_attributes"] = list(attrs.values())
        customer["updated_at"] = self.now()
        self.data["customers"][str(customer["id"])] = customer
        return customer

    def search_groups(self, criteria: Criteria) -> dict[str, Any]:
        items, total = search(self.data["groups"].values(), criteria)
        return {"items": items, "search_criteria": criteria.echo(), "total_count": total}

    def get_group(self, gid: str) -> dict[str, Any]:
        group = self.data["groups"].get(gid)
        if group is None:
            raise no_such_entity("id", gid)
        return dict(group)

    def update_group(self, gid: str, body: dict[str, Any]) -> dict[str, Any]:
        """``GroupRepository::save`` of an existing group (the path's id)."""
        raw = body.get("group") or {}
        code = str(raw.get("code") or "")
        if not code:
            raise MagentoError(400, "%fieldName is a required field.", {"fieldName": "code"})
        group = self.data["groups"].get(gid)
        if group is None:
            self.get_group(gid)  # 404
        tax_class = (self.data.get("tax_classes") or {}).get(str(raw.get("tax_class_id")))
        if tax_class is None or tax_class["class_type"] != "CUSTOMER":
            raise MagentoError(
                400,
                'Invalid value of "%value" provided for the %fieldName field.',
                {"value": raw.get("tax_class_id"), "fieldName": "taxClassId"},
            )
        if any(g["code"] == code and str(g["id"]) != gid for g in self.data["groups"].values()):
            raise MagentoError(400, "Customer Group already exists.")
        group.update(
            {
                "code": code,
                "tax_class_id": int(tax_class["class_id"]),
                "tax_class_name": tax_class["class_name"],
            }
        )
        return dict(group)

    def save_group(self, body: dict[str, Any]) -> dict[str, Any]:
        raw = body.get("group") or {}
        code = str(raw.get("code") or "")
        if not code:
            raise MagentoError(
                400, '"%fieldName" is required. Enter and try again.', {"fieldName": "code"}
            )
        if any(g["code"] == code for g in self.data["groups"].values()):
            raise MagentoError(400, "Customer Group already exists.")
        gid = self.data["next"]["group"]
        self.data["next"]["group"] += 1
        group = {
            "id": gid,
            "code": code,
            "tax_class_id": int(raw.get("tax_class_id") or 3),
            "tax_class_name": "Retail Customer",
        }
        self.data["groups"][str(gid)] = group
        return group

    # ------------------------------------------------------------------- orders
    def search_orders(self, criteria: Criteria) -> dict[str, Any]:
        items, total = search(self.data["orders"].values(), criteria)
        return {"items": items, "search_criteria": criteria.echo(), "total_count": total}

    def get_order(self, oid: str) -> dict[str, Any]:
        order = self.data["orders"].get(oid)
        if order is None:
            raise not_found("order")
        return order

    def add_comment(self, oid: str, body: dict[str, Any]) -> bool:
        order = self.get_order(oid)
        raw = body.get("statusHistory")
        if not isinstance(raw, dict):
            raise MagentoError(
                400,
                '"%fieldName" is required. Enter and try again.',
                {"fieldName": "statusHistory"},
            )
        history = {
            "entity_id": self.data["next"]["history"],
            "parent_id": int(oid),
            "comment": str(raw.get("comment") or ""),
            "is_customer_notified": int(bool(raw.get("is_customer_notified"))),
            "is_visible_on_front": int(bool(raw.get("is_visible_on_front"))),
            "status": raw.get("status") or order["status"],
            "created_at": self.now(),
            "entity_name": "order",
        }
        self.data["next"]["history"] += 1
        order["status_histories"].insert(0, history)  # newest first, as Magento lists them
        if raw.get("status"):
            order["status"] = raw["status"]
        order["updated_at"] = self.now()
        return True
