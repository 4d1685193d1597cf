"""The console's pages, one module each, found here without a central list.

Why discovery: each page (flows, problems, orders, status, stock, profiles,
jobs, preview) is written on its own, and a page added must not mean an edit
in a shared file that another page's work also edits. A page module declares:

- ``ROUTES``: its Starlette routes (behind the guard like every route; the
  route-table walk in the tests checks a new one redirects when logged out);
- ``NAV`` (optional): ``(position, label, path)`` for the menu, the label
  marked with :func:`passerelle.i18n.N_` and translated when drawn.
"""

from __future__ import annotations

import pkgutil
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from types import ModuleType

from starlette.routing import BaseRoute

__all__ = ["NavEntry", "nav_entries", "page_routes"]


@dataclass(frozen=True, slots=True)
class NavEntry:
    position: int
    label: str  # English, marked with N_; translated when the menu is drawn
    path: str


@cache
def _modules() -> tuple[ModuleType, ...]:
    return tuple(
        import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name)
        if not info.name.startswith("_")
    )


def page_routes() -> list[BaseRoute]:
    """Every page module's routes."""
    return [route for module in _modules() for route in getattr(module, "ROUTES", ())]


def nav_entries() -> list[NavEntry]:
    """The menu, in the order the pages ask for."""
    entries = [NavEntry(*module.NAV) for module in _modules() if hasattr(module, "NAV")]
    return sorted(entries, key=lambda entry: entry.position)
