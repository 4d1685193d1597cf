"""Build the demo merchant's Tryton database once, then copy it in seconds.

Why a cached template: activating the Tryton modules and loading a chart of
accounts takes a minute or more, far too long for every test module or every
``passerelle demo``. The template is rebuilt only when its version stamp (a
hash of ``passerelle.demo_data``, of this builder and of the trytond version)
changes. Copies are made with SQLite's online backup (consistent even with a
WAL file) or PostgreSQL's ``CREATE DATABASE … TEMPLATE``.

The build is written to a temporary name and renamed at the end, so an
interrupted build never leaves a half-built template behind.

Run ``python -m passerelle.connectors.tryton --help`` for a command line
(``build`` the template, ``copy`` it), e.g. to prepare a PostgreSQL demo in a
process of its own: trytond's configuration is process-global.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from passerelle import demo_data
from passerelle.connectors.errors import FatalError
from passerelle.connectors.tryton.constants import MODULES
from passerelle.connectors.tryton.database import (
    ADMIN_LOGIN,
    TrytonTarget,
    configure,
    quiet_trytond_imports,
    run_retrying,
    session,
)
from passerelle.connectors.tryton.demo_records import load_demo_records
from passerelle.i18n.messages import M_, Mn_

__all__ = [
    "TEMPLATE_NAME",
    "build_demo_database",
    "copy_demo_database",
    "demo_stamp",
    "ensure_demo_template",
    "ensure_pg_demo_template",
]

TEMPLATE_NAME = "passerelle_demo_template"
_BUILD_SUFFIX = "_building"


def demo_stamp() -> str:
    """Version of the demo: changes when the data, this builder or trytond change."""
    import trytond

    digest = hashlib.sha256()
    here = Path(__file__).parent
    # Every demo builder module (demo.py, demo_records.py, demo_catalogue.py…).
    for module_file in (
        Path(demo_data.__file__),
        *sorted(here.glob("demo*.py")),
        here / "constants.py",
    ):
        digest.update(module_file.read_bytes())
    digest.update(trytond.__version__.encode())
    digest.update(",".join(MODULES).encode())
    digest.update(str(dt.date.today().year).encode())  # fiscal years around the current one
    return digest.hexdigest()[:16]


# --------------------------------------------------------------------------
# Template management
# --------------------------------------------------------------------------


def ensure_demo_template(cache_dir: Path) -> Path:
    """Return the SQLite template file in ``cache_dir``, building it if missing or stale."""
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    template = cache_dir / f"{TEMPLATE_NAME}.sqlite"
    stamp_file = cache_dir / f"{TEMPLATE_NAME}.stamp"
    stamp = demo_stamp()

    def fresh() -> bool:
        return (
            template.is_file() and stamp_file.is_file() and stamp_file.read_text().strip() == stamp
        )

    if fresh():
        return template
    # Several processes (pytest-xdist workers) may ask at once: one builds.
    with _file_lock(cache_dir / f"{TEMPLATE_NAME}.lock"):
        if fresh():
            return template
        _build_sqlite_template(cache_dir, template)
        stamp_file.write_text(stamp + "\n")
    return template


@contextmanager
def _file_lock(file: Path) -> Iterator[None]:
    import fcntl

    with open(file, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build_sqlite_template(cache_dir: Path, template: Path) -> None:
    build_name = f"{TEMPLATE_NAME}{_BUILD_SUFFIX}_{os.getpid()}"
    build_file = cache_dir / f"{build_name}.sqlite"
    _remove_sqlite(build_file)
    build_demo_database(TrytonTarget(build_name, "sqlite://", cache_dir))
    _sqlite_backup(build_file, template)  # folds the WAL into one file
    _remove_sqlite(build_file)


def copy_demo_database(
    cache_dir: Path,
    target_dir: Path | None,
    name: str,
    *,
    uri: str = "sqlite://",
) -> TrytonTarget:
    """Copy the demo template to a new database ``name`` and return where it is.

    SQLite: ``target_dir/<name>.sqlite`` (replaced if present). PostgreSQL
    (``uri`` ``postgresql://…``): ``CREATE DATABASE name TEMPLATE …``, the
    template being built on that server first if needed; ``target_dir`` is
    unused there. Database names must be unique within a process (trytond
    keys its caches by name).
    """
    if urlparse(uri).scheme == "postgresql":
        template_name = ensure_pg_demo_template(uri)
        _pg_copy(uri, template_name, name)
        return TrytonTarget(name, uri, None)
    if target_dir is None:
        # internal: passerelle demo always gives one; only the developers' module CLI may not
        raise ValueError("a SQLite copy needs a target directory")  # internal: see above
    template = ensure_demo_template(cache_dir)
    target_dir = Path(target_dir)
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{name}.sqlite"
    _remove_sqlite(target)
    shutil.copyfile(template, target)
    return TrytonTarget(name, "sqlite://", target_dir)


def _remove_sqlite(file: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{file}{suffix}").unlink(missing_ok=True)


def _sqlite_backup(source: Path, target: Path) -> None:
    tmp = target.with_name(target.name + ".tmp")
    _remove_sqlite(tmp)
    with sqlite3.connect(source) as src, sqlite3.connect(tmp) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")
    src.close()
    dst.close()
    os.replace(tmp, target)


# ----- PostgreSQL -----------------------------------------------------------


@contextmanager
def _pg_admin(uri: str) -> Iterator[Any]:
    """An autocommit connection to the server's ``postgres`` database."""
    import psycopg

    parsed = urlparse(uri)
    try:
        conn = psycopg.connect(
            host=parsed.hostname or None,
            port=parsed.port or None,
            user=parsed.username or None,
            password=parsed.password or None,
            dbname="postgres",
            autocommit=True,
            connect_timeout=5,
        )
    except psycopg.Error as exc:
        server = f"{parsed.hostname or 'localhost'}:{parsed.port or 5432}"
        raise FatalError(
            M_(
                "the PostgreSQL server %(server)s is unreachable: %(error)s",
                server=server,
                error=str(exc),
            )
        ) from exc
    try:
        yield conn
    finally:
        conn.close()


def _pg_databases(conn: Any) -> dict[str, str]:
    rows = conn.execute(
        "SELECT d.datname, coalesce(shobj_description(d.oid, 'pg_database'), '') FROM pg_database d"
    ).fetchall()
    return {name: comment for name, comment in rows}


def _pg_drop(conn: Any, name: str) -> None:
    from psycopg import sql

    conn.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid()",
        (name,),
    )
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def ensure_pg_demo_template(uri: str) -> str:
    """Build the demo template on the PostgreSQL server of ``uri`` if missing or stale.

    The version stamp is kept as the template database's comment. Returns
    the template's name. Building configures trytond for ``uri`` in this
    process (see :mod:`.database` on the one-URI-per-process limit).
    """
    from psycopg import sql

    stamp = demo_stamp()
    with _pg_admin(uri) as conn:
        databases = _pg_databases(conn)
        if databases.get(TEMPLATE_NAME) == stamp:
            return TEMPLATE_NAME
        build_name = TEMPLATE_NAME + _BUILD_SUFFIX
        _pg_drop(conn, build_name)
        conn.execute(
            sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
                sql.Identifier(build_name)
            )
        )
    build_demo_database(TrytonTarget(build_name, uri, None), create=False)
    _close_trytond_pool(build_name)
    with _pg_admin(uri) as conn:
        _pg_drop(conn, TEMPLATE_NAME)
        conn.execute(
            sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                sql.Identifier(build_name), sql.Identifier(TEMPLATE_NAME)
            )
        )
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(TEMPLATE_NAME), sql.Literal(stamp)
            )
        )
    return TEMPLATE_NAME


