"""Tax class ids by name, from ``GET /v2/tax_classes`` (``reference/tax_classes.v2.yml``)."""

from __future__ import annotations

import re

from passerelle.connectors.bigcommerce.client import BigCommerceClient
from passerelle.connectors.errors import RecordError
from passerelle.i18n.messages import M_

__all__ = ["TaxClasses"]


class TaxClasses:
    """Tax class ids by name, read once from ``GET /v2/tax_classes`` when a name is asked.

    ``reference/tax_classes.v2.yml``: read-only (classes are made in the control
    panel), ids as strings. A draft's ``tax_class`` may be the id, the name
    (``Reduced rate``) or its slug (``reduced-rate``, as WooCommerce names them);
    empty or ``standard`` is the store's default class, 0.
    """

    def __init__(self, client: BigCommerceClient) -> None:
        self.client = client
        self._ids: dict[str, int] | None = None

    def exists(self, tax_class: str) -> bool:
        """Whether the store has this class (an id must be one it lists, or 0)."""
        key = tax_class.strip()
        if key.isdigit():
            return int(key) == 0 or int(key) in self._load().values()
        try:
            self.id_of(key)
        except RecordError:
            return False
        return True

    def _load(self) -> dict[str, int]:
        if self._ids is None:
            self._ids = {}
            for raw in self.client.get("v2/tax_classes", what=M_("the tax classes")) or []:
                name = str(raw.get("name") or "")
                for alias in (name.lower(), _slug(name)):
                    self._ids.setdefault(alias, int(raw["id"]))
        return self._ids

    def id_of(self, tax_class: str) -> int:
        key = tax_class.strip()
        if key.isdigit():
            return int(key)
        if key.lower() in ("", "standard"):
            return 0
        ids = self._load()
        found = ids.get(key.lower(), ids.get(_slug(key)))
        if found is None:
            raise RecordError(
                M_(
                    "tax class %(name)s does not exist in the store (%(known)s)",
                    name=repr(tax_class),
                    known=", ".join(sorted(ids)),
                )
            )
        return found


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
