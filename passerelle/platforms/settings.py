"""What every platform's settings share: secret references, HTTP options, the base models.

A platform's own settings model (``platforms/<kind>.py``) derives from
:class:`ShopSettingsBase` or :class:`BackOfficeSettingsBase`; the profile's
``shop`` and ``backoffice`` tables are validated against the model its
``kind`` registered (``passerelle.profiles.shop_settings``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from passerelle.connectors.http import HttpOptions
from passerelle.connectors.site_access import SiteLogin
from passerelle.i18n.messages import M_, Message
from passerelle.platforms.refused import refused
from passerelle.platforms.secrets import SecretResolver, resolve_secret

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
    # A shop behind the web server's password (a staging site) and a TLS floor: what
    # each platform does with them is in passerelle/connectors/site_access.py.
    http_auth_user: str | None = None
    http_auth_password: SecretRef | None = None
    min_tls: Literal["1.2", "1.3"] | None = None  # None: the library's default

    @model_validator(mode="after")
    def _login_whole(self) -> HttpSettings:
        if (self.http_auth_user is None) != (self.http_auth_password is None):
            raise refused(
                M_("http_auth_user and http_auth_password go together: give both, or neither")
            )
        return self


def http_options(http: HttpSettings, resolve: SecretResolver = resolve_secret) -> HttpOptions:
    """P5: the profile's HTTP options as the shared HTTP client takes them, the site
    password resolved now (and only now)."""
    verify: bool | Path = http.ca_bundle if http.ca_bundle else http.verify_tls
    site = (
        SiteLogin(
            http.http_auth_user,
            resolve(http.http_auth_password, field="shop.http.http_auth_password"),
        )
        if http.http_auth_user and http.http_auth_password
        else None
    )
    return HttpOptions(
        timeout=http.timeout,
        max_tries=http.max_tries,
        delay_between_requests=http.delay_between_requests,
        user_agent=http.user_agent,
        verify=verify,
        proxy=http.proxy,
        site=site,
        min_tls=http.min_tls,
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
