"""What every platform's settings share: secret references, HTTP options, the base models.

A platform's own settings model (``platforms/<kind>.py``) derives from
:class:`ShopSettingsBase` or :class:`BackOfficeSettingsBase`; the profile's
``shop`` and ``backoffice`` tables are validated against the model its
``kind`` registered (``passerelle.profiles.shop_settings``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from passerelle.connectors.http import HttpOptions
from passerelle.i18n.messages import M_, Message
from passerelle.platforms.refused import refused

__all__ = [
    "BackOfficeSettingsBase",
    "HttpSettings",
    "SecretRef",
    "ShopSettingsBase",
    "Strict",
    "check_secret_ref",
    "http_options",
    "https_url",
]

_SECRET_REF = re.compile(r"^(env:[A-Za-z_][A-Za-z0-9_]*|keyring:[^/\s]+/[^/\s]+)$")


def check_secret_ref(value: str) -> str:
    if not _SECRET_REF.match(value):
        raise refused(
            M_(
                "must name where the secret is kept, as env:VARIABLE or keyring:SERVICE/USER "
                "(the secret itself is never written in a profile)"
            )
        )
    return value


# Checked by the type itself, so every secret field of every platform is.
SecretRef = Annotated[
    str, AfterValidator(check_secret_ref), Field(description="env:VARIABLE or keyring:SERVICE/USER")
]


def https_url(value: str, refused_as: Message) -> str:
    """``value`` without its trailing slash, if it is an https:// address (API keys
    travel over HTTPS only); else ``refused_as`` says whose address it must be."""
    if not re.match(r"^https://[^/\s]+", value):
        raise refused(refused_as)
    return value.rstrip("/")


class Strict(BaseModel):
    """Settings refuse unknown fields (a typo is reported, not ignored)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class HttpSettings(Strict):
    """P5: HTTP options of the shop connection."""

    timeout: float = Field(30.0, gt=0, le=600)
    max_tries: int = Field(3, ge=1, le=20)
    delay_between_requests: float = Field(0.0, ge=0, le=60)
    user_agent: str = "passerelle"
    verify_tls: bool = True
    ca_bundle: Path | None = None
    proxy: str | None = None


def http_options(http: HttpSettings) -> HttpOptions:
    """P5: the profile's HTTP options as the shared HTTP client takes them."""
    verify: bool | Path = http.ca_bundle if http.ca_bundle else http.verify_tls
    return HttpOptions(
        timeout=http.timeout,
        max_tries=http.max_tries,
        delay_between_requests=http.delay_between_requests,
        user_agent=http.user_agent,
        verify=verify,
        proxy=http.proxy,
    )


class ShopSettingsBase(Strict):
    """What every shop's settings have: its ``kind``, an address, the HTTP options."""

    kind: str
    http: HttpSettings = HttpSettings()

    if TYPE_CHECKING:
        # Every platform has an address (a field, or derived as BigCommerce's is);
        # declared for the type checker only, so subclasses may make it a field.
        @property
        def url(self) -> str: ...


class BackOfficeSettingsBase(Strict):
    """What every back-office's settings have: its ``kind``."""

    kind: str

    def describe(self) -> str:
        """One line naming the back-office for ``profile list``."""
        return self.kind
