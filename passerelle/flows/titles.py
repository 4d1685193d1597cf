"""Each flow's name as a merchant reads it on a screen, in their language.

Why a table beside the registry: a flow's id (``export-products``) is what
the CLI, the schedules and the store use and never changes; the console and
reports show words instead, translated when shown. ``tests/test_flow_titles.py``
checks every registered flow and job has one, so a new one cannot appear as its id.
"""

from __future__ import annotations

from passerelle.i18n import N_, _

__all__ = ["TITLES", "flow_title"]

TITLES: dict[str, str] = {
    "export-categories": N_("Categories to the shop"),
    "export-products": N_("Products to the shop"),
    "update-prices": N_("Prices to the shop"),
    "update-stock": N_("Stock to the shop"),
    "export-customers": N_("Customers to the shop"),
    "import-orders": N_("Orders from the shop"),
    "validate-orders": N_("Staged orders to the back-office"),
    "update-order-status": N_("Order status to the shop"),
    "confirm-shipments": N_("Shipments to the shop"),
    "import-products": N_("Products from the shop"),
    "import-prospects": N_("Prospects from the shop"),
    "stock-check": N_("Stock check"),
    "import-shop-stock": N_("Shop stock counted into the back-office (go-live)"),
    # Jobs the scheduler runs that are not flows of the shop's records:
    "recheck-orders": N_("Parked orders checked again"),
    "error-digest": N_("Error digest by e-mail"),
}


def flow_title(name: str) -> str:
    """The flow's title in the current language (its id when it has none)."""
    title = TITLES.get(name)
    return _(title) if title else name
