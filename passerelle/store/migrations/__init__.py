"""Alembic migrations of the state store (run by ``passerelle.store.migrate``).

To add one after changing ``models.py``::

    python -m passerelle.store.migrations revision -m "what changed"

then edit the generated file in ``versions/`` (it must not import ``models``:
a migration describes the schema at its own point in history).
"""
