"""The shop's records and what the Webservice does with them, free of any socket code.

List parameters follow ``webservice/tutorials/advanced-use/additional-list-
parameters.md``: ``display`` (``full`` or ``[f1,f2]``; a list without it
gives ids only), ``filter[field]`` (``[a|b]`` any of, ``[a,b]`` interval,
``[x]`` literal, ``[x]%`` begins, ``%[x]`` ends, ``%[x]%`` contains — all
case-insensitive), ``sort=[field_ASC,field_DESC]`` and ``limit=[offset,]count``
(offset 0-indexed). ``update-resource.md``: PUT takes the whole record (a
field left out is blanked, associations left out are kept). ``reference.md``:
which methods each resource accepts.

Side effects PrestaShop has and the connector depends on: a product or
combination created gets its ``stock_available`` row (quantity 0); a
product's own row holds the sum of its combinations'; posting an
``order_history`` moves the order's ``current_state``.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import stock
from .schema import RESOURCES, Resource

__all__ = ["TABLES", "UNIQUE", "ApiError", "Engine", "newsletter_date", "now_text"]

# The Webservice's resources, and the product images (``image`` rows: served by the
# images routes of :mod:`.files`, not as a resource).
TABLES = (*RESOURCES, "images")


class ApiError(Exception):
    """An error PrestaShop answers as ``<prestashop><errors><error>``."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")


# Unique keys of install-dev/data/db_structure.sql (8.x) the Webservice can run into.
UNIQUE: dict[str, tuple[str, ...]] = {
    # `product_supplier`: UNIQUE KEY `id_product` (id_product, id_product_attribute, id_supplier)
    "product_suppliers": ("id_product", "id_product_attribute", "id_supplier"),
    # `specific_price`: UNIQUE KEY `id_product_2` (id_product, id_product_attribute,
    # id_customer, id_cart, from, to, id_shop, id_shop_group, id_currency, id_country,
    # id_group, from_quantity, id_specific_price_rule)
    "specific_prices": (
        "id_product",
        "id_product_attribute",
        "id_customer",
        "id_cart",
        "from",
        "to",
        "id_shop",
        "id_shop_group",
        "id_currency",
        "id_country",
        "id_group",
        "from_quantity",
        "id_specific_price_rule",
    ),
}

# Validate rules of numeric columns, which the database stores as 0 when a
# POST leaves them out (ObjectModel::formatValue casts TYPE_INT, TYPE_BOOL, TYPE_FLOAT).
NUMERIC = frozenset({"isBool", "isUnsignedId", "isUnsignedInt", "isInt"})
DECIMAL = frozenset({"isPrice", "isNegativePrice", "isFloat", "isUnsignedFloat"})


def _blank(resource: Resource, name: str) -> Any:
    if name in resource.lang:
        return {}
    rule = resource.formats.get(name)
    return "0" if rule in NUMERIC else "0.000000" if rule in DECIMAL else ""


_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2}:[0-9]{2})?$")


def newsletter_date(record: dict[str, Any]) -> None:
    """``Customer::add`` and ``update``: a customer subscribed to the newsletter
    (``newsletter`` 1) whose ``newsletter_date_add`` is not a date gets now; the
    Webservice never fills ``ip_registration_newsletter``."""
    date = str(record.get("newsletter_date_add") or "")
    if str(record.get("newsletter")) == "1" and (
        not _DATE.match(date) or date.startswith("0000-00-00")
    ):
        record["newsletter_date_add"] = now_text()


_FILTER = re.compile(r"^(%?)\[(.*)\](%?)$", re.S)


def _matcher(value: str) -> Callable[[str], bool]:
    found = _FILTER.match(value)
    if not found:  # a bare value is compared as it is (classes/webservice/SQLUtils.php)
        return lambda v: v.lower() == value.lower()
    before, inner, after = found.groups()
    inner_l = inner.lower()
    if before and after:
        return lambda v: inner_l in v.lower()
    if before:
        return lambda v: v.lower().endswith(inner_l)
    if after:
        return lambda v: v.lower().startswith(inner_l)
    if "|" in inner:
        options = {o.lower() for o in inner.split("|")}
        return lambda v: v.lower() in options
    if "," in inner:
        low, high = inner.split(",", 1)

        def between(v: str) -> bool:
            try:
                return float(low) <= float(v) <= float(high)
            except ValueError:
                return low <= v <= high

        return between
    return lambda v: v.lower() == inner_l


