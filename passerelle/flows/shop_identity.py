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

A profile whose shop address was changed by hand (not with ``profile
move-shop``) is checked at its next run as the move would check it: the same
shop (it knows the orders already imported) keeps the identity and the run
goes on; another shop stops the run with what to do, since its orders would
otherwise be taken for the old shop's orders of the same ids.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from passerelle.connectors.base import Shop, address_identity
from passerelle.connectors.errors import ConnectorError, FatalError, NotFoundError
from passerelle.connectors.xmlfile import XmlFileShop
from passerelle.flows.base import FlowContext
from passerelle.flows.order_documents import KIND
from passerelle.i18n.messages import M_, Message, Mn_, SaidError, said
from passerelle.profiles.schema import Profile
from passerelle.store import Store
from passerelle.store.shop_identities import (
    ShopIdentity,
    move_shop_address,
    record_shop_identity,
    shop_identity,
)

__all__ = [
    "FileSource",
    "SOURCE_SEPARATOR",
    "MoveRefused",
    "file_source",
    "profile_identity",
    "recorded_identity",
    "same_shop",
    "shop_name",
]

#: Store ids of orders from another source than the profile's shop carry it:
#: ``<source>#<id>``. Defined here, where keys are given, so the import and the
#: shop move read one constant without importing each other.
SOURCE_SEPARATOR = "#"

log = logging.getLogger(__name__)

# Orders read back at a new address to tell it is the same shop.
SAMPLE = 3
# Platforms whose address names the store itself: a new address naming another
# store is another shop, whatever it answers.
_STORE_IN_ADDRESS = ("shopify", "bigcommerce")


class MoveRefused(SaidError):
    """A new address is not the profile's shop; the message says why and what to do."""


def recorded_identity(ctx: FlowContext) -> ShopIdentity | None:
    """The profile's recorded shop identity; recorded now if this is the first contact.

    From the shop the run talks to; for a run reading a file, from the profile's
    own shop connector, built only to name it (no request is sent). None when the
    profile's shop cannot even be built (a secret missing): nothing is recorded.
    """
    recorded = shop_identity(ctx.store, ctx.name)
    if ctx.preview is not None:  # records nothing; the run's identity, if it is this shop's
        return recorded
    if recorded is not None:
        if isinstance(ctx.shop, XmlFileShop) or ctx.shop.identity in recorded.names:
            return recorded
        return _address_changed(ctx, recorded)
    address = ctx.profile.shop.url
    identity = (
        ctx.shop.identity if not isinstance(ctx.shop, XmlFileShop) else _profile_shop_name(ctx)
    )
    if identity is None:
        return None
    return record_shop_identity(ctx.store, ctx.name, identity, address=address)


def profile_identity(ctx: FlowContext) -> str:
    """The identity the profile's order keys rest on (see the module's doc)."""
    recorded = recorded_identity(ctx)
    return recorded.identity if recorded is not None else ctx.shop.identity


def _address_changed(ctx: FlowContext, recorded: ShopIdentity) -> ShopIdentity:
    """The profile's address was changed by hand: the same shop keeps its identity (as
    ``profile move-shop`` would), another shop stops the run (module doc)."""
    address = ctx.profile.shop.url
    try:
        checked = same_shop(ctx.profile, ctx.store, ctx.shop, recorded)
    except MoveRefused as exc:
        raise FatalError(
            M_(
                "profile %(profile)s now points at %(address)s, not at the shop its orders were "
                "imported from (%(recorded)s): %(problem)s. If it is the same shop, run "
                "`passerelle profile move-shop --profile %(name)s --url %(address)s "
                "--no-check`; if the profile now serves another shop, run `passerelle profile "
                "move-shop --profile %(name)s --url %(address)s --new-shop` (its orders are "
                "then kept apart from the old shop's)",
                profile=repr(ctx.name),
                name=ctx.name,
                address=address,
                recorded=recorded.address,
                problem=said(exc),
            )
        ) from exc
    moved = move_shop_address(
        ctx.store, ctx.name, address=address, address_identity=ctx.shop.identity
    )
    ctx.journal.info(
        M_(
            "the shop now answers at %(address)s and is the same shop (%(checked)s): its "
            "orders keep their keys (%(identity)s)",
            address=address,
            checked=checked,
            identity=moved.identity,
        )
    )
    return moved


