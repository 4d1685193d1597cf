"""Named groups and their values, found by name or created: option axes and features.

Two PrestaShop pairs of resources have the same shape (``webservice/reference.md``):
``product_options`` (a variation axis, "Parfum") with its
``product_option_values`` ("Figue", under ``id_attribute_group``), and
``product_features`` (a product feature, "Matière") with its
``product_feature_values`` ("Fonte", under ``id_feature``, its text in
``value``). Both are multilingual, named in the client's language, and
compared case-insensitively as MySQL does. Each pair is read once, then
what is missing is created; a lock keeps concurrent writes from creating
the same name twice.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from passerelle.connectors.prestashop import endpoints as ep
from passerelle.connectors.prestashop.client import PrestaShopClient
from passerelle.i18n.messages import M_, Message

__all__ = ["FEATURES", "OPTIONS", "NamedValues", "Pair"]


@dataclass(frozen=True, slots=True)
class Pair:
    groups: str  # resource of the groups
    values: str  # resource of their values
    parent: str  # the value's field naming its group
    text: str  # the value's field holding its text
    label: Message  # what a merchant calls a group, with its article ("the feature")
    group_extra: tuple[tuple[str, str], ...] = ()  # fixed fields of a group created
    group_lang: tuple[str, ...] = ("name",)  # its fields holding the name
    value_extra: tuple[tuple[str, str], ...] = ()  # fixed fields of a value created


OPTIONS = Pair(
    ep.PRODUCT_OPTIONS,
    ep.PRODUCT_OPTION_VALUES,
    "id_attribute_group",
    "name",
    M_("the variation option"),
    (("group_type", "select"), ("is_color_group", "0")),
    ("name", "public_name"),
)
# A feature value of the list (custom 0), shared by every product that has it.
FEATURES = Pair(
    ep.PRODUCT_FEATURES,
    ep.PRODUCT_FEATURE_VALUES,
    "id_feature",
    "value",
    M_("the product feature"),
    value_extra=(("custom", "0"),),
)


class NamedValues:
    """Ids of (group, value) names of one :class:`Pair`, created when missing."""

    def __init__(self, client: PrestaShopClient, pair: Pair) -> None:
        self.client = client
        self.pair = pair
        self._lock = threading.Lock()
        self._groups: dict[str, str] | None = None
        self._values: dict[tuple[str, str], str] = {}

    def _read(self) -> dict[str, str]:
        language = {"language": self.client.language}
        self._groups = {
            str(r["name"]).casefold(): str(r["id"])
            for r in self.client.iter_all(self.pair.groups, language)
        }
        self._values = {
            (str(r[self.pair.parent]), str(r[self.pair.text]).casefold()): str(r["id"])
            for r in self.client.iter_all(self.pair.values, language)
        }
        return self._groups

    def ids(self, pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
        """(group id, value id) of each (group name, value name); nothing read for none."""
        if not pairs:
            return []
        with self._lock:
            groups = self._groups if self._groups is not None else self._read()
            return [self._one(groups, group, value) for group, value in pairs]

    def _one(self, groups: dict[str, str], group: str, value: str) -> tuple[str, str]:
        pair = self.pair
        gid = groups.get(group.casefold())
        if gid is None:
            record: dict[str, Any] = {
                **dict(pair.group_extra),
                **dict.fromkeys(pair.group_lang, group),
            }
            gid = groups[group.casefold()] = str(
                self.client.create(
                    pair.groups,
                    record,
                    lang_fields=pair.group_lang,
                    what=M_("%(label)s %(name)s", label=pair.label, name=group),
                )["id"]
            )
        vid = self._values.get((gid, value.casefold()))
        if vid is None:
            vid = self._values[(gid, value.casefold())] = str(
                self.client.create(
                    pair.values,
                    {pair.parent: gid, pair.text: value, **dict(pair.value_extra)},
                    lang_fields=(pair.text,),
                    what=M_(
                        "the value %(value)s of %(label)s %(name)s",
                        value=value,
                        label=pair.label,
                        name=group,
                    ),
                )["id"]
            )
        return gid, vid
