"""Document text templates (O7), e.g. ``Web %OI - %CF %CL``.

Placeholders are the ones merchants know from the tools passerelle replaces.
A template naming an unknown placeholder is refused when the profile loads,
not when the hundredth order is imported.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from passerelle.model import Order

__all__ = ["PLACEHOLDERS", "check_template", "render_template"]

_TOKEN = re.compile(r"%([A-Z]+)")

PLACEHOLDERS: dict[str, tuple[str, Callable[[Order], str]]] = {
    "OI": ("shop order id", lambda o: o.source_id),
    "ON": ("shop order number", lambda o: o.number),
    "OD": ("order date, YYYY-MM-DD", lambda o: o.created_at.date().isoformat()),
    "CF": ("customer first name (billing)", lambda o: o.billing.first_name),
    "CL": ("customer last name (billing)", lambda o: o.billing.last_name),
    "CC": ("customer company (billing)", lambda o: o.billing.company),
    "CE": ("customer e-mail", lambda o: o.billing.email),
    "CI": ("shop customer id (empty for a guest)", lambda o: o.customer_id or ""),
    "PM": ("payment method title", lambda o: o.payment_method_title),
    "TX": ("payment transaction id", lambda o: o.transaction_id),
    "NOTE": ("the customer's note on the order", lambda o: o.customer_note),
    "OT": ("order total, tax included", lambda o: f"{o.total}"),
    "CUR": ("order currency (ISO code)", lambda o: o.currency),
    "ST": ("store or sales channel of the order", lambda o: o.store),
    "VAT": ("customer's company or VAT number", lambda o: o.customer_tax_identifier),
    "SN": ("shipping address: first and last name", lambda o: o.shipping.full_name),
}


def check_template(template: str) -> list[str]:
    """Unknown placeholders of a template (empty when it is valid)."""
    return [name for name in _TOKEN.findall(template) if name not in PLACEHOLDERS]


def render_template(template: str, order: Order) -> str:
    def replace(match: re.Match[str]) -> str:
        entry = PLACEHOLDERS.get(match.group(1))
        return entry[1](order) if entry else match.group(0)

    return _TOKEN.sub(replace, template).strip()
