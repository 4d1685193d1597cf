"""C10: a product's customer-group prices, as price list records (``reference/price_lists.v3.yml``).

BigCommerce prices a customer group through the price list assigned to it: each
group named by a draft gets a price list of its own name, made and assigned
(``POST /pricelists``, ``POST /pricelists/assignments``) the first time, found
through its assignment (``GET /pricelists/assignments``) afterwards. A variant's
price in that list is a record, upserted by SKU in batches of up to 1,000 (``PUT
/pricelists/{id}/records``; "Required Fields: currency", the store's default currency
from ``GET /v2/currencies``). A simple product is priced by its own SKU (its base
variant); a product with variants is priced on its variants ("don't include records
for the parent product SKU"). A group the draft no longer prices loses the record
(``DELETE /pricelists/{id}/records?sku:in=``), so the catalog price applies again
("If an active Price List does not contain prices for a variant, the catalog pricing
will be used"). Records never fire a product webhook, and cost no catalog request.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from passerelle.connectors.base import ProductWrite, WriteOutcome
from passerelle.connectors.bigcommerce.client import BigCommerceClient, chunks
from passerelle.connectors.bigcommerce.customers import CustomerGroups
from passerelle.connectors.errors import ConnectorError
from passerelle.connectors.paths import segment
from passerelle.i18n.messages import M_, Mn_, said

__all__ = ["RECORD_BATCH", "GroupPrices", "writes_group_prices"]

RECORD_BATCH = 1000
_SKU_FILTER = 50  # SKUs a ``sku:in`` filter names at once


def writes_group_prices(write: ProductWrite) -> bool:
    """Asked for, and held by a record: not on a product with variants (its variants)."""
    return (write.fields is None or "group_prices" in write.fields) and (
        write.draft.kind != "variable"
    )


class GroupPrices:
    """The price lists of the customer groups, read once and made when missing."""

    def __init__(self, client: BigCommerceClient, groups: CustomerGroups) -> None:
        self.client = client
        self.groups = groups
        self._lists: dict[int, int] | None = None  # customer group id → price list id
        self._currency: str | None = None

    def _assigned(self) -> dict[int, int]:
        if self._lists is None:
            self._lists = {
                int(a["customer_group_id"]): int(a["price_list_id"])
                for a in self.client.iter_v3(
                    "v3/pricelists/assignments", None, what=M_("the price list assignments")
                )
                if a.get("customer_group_id") is not None
            }
        return self._lists

    def currency(self) -> str:
        if self._currency is None:
            rows = self.client.get("v2/currencies", what=M_("the shop's default currency"))
            default = next((r for r in rows or [] if r.get("is_default")), None)
            if default is None:
                raise ConnectorError(M_("the shop names no default currency"))
            self._currency = str(default["currency_code"]).lower()
        return self._currency

    def _list_of(self, name: str, group_id: int) -> int:
        """The price list of the group, made and assigned when it has none."""
        assigned = self._assigned()
        if group_id in assigned:
            return assigned[group_id]
        what = M_("the price list of the customer group %(group)s", group=name)
        found = self.client.get("v3/pricelists", {"name": name}, what=what)
        rows = (found or {}).get("data") or []
        if rows:
            list_id = int(rows[0]["id"])
        else:
            made = self.client.post("v3/pricelists", {"name": name, "active": True}, what=what)
            list_id = int(made["data"]["id"])
        self.client.post(
            "v3/pricelists/assignments",
            [{"price_list_id": list_id, "customer_group_id": group_id}],
            what=what,
        )
        assigned[group_id] = list_id
        return list_id

    def write(self, writes: Sequence[ProductWrite], outcomes: dict[str, WriteOutcome]) -> None:
        """Each written record's group prices; a refusal is the error of the records sent."""
        todo = [
            w
            for w in writes
            if writes_group_prices(w)
            and outcomes[w.key].ok
            and not outcomes[w.key].gone
            and (w.draft.group_prices or not outcomes[w.key].created)
        ]
        if not todo:
            return
        try:
            ids = self.groups.ids()
            currency = self.currency()
            assigned = self._assigned()
        except ConnectorError as exc:
            for write in todo:
                outcomes[write.key].error = said(exc)
            return
        records: dict[int, list[tuple[ProductWrite, dict[str, Any]]]] = {}
        for write in todo:
            for group, price in write.draft.group_prices:
                group_id = ids.get(group.strip().casefold())
                if group_id is None:
                    outcomes[write.key].error = M_(
                        "%(sku)s: the customer group %(group)s is not in the shop; export "
                        "the customer groups first",
                        sku=write.draft.sku,
                        group=group,
                    )
                    break
                try:
                    list_id = self._list_of(group.strip(), group_id)
                except ConnectorError as exc:
                    outcomes[write.key].error = said(exc)
                    break
                item = {"sku": write.draft.sku, "currency": currency, "price": float(price)}
                records.setdefault(list_id, []).append((write, item))
        for list_id, items in records.items():
            self._upsert(list_id, items, outcomes)
        self._drop_others(todo, ids, assigned, currency, outcomes)

    def _upsert(
        self,
        list_id: int,
        items: list[tuple[ProductWrite, dict[str, Any]]],
        outcomes: dict[str, WriteOutcome],
    ) -> None:
        for chunk in chunks(items, RECORD_BATCH):
            try:
                self.client.put(
                    f"v3/pricelists/{segment(list_id)}/records",
                    [item for _w, item in chunk],
                    what=Mn_("%(num)s group price", "%(num)s group prices", len(chunk)),
                )
            except ConnectorError as exc:
                for write, _item in chunk:
                    outcomes[write.key].error = said(exc)

    def _drop_others(
        self,
        writes: Sequence[ProductWrite],
        ids: dict[str, int],
        assigned: dict[int, int],
        currency: str,
        outcomes: dict[str, WriteOutcome],
    ) -> None:
        """The records of the groups each draft no longer prices, deleted."""
        for group_id, list_id in assigned.items():
            leaving = [
                w
                for w in writes
                if outcomes[w.key].ok
                and not outcomes[w.key].created
                and group_id
                not in {ids.get(g.strip().casefold()) for g, _p in w.draft.group_prices}
            ]
            for chunk in chunks(leaving, _SKU_FILTER):
                try:
                    self.client.http.request(
                        "DELETE",
                        f"v3/pricelists/{segment(list_id)}/records",
                        params={
                            "sku:in": ",".join(w.draft.sku for w in chunk),
                            "currency": currency,
                        },
                        what=Mn_("%(num)s group price", "%(num)s group prices", len(chunk)),
                    )
                except ConnectorError as exc:
                    for write in chunk:
                        outcomes[write.key].error = said(exc)