def _plain(record: dict[str, Any], name: str, language: int) -> str:
    value = record.get(name, "")
    if isinstance(value, dict):
        return str(value.get(str(language), ""))
    return "" if value is None else str(value)


class Engine:
    """All records, by resource then id, kept in one JSON file."""

    def __init__(self, state_file: Path | None) -> None:
        self.state_file = state_file
        self.lock = threading.RLock()
        self.loaded_from_file = False
        self.data: dict[str, dict[int, dict[str, Any]]] = {name: {} for name in TABLES}
        self.sequences: dict[str, int] = {name: 0 for name in TABLES}
        # Files on the shop's disk (img/p/…, download/…), base64, by path.
        self.files: dict[str, str] = {}
        if state_file is not None and state_file.exists():
            raw = json.loads(state_file.read_text())
            self.data = {
                name: {int(k): v for k, v in raw["data"].get(name, {}).items()} for name in TABLES
            }
            self.sequences = {name: int(raw["sequences"].get(name, 0)) for name in TABLES}
            self.files = dict(raw.get("files", {}))
            self.loaded_from_file = True

    def save(self) -> None:
        if self.state_file is None:
            return
        with self.lock:
            text = json.dumps({"data": self.data, "sequences": self.sequences, "files": self.files})
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(text)
        os.replace(tmp, self.state_file)

    # ------------------------------------------------------------------ records
    def insert(self, name: str, values: dict[str, Any]) -> dict[str, Any]:
        """Store a record with every field (blank when not given); side effects applied."""
        resource = RESOURCES[name]
        self.sequences[name] += 1
        record: dict[str, Any] = {"id": self.sequences[name]}
        for field_name in resource.fields:
            record[field_name] = values.get(field_name, _blank(resource, field_name))
        if resource.assoc:
            record["associations"] = {
                k: list(values.get("associations", {}).get(k, [])) for k in resource.assoc
            }
        if name in UNIQUE:
            self.unique(name, record, None)
        if "date_add" in resource.fields:
            record["date_add"] = values.get("date_add") or now_text()
        if "date_upd" in resource.fields:
            record["date_upd"] = values.get("date_upd") or record["date_add"]
        self.data[name][record["id"]] = record
        self._after_insert(name, record)
        return record

    def unique(self, name: str, record: dict[str, Any], record_id: int | None) -> None:
        """A database unique key (:data:`UNIQUE`): a row repeating another's key makes
        ``ObjectModel::add``/``update`` fail, which the Webservice answers 500, code 46
        ("Unable to save resource"); the sequence is not rolled back, as MySQL's."""
        columns = UNIQUE[name]
        key = tuple(str(record.get(c) or "0") for c in columns)
        for other in self.data[name].values():
            if other["id"] != record_id and tuple(str(other.get(c) or "0") for c in columns) == key:
                raise ApiError(500, 46, "Unable to save resource")

    def get(self, name: str, record_id: int) -> dict[str, Any]:
        record = self.data[name].get(record_id)
        if record is None:
            raise ApiError(404, 87, f"Id(s) not exists: {record_id}")
        return record

    def _after_insert(self, name: str, record: dict[str, Any]) -> None:
        if name == "customers":
            self._new_customer(record)
        elif name == "products":
            self._stock_row(record["id"], 0)
        elif name == "combinations":
            product = self.data["products"].get(int(record["id_product"] or 0))
            if product is None:
                del self.data[name][record["id"]]
                raise ApiError(
                    400, 85, f'Validation error: "id_product {record["id_product"]} does not exist"'
                )
            product["associations"]["combinations"].append({"id": str(record["id"])})
            if (
                not product.get("id_default_combination")
                or product["id_default_combination"] == "0"
            ):
                product["id_default_combination"] = str(record["id"])
                product["cache_default_attribute"] = str(record["id"])
            self._stock_row(product["id"], record["id"])
        elif name == "order_histories":
            order = self.get("orders", int(record["id_order"] or 0))
            state = self.get("order_states", int(record["id_order_state"] or 0))
            old = self.data["order_states"].get(int(order["current_state"] or 0))
            stock.change_state(self, order, old, state)
            order["current_state"] = str(state["id"])
            order["valid"] = "1" if state["logable"] == "1" else "0"
            order["date_upd"] = record["date_add"]
            stock.sync(self, {str(d["product_id"]) for d in stock.details(self, order["id"])})

    def _new_customer(self, record: dict[str, Any]) -> None:
        """``Customer::add`` (``classes/Customer.php``, 8.x): ``id_default_group`` is a
        TYPE_INT column, so a POST without it stores 0 (``saveEntityFromXml`` sets what
        is left out to null); ``updateGroup(groupBox)``, null through the Webservice,
        puts the customer in its default group alone (``addGroups([id_default_group])``)
        before the ``groups`` sent, if any, replace that (``setWsGroups``)."""
        if not str(record.get("id_default_group") or "").isdigit():
            record["id_default_group"] = "0"
        if not record["associations"].get("groups"):
            record["associations"]["groups"] = [{"id": record["id_default_group"]}]
        newsletter_date(record)

    def _stock_row(self, product_id: int, attribute_id: int) -> None:
        row = self.insert(
            "stock_availables",
            {
                "id_product": str(product_id),
                "id_product_attribute": str(attribute_id),
                "id_shop": "1",
                "id_shop_group": "0",
                "quantity": "0",
                "depends_on_stock": "0",
                "out_of_stock": "2",
                "location": "",
            },
        )
        row.update(stock.new_row_columns())
        product = self.data["products"][product_id]
        product["associations"]["stock_availables"].append(
            {"id": str(row["id"]), "id_product_attribute": str(attribute_id)}
        )

    def after_update(self, name: str, record: dict[str, Any]) -> None:
        """A stock row written: only ``quantity`` changes (:mod:`.stock`), and a
        combination's row makes its product's row their sum; a customer written is
        dated as :func:`newsletter_date` says."""
        if name == "customers":
            if not str(record.get("id_default_group") or "").isdigit():
                record["id_default_group"] = "0"  # TYPE_INT: a PUT leaving it out stores 0
            newsletter_date(record)
        if name == "stock_availables" and record["id_product_attribute"] not in ("", "0"):
            stock.sum_combinations(self, str(record["id_product"]))

    def delete(self, name: str, record_id: int) -> None:
        """Remove a record with what PrestaShop removes with it: ``Product::delete``
        its combinations, stock rows, specific prices and images; ``Combination::delete``
        its stock row, its place among the product's combinations (the product's own row
        summing those left) and the product's default combination; ``Attachment::delete``
        its file and its links to products."""
        record = self.get(name, record_id)
        del self.data[name][record_id]
        if name == "attachments":
            self.files.pop(f"download/{record.get('file')}", None)
            for product in self.data["products"].values():
                links = product["associations"].get("attachments") or []
                product["associations"]["attachments"] = [
                    a for a in links if str(a.get("id")) != str(record_id)
                ]
        if name == "products":
            for image_id in [
                k for k, i in self.data["images"].items() if str(i["id_product"]) == str(record_id)
            ]:
                self.delete_image(image_id)
            pid = str(record_id)
            for other in (
                "combinations",
                "stock_availables",
                "specific_prices",
                "product_suppliers",
            ):
                for key in [
                    k for k, r in self.data[other].items() if str(r.get("id_product")) == pid
                ]:
                    del self.data[other][key]
        elif name == "combinations":
            self._drop_combination(str(record["id_product"]), str(record_id))

    def _drop_combination(self, pid: str, cid: str) -> None:
        for key in [
            k
            for k, r in self.data["stock_availables"].items()
            if str(r["id_product"]) == pid and str(r["id_product_attribute"]) == cid
        ]:
            del self.data["stock_availables"][key]
        product = self.data["products"].get(int(pid))
        if product is None:
            return
        assoc = product["associations"]
        assoc["combinations"] = [c for c in assoc["combinations"] if str(c["id"]) != cid]
        assoc["stock_availables"] = [
            s for s in assoc["stock_availables"] if int(s["id"]) in self.data["stock_availables"]
        ]
        if str(product.get("id_default_combination")) == cid:
            first = assoc["combinations"][0]["id"] if assoc["combinations"] else "0"
            product["id_default_combination"] = product["cache_default_attribute"] = first
        stock.sum_combinations(self, pid)

    def delete_image(self, image_id: int) -> None:
        """``Image::delete``: the row, its file, its links to combinations
        (``deleteProductAttributeImage``); the product's other images renumbered from 1.
        The cover is not given to another image."""
        image = self.data["images"].pop(image_id)
        self.files.pop(f"img/p/{image_id}.jpg", None)
        for combo in self.data["combinations"].values():
            links = combo.get("associations", {}).get("images") or []
            combo["associations"]["images"] = [
                i for i in links if str(i.get("id")) != str(image_id)
            ]
        rest = sorted(
            (i for i in self.data["images"].values() if i["id_product"] == image["id_product"]),
            key=lambda i: int(i["position"]),
        )
        for position, other in enumerate(rest, start=1):
            other["position"] = str(position)

    def product_quantities(self) -> dict[str, int]:
        """Each product's own quantity (its row with ``id_product_attribute`` 0), by id."""
        return {
            row["id_product"]: int(row["quantity"] or 0)
            for row in self.data["stock_availables"].values()
            if row["id_product_attribute"] in ("0", "")
        }

    def product_quantity(self, product_id: int) -> int:
        for row in self.data["stock_availables"].values():
            if row["id_product"] == str(product_id) and row["id_product_attribute"] in ("0", ""):
                return int(row["quantity"] or 0)
        return 0

    # --------------------------------------------------------------------- lists
    def select(self, name: str, query: dict[str, str], language: int) -> list[dict[str, Any]]:
        resource = RESOURCES[name]
        known = {"id", *resource.fields}
        records = list(self.data[name].values())
        for key, value in query.items():
            if not key.startswith("filter["):
                continue
            field_name = key[len("filter[") : -1]
            if field_name not in known:
                raise ApiError(
                    400,
                    32,
                    f'This filter does not exist: "{field_name}". Did you '
                    f'mean: "{_closest(field_name, known)}"?',
                )
            match = _matcher(value)
            records = [r for r in records if match(_plain(r, field_name, language))]
        sort = query.get("sort", "")
        if sort:
            for part in reversed(sort.strip("[]").split(",")):
                field_name, _, direction = part.rpartition("_")
                if field_name not in known or direction not in ("ASC", "DESC"):
                    raise ApiError(
                        400,
                        37 if direction not in ("ASC", "DESC") else 38,
                        f'Unable to sort by "{part}": use [field_ASC] or '
                        "[field_DESC] with an available field",
                    )

                def by_field(r: dict[str, Any], f: str = field_name) -> tuple[int, float | str]:
                    return _sort_key(_plain(r, f, language))

                records.sort(key=by_field, reverse=direction == "DESC")
        else:
            records.sort(key=lambda r: r["id"])
        limit = query.get("limit", "")
        if limit:
            parts = limit.split(",")
            if not all(p.strip().isdigit() for p in parts) or len(parts) > 2:
                raise ApiError(
                    400, 39, 'The "limit" value has to be formed as this example: "5,25" or "10"'
                )
            offset, count = (0, int(parts[0])) if len(parts) == 1 else map(int, parts)
            records = records[offset : offset + count]
        return records


def _sort_key(value: str) -> tuple[int, float | str]:
    try:
        return (0, float(value))
    except ValueError:
        return (1, value)


def _closest(name: str, known: set[str]) -> str:
    import difflib

    return (difflib.get_close_matches(name, sorted(known), n=1) or ["id"])[0]
