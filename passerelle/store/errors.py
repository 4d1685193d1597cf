"""Failures of the state store itself, as opposed to a record's or a shop's.

A flow parks a record that fails and goes on; a store that cannot be read or
written stops the run instead, since nothing it did could be remembered.
Flows let :class:`StoreError` through for that reason.
"""

from __future__ import annotations

__all__ = ["StoreError"]


class StoreError(Exception):
    """The state store cannot be used: its message names the file and what to do."""
