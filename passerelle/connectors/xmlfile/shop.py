"""``XmlFileShop``: an orders file seen as a shop (O19), read side only.

Why a Shop rather than a separate import path: the import flow then works
unchanged — same exactly-once keys, same parking, same bookmarks — whether
orders come from a shop's API or from a file a marketplace dropped.

Identity: ``xml:<source>``, from the root's required ``source`` attribute,
not from the file name. Order keys are ``<identity>#<order id>``, so

- importing the same file again, or next month's export of the same shop
  under another file name, finds the orders already imported (same source,
  same ids) and writes nothing twice;
- two files from different shops, each with its own order 1001, do not
  collide as long as their sources differ — which is why the source is
  required and must name the shop, not the file;
- the ``xml:`` prefix keeps file keys apart from API shop keys
  (``host/path#id``), which never start that way.

A file exported from a shop may also name that shop (the root's ``shop``
attribute, :attr:`XmlFileShop.declared_shop`): the import flow then keys its
orders as that shop's when it is the profile's shop, so they meet the orders
read from the shop's API (``flows/shop_identity.py``).

Orders are streamed (``reader.stream_orders``): each call reads the file
from its start and hands orders over as they are read, never the whole
file at once, so a file of any size imports in flat memory.

A file has nothing to write back to: the order result and the shipment
are accepted and dropped (the back-office keeps them; the file is only an
input), and every catalogue or customer call raises ``FatalError``, since a
flow that needs them was pointed at the wrong kind of shop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from passerelle.connectors.base import (
    CategoryWrite,
    ConnectionReport,
    CustomerWrite,
    GroupWrite,
    ProductWrite,
    WriteOutcome,
)
from passerelle.connectors.errors import ConnectorError, FatalError, NotFoundError, RecordError
from passerelle.i18n import _, ngettext
from passerelle.i18n.messages import M_, Message, render, said
from passerelle.model import Order, ShopCategory, ShopCustomer, ShopProduct

from .reader import FileHeader, read_header, stream_orders

__all__ = ["IDENTITY_PREFIX", "XmlFileShop"]

IDENTITY_PREFIX = "xml:"


def _aware(moment: datetime | None) -> datetime | None:
    """Filters given without a zone are read as UTC, like the shop connectors' ``*_gmt``."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


