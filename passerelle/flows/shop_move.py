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
from passerelle.connectors.errors import ConnectorError
from passerelle.flows.shop_identity import MoveRefused, same_shop
from passerelle.i18n.messages import M_, Text, said
from passerelle.platforms import build_shop
from passerelle.profiles.schema import Profile
from passerelle.profiles.secrets import SecretError
from passerelle.store import Store
from passerelle.store.shop_identities import (
    ShopIdentity,
    forget_shop_identity,
    move_shop_address,
    record_shop_identity,
    shop_identity,
)

__all__ = ["MoveRefused", "ShopMove", "address_field", "finish_move", "plan_move"]


@dataclass(frozen=True)
class ShopMove:
    """A checked move: the profile with its new address, and what was checked."""

    profile: Profile
    identity: ShopIdentity  # as recorded, unchanged by the move
    address: str
    address_identity: str  # what the new address alone would name the shop
    checked: Text  # what showed it is the same shop, for the merchant
    new_shop: bool = False  # another shop: its own identity, its orders kept apart


def address_field(settings: Any) -> str:
    """The settings field holding the shop's address (BigCommerce: its API address)."""
    return "url" if "url" in type(settings).model_fields else "api_url"


def plan_move(
    profile: Profile, store: Store, new_url: str, *, check: bool = True, new_shop: bool = False
) -> ShopMove:
    """Check that ``new_url`` reaches the profile's shop; the move to make (nothing written
    yet but, for a profile that never recorded its shop identity, that identity).

    ``new_shop``: the profile now serves another shop; nothing is compared, and
    :func:`finish_move` records that shop's own identity, so its orders never meet
    the old shop's orders of the same ids.
    """
    settings = profile.shop
    field = address_field(settings)
    try:
        moved = type(settings).model_validate({**settings.model_dump(), field: new_url.strip()})
    except ValueError as exc:
        raise MoveRefused(
            M_(
                "%(address)s is not an address for this shop: %(error)s",
                address=new_url,
                error=str(exc),
            )
        ) from exc
    new_profile = profile.model_copy(update={"shop": moved})
    recorded = shop_identity(store, profile.name) or _record_current(profile, store)
    shop = _built(new_profile)
    try:
        address_identity = shop.identity
        if new_shop:
            checked: Text = M_(
                "another shop, as asked: its orders are kept apart from the old shop's"
            )
        elif check:
            checked = same_shop(profile, store, shop, recorded)
        else:
            checked = M_("not checked (asked not to)")
    finally:
        shop.close()
    return ShopMove(
        new_profile, recorded, getattr(moved, field), address_identity, checked, new_shop
    )


def finish_move(store: Store, move: ShopMove) -> ShopIdentity:
    """Record the new address beside the identity (for another shop: that shop's own
    identity), once the profile file is saved."""
    if move.new_shop:
        forget_shop_identity(store, move.profile.name)
        return record_shop_identity(
            store, move.profile.name, move.address_identity, address=move.address
        )
    return move_shop_address(
        store, move.profile.name, address=move.address, address_identity=move.address_identity
    )


def _record_current(profile: Profile, store: Store) -> ShopIdentity:
    """A profile that never ran since identities are recorded: its keys use the
    identity of the address it has now, so that is the one to keep."""
    shop = _built(profile)
    try:
        return record_shop_identity(store, profile.name, shop.identity, address=profile.shop.url)
    finally:
        shop.close()


def _built(profile: Profile) -> Shop:
    try:
        return build_shop(profile.shop)
    except (SecretError, ConnectorError) as exc:
        raise MoveRefused(
            M_("profile %(profile)r: %(reason)s", profile=profile.name, reason=said(exc))
        ) from exc
