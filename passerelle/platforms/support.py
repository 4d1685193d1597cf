"""What a shop platform does with one profile option (issue 16's capability matrix).

Each shop registration carries a ``supports`` table: option path → :class:`Decision`.
The options themselves, and the checks, are in :mod:`passerelle.platforms.matrix`;
this module is what the platform modules import (no profile, no connector).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from passerelle.i18n import N_

__all__ = [
    "CANNOT_DISABLE",
    "FILES",
    "NO_ARCHIVE",
    "NO_FIELD",
    "NO_FILES",
    "NO_LANGUAGES",
    "NO_MESSAGES",
    "NO_REFUNDS",
    "NO_STORE",
    "SHOP_EMAIL",
    "Decision",
    "Support",
    "differently",
    "each",
    "supported",
    "unsupported",
]


class Support(StrEnum):
    SUPPORTED = "supported"
    DIFFERENTLY = "differently"  # it does something, not quite what the option says
    UNSUPPORTED = "unsupported"  # the option does nothing on this platform


@dataclass(frozen=True, slots=True)
class Decision:
    """``how``: an ``N_`` English text, how (differently) or why (not supported)."""

    support: Support
    how: str = ""

    def __post_init__(self) -> None:
        if self.support is Support.DIFFERENTLY and not self.how:
            raise ValueError("a platform doing an option differently says how")  # internal: code


def supported() -> Decision:
    return Decision(Support.SUPPORTED)


def differently(how: str) -> Decision:
    return Decision(Support.DIFFERENTLY, how)


def unsupported(why: str = "") -> Decision:
    return Decision(Support.UNSUPPORTED, why)


def each(paths: Iterable[str], decision: Decision) -> dict[str, Decision]:
    """The same decision for several options (a table still names each one)."""
    return dict.fromkeys(paths, decision)


#: The options that send files (images, documents).
FILES: tuple[str, ...] = (
    "catalogue.variants.parent_image_from_variant",
    "catalogue.media.item_images",
    "catalogue.media.images_folder",
    "catalogue.media.by_supplier_reference",
    "catalogue.media.replace_shop_images",
    "catalogue.media.document_extensions",
    "catalogue.media.documents_folder",
    "catalogue.media.publish_dir",
    "catalogue.media.public_url",
)

# What several platforms say alike.
NO_FIELD = unsupported(N_("the platform has no field for it"))
NO_FILES = unsupported(N_("passerelle does not send files to this platform yet"))
NO_LANGUAGES = unsupported(N_("other languages are not written to this platform yet"))
CANNOT_DISABLE = unsupported(N_("the platform cannot disable a customer account"))
SHOP_EMAIL = unsupported(N_("the shop's own e-mail settings decide"))
NO_ARCHIVE = unsupported(N_("the platform has no order archive"))
NO_STORE = unsupported(N_("an order read from this platform names no store"))
NO_MESSAGES = unsupported(
    N_("customer service messages and private notes are not read from this platform")
)
NO_REFUNDS = unsupported(
    N_("refunds are not read one by one: a refunded order is seen by its status only")
)
