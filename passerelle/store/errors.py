"""Failures of the state store itself, as opposed to a record's or a shop's.

A flow parks a record that fails and goes on; a store that cannot be read or
written stops the run instead, since nothing it did could be remembered.
Flows let :class:`StoreError` through for that reason, and the command line
prints its message alone (no traceback) and exits non-zero.

Each subclass is one thing a merchant can meet; the message always names the
file (or the database), says what is wrong and what to do about it.
"""

from __future__ import annotations

from passerelle.i18n.messages import SaidError

__all__ = [
    "StoreBusy",
    "StoreCorrupt",
    "StoreEmptied",
    "StoreError",
    "StoreFull",
    "StoreReadOnly",
    "StoreUnavailable",
]


class StoreError(SaidError):
    """The state store cannot be used: its message names the file and what to do
    (a kept message is said in the reader's language, see ``said``)."""


class StoreEmptied(StoreError):
    """The store file is gone or empty although the data directory says it held data.

    Rebuilding it empty would silently forget the queue, the webhook
    de-duplication records and the history (and import orders twice), so it
    is refused until a person restores a backup or starts afresh on purpose.
    """


class StoreCorrupt(StoreError):
    """The store file is damaged or is not a passerelle store at all."""


class StoreReadOnly(StoreError):
    """The store (or its folder) cannot be written: permissions or a read-only disk."""


class StoreFull(StoreError):
    """The disk (or the database server) holding the store has no space left."""


class StoreBusy(StoreError):
    """Another process held the store's lock longer than the busy timeout."""


class StoreUnavailable(StoreError):
    """The store cannot be opened or reached (I/O error, server down, bad address)."""
