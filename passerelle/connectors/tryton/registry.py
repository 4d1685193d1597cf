"""One trytond model registry for the databases of a process that load the same modules.

Why: trytond builds its model classes (its "pool") once per database name, and
that costs about a second of CPU each time: every model class of every module
set up again. A process that opens several databases with the same activated
modules pays it for each: a test suite with a copy of the demo per module or
per example, a merchant with one database per company. The classes trytond
builds depend only on the modules it loads (``trytond.modules.load_module_graph``
with nothing to update reads nothing else from the database), and every cache
trytond keeps is keyed by database name, so such databases can share one
registry. A database with a module still to activate, upgrade or remove is
never shared: trytond's own ``Pool.init`` deals with it.

This leans on trytond's pool internals (``Pool._pools``, ``_pool_modules``,
``_pool_instances``), which the pinned trytond series keeps; ``Pool.init``
uses them the same way.
"""

from __future__ import annotations

from typing import Any

__all__ = ["load_registry"]

# Loaded databases by (backend, modules loaded): the database whose registry others share.
_BUILT: dict[tuple[str, frozenset[str]], str] = {}

_PENDING = ("to activate", "to upgrade", "to remove")


def load_registry(database: str) -> None:
    """Give ``database`` a model registry: another database's with the same modules
    when this process built one, else a new one (``Pool.init``). Call inside a
    transaction on ``database``, under the caller's lock."""
    from trytond import backend
    from trytond.pool import Pool

    modules = _settled_modules()
    key = (backend.name, modules) if modules else None
    source = _BUILT.get(key) if key is not None else None
    if source is None or source not in Pool.database_list():
        Pool(database).init()
        loaded = frozenset(Pool._pool_modules[database])
        if key is not None and loaded == modules:
            _BUILT[key] = database
        return
    with Pool._lock:
        Pool._pools[database] = Pool._pools[source]
        Pool._pool_modules[database] = Pool._pool_modules[source]
        Pool._pool_instances.clear()  # each Pool() reads its registry again
    Pool(database).get("ir.configuration")(1).check()  # what Pool.init checks too


def _settled_modules() -> frozenset[str]:
    """The activated modules of the transaction's database, or nothing when one is
    still to activate, upgrade or remove (the registry must then be built)."""
    from sql import Table
    from trytond.transaction import Transaction

    module = Table("ir_module")
    cursor: Any = Transaction().connection.cursor()
    cursor.execute(*module.select(module.name, module.state))
    states = dict(cursor)
    if any(state in _PENDING for state in states.values()):
        return frozenset()
    return frozenset(name for name, state in states.items() if state == "activated")
