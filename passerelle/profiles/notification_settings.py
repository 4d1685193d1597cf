"""``[notifications]`` of a profile: where passerelle e-mails what needs a person (P6, R9).

Plain SMTP through the standard library, so a merchant can use the mail
server they already have. The password is a reference (``env:`` or
``keyring:``) like every other secret of a profile, never the password.
A profile without a ``host`` has notifications off: the digest job then does
nothing and says so.

```toml
[notifications]
host = "smtp.example.com"
port = 587                    # default: 587 starttls, 465 ssl, 25 none
security = "starttls"         # "starttls" | "ssl" | "none"
user = "passerelle@example.com"
password = "env:SMTP_PASSWORD"
from_address = "passerelle@example.com"
to_addresses = ["shop@example.com"]
digest = true                 # the hourly e-mail of new problems
```
"""

from __future__ import annotations

from email.utils import parseaddr
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from passerelle.i18n.messages import M_, Text
from passerelle.platforms.refused import refused
from passerelle.profiles.shop_settings import SecretRef

__all__ = ["DEFAULT_PORTS", "NotificationSettings", "Security"]

Security = Literal["starttls", "ssl", "none"]

#: The port each security mode is usually served on (RFC 8314 for 465, RFC 6409 for 587).
DEFAULT_PORTS: dict[str, int] = {"starttls": 587, "ssl": 465, "none": 25}


def _mailbox(value: str) -> str:
    """One address, ``name@domain`` or ``Name <name@domain>``: a typo is refused when
    the profile loads, not found the night an e-mail should have gone."""
    text = value.strip()
    _name, address = parseaddr(text)
    local, at, domain = address.rpartition("@")
    if (
        not (at and local and domain)
        or any(c.isspace() for c in address)
        or "," in text
        or address.count("@") != 1
    ):
        raise refused(M_("%(value)r is not one e-mail address (name@example.com)", value=value))
    return text


Mailbox = Annotated[str, AfterValidator(_mailbox)]


class NotificationSettings(BaseModel):
    """The mail server and who receives what; every field optional until ``host`` is set."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    host: str | None = Field(None, min_length=1)
    port: int | None = Field(None, ge=1, le=65535)
    security: Security = "starttls"
    user: str | None = None
    password: SecretRef | None = None
    from_address: Mailbox | None = None
    to_addresses: list[Mailbox] = []
    digest: bool = True
    # The recipients' language ("fr" or "en"); unset, e-mails are in English.
    language: Literal["en", "fr"] | None = None
    timeout: float = Field(30.0, gt=0, le=600)
    # A private CA (a company mail relay), as for the shop's HTTP settings.
    ca_bundle: Path | None = None

    @model_validator(mode="after")
    def _complete(self) -> NotificationSettings:
        """With a host, the rest of what an e-mail needs; a user and a password together."""
        if self.host is not None:
            missing = [
                name
                for name, value in (
                    ("from_address", self.from_address),
                    ("to_addresses", self.to_addresses),
                )
                if not value
            ]
            if missing:
                raise refused(
                    M_(
                        "host is set, so %(field)s must be too "
                        "(who sends the e-mails, who receives them)",
                        field=missing[0],
                    )
                    if len(missing) == 1
                    else M_(
                        "host is set, so from_address and to_addresses must be too "
                        "(who sends the e-mails, who receives them)"
                    )
                )
        if (self.user is None) != (self.password is None):
            raise refused(
                M_("give user and password together (or neither, for a server that needs no login)")
            )
        return self

    @property
    def configured(self) -> bool:
        """Whether e-mails can be sent at all (a host, a sender, recipients)."""
        return self.host is not None

    @property
    def effective_port(self) -> int:
        return self.port if self.port is not None else DEFAULT_PORTS[self.security]

    def describe(self) -> Text:
        """Where mail goes, safe to print: host, port, security and user, no password."""
        server = f"{self.host}:{self.effective_port} ({self.security})"
        return M_("%(server)s as %(user)s", server=server, user=self.user) if self.user else server
