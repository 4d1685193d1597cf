"""Flows: one module per transfer of SPEC.md; importing this package registers them all."""

from passerelle.flows import (  # noqa: F401  (imported to register each flow)
    confirm_shipments,
    export_categories,
    export_customers,
    export_products,
    import_orders,
    import_products,
    import_prospects,
    stock_after_import,
    stock_check,
    stock_go_live,
    update_order_status,
    update_prices,
    update_stock,
    validate_orders,
)
from passerelle.flows.base import FLOWS, FlowContext

# The order the demo and `passerelle run all` use: categories before products,
# products before prices and stock, orders before their status write-back.
DEFAULT_ORDER = (
    "export-categories",
    "export-products",
    "update-prices",
    "update-stock",
    "export-customers",
    "import-orders",
    "update-order-status",
    "confirm-shipments",
)

__all__ = ["DEFAULT_ORDER", "FLOWS", "FlowContext"]
