"""``[webhooks]`` of a profile: how ``passerelle serve`` checks what the shop sends (R10).

The shop kind decides the signature scheme (docs/webhooks.md); the profile
names the secret it is checked with — a reference, never the secret itself,
like the shop's own secrets — the networks deliveries may come from, and how
old a delivery may be when the platform dates it.
"""

from __future__ import annotations

import ipaddress
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from passerelle.i18n.messages import M_
from passerelle.platforms.refused import refused
from passerelle.profiles.shop_settings import SecretRef

__all__ = ["WebhookSettings"]


def _network(value: str) -> str:
    """A network (``203.0.113.0/24``) or one address, kept as text so the profile
    still writes back to TOML; a network with host bits set is refused, since
    ``10.1.2.3/8`` is more likely a typo than a wish to allow all of 10/8."""
    try:
        return str(ipaddress.ip_network(value.strip(), strict=True))
    except ValueError as exc:
        raise refused(
            M_("%(value)r is not an IP address or network (%(error)s)", value=value, error=exc)
        ) from None


Network = Annotated[str, AfterValidator(_network)]


class WebhookSettings(BaseModel):
    """The webhook receiver's settings for one profile; no ``secret``: webhooks off."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    # WooCommerce: the webhook's own secret; Shopify and BigCommerce: the app's
    # client secret (they sign with it).
    secret: SecretRef | None = None
    # R10: only these networks may deliver (empty: any). Behind a reverse proxy,
    # see `passerelle serve --forwarded-allow-ips`.
    allow_ips: list[Network] = []
    # A delivery dated by the platform older (or newer) than this is refused.
    max_age_seconds: int = Field(300, ge=10, le=86_400)
    # Headers every delivery must carry with the referenced value (BigCommerce
    # sends back the `headers` given when the webhook was created).
    headers: dict[str, SecretRef] = {}
