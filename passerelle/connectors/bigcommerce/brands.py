"""Brand ids by name: looked up, else created (``reference/catalog/brands_catalog.v3.yml``).

A product holds its brand as ``brand_id`` (``product_Base``; 0 is none). A brand is
found with ``GET /v3/catalog/brands?name=…`` and, when the store has none of that
name, made with ``POST /v3/catalog/brands`` (``name`` is required, 1–255 characters,
and unique: a duplicate answers 409, so a brand made meanwhile by someone else is
read again instead). Names compare without case, as the store does for a product's
``brand_name`` ("Brand name is not case-sensitive"). Each name costs at most one
read and one write per run; the ids are kept for the run.
"""

from __future__ import annotations

from passerelle.connectors.bigcommerce.client import BigCommerceClient
from passerelle.connectors.errors import ConnectorError, RecordError
from passerelle.i18n.messages import M_

__all__ = ["NAME_MAX", "Brands"]

NAME_MAX = 255


class Brands:
    """The store's brand ids by name (case-insensitive), found or created when asked."""

    def __init__(self, client: BigCommerceClient) -> None:
        self.client = client
        self._ids: dict[str, int] = {}

    def _find(self, name: str) -> int | None:
        rows = self.client.get(
            "v3/catalog/brands", {"name": name}, what=M_("the brand %(name)s", name=name)
        )
        for row in (rows or {}).get("data") or []:
            if str(row.get("name") or "").casefold() == name.casefold():
                return int(row["id"])
        return None

    def id_of(self, brand: str) -> int:
        """The id of the brand named ``brand`` (0 for none), created when missing.

        A name BigCommerce cannot take (over 255 characters) is the record's error;
        a refused request raises its ``ConnectorError``."""
        name = brand.strip()
        if not name:
            return 0
        if len(name) > NAME_MAX:
            raise RecordError(
                M_(
                    "the brand %(name)s is longer than the %(max)s characters BigCommerce takes",
                    name=repr(name[:40] + "…"),
                    max=NAME_MAX,
                )
            )
        key = name.casefold()
        if key in self._ids:
            return self._ids[key]
        found = self._find(name)
        if found is None:
            try:
                answer = self.client.post(
                    "v3/catalog/brands", {"name": name}, what=M_("the brand %(name)s", name=name)
                )
                found = int(answer["data"]["id"])
            except ConnectorError as exc:
                if exc.status != 409:
                    raise
                found = self._find(name)  # made meanwhile (409: the name is taken)
                if found is None:
                    raise
        self._ids[key] = found
        return found
