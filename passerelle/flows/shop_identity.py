"""Which shop a profile's orders belong to, and whether a file of orders is that shop's.

Why the flows ask this rather than the connector's ``identity``: the keys of
imported orders (``<shop identity>#<order id>``) must stay the same when the
shop's address changes. The identity is therefore recorded once per profile,
at its first contact with its shop, and read from the store afterwards
(``passerelle.store.shop_identities``). A profile upgraded from a version
that did not record it records, at its next run, the identity its address
gives — the one its keys already use — so nothing is imported again.

An orders file (O19) may name the shop it was exported from (the root's
``shop`` attribute, docs/orders-xml.md). When that is the profile's shop, under
its recorded identity or its current address, the file's orders *are* the
shop's orders: they get the shop's keys and meet the orders read from its API,
each imported once whichever way comes first, and an order rejected in the
staging grid stays rejected. A file from anywhere else is keyed apart by its
source (``xml:<source>#<id>``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from passerelle.connectors.base import address_identity
from passerelle.connectors.errors import ConnectorError
from passerelle.connectors.xmlfile import XmlFileShop
from passerelle.flows.base import FlowContext
from passerelle.store.shop_identities import ShopIdentity, record_shop_identity, shop_identity

__all__ = ["FileSource", "file_source", "profile_identity", "recorded_identity",
           "shop_name"]

log = logging.getLogger(__name__)


def recorded_identity(ctx: FlowContext) -> ShopIdentity | None:
    """The profile's recorded shop identity; recorded now if this is the first contact.

    From the shop the run talks to; for a run reading a file, from the profile's
    own shop connector, built only to name it (no request is sent). None when the
    profile's shop cannot even be built (a secret missing): nothing is recorded.
    """
    recorded = shop_identity(ctx.store, ctx.name)
    if recorded is not None:
        return recorded
    address = ctx.profile.shop.url
    identity = ctx.shop.identity if not isinstance(ctx.shop, XmlFileShop) \
        else _profile_shop_name(ctx)
    if identity is None:
        return None
    return record_shop_identity(ctx.store, ctx.name, identity, address=address)


def profile_identity(ctx: FlowContext) -> str:
    """The identity the profile's order keys rest on (see the module's doc)."""
    recorded = recorded_identity(ctx)
    return recorded.identity if recorded is not None else ctx.shop.identity


def _profile_shop_name(ctx: FlowContext) -> str | None:
    from passerelle.connectors.platforms import build_shop
    from passerelle.profiles.secrets import SecretError

    try:
        shop = build_shop(ctx.profile.shop)
    except (SecretError, ConnectorError) as exc:
        log.warning("profile %s: its shop cannot be named: %s", ctx.name, exc)
        return None
    try:
        return shop.identity
    finally:
        shop.close()


def shop_name(declared: str) -> str:
    """A shop named in a file: an address (``https://…``) as its identity, else as written."""
    if declared.startswith(("https://", "http://")):
        return address_identity(declared)
    return declared


@dataclass(frozen=True, slots=True)
class FileSource:
    """Whose orders a file holds, and under which identity they are keyed."""

    profile_shop: bool  # the profile's own shop: keyed as the shop's orders
    identity: str  # the identity in the orders' keys
    message: str  # what the import says about it


def file_source(ctx: FlowContext, shop: XmlFileShop) -> FileSource:
    """Whether ``shop``'s file holds the profile's shop's orders (see the module's doc)."""
    declared = shop.declared_shop
    recorded = recorded_identity(ctx)
    if declared is not None and recorded is not None and shop_name(declared) in recorded.names:
        return FileSource(True, recorded.identity,
                          f"orders of shop {declared}, the profile's shop: already imported "
                          "orders are skipped")
    if declared is None:
        why = "the file names no shop"
    elif recorded is None:
        why = (f"the file names shop {declared}, but the profile's shop cannot be named "
               "(check its settings and secrets)")
    else:
        why = f"the file names shop {declared}, not the profile's shop ({recorded.identity})"
    return FileSource(False, shop.identity,
                      f"orders from another source: keyed apart as {shop.identity} ({why})")