def same_shop(profile: Profile, store: Store, shop: Shop, recorded: ShopIdentity) -> Message:
    """What shows that ``shop`` (at a new address) is the profile's shop; MoveRefused if
    it is not: it must answer, a store id in its address must be the same store, and
    the latest orders imported from the profile's shop must be found there."""
    report = shop.test_connection()
    if not report.ok:
        raise MoveRefused(
            M_(
                "the new address does not answer as a shop: %(answer)s; check the address "
                "(or move with --no-check if the shop is down and you are sure)",
                answer=report.message,
            )
        )
    kind = profile.shop.kind
    if (
        kind in _STORE_IN_ADDRESS
        and shop.identity != recorded.identity
        and not _same_store(kind, shop.identity, recorded.identity)
    ):
        raise MoveRefused(
            M_(
                "the new address names the %(platform)s store %(store)s, and this profile's "
                "shop is %(recorded)s: that is another shop",
                platform=kind,
                store=shop.identity,
                recorded=recorded.identity,
            )
        )
    bindings = store.bindings(profile.name, KIND)
    # The shop's own orders (not a file's, not a day's group), the latest first.
    own = sorted(
        (
            b
            for b in bindings.values()
            if SOURCE_SEPARATOR not in b.local_id and ":" not in b.local_id
        ),
        key=lambda b: b.synced_at,
        reverse=True,
    )[:SAMPLE]
    if not own:
        return M_("the new address answers; no order was imported yet to compare")
    missing = []
    for binding in own:
        try:
            shop.get_order(binding.local_id)
        except NotFoundError:
            missing.append(binding.local_id)
        except ConnectorError as exc:
            raise MoveRefused(
                M_(
                    "order %(order)s could not be read at the new address: %(error)s",
                    order=binding.local_id,
                    error=said(exc),
                )
            ) from exc
    if missing:
        raise MoveRefused(
            Mn_(
                "the shop at the new address does not know order %(orders)s, which this "
                "profile imported from its shop: it answers as a different shop. Check the "
                "address; nothing was changed",
                "the shop at the new address does not know orders %(orders)s, which this "
                "profile imported from its shop: it answers as a different shop. Check the "
                "address; nothing was changed",
                len(missing),
                orders=", ".join(missing),
            )
        )
    found = ", ".join(b.local_id for b in own)
    return M_("orders %(orders)s, imported before, are found at the new address", orders=found)


def _same_store(kind: str, new: str, old: str) -> bool:
    """Whether two addresses may name one store: BigCommerce, the same store hash
    behind another API host; Shopify, unless both are myshopify.com domains (then
    they are two shops), the address cannot tell."""
    if kind == "bigcommerce":
        return new.rsplit("/stores/", 1)[-1] == old.rsplit("/stores/", 1)[-1]
    return not (new.endswith(".myshopify.com") and old.endswith(".myshopify.com"))


def _profile_shop_name(ctx: FlowContext) -> str | None:
    from passerelle.platforms import build_shop
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
    message: Message  # what the import says about it


def file_source(ctx: FlowContext, shop: XmlFileShop) -> FileSource:
    """Whether ``shop``'s file holds the profile's shop's orders (see the module's doc)."""
    declared = shop.declared_shop
    recorded = recorded_identity(ctx)
    if declared is not None and recorded is not None and shop_name(declared) in recorded.names:
        return FileSource(
            True,
            recorded.identity,
            M_(
                "orders of shop %(shop)s, the profile's shop: already imported orders are skipped",
                shop=declared,
            ),
        )
    if declared is None:
        why = M_("the file names no shop")
    elif recorded is None:
        why = M_(
            "the file names shop %(shop)s, but the profile's shop cannot be named (check its "
            "settings and secrets)",
            shop=declared,
        )
    else:
        why = M_(
            "the file names shop %(shop)s, not the profile's shop (%(identity)s)",
            shop=declared,
            identity=recorded.identity,
        )
    return FileSource(
        False,
        shop.identity,
        M_(
            "orders from another source: keyed apart as %(identity)s (%(why)s)",
            identity=shop.identity,
            why=why,
        ),
    )
