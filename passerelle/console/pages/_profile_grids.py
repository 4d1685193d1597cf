"""The profile editor's mapping grids: the shop's names in rows, the back-office's in drop-downs.

Why grids: a mapping is a table between two lists that both sides hold; a
merchant picks from what exists instead of typing a journal's name. Rows are
the shop's names (payment methods, shipping methods, order statuses) and the
back-office's taxes for the tax classes, joined with those the profile
already maps; drop-downs list the other side's names. A list that cannot be
read (a side unreachable) becomes free text, with a notice.

Each grid cell is posted as ``<grid>:<row>``; "not mapped" is :data:`NOT_MAPPED`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from passerelle.console.pages._setting_titles import DOCUMENT_LABELS
from passerelle.i18n import N_
from passerelle.model import DocumentType
from passerelle.profiles import Profile
from passerelle.runner.profile_editing import ReferenceLists

__all__ = ["NOT_MAPPED", "STANDARD", "Grid", "apply_grids", "build_grids"]

NOT_MAPPED = "__none__"
#: The shop's standard tax class, which a profile writes as the empty class "".
STANDARD = "__standard__"


@dataclass(slots=True)
class Row:
    key: str  # the row's name (a payment method, a tax...)
    value: str  # what it maps to now ("" when not mapped)
    note: str = ""  # data shown beside the key (a tax's rate or label)

    def cell(self, grid: str) -> str:
        return f"{grid}:{self.key}"


@dataclass(slots=True)
class Grid:
    key: str  # payments, carriers, statuses, tax_classes, taxes
    title: str  # English, marked with N_
    row_header: str  # English, marked with N_
    value_header: str  # English, marked with N_
    where: str  # the profile field the grid writes
    rows: list[Row] = field(default_factory=list)
    choices: list[str] | None = None  # None: the list could not be read, free text
    blank_label: str = N_("not mapped")
    errors: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # choice -> English words, marked

    @property
    def free_text(self) -> bool:
        return self.choices is None

    def options(self, row: Row) -> list[str]:
        """The drop-down's names, the row's current one kept even when that side lacks it."""
        names = list(self.choices or [])
        if row.value and row.value not in names:
            names.append(row.value)
        return names


def _rows(shop_names: list[str] | None, mapped: Mapping[str, str]) -> list[Row]:
    keys = list(dict.fromkeys([*(shop_names or []), *mapped]))
    return [Row(key, mapped.get(key, "")) for key in keys]


def build_grids(profile: Profile, lists: ReferenceLists) -> list[Grid]:
    orders = profile.orders
    payments = Grid(
        "payments",
        N_("Payment methods → payment journals"),
        N_("Shop payment method"),
        N_("Back-office payment journal"),
        "orders.payments",
        _rows(
            lists.shop.get("payment_method"),
            {method: mapping.journal for method, mapping in orders.payments.items()},
        ),
        lists.backoffice.get("payment_journal"),
    )
    carriers = Grid(
        "carriers",
        N_("Shipping methods → carriers"),
        N_("Shop shipping method"),
        N_("Back-office carrier"),
        "orders.carriers",
        _rows(lists.shop.get("shipping_method"), orders.carriers),
        lists.backoffice.get("carrier"),
    )
    statuses = Grid(
        "statuses",
        N_("Order statuses → documents"),
        N_("Shop order status"),
        N_("Document made in the back-office"),
        "orders.statuses",
        _rows(
            lists.shop.get("order_status"),
            {status: kind.value for status, kind in orders.statuses.items()},
        ),
        [kind.value for kind in DocumentType],
        N_("not imported"),
        labels=DOCUMENT_LABELS,
    )
    shop_classes = lists.shop.get("tax_class")
    tax_classes = Grid(
        "tax_classes",
        N_("Taxes → shop tax classes"),
        N_("Back-office tax"),
        N_("Shop tax class"),
        "catalogue.tax_classes",
        _rows(
            lists.backoffice.get("tax"),
            {tax: name or STANDARD for tax, name in profile.catalogue.tax_classes.items()},
        ),
        None if shop_classes is None else [STANDARD, *(name for name in shop_classes if name)],
    )
    taxes = Grid(
        "taxes",
        N_("Shop taxes → back-office taxes"),
        N_("Shop tax (label or rate)"),
        N_("Back-office tax"),
        "orders.taxes",
        [
            Row(
                str(index),
                entry.tax,
                " · ".join(
                    part
                    for part in (
                        entry.shop_label,
                        None if entry.shop_rate is None else f"{entry.shop_rate} %",
                    )
                    if part
                ),
            )
            for index, entry in enumerate(orders.taxes)
        ],
        lists.backoffice.get("tax"),
    )
    return [payments, carriers, statuses, tax_classes, taxes]


def _posted(grid: Grid, row: Row, posted: Mapping[str, str]) -> str | None:
    """The row's new value ("" for not mapped), or None when it is unchanged or absent."""
    text = posted.get(row.cell(grid.key))
    if text is None:
        return None
    text = "" if text == NOT_MAPPED else text.strip()
    return None if text == row.value else text


def _table(data: dict[str, Any], *path: str) -> dict[str, Any]:
    table = data
    for part in path:
        table = table.setdefault(part, {})
    return table


def apply_grids(
    grids: list[Grid], profile: Profile, posted: Mapping[str, str], data: dict[str, Any]
) -> None:
    """Write the changed cells into the file's data; a row set to "not mapped" is removed."""
    for grid in grids:
        changes = {
            row.key: new for row in grid.rows if (new := _posted(grid, row, posted)) is not None
        }
        if not changes:
            continue
        for row in grid.rows:
            if row.key in changes:
                row.value = changes[row.key]
        if grid.key == "payments":
            table = _table(data, "orders", "payments")
            for method, journal in changes.items():
                if not journal:
                    table.pop(method, None)
                elif isinstance(table.get(method), dict):
                    table[method]["journal"] = journal
                else:
                    table[method] = {"journal": journal}
        elif grid.key == "taxes":
            entries = data.setdefault("orders", {}).setdefault(
                "taxes",
                [
                    entry.model_dump(mode="json", exclude_none=True)
                    for entry in profile.orders.taxes
                ],
            )
            for index in sorted((int(key) for key in changes), reverse=True):
                if changes[str(index)]:
                    entries[index]["tax"] = changes[str(index)]
                else:
                    del entries[index]
        else:
            where = grid.where.split(".")
            current = {
                row.key: "" if row.value == STANDARD else row.value
                for row in grid.rows
                if row.value
            }
            _table(data, *where[:-1])[where[-1]] = current
