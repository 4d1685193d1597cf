"""Shipment tracking as the official WooCommerce Shipment Tracking extension stores it.

Source: ``woocommerce-shipment-tracking``, ``WC_Shipment_Tracking_Actions``
(``add_tracking_item``, ``save_tracking_items``, ``get_formatted_tracking_item``):
the order meta ``_wc_shipment_tracking_items`` holds a list of items
``{tracking_provider, custom_tracking_provider, custom_tracking_link,
tracking_number, date_shipped, tracking_id}``. ``date_shipped`` is a unix
timestamp (a string: ``wc_clean(strtotime(...))``); ``tracking_id`` is an md5
of provider and number. A carrier the extension knows is named in
``tracking_provider`` (it then builds the tracking link itself); any other
goes in ``custom_tracking_provider``. Writing the whole list back through
the order's ``meta_data`` is what ``save_tracking_items`` does
(``update_meta_data`` on the key), so existing items must be kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

__all__ = ["TRACKING_META_KEY", "has_tracking", "tracking_item", "with_tracking"]

TRACKING_META_KEY = "_wc_shipment_tracking_items"

# Providers of ``WC_Shipment_Tracking_Actions::get_providers`` a French shop
# meets, by lower-case name; the extension matches ``tracking_provider`` on
# the name or its ``sanitize_title`` slug.
_KNOWN_PROVIDERS = {
    name.lower(): name
    for name in (
        "Colissimo",
        "DHL",
        "DHL Express",
        "DPD.de",
        "UPS",
        "UPS Germany",
        "Fedex",
        "USPS",
        "Royal Mail",
        "PostNL",
        "bpost",
        "Canada Post",
        "Hermes",
        "TNT Express (consignment)",
    )
}


def _slug(name: str) -> str:
    """``sanitize_title`` for the provider names above."""
    out = "".join(c if c.isalnum() else "-" for c in name.lower())
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")


def tracking_item(
    carrier: str, tracking_number: str, shipped_at: datetime | None
) -> dict[str, str]:
    """One Shipment Tracking item for ``carrier`` and ``tracking_number``."""
    known = _KNOWN_PROVIDERS.get(carrier.strip().lower())
    provider = _slug(known) if known else ""
    custom = "" if known else carrier.strip()
    moment = shipped_at or datetime.now(UTC)
    digest = hashlib.md5(  # noqa: S324 - an identifier, as the extension makes it
        f"{provider or custom}-{tracking_number}-{int(moment.timestamp())}".encode()
    ).hexdigest()
    return {
        "tracking_provider": provider,
        "custom_tracking_provider": custom,
        "custom_tracking_link": "",
        "tracking_number": tracking_number,
        "date_shipped": str(int(moment.timestamp())),
        "tracking_id": digest,
    }


def _items(existing: Any) -> list[Mapping[str, Any]]:
    return [i for i in existing if isinstance(i, Mapping)] if isinstance(existing, list) else []


def has_tracking(existing: Any, tracking_number: str) -> bool:
    """Whether the stored items already hold this tracking number."""
    return any(str(i.get("tracking_number")) == tracking_number for i in _items(existing))


def with_tracking(existing: Any, item: Mapping[str, str]) -> Sequence[Mapping[str, Any]]:
    """The stored items plus ``item`` (the list ``save_tracking_items`` writes)."""
    return [*_items(existing), dict(item)]
