"""Run the Alembic migrations shipped inside the package, from code.

No ``alembic.ini`` is needed at runtime: the configuration is built here with
``script_location`` pointing at ``passerelle/store/migrations``, so an
installed wheel can migrate a data directory created by an older version.

Two details that matter in production:

* On PostgreSQL, several workers may start at once; a transaction-scoped
  advisory lock makes them migrate one after the other (the second finds the
  schema at head and does nothing).
* On SQLite, foreign keys are switched off while migrating. A future
  migration that alters a table runs in Alembic's batch mode, which copies
  the table and drops the old one; with foreign keys on, that ``DROP`` would
  cascade and silently delete every journal line of every run. Integrity is
  checked with ``PRAGMA foreign_key_check`` before committing instead.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection

from passerelle.store.engine import WRITE

__all__ = [
    "MIGRATIONS_DIR",
    "alembic_config",
    "current_revision",
    "downgrade",
    "head_revision",
    "upgrade",
]

MIGRATIONS_DIR = Path(__file__).resolve().with_name("migrations")
# Arbitrary constant key for pg_advisory_xact_lock ("pass" in ASCII).
_PG_LOCK_KEY = 0x70617373


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic ``Config`` for the packaged migrations, bound to ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision shipped with this version of passerelle."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migration shipped"
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or ``None`` for an empty database."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database up to ``revision`` (idempotent at head)."""
    _run(engine, lambda config: command.upgrade(config, revision))


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the database down to ``revision`` (``"base"`` drops everything)."""
    _run(engine, lambda config: command.downgrade(config, revision))


def _run(engine: Engine, step: object) -> None:
    assert callable(step)
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            # Must happen outside a transaction, hence on the raw connection.
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            conn = conn.execution_options(**{WRITE: True})
            with conn.begin():
                if engine.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
                step(alembic_config(conn))
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(  # internal: a migration's bug
                            f"migration broke foreign keys: {broken[:5]}"
                        )
        finally:
            if sqlite:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