class XmlFileShop:
    """The orders of one XML file (``docs/orders-xml.md``) behind the ``Shop`` protocol."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._header: FileHeader | None = None

    def _read_header(self) -> FileHeader:
        if self._header is None:
            self._header = read_header(self.path)
        return self._header

    # ------------------------------------------------------------------ identity
    @property
    def identity(self) -> str:
        """``xml:<source>``: stable across re-imports and file renames (see the module doc)."""
        return f"{IDENTITY_PREFIX}{self._read_header().source}"

    @property
    def declared_shop(self) -> str | None:
        """The shop the file says its orders come from (an identity or an address), if any."""
        return self._read_header().shop

    @property
    def request_count(self) -> int:
        return 0  # a file costs no request

    def on_retry(self, listener: Callable[[str], None] | None) -> None:
        """Nothing is ever retried when reading a file."""

    def batch_size(self, kind: str) -> int:
        return 100  # nothing is written to a file of orders; the flows' default

    def test_connection(self) -> ConnectionReport:
        """Readable, XML, this format and version, every order valid: ok; else what to fix.

        Said in the language of whoever asked (the CLI's, a console request's).
        """
        count, refused = 0, 0
        problems: list[str] = []
        try:
            source = self._read_header().source
            for item in stream_orders(self.path):
                count += 1
                if isinstance(item, RecordError):
                    refused += 1
                    if len(problems) < 3:
                        problems.append(render(said(item)))
        except FatalError as exc:
            return ConnectionReport(False, render(said(exc)))
        summary = ngettext(
            "%(file)s: %(num)s order from source %(source)r",
            "%(file)s: %(num)s orders from source %(source)r",
            count,
            file=self.path.name,
            source=source,
        )
        if refused:
            more = refused - len(problems)
            found = _(
                "%(summary)s, %(refused)s cannot be read: %(problems)s",
                summary=summary,
                refused=refused,
                problems="; ".join(problems),
            )
            if more > 0:
                found = ngettext(
                    "%(found)s; and %(num)s more refused order",
                    "%(found)s; and %(num)s more refused orders",
                    more,
                    found=found,
                )
            return ConnectionReport(False, found)
        return ConnectionReport(True, summary)

    def close(self) -> None:
        """Forget the header read: the next call reads the file again."""
        self._header = None

    def __enter__(self) -> XmlFileShop:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ orders
    def iter_orders(
        self,
        *,
        statuses: Sequence[str] | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        modified_after: datetime | None = None,
        include_archived: bool = False,
    ) -> Iterator[Order | ConnectorError]:
        """The file's orders in the file's order, as they are read; a refused order as
        its error, where it stands in the file.

        Periods are half-open: ``created_after <= created < created_before``;
        ``modified_after`` compares with the modification date, or the
        creation date for an order never modified. ``statuses`` match the
        canonical status or the shop's own word. Refused orders cannot be
        filtered (their dates may be what is wrong) and always come back,
        so the import flow parks them under their id.
        """
        wanted = set(statuses) if statuses else None
        after, before = _aware(created_after), _aware(created_before)
        changed_after = _aware(modified_after)
        for order in stream_orders(self.path):
            if isinstance(order, RecordError):
                yield order
                continue
            if order.archived and not include_archived:
                continue
            if (
                wanted is not None
                and order.status.value not in wanted
                and order.shop_status not in wanted
            ):
                continue
            if after is not None and order.created_at < after:
                continue
            if before is not None and order.created_at >= before:
                continue
            if (
                changed_after is not None
                and (order.modified_at or order.created_at) < changed_after
            ):
                continue
            yield order

    def with_notes(self, order: Order) -> Order:
        """The file gives the notes with the order already."""
        return order

    def get_order(self, order_id: str) -> Order:
        """The order with that id, archived or not; its RecordError if the file refuses it.

        Read through the file up to that order (a file has no index).
        """
        for item in stream_orders(self.path):
            if isinstance(item, Order):
                if item.source_id == order_id:
                    return item
            elif item.record_id == order_id:
                raise RecordError(item.said, record_id=order_id)
        raise NotFoundError(
            M_("order %(id)s is not in %(file)s", id=order_id, file=self.path.name),
            record_id=order_id,
        )

    def write_order_result(
        self, order_id: str, *, document_number: str, status: str | None
    ) -> None:
        """Nothing to write back: the back-office keeps the document number."""
        return None

    def iter_open_orders(self) -> Iterator[Order | ConnectorError]:
        """None: a file holds no stock, so none of its orders holds any back."""
        return iter(())

    @property
    def holds_reservations(self) -> bool:
        return False

    def missing_references(self, kind: str, names: Iterable[str]) -> set[str]:
        """Nothing is missing: a file names its own methods and statuses on each order,
        and the import's mappings say what each becomes."""
        return set()

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
        """Nothing to write back: a file cannot tell a buyer the parcel left."""
        return None

    # ------------------------------------------------------------------ not a catalogue
    def _read_only(self, what: Message) -> FatalError:
        return FatalError(
            M_(
                "an XML order file is read-only: cannot %(what)s in %(file)s; "
                "point this flow at a shop connector (only the order import reads files)",
                what=what,
                file=self.path.name,
            )
        )

    def _no_catalogue(self, what: Message) -> FatalError:
        return FatalError(
            M_(
                "an XML order file holds orders only: it has no %(what)s; "
                "point this flow at a shop connector (only the order import reads files)",
                what=what,
            )
        )

    def list_categories(self) -> list[tuple[str, ShopCategory]]:
        raise self._no_catalogue(M_("categories"))

    def write_categories(self, writes: Sequence[CategoryWrite]) -> list[WriteOutcome]:
        raise self._read_only(M_("write categories"))

    def find_products_by_sku(self, skus: Iterable[str]) -> dict[str, str]:
        raise self._no_catalogue(M_("products"))

    def write_products(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        raise self._read_only(M_("write products"))

    def write_variations(
        self, parent_shop_id: str, writes: Sequence[ProductWrite]
    ) -> list[WriteOutcome]:
        raise self._read_only(M_("write variations"))

    def find_customers_by_email(self, emails: Iterable[str]) -> dict[str, str]:
        raise self._no_catalogue(M_("customer accounts"))

    def write_customers(self, writes: Sequence[CustomerWrite]) -> list[WriteOutcome]:
        raise self._read_only(M_("write customers"))

    def iter_products(self) -> Iterator[ShopProduct]:
        raise self._no_catalogue(M_("products"))

    def write_customer_groups(self, writes: Sequence[GroupWrite]) -> list[WriteOutcome]:
        raise self._read_only(M_("write customer groups"))

    def iter_customers(self, *, created_after: datetime | None = None) -> Iterator[ShopCustomer]:
        raise self._no_catalogue(M_("customer accounts"))
