"""The ``[shop]`` and ``[backoffice]`` tables of a profile, checked against the registry.

Each table is validated by the settings model its ``kind`` registered in
:mod:`passerelle.platforms`, looked up when the profile is read, so a
platform registered later (a plug-in, a test's own) is accepted the same
way as the built-in ones. A table without ``kind`` is WooCommerce
(``[shop]``) or the default back-office, Tryton (``[backoffice]``): profiles
written before other platforms existed load unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from pydantic import SerializeAsAny, ValidatorFunctionWrapHandler, WrapValidator

from passerelle.i18n.messages import M_
from passerelle.platforms import (
    UnknownPlatform,
    backoffice_platform,
    default_backoffice,
    shop_platform,
)
from passerelle.platforms.refused import refused
from passerelle.platforms.settings import BackOfficeSettingsBase, ShopSettingsBase, Strict

__all__ = ["BackOfficeSettings", "DEFAULT_SHOP", "ShopSettings"]

DEFAULT_SHOP = "woocommerce"


def _by_kind(
    base: type[Strict], find: Callable[[str], type[Strict]], default: Callable[[], str]
) -> Callable[[Any, ValidatorFunctionWrapHandler], Any]:
    def validate(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        if isinstance(value, base):
            value = value.model_dump()
        if not isinstance(value, dict):
            raise refused(M_("must be a table of settings"))
        kind = value.get("kind", default())
        try:
            model = find(kind)
        except UnknownPlatform as exc:
            raise refused(exc.said) from None
        return model.model_validate({**value, "kind": kind})

    return validate


ShopSettings = Annotated[
    SerializeAsAny[ShopSettingsBase],
    WrapValidator(
        _by_kind(ShopSettingsBase, lambda kind: shop_platform(kind).settings, lambda: DEFAULT_SHOP)
    ),
]
BackOfficeSettings = Annotated[
    SerializeAsAny[BackOfficeSettingsBase],
    WrapValidator(
        _by_kind(
            BackOfficeSettingsBase,
            lambda kind: backoffice_platform(kind).settings,
            default_backoffice,
        )
    ),
]
