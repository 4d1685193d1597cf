"""Orders, read by pages with what they link to; the sale's number and state written back.

A status is read from the state's flags (``order_states.md``): ``shipped``
(``delivery`` only says a delivery slip exists: "Processing in progress" has
it), else paid; the states the configuration names ``PS_OS_CANCELED``,
``PS_OS_REFUND``, ``PS_OS_ERROR`` are cancelled, refunded, payment error;
anything else awaits payment. Those slugs are what ``orders.statuses`` names.
A state change is an ``order_histories`` record (PrestaShop then sends its
e-mails). The sale number goes in the order's private ``note``.

Per page of orders, one request for all their lines, one for their cart
rules, addresses, buyers and messages (``filter[id_order]=[a|b|…]``). The
buyer's checkout message is a ``messages`` record ("The customers messages",
``reference.md``) of the cart, which ``PaymentModule::validateOrder`` gives
the order's id (copying it to a customer service thread too): the public
ones no employee wrote are the buyer's words, the order's ``customer_note``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from functools import cached_property
from typing import Any

from passerelle.connectors.errors import ConnectorError, NotFoundError, RecordError
from passerelle.connectors.paths import numeric_id
from passerelle.connectors.prestashop import endpoints as ep
from passerelle.connectors.prestashop.client import PrestaShopClient
from passerelle.connectors.prestashop.translate_orders import translate
from passerelle.connectors.prestashop.translate_values import format_date, with_line
from passerelle.connectors.reading import each_record, read_record
from passerelle.i18n.messages import M_, said
from passerelle.model import Order

__all__ = ["SALE", "Orders"]

SALE = "Vente ERP"
END = "9999-12-31 23:59:59"
# The status slugs of orders still holding their units (see iter_open_orders).
OPEN = ("paid", "awaiting_payment")


class Orders:
    """Order reads and write-backs (a part of :class:`PrestaShopShop`)."""

    client: PrestaShopClient

    @cached_property
    def states(self) -> dict[str, str]:
        """State id → status slug (module docstring)."""
        config = {
            str(r["name"]): str(r["value"])
            for r in self.client.list(
                ep.CONFIGURATIONS,
                {
                    "filter[name]": "[PS_OS_CANCELED|PS_OS_REFUND|PS_OS_ERROR|PS_OS_DELIVERED]",
                    "display": "[name,value]",
                },
                what=M_("the order state settings"),
            )
        }
        special = {
            config.get("PS_OS_CANCELED"): "canceled",
            config.get("PS_OS_REFUND"): "refunded",
            config.get("PS_OS_ERROR"): "payment_error",
            config.get("PS_OS_DELIVERED"): "delivered",
        }
        return {
            str(r["id"]): special.get(str(r["id"]))
            or (
                "shipped"
                if r.get("shipped") == "1"
                else "paid"
                if r.get("paid") == "1"
                else "awaiting_payment"
            )
            for r in self.client.iter_all(ep.ORDER_STATES)
        }

    def _state_ids(self, slugs: Sequence[str]) -> list[str]:
        return [sid for sid, slug in self.states.items() if slug in slugs]

    @cached_property
    def _lookups(self) -> tuple[dict[str, dict[str, Any]], ...]:
        """Countries, currencies and carriers by id, read once."""
        return tuple(
            {str(r["id"]): r for r in self.client.iter_all(name, {"display": shown})}
            for name, shown in (
                (ep.COUNTRIES, "[id,iso_code]"),
                (ep.CURRENCIES, "[id,iso_code]"),
                (ep.CARRIERS, "[id,name]"),
            )
        )

    def _attach(self, rows: list[dict[str, Any]]) -> None:
        """What each order links to, read once for the page. Read with ``get`` so that an
        order lacking a link costs only itself (its translation says what it lacks)."""
        rows = [r for r in rows if isinstance(r, dict)]
        ids = "[" + "|".join(str(r.get("id")) for r in rows) + "]"
        per_order = {
            name: self.client.list(resource, {"filter[id_order]": ids, **extra}, what=what)
            for name, resource, extra, what in (
                ("_details", ep.ORDER_DETAILS, {}, M_("the orders' lines")),
                ("_rules", ep.ORDER_CART_RULES, {}, M_("the orders' cart rules")),
                (
                    "_messages",
                    ep.MESSAGES,
                    {"filter[private]": "[0]", "filter[id_employee]": "[0]"},
                    M_("the buyers' messages"),
                ),
            )
        }
        addresses = self.client.by_ids(
            ep.ADDRESSES,
            {str(r.get(k)) for r in rows for k in ("id_address_invoice", "id_address_delivery")},
            what=M_("the orders' addresses"),
        )
        buyers = self.client.by_ids(
            ep.CUSTOMERS,
            {str(r.get("id_customer")) for r in rows},
            {"display": "[id,email,firstname,lastname,is_guest]"},
            what=M_("the buyers"),
        )
        for row in rows:
            for name, records in per_order.items():
                row[name] = [r for r in records if str(r.get("id_order")) == str(row.get("id"))]
            row["_invoice"] = addresses.get(str(row.get("id_address_invoice")), {})
            row["_delivery"] = addresses.get(str(row.get("id_address_delivery")), {})
            row["_buyer"] = buyers.get(str(row.get("id_customer")), {})

    def _translate(self, raw: dict[str, Any]) -> Order:
        slug = self.states.get(str(raw.get("current_state")), "awaiting_payment")
        return translate(raw, slug, *self._lookups)

    def iter_orders(
        self,
        *,
        statuses: Sequence[str] | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        modified_after: datetime | None = None,
        include_archived: bool = False,
    ) -> Iterator[Order | ConnectorError]:
        """Oldest first; ``statuses`` are the slugs of the module docstring. PrestaShop has
        no archive, so ``include_archived`` changes nothing."""
        params: dict[str, Any] = {"sort": "[date_add_ASC,id_ASC]"}
        if statuses:
            ids = self._state_ids(statuses)
            if not ids:
                return
            params["filter[current_state]"] = "[" + "|".join(ids) + "]"
        if created_after or created_before:
            low = format_date(created_after) if created_after else "0000-00-00 00:00:00"
            high = format_date(created_before) if created_before else END
            params.update({"filter[date_add]": f"[{low},{high}]", "date": "1"})
        if modified_after:
            params.update(
                {"filter[date_upd]": f"[{format_date(modified_after)},{END}]", "date": "1"}
            )
        for page in self.client.pages(ep.ORDERS, params, what=M_("the list of orders"), page=100):
            if page:
                self._attach(page)
            yield from each_record(page, self._translate)

    def iter_open_orders(self) -> Iterator[Order | ConnectorError]:
        """Orders whose state is neither shipped nor delivered, cancelled, refunded nor in
        payment error: PrestaShop took their units from the quantity offered when they
        were placed, awaiting payment or not (``OrderDetail::checkProductStock``), and
        holds them until shipped (``StockManager::updateReservedProductQuantity``)."""
        return self.iter_orders(statuses=OPEN)

    def _raw_order(self, order_id: str) -> dict[str, Any]:
        path = ep.order(numeric_id(order_id, "order"))
        try:
            body = self.client.get(path, what=M_("order %(id)s", id=order_id))
        except NotFoundError as exc:
            raise NotFoundError(
                M_(
                    "order %(number)s no longer exists in the shop: %(error)s",
                    number=order_id,
                    error=said(exc),
                ),
                status=404,
                record_id=order_id,
            ) from exc
        return read_record(order_id, lambda: dict(body["order"]))

    def get_order(self, order_id: str) -> Order:
        raw = self._raw_order(order_id)
        self._attach([raw])
        return read_record(order_id, lambda: self._translate(raw))

    def with_notes(self, order: Order) -> Order:
        return order  # customer service threads (customer_threads) are not read

    def _set_state(self, order_id: str, status: str | None, current: str) -> None:
        if not status:
            return
        ids = [status] if status.isdigit() else self._state_ids([status])
        if not ids:
            raise RecordError(
                M_(
                    "no order state is %(status)s in the shop (give a state id, "
                    "or paid, shipped, delivered, canceled…)",
                    status=repr(status),
                )
            )
        if current not in ids:
            self.client.create(
                ep.ORDER_HISTORIES,
                {"id_order": order_id, "id_order_state": ids[0], "id_employee": "0"},
                what=M_("the state of order %(id)s", id=order_id),
            )

    def write_order_result(
        self, order_id: str, *, document_number: str, status: str | None
    ) -> None:
        raw = self._raw_order(order_id)
        note = str(raw.get("note") or "")
        wanted = with_line(note, SALE, document_number)
        if wanted != note:
            self.client.update(
                ep.ORDERS, raw, {"note": wanted}, what=M_("order %(id)s", id=order_id)
            )
        self._set_state(order_id, status, str(raw.get("current_state")))

    def write_shipment(
        self,
        order_id: str,
        *,
        carrier: str,
        tracking_number: str,
        shipped_at: datetime | None,
        notify_customer: bool,
        status: str | None,
    ) -> None:
        """O20: the tracking number on the order's ``order_carriers`` row, then the state."""
        raw = self._raw_order(order_id)
        if tracking_number:
            rows = self.client.list(
                ep.ORDER_CARRIERS,
                {"filter[id_order]": f"[{order_id}]"},
                what=M_("the carrier of order %(id)s", id=order_id),
            )
            for row in rows[:1]:
                if row.get("tracking_number") != tracking_number:
                    self.client.update(
                        ep.ORDER_CARRIERS,
                        row,
                        {"tracking_number": tracking_number},
                        what=M_("the tracking number of order %(id)s", id=order_id),
                    )
        self._set_state(order_id, status or "shipped", str(raw.get("current_state")))
