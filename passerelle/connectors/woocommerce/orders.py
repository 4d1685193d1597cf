"""Orders of a WooCommerce shop: reading them (with refunds, coupons, notes) and
writing back what the back-office did (sale number, shipment, status).

Docs: woocommerce-rest-api-docs ``_orders.md``, ``_order-refunds.md``,
``_order-notes.md``, ``_coupons.md``. Orders cost one request per page of 100,
plus only what an order needs: ``GET /orders/<id>/refunds`` for an order whose
``refunds`` summary is not empty, ``GET /coupons?code=`` once per coupon code
(for its description), and ``GET /orders/<id>/notes`` only when a flow asks
(:meth:`OrderAccess.with_notes`). Updating an order the shop no longer has is
400 ``woocommerce_rest_shop_order_invalid_id`` (``WC_REST_CRUD_Controller::
update_item``), reading it 404: both are "no longer exists in the shop".
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from passerelle.connectors.errors import ConnectorError, NotFoundError, RecordError
from passerelle.connectors.paths import numeric_id
from passerelle.connectors.reading import each_record, read_record
from passerelle.connectors.woocommerce import endpoints as ep
from passerelle.connectors.woocommerce.client import WooCommerceClient
from passerelle.connectors.woocommerce.translate_categories import NUMBER_META_KEY
from passerelle.connectors.woocommerce.translate_orders import (
    ARCHIVED_STATUS,
    note_from_wire,
    order_from_wire,
)
from passerelle.connectors.woocommerce.translate_tracking import (
    TRACKING_META_KEY,
    has_tracking,
    tracking_item,
    with_tracking,
)
from passerelle.connectors.woocommerce.translate_values import format_datetime, meta_value
from passerelle.i18n.messages import M_, Message, said
from passerelle.model import Order, OrderNote

__all__ = ["ORDER_GONE_CODE", "SHIPMENT_NOTE", "OrderAccess"]

# The note told to the shop (and, if asked, to the buyer) when an order left.
SHIPMENT_NOTE = "Commande expédiée par {carrier}{tracking}."
ORDER_GONE_CODE = "woocommerce_rest_shop_order_invalid_id"


class OrderAccess:
    """The order half of :class:`WooCommerceShop` (which sets ``client``)."""

    client: WooCommerceClient
    _coupon_descriptions: dict[str, str]

    def iter_orders(
        self,
        *,
        statuses: Sequence[str] | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        modified_after: datetime | None = None,
        include_archived: bool = False,
    ) -> Iterator[Order | ConnectorError]:
        """Orders oldest first; an unreadable order comes as its error, not a stop.

        ``include_archived`` adds the trash: ``status=any`` (the default)
        excludes it (``_orders.md``), so the trash is walked too and the two
        date-ordered walks are merged.
        """
        params: dict[str, Any] = {"orderby": "date", "order": "asc", "dates_are_gmt": "true"}
        if created_after:
            params["after"] = format_datetime(created_after)
        if created_before:
            params["before"] = format_datetime(created_before)
        if modified_after:
            params["modified_after"] = format_datetime(modified_after)
        if statuses:
            wanted = list(statuses)
            if include_archived and ARCHIVED_STATUS not in wanted:
                wanted.append(ARCHIVED_STATUS)
            raws: Iterable[Any] = self.client.iter_all(
                ep.ORDERS, dict(params, status=",".join(wanted)), what=M_("the orders")
            )
        else:
            raws = self.client.iter_all(
                ep.ORDERS, dict(params, status="any"), what=M_("the orders")
            )
            if include_archived:
                trash = self.client.iter_all(
                    ep.ORDERS,
                    dict(params, status=ARCHIVED_STATUS),
                    what=M_("the orders in the trash"),
                )
                raws = heapq.merge(raws, trash, key=_created_key)
        yield from each_record(raws, self._order)

    def iter_open_orders(self) -> Iterator[Order | ConnectorError]:
        """Orders whose stock WooCommerce took and that are not shipped: ``processing``
        and ``on-hold`` (``wc_maybe_reduce_stock_levels`` runs on both; ``completed``
        is shipped, ``pending`` takes nothing), read 100 a page, oldest first."""
        return self.iter_orders(statuses=("processing", "on-hold"))

    def get_order(self, order_id: str, *, with_notes: bool = False) -> Order:
        path = ep.order(numeric_id(order_id, "order"))
        raw = self.client.get(path, what=_the_order(order_id))
        order = read_record(order_id, lambda: self._order(raw))
        return self.with_notes(order) if with_notes else order

    def _order(self, raw: Any) -> Order:
        """Translate one order, reading its refunds and coupon descriptions if it has any."""
        if not isinstance(raw, Mapping):
            return order_from_wire(raw)  # raises the RecordError naming the shape
        order_id = raw.get("id")
        refunds: list[dict[str, Any]] = []
        if raw.get("refunds"):
            refunds = list(
                self.client.iter_all(
                    ep.order_refunds(order_id),
                    what=M_("the refunds of order %(number)s", number=order_id),
                )
            )
        codes = {
            str(c.get("code") or "").lower()
            for c in raw.get("coupon_lines") or []
            if isinstance(c, Mapping)
        }
        return order_from_wire(raw, coupon_descriptions=self._descriptions(codes), refunds=refunds)

    def _descriptions(self, codes: Iterable[str]) -> dict[str, str]:
        """Coupon descriptions by code (``GET /coupons?code=``), each code read once."""
        for code in sorted(c for c in codes if c and c not in self._coupon_descriptions):
            found = self.client.get(
                ep.COUPONS, {"code": code}, what=M_("coupon %(code)s", code=code)
            )
            match = next(
                (
                    c
                    for c in found or []
                    if isinstance(c, Mapping) and str(c.get("code") or "").lower() == code
                ),
                None,
            )
            self._coupon_descriptions[code] = str(match.get("description") or "") if match else ""
        return self._coupon_descriptions

    def order_notes(self, order_id: str) -> tuple[OrderNote, ...]:
        """The order's messages (``GET /orders/<id>/notes``), oldest first.

        WooCommerce's own event notes (author "system") are left out.
        """
        raw = self.client.get(
            ep.order_notes(order_id), what=M_("the notes of order %(number)s", number=order_id)
        )
        notes = [n for n in (note_from_wire(r) for r in raw or []) if n is not None]
        return tuple(sorted(notes, key=lambda n: n.created_at.timestamp() if n.created_at else 0.0))

    def with_notes(self, order: Order) -> Order:
        """``order`` with its messages read (one request): call it for orders you import."""
        return replace(order, notes=self.order_notes(order.source_id))

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
        """O20: tracking in the Shipment Tracking meta, the status, and a note.

        Three requests: the order is read (its tracking items are kept, as
        the extension keeps them), then one ``PUT`` writes the tracking and
        the status, then one note tells carrier and number (to the buyer too
        when ``notify_customer``). Told twice — a retry after a lost answer —
        it adds neither a second tracking item nor a second note.
        """
        what = _the_order(order_id)
        try:
            raw = self.client.get(ep.order(order_id), what=what)
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
        existing = meta_value(raw, TRACKING_META_KEY)
        retold = bool(tracking_number) and has_tracking(existing, tracking_number)
        body: dict[str, Any] = {}
        if tracking_number and not retold:
            item = tracking_item(carrier, tracking_number, shipped_at)
            body["meta_data"] = [{"key": TRACKING_META_KEY, "value": with_tracking(existing, item)}]
        if status and raw.get("status") != status:
            body["status"] = status
        if body:
            self.client.put(ep.order(order_id), body, what=what)
        tracking = f", suivi {tracking_number}" if tracking_number else ""
        text = SHIPMENT_NOTE.format(carrier=carrier or "le transporteur", tracking=tracking)
        if retold and any(n.text == text for n in self.order_notes(order_id)):
            return
        self.client.post(
            ep.order_notes(order_id),
            {"note": text, "customer_note": notify_customer},
            what=M_("a note on order %(number)s", number=order_id),
        )

    def write_order_result(
        self, order_id: str, *, document_number: str, status: str | None
    ) -> None:
        body: dict[str, Any] = {"meta_data": [{"key": NUMBER_META_KEY, "value": document_number}]}
        if status:
            body["status"] = status
        try:
            self.client.put(ep.order(order_id), body, what=_the_order(order_id))
        except RecordError as exc:
            # Updating a deleted order is 400 woocommerce_rest_shop_order_invalid_id
            # (WC_REST_CRUD_Controller::update_item), not 404.
            if not isinstance(exc, NotFoundError) and exc.code != ORDER_GONE_CODE:
                raise
            raise NotFoundError(
                M_(
                    "order %(number)s no longer exists in the shop: %(error)s",
                    number=order_id,
                    error=said(exc),
                ),
                status=404,
            ) from exc


def _the_order(order_id: str) -> Message:
    """The order as a request names it ("WooCommerce refused the order 12: …")."""
    return M_("the order %(number)s", number=order_id)


def _created_key(raw: Any) -> str:
    """Merge key of two date-ordered order walks."""
    return str(raw.get("date_created_gmt") or "") if isinstance(raw, Mapping) else ""
