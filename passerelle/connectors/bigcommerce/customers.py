"""Customer accounts written 10 a request, with what BigCommerce could not take; customer groups.

``POST``/``PUT /v3/customers`` (``reference/customers.v3.yml``) are all or
nothing: one unknown id in an update batch refuses the batch with 422. The
accounts named are then looked up (``GET /v3/customers?id:in=…``): one deleted
in the store is gone (the flow forgets its binding and creates it again), and
the others are sent again once. Each written account carries the fields asked
for that BigCommerce cannot hold (``unsupported``).

Groups are found by name or created, see :class:`CustomerGroups` (what a group is:
:mod:`.translate_customers`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from passerelle.connectors.base import CustomerWrite, GroupWrite, WriteOutcome
from passerelle.connectors.bigcommerce.client import BigCommerceClient, chunks
from passerelle.connectors.bigcommerce.translate_customers import (
    BATCH,
    addresses_of,
    customer_payload,
)
from passerelle.connectors.bigcommerce.unsupported import customer_unsupported
from passerelle.connectors.errors import ConnectorError
from passerelle.i18n.messages import M_, Mn_, said

__all__ = ["CustomerGroups", "write_customers"]


class CustomerGroups:
    """The store's customer group ids by name (case-insensitive), read once."""

    def __init__(self, client: BigCommerceClient) -> None:
        self.client = client
        self._ids: dict[str, int] | None = None

    def ids(self) -> dict[str, int]:
        if self._ids is None:
            self._ids = {
                str(r.get("name") or "").casefold(): int(r["id"])
                for r in self.client.iter_v2(
                    "v2/customer_groups", None, what=M_("the customer groups")
                )
            }
        return self._ids

    def write(self, writes: Sequence[GroupWrite]) -> list[WriteOutcome]:
        """Each group found by its name, else created (one ``POST`` a group)."""
        try:
            ids = self.ids()
        except ConnectorError as exc:
            return [WriteOutcome(w.key, error=said(exc)) for w in writes]
        out = []
        for w in writes:
            name = w.group.name.strip()
            found = ids.get(name.casefold())
            if found is not None:
                out.append(WriteOutcome(w.key, str(found)))
                continue
            try:
                made = self.client.post(
                    "v2/customer_groups",
                    {"name": name},
                    what=M_("customer group %(code)s", code=name),
                )
            except ConnectorError as exc:
                out.append(WriteOutcome(w.key, error=said(exc)))
                continue
            ids[name.casefold()] = int(made["id"])
            out.append(WriteOutcome(w.key, str(made["id"]), created=True))
        return out


def _existing(client: BigCommerceClient, writes: Sequence[CustomerWrite]) -> set[str]:
    ids = ",".join(str(w.shop_id) for w in writes)
    return {
        str(raw["id"])
        for raw in client.iter_v3(
            "v3/customers", {"id:in": ids}, what=M_("the customers written to")
        )
    }


def _send(
    client: BigCommerceClient,
    create: bool,
    chunk: Sequence[CustomerWrite],
    group_ids: dict[str, int] | None,
) -> list[Any]:
    body = [
        customer_payload(w, create, group_ids)
        if create
        else {"id": int(w.shop_id or 0), **customer_payload(w, create, group_ids)}
        for w in chunk
    ]
    call = client.post if create else client.put
    return list(
        call("v3/customers", body, what=Mn_("%(num)s customer", "%(num)s customers", len(chunk)))[
            "data"
        ]
    )


def _gone(
    client: BigCommerceClient, create: bool, error: ConnectorError, chunk: Sequence[CustomerWrite]
) -> set[str]:
    """Keys of the updates refused because their account was deleted in the store."""
    if create or error.status != 422:
        return set()
    found = _existing(client, chunk)
    return {w.key for w in chunk if w.shop_id not in found}


def write_customers(
    client: BigCommerceClient, writes: Sequence[CustomerWrite], group_ids: dict[str, int] | None
) -> list[WriteOutcome]:
    outcomes: dict[str, WriteOutcome] = {}
    for create in (True, False):
        todo = [w for w in writes if (w.shop_id is None) == create]
        for chunk in chunks(todo, BATCH):
            try:
                made = _send(client, create, chunk, group_ids)
            except ConnectorError as exc:
                gone = _gone(client, create, exc, chunk)
                for write in chunk:
                    if write.key in gone:
                        outcomes[write.key] = WriteOutcome(
                            write.key,
                            write.shop_id,
                            gone=True,
                            error=M_(
                                "%(email)s: the shop no longer has this account (deleted there)",
                                email=write.customer.email,
                            ),
                        )
                chunk = [w for w in chunk if w.key not in gone]
                error: ConnectorError = exc
                made = []
                if gone and chunk:
                    try:
                        made = _send(client, create, chunk, group_ids)
                    except ConnectorError as again:
                        error = again
                if not made:
                    outcomes.update({w.key: WriteOutcome(w.key, error=said(error)) for w in chunk})
                    continue
            for write, raw in zip(chunk, made, strict=True):
                outcomes[write.key] = WriteOutcome(
                    write.key,
                    str(raw["id"]),
                    created=create,
                    unsupported=customer_unsupported(write),
                )
            if not create:
                _write_addresses(client, chunk, outcomes)
    return [outcomes[w.key] for w in writes]


def _write_addresses(
    client: BigCommerceClient, chunk: Sequence[CustomerWrite], outcomes: dict[str, WriteOutcome]
) -> None:
    """An updated account's addresses, when asked: ``POST /v3/customers/addresses``. The
    store keeps an address it already has unchanged (``createCustomersAddresses``), so
    sending them all adds only the new or changed ones, in one request for the chunk."""
    asked = [
        w
        for w in chunk
        if (w.fields is None or "addresses" in w.fields)
        and outcomes[w.key].ok
        and addresses_of(w.customer)
    ]
    body = [
        {"customer_id": int(w.shop_id or 0), **address}
        for w in asked
        for address in addresses_of(w.customer)
    ]
    if not body:
        return
    try:
        client.post(
            "v3/customers/addresses",
            body,
            what=Mn_(
                "the addresses of %(num)s customer",
                "the addresses of %(num)s customers",
                len(asked),
            ),
        )
    except ConnectorError as exc:
        for write in asked:
            reason = M_("its addresses: %(error)s", error=said(exc))
            outcomes[write.key] = replace(outcomes[write.key], error=reason, said=reason)
