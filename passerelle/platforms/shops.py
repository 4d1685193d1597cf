"""What several shop registrations share: the common capability set and options."""

from __future__ import annotations

from passerelle.i18n import N_
from passerelle.platforms.registry import CAPABILITIES, ProfileOption

__all__ = ["ACCESS_TOKEN", "FULL_SHOP", "SHOP_URL"]

#: Every platform built in reads and writes the catalogue, stock, customers and
#: orders; those whose platform signs its webhooks add "webhooks".
FULL_SHOP: frozenset[str] = frozenset(CAPABILITIES) - {"webhooks"}

SHOP_URL = ProfileOption("url", "shop-url", N_("The shop's https:// address."))
ACCESS_TOKEN = ProfileOption(
    "access_token",
    "access-token",
    N_("Where the API access token is kept: env:VARIABLE or keyring:SERVICE/USER."),
    secret=True,
)