def _close_trytond_pool(name: str) -> None:
    """Close trytond's connections to ``name`` so the database can be renamed or copied."""
    from trytond import backend
    from trytond.pool import Pool

    if name in Pool.database_list():
        Pool.stop(name)
    try:
        backend.Database(name).close()
    except Exception:  # noqa: BLE001 - nothing to close
        pass


def _pg_copy(uri: str, template: str, name: str) -> None:
    from psycopg import sql

    with _pg_admin(uri) as conn:
        _pg_drop(conn, name)
        # Nobody may be connected to the template while it is copied.
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (template,),
        )
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )


# --------------------------------------------------------------------------
# The build itself
# --------------------------------------------------------------------------


def build_demo_database(target: TrytonTarget, *, create: bool = True) -> None:
    """Create ``target`` and fill it with the demo merchant (takes a minute or two).

    ``create=False`` when the (empty) database already exists (PostgreSQL).
    """
    started = time.monotonic()
    configure(target.uri, target.path)
    with quiet_trytond_imports():
        if create:
            _create_empty_database(target)
        _init_database(target)
        _activate_and_set_up_accounting(target)
        _load_demo_records(target)
    elapsed = time.monotonic() - started
    import logging

    logging.getLogger(__name__).info("built %s in %.1fs", target.describe(), elapsed)


def _create_empty_database(target: TrytonTarget) -> None:
    from trytond import backend

    if target.path is not None:
        Path(target.path).mkdir(parents=True, exist_ok=True)
    database = backend.Database()
    database.connect()
    connection = database.get_connection(autocommit=True)
    try:
        database.create(connection, target.database)
    finally:
        database.put_connection(connection)
        database.close()


