"""The identity of each profile's shop, recorded once: what its order keys rest on.

Why recorded rather than computed at each run: an order's key in the
back-office is ``<shop identity>#<order id>``. Computed from the shop's URL
each time, the identity changed with the address (``127.0.0.1`` became
``localhost``, ``www.`` was added, the shop moved to a new domain) and every
order was imported again under a new key. Recorded at the profile's first
contact with its shop (or, for a profile upgraded from a version that did not
record it, taken from the address its keys already use), it stays the same
whatever the address becomes; ``passerelle profile move-shop`` changes the
address and keeps the identity.

One row per profile: the identity, the address it was recorded for or last
moved to, and the identity that address alone would give (so a file of orders
exported by the shop at its new address still meets the shop's orders).

Functions on a :class:`~passerelle.store.Store` rather than Store methods:
the Store's public surface is pinned, and this is one small table of its own.
Each function is one short transaction, like the Store's methods.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Connection, String, Table, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.store.engine import WRITE
from passerelle.store.models import EXTERNAL_ID, NAME, Base
from passerelle.store.store import Store

__all__ = [
    "ShopIdentity",
    "forget_shop_identity",
    "move_shop_address",
    "record_shop_identity",
    "shop_identity",
]


class ShopIdentityRow(Base):
    """The identity of one profile's shop (created by migration 0005)."""

    __tablename__ = "shop_identities"

    profile: Mapped[str] = mapped_column(String(NAME), primary_key=True)
    identity: Mapped[str] = mapped_column(String(EXTERNAL_ID))
    address: Mapped[str] = mapped_column(String(1000))
    address_identity: Mapped[str] = mapped_column(String(EXTERNAL_ID))
    recorded_at: Mapped[datetime]
    moved_at: Mapped[datetime | None]


_TABLE = cast(Table, ShopIdentityRow.__table__)


@dataclass(frozen=True, slots=True)
class ShopIdentity:
    """A profile's recorded shop identity and the address it now answers at."""

    profile: str
    identity: str
    address: str
    address_identity: str
    recorded_at: datetime
    moved_at: datetime | None

    @property
    def names(self) -> frozenset[str]:
        """Every name this shop is known by: its identity and its current address's."""
        return frozenset({self.identity, self.address_identity})


def shop_identity(store: Store, profile: str) -> ShopIdentity | None:
    """The identity recorded for ``profile``'s shop, or None before its first contact."""
    with store.engine.connect() as connection:
        row = connection.execute(select(_TABLE).where(_TABLE.c.profile == profile)).one_or_none()
    if row is None:
        return None
    return ShopIdentity(
        row.profile,
        row.identity,
        row.address,
        row.address_identity,
        _utc(row.recorded_at),
        _utc(row.moved_at) if row.moved_at else None,
    )


def record_shop_identity(
    store: Store, profile: str, identity: str, *, address: str, address_identity: str | None = None
) -> ShopIdentity:
    """Record ``identity`` for ``profile`` unless one is recorded; the one that stands.

    Two first runs at the same instant both try: the first insert wins and
    the other reads it back, so both key their orders the same way.
    """
    table = _TABLE
    try:
        with _writing(store) as connection:
            connection.execute(
                insert(table).values(
                    profile=profile,
                    identity=identity,
                    address=address,
                    address_identity=address_identity or identity,
                    recorded_at=datetime.now(UTC),
                    moved_at=None,
                )
            )
    except IntegrityError:
        pass  # recorded by another process meanwhile: that one stands
    recorded = shop_identity(store, profile)
    assert recorded is not None
    return recorded


def move_shop_address(
    store: Store, profile: str, *, address: str, address_identity: str
) -> ShopIdentity:
    """The profile's shop now answers at ``address``: the identity stays as recorded."""
    table = _TABLE
    with _writing(store) as connection:
        done = connection.execute(
            update(table)
            .where(table.c.profile == profile)
            .values(address=address, address_identity=address_identity, moved_at=datetime.now(UTC))
        )
    if done.rowcount != 1:
        raise LookupError(  # internal: called once the identity is recorded
            f"no shop identity is recorded for profile {profile!r}"
        )
    recorded = shop_identity(store, profile)
    assert recorded is not None
    return recorded


def forget_shop_identity(store: Store, profile: str) -> bool:
    """Drop the profile's recorded identity (its next run records one again)."""
    table = _TABLE
    with _writing(store) as connection:
        return bool(connection.execute(table.delete().where(table.c.profile == profile)).rowcount)


def _writing(store: Store) -> AbstractContextManager[Connection]:
    """A write transaction (SQLite's write lock taken up front, as the Store does)."""
    return store.engine.execution_options(**{WRITE: True}).begin()


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
