"""Each platform's documented read endpoints, called directly (not through the connector).

What a flow writes must land where the shop keeps it and shows it. The
conformance test writes customers and products through the flows, then reads
them back here through the platform's own read endpoint (raw HTTP against the
sandbox, as a merchant's other tools would), so a field the connector sends to
a place the platform drops or hides cannot pass.

Each platform ``<kind>`` has a module ``readback/<kind>.py`` with two functions:

- ``read_customer(shop: ShopSandbox, email: str) -> dict[str, object]``
- ``read_product(shop: ShopSandbox, sku: str) -> dict[str, object]``

They return canonical attribute names (those of ``passerelle.model.Customer``
and ``passerelle.model.ProductDraft``) with the value the platform shows:
text as ``str``, money and measures as ``Decimal``, quantities as ``int``,
flags as ``bool``, a customer group by its name. A field the platform cannot
hold at all is absent from the dictionary: the connector must then report it
as unsupported (``WriteOutcome.unsupported``), and the flow journals it so.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["reader"]


def reader(kind: str) -> Any:
    """The read-back module of platform ``kind``."""
    return import_module(f"tests.conformance.readback.{kind}")