def _init_database(target: TrytonTarget, lang: str = "en") -> None:
    """What ``trytond-admin --all`` does for a new database, without prompts."""
    from sql import Table
    from trytond import backend
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    database = backend.Database(target.database)
    connection = database.get_connection()
    try:
        with connection.cursor() as cursor:
            database.init()
            ir_configuration = Table("ir_configuration")
            cursor.execute(*ir_configuration.insert([ir_configuration.language], [[lang]]))
        connection.commit()
    finally:
        database.put_connection(connection)

    Pool.start()
    pool = Pool(target.database)
    pool.init(update=["res", "ir"], lang=[lang])
    with Transaction().start(target.database, 0):
        User = pool.get("res.user")
        Lang = pool.get("ir.lang")
        (language,) = Lang.search([("code", "=", lang)])
        language.translatable = True
        language.save()
        User.create(
            [
                {
                    "login": ADMIN_LOGIN,
                    "name": "Administrator",
                    "administrator": True,
                    "language": language.id,
                }
            ]
        )
        pool.get("ir.module").update_list()


@contextmanager
def _proteus(target: TrytonTarget) -> Iterator[Any]:
    """A proteus configuration on ``target`` (proteus sets an environment variable; undo it)."""
    from proteus import config as pconfig

    saved = os.environ.get("TRYTOND_DATABASE_URI")
    try:
        yield pconfig.set_trytond(target.database, user=ADMIN_LOGIN)
    finally:
        if saved is None:
            os.environ.pop("TRYTOND_DATABASE_URI", None)
        else:
            os.environ["TRYTOND_DATABASE_URI"] = saved


def _activate_and_set_up_accounting(target: TrytonTarget) -> None:
    """Modules, company and chart of accounts, with Tryton's own test helpers."""
    from proteus import Model, Wizard
    from trytond.modules.account.tests.tools import create_chart
    from trytond.modules.company.tests.tools import create_company

    with _proteus(target) as config:
        Module = Model.get("ir.module")
        modules = Module.find([("name", "in", list(MODULES))])
        missing = set(MODULES) - {m.name for m in modules}
        if missing:
            raise FatalError(
                Mn_(
                    "Tryton module not installed: %(modules)s",
                    "Tryton modules not installed: %(modules)s",
                    len(missing),
                    modules=sorted(missing),
                )
            )
        Module.click(modules, "activate")
        Wizard("ir.module.activate_upgrade").execute("upgrade")

        Currency = Model.get("currency.currency")
        CurrencyRate = Model.get("currency.currency.rate")
        eur = Currency(name="Euro", symbol="€", code=demo_data.CURRENCY, rounding=Decimal("0.01"))
        eur.save()
        CurrencyRate(date=dt.date(2000, 1, 1), rate=Decimal(1), currency=eur).save()

        Country = Model.get("country.country")
        france = Country(name="France", code="FR", code3="FRA", code_numeric="250")
        france.save()

        Party = Model.get("party.party")
        party = Party(name=demo_data.COMPANY)
        address = party.addresses[0] if party.addresses else party.addresses.new()
        address.street = "1 rue de la Passerelle"
        address.postal_code = "75001"
        address.city = "Paris"
        address.country = france
        party.save()
        create_company(party=party, currency=eur, config=config)

        create_chart(config=config)


def _load_demo_records(target: TrytonTarget) -> None:
    """Accounting, catalogue, stock, customers, journals: one transaction, trytond API.

    Replayed with the locks trytond asks for (PostgreSQL locks tables that
    SQLite does not), see :func:`.database.run_retrying`.
    """

    @contextmanager
    def open_session(extras: dict[str, Any]) -> Iterator[None]:
        from trytond.transaction import Transaction

        with session(target, extras=extras), Transaction().set_context(_skip_warnings=True):
            yield

    run_retrying(open_session, load_demo_records)


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    """``build`` the template (SQLite cache dir or PostgreSQL URI) or ``copy`` it."""
    parser = argparse.ArgumentParser(prog="python -m passerelle.connectors.tryton")
    parser.add_argument("action", choices=("build", "copy"))
    parser.add_argument("--uri", default="sqlite://")
    parser.add_argument("--cache-dir", type=Path, default=Path(".cache/tryton-demo"))
    parser.add_argument("--target-dir", type=Path, default=None)
    parser.add_argument("--name", default="passerelle_demo")
    args = parser.parse_args(argv)
    started = time.monotonic()
    if args.action == "build":
        if urlparse(args.uri).scheme == "postgresql":
            print(ensure_pg_demo_template(args.uri))
        else:
            print(ensure_demo_template(args.cache_dir))
    else:
        target = copy_demo_database(args.cache_dir, args.target_dir, args.name, uri=args.uri)
        print(target.describe())
    print(f"done in {time.monotonic() - started:.1f}s")
