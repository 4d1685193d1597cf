"""Tryton back-office connector: trytond embedded in-process (SQLite file or PostgreSQL).

Public surface:

- :class:`TrytonBackOffice` — the ``BackOffice`` protocol on a Tryton database;
- :class:`TrytonTarget` — where a database is (name, server URI, SQLite directory);
- :func:`ensure_demo_template`, :func:`copy_demo_database` — the demo merchant;
- :data:`PAYMENT_JOURNALS`, :data:`MODULES`, :data:`EXTERNAL_KEY_SHOP` — names
  the profiles and the packaging need.

Importing this package does not import trytond; that happens on first use,
after :func:`~.database.configure` has set trytond's process-global config.
"""

from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.connectors.tryton.constants import EXTERNAL_KEY_SHOP, MODULES, PAYMENT_JOURNALS
from passerelle.connectors.tryton.database import TrytonTarget
from passerelle.connectors.tryton.demo import copy_demo_database, ensure_demo_template

__all__ = [
    "EXTERNAL_KEY_SHOP",
    "MODULES",
    "PAYMENT_JOURNALS",
    "TrytonBackOffice",
    "TrytonTarget",
    "copy_demo_database",
    "ensure_demo_template",
]
