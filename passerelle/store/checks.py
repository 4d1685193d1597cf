"""Argument checks shared by the store's repositories and the job queue.

Every write checks its arguments before it opens a transaction: a wrong type
caught here is a clear error at the caller, where stored it would be a
confusing value read back by another run (or a record imported twenty times).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from passerelle.store.records import COUNT_KEYS

__all__ = ["check_counts", "check_hash", "check_id", "check_name", "check_text", "is_sha256"]

#: Whether a text is a lowercase hex sha256, whole: a compiled match, asked for every
#: binding written.
is_sha256 = re.compile("[0-9a-f]{64}").fullmatch


def check_name(label: str, value: object) -> None:
    """A profile, flow, kind or lane name: a non-empty string."""
    if not isinstance(value, str) or not value:
        raise ValueError(  # internal: the store API given a wrong value (a bug)
            f"{label} must be a non-empty string, got {value!r}"
        )


def check_id(label: str, value: object) -> None:
    """A record id: a non-empty string, never an int.

    An int id stored as "12" on one side and 12 on the other is how a product
    gets imported twenty times: ids are strings, always.
    """
    if not isinstance(value, str) or not value:
        raise TypeError(  # internal: the store API given a wrong value (a bug)
            f"{label} must be a non-empty string, got {value!r}"
        )


def check_text(label: str, value: object, *, optional: bool = False) -> None:
    """Opaque text stored as given (a dict or bytes here is a caller bug)."""
    if value is None and optional:
        return
    if not isinstance(value, str):
        raise TypeError(  # internal: the store API given a wrong value (a bug)
            f"{label} must be a string, got {type(value).__name__}"
        )


def check_hash(value: object) -> None:
    """A content hash: ``None`` or a lowercase hex sha256."""
    if value is None:
        return
    if not (isinstance(value, str) and is_sha256(value)):
        raise ValueError(  # internal: the store API given a wrong value (a bug)
            f"content_hash must be a lowercase hex sha256, got {value!r}"
        )


def check_counts(counts: Mapping[str, int] | None) -> dict[str, int]:
    """A run's counts with every key of :data:`COUNT_KEYS` (missing ones 0).

    A key outside :data:`COUNT_KEYS` is a typo, an error rather than a
    silently lost number.
    """
    given = dict(counts or {})
    unknown = sorted(set(given) - set(COUNT_KEYS))
    if unknown:
        raise ValueError(  # internal: the store API given a wrong value (a bug)
            f"unknown run counts {unknown}; expected among {list(COUNT_KEYS)}"
        )
    for key, value in given.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(  # internal: the store API given a wrong value (a bug)
                f"run count {key!r} must be a non-negative int, got {value!r}"
            )
    return {key: int(given.get(key, 0)) for key in COUNT_KEYS}
