"""Point a profile at its shop's new address without importing anything again.

Why a step of its own: the keys of imported orders rest on the shop identity
recorded for the profile (``flows/shop_identity.py``), so changing the URL in
the profile file is safe for the keys — but only if the new address is the
same shop. Pointed at another shop by mistake, the profile would write its
stock and prices there and read its orders as the old shop's. So, before the
move, the new address must answer, and where the platform can tell, it must
answer as the same shop: the orders this profile already imported from its
shop must be there (a different shop does not know them), and a platform
whose address carries its own store id (a Shopify myshopify.com domain, a
BigCommerce store hash) must name the same store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from passerelle.connectors.base import Shop
from passerelle.connectors.errors import ConnectorError, NotFoundError
from passerelle.connectors.platforms import build_shop
from passerelle.flows.import_orders import SOURCE_SEPARATOR
from passerelle.flows.order_documents import KIND
from passerelle.profiles.schema import Profile
from passerelle.profiles.secrets import SecretError
from passerelle.store import Store
from passerelle.store.shop_identities import (
    ShopIdentity,
    move_shop_address,
    record_shop_identity,
    shop_identity,
)

__all__ = ["MoveRefused", "ShopMove", "address_field", "finish_move", "plan_move"]

# Orders read back at the new address to tell it is the same shop.
SAMPLE = 3
# Platforms whose address names the store itself: a new address naming another
# store is another shop, whatever it answers.
_STORE_IN_ADDRESS = ("shopify", "bigcommerce")


class MoveRefused(Exception):
    """The move cannot be made; the message says why and what to do."""


@dataclass(frozen=True)
class ShopMove:
    """A checked move: the profile with its new address, and what was checked."""

    profile: Profile
    identity: ShopIdentity  # as recorded, unchanged by the move
    address: str
    address_identity: str  # what the new address alone would name the shop
    checked: str  # what showed it is the same shop, for the merchant


def address_field(settings: Any) -> str:
    """The settings field holding the shop's address (BigCommerce: its API address)."""
    return "url" if "url" in type(settings).model_fields else "api_url"


def plan_move(profile: Profile, store: Store, new_url: str, *, check: bool = True) -> ShopMove:
    """Check that ``new_url`` reaches the profile's shop; the move to make (nothing written
    yet but, for a profile that never recorded its shop identity, that identity)."""
    settings = profile.shop
    field = address_field(settings)
    try:
        moved = type(settings).model_validate(
            {**settings.model_dump(), field: new_url.strip()})
    except ValueError as exc:
        raise MoveRefused(f"{new_url} is not an address for this shop: {exc}") from exc
    new_profile = profile.model_copy(update={"shop": moved})
    recorded = shop_identity(store, profile.name) or _record_current(profile, store)
    new_shop = _built(new_profile)
    try:
        address_identity = new_shop.identity
        checked = _same_shop(profile, store, new_shop, recorded) if check \
            else "not checked (asked not to)"
    finally:
        new_shop.close()
    return ShopMove(new_profile, recorded, getattr(moved, field), address_identity, checked)


def finish_move(store: Store, move: ShopMove) -> ShopIdentity:
    """Record the new address beside the identity, once the profile file is saved."""
    return move_shop_address(store, move.profile.name, address=move.address,
                             address_identity=move.address_identity)


def _record_current(profile: Profile, store: Store) -> ShopIdentity:
    """A profile that never ran since identities are recorded: its keys use the
    identity of the address it has now, so that is the one to keep."""
    shop = _built(profile)
    try:
        return record_shop_identity(store, profile.name, shop.identity,
                                    address=profile.shop.url)
    finally:
        shop.close()


def _built(profile: Profile) -> Shop:
    try:
        return build_shop(profile.shop)
    except (SecretError, ConnectorError) as exc:
        raise MoveRefused(f"profile {profile.name!r}: {exc}") from exc


def _same_shop(profile: Profile, store: Store, shop: Shop, recorded: ShopIdentity) -> str:
    """What shows the shop at the new address is the profile's; MoveRefused if it is not."""
    report = shop.test_connection()
    if not report.ok:
        raise MoveRefused(f"the new address does not answer as a shop: {report.message}; "
                          "check the address (or move with --no-check if the shop is "
                          "down and you are sure)")
    kind = profile.shop.kind
    if kind in _STORE_IN_ADDRESS and shop.identity != recorded.identity \
            and not _same_store(kind, shop.identity, recorded.identity):
        raise MoveRefused(f"the new address names the {kind} store {shop.identity}, and this "
                          f"profile's shop is {recorded.identity}: that is another shop")
    bindings = store.bindings(profile.name, KIND)
    # The shop's own orders (not a file's, not a day's group), the latest first.
    own = sorted((b for b in bindings.values()
                  if SOURCE_SEPARATOR not in b.local_id and ":" not in b.local_id),
                 key=lambda b: b.synced_at, reverse=True)[:SAMPLE]
    if not own:
        return "the new address answers; no order was imported yet to compare"
    missing = []
    for binding in own:
        try:
            shop.get_order(binding.local_id)
        except NotFoundError:
            missing.append(binding.local_id)
        except ConnectorError as exc:
            raise MoveRefused(f"order {binding.local_id} could not be read at the new "
                              f"address: {exc}") from exc
    if missing:
        raise MoveRefused(
            f"the shop at the new address does not know order{'s' if len(missing) > 1 else ''}"
            f" {', '.join(missing)}, which this profile imported from its shop: it answers as "
            "a different shop. Check the address; nothing was changed")
    found = ", ".join(b.local_id for b in own)
    return f"orders {found}, imported before, are found at the new address"


def _same_store(kind: str, new: str, old: str) -> bool:
    """Whether two addresses may name one store: BigCommerce, the same store hash
    behind another API host; Shopify, unless both are myshopify.com domains (then
    they are two shops), the address cannot tell."""
    if kind == "bigcommerce":
        return new.rsplit("/stores/", 1)[-1] == old.rsplit("/stores/", 1)[-1]
    return not (new.endswith(".myshopify.com") and old.endswith(".myshopify.com"))
