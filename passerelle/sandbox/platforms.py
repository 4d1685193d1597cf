"""What every shop sandbox offers the demo and the conformance suite.

Each platform's package has a ``platform.py`` whose ``start(state_dir, ...)``
(registered as the platform's ``sandbox`` in :mod:`passerelle.platforms`, the
only list of sandboxes; start one with ``passerelle.platforms.start_sandbox``)
starts its sandbox, seeded with the demo shop (the same products, customers
and orders as the WooCommerce one, in the platform's own format), and returns
a :class:`ShopSandbox`. Its :class:`SandboxView` reads the shop's state in
platform-neutral terms, so one conformance suite checks every platform the
same way, and its ``profile_shop`` gives the ``[shop]`` table of a profile
pointing at it.

A shop whose API is rate-limited by the store's plan (Shopify, BigCommerce) is
started on a plan: the starter's ``plan`` option, else the environment variable
``PASSERELLE_SANDBOX_PLAN`` (so sandboxes started in subprocesses, by the demo or
``passerelle sandbox`` follow it), else ``standard``, the strictest plan of both.
Platforms without a rate limit (WooCommerce, PrestaShop, Magento) have no plan.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

__all__ = [
    "DEFAULT_PLAN",
    "PLAN_ENV",
    "SandboxView",
    "ShopSandbox",
    "UnknownPlan",
    "ViewCustomer",
    "ViewOrder",
    "ViewProduct",
    "chosen_plan",
]

#: The environment variable naming the plan of a sandbox started without ``plan=``.
PLAN_ENV = "PASSERELLE_SANDBOX_PLAN"
#: The plan when neither says one: Standard, the strictest of every rate-limited platform.
DEFAULT_PLAN = "standard"


class UnknownPlan(ValueError):
    """A plan the platform does not have; the message names the ones it has."""


def chosen_plan(kind: str, plan: str | None, known: Iterable[str]) -> str:
    """The plan a ``kind`` sandbox starts on: ``plan``, else ``$PASSERELLE_SANDBOX_PLAN``,
    else ``standard``; :class:`UnknownPlan` when it is not one of ``known``."""
    source = "plan"
    if plan is None:
        plan, source = os.environ.get(PLAN_ENV, "").strip() or DEFAULT_PLAN, PLAN_ENV
    known = tuple(known)
    if plan not in known:
        raise UnknownPlan(
            f"{kind} sandbox: unknown plan {plan!r} (from {source}); "
            f"known plans: {', '.join(known)}"
        )
    return plan


@dataclass(frozen=True, slots=True)
class ViewProduct:
    """A product or variation as a merchant would read it in the shop's back-office."""

    sku: str
    name: str
    price: Decimal | None  # excluding tax
    # What the shop offers for sale now, after what its own open orders hold
    # (PrestaShop: quantity = physical − reserved; Shopify: available; Magento:
    # the salable quantity, source quantity − reservations). None: not managed.
    stock: int | None
    active: bool = True
    parent_sku: str = ""  # a variation's product
    category_names: tuple[str, ...] = ()
    # What the demo's "What the shop shows" table counts (issue 16): the images the
    # shop shows on this product or variation, its brand as the shop names it, and
    # how many customer-group prices it holds for it (0 where it cannot hold one).
    images: int = 0
    brand: str = ""
    group_prices: int = 0


@dataclass(frozen=True, slots=True)
class ViewCustomer:
    email: str
    first_name: str
    last_name: str
    account_code: str = ""  # K8: the back-office account code shown on the customer


@dataclass(frozen=True, slots=True)
class ViewOrder:
    order_id: str
    total: Decimal  # tax included, as the buyer paid
    currency: str
    paid: bool  # the shop considers it paid (to be imported)
    document_number: str = ""  # the back-office document number written back


class SandboxView(Protocol):
    def products(self) -> dict[str, ViewProduct]:
        """Every product and variation by SKU."""
        ...

    def category_names(self) -> set[str]: ...

    def customers(self) -> dict[str, ViewCustomer]:
        """Every customer account by lower-case e-mail."""
        ...

    def orders(self) -> dict[str, ViewOrder]:
        """Every order by the id the connector reports as ``Order.source_id``."""
        ...


class ShopSandbox(Protocol):
    kind: str

    @property
    def url(self) -> str: ...

    @property
    def requests(self) -> list[tuple[str, str]]:
        """(method, path) of every request received, in order."""
        ...

    def reset_requests(self) -> None: ...

    def stop(self) -> None: ...

    @property
    def view(self) -> SandboxView: ...

    def profile_shop(self) -> dict[str, Any]:
        """The ``[shop]`` table of a profile pointing here; secrets as ``env:`` references."""
        ...

    def secrets(self) -> dict[str, str]:
        """The environment variables those references name, with their values."""
        ...

    def place_order(self, lines: Mapping[str, int], *, state: str = "paid") -> str:
        """A buyer's checkout of these SKUs and quantities, as the storefront makes it,
        with everything the platform does around it (stock lowered or reserved as its
        documentation says). ``state``: ``"pending"`` (awaiting payment), ``"paid"`` or
        ``"on_hold"``. Returns the order's id as the connector reports ``Order.source_id``.
        """
        ...

    def set_order_state(self, order_id: str, state: str) -> None:
        """What the merchant does to an order in the shop's back-office, with what the
        platform does around it: ``"paid"``, ``"on_hold"``, ``"shipped"`` (completed,
        fulfilled), ``"cancelled"`` or ``"refunded"`` (stock given back)."""
        ...

    def delete_product(self, sku: str) -> None:
        """The merchant deletes the product (or variation) carrying ``sku`` in the shop."""
        ...

    def profile_orders(self) -> dict[str, Any]:
        """``[orders]`` entries naming this platform's own values (its order statuses,
        payment method ids…), merged over the demo profile's; {} when they are the same."""
        ...
