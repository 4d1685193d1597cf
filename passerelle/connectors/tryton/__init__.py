"""Tryton back-office connector: trytond embedded in-process (SQLite file or PostgreSQL).

Public surface:

- :class:`TrytonBackOffice` — the ``BackOffice`` protocol on a Tryton database;
- :class:`TrytonTarget` — where a database is (name, server URI, SQLite directory);
- :data:`PAYMENT_JOURNALS`, :data:`MODULES`, :data:`EXTERNAL_KEY_SHOP` — names
  the profiles and the packaging need.

The demo merchant's database is built by :mod:`.demo` (from
:mod:`passerelle.demo_data`), which only the demo and the test fixtures
import: the connector itself never reads the demo data.

Importing this package does not import trytond; that happens on first use,
after :func:`~.database.configure` has set trytond's process-global config.
"""

from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.connectors.tryton.constants import EXTERNAL_KEY_SHOP, MODULES, PAYMENT_JOURNALS
from passerelle.connectors.tryton.database import TrytonTarget

__all__ = [
    "EXTERNAL_KEY_SHOP",
    "MODULES",
    "PAYMENT_JOURNALS",
    "TrytonBackOffice",
    "TrytonTarget",
]
