"""A real SMTP server on loopback (aiosmtpd) for the notification tests.

aiosmtpd speaks the protocol (RFC 5321, AUTH RFC 4954, STARTTLS RFC 3207) as
a mail relay would, so the tests exercise smtplib's real exchange: greeting,
EHLO, TLS, login, envelope, data. ``Controller`` needs a fixed port (it
connects to itself to check it started), so a free one is asked of the OS.
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

__all__ = ["Delivered", "MailServer", "free_port"]


def free_port() -> int:
    """A port nothing listens on now (the OS's choice), for a server or a refused connection."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Delivered:
    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class _Handler:
    received: list[Delivered] = field(default_factory=list)
    refuse_recipients: dict[str, str] = field(default_factory=dict)  # address → reply

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if address in self.refuse_recipients:
            return self.refuse_recipients[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        parsed = message_from_bytes(content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(Delivered(str(envelope.mail_from), list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


class MailServer:
    """A running SMTP server: ``received`` holds what it accepted, in order."""

    def __init__(
        self,
        *,
        login: tuple[str, str] | None = None,
        starttls: ssl.SSLContext | None = None,
        implicit_tls: ssl.SSLContext | None = None,
        refusal: str | None = None,
    ) -> None:
        self.port = free_port()
        self.handler = _Handler()
        self.logins: list[str] = []
        self._login = login
        self._refusal = refusal  # the 535 reply, when a test needs a talkative server
        options: dict[str, Any] = {}
        if login is not None:
            options.update(
                authenticator=self._authenticate,
                auth_require_tls=starttls is not None or implicit_tls is not None,
            )
        if starttls is not None:
            options.update(tls_context=starttls, require_starttls=True)
        if implicit_tls is not None:
            options.update(ssl_context=implicit_tls)
        self._controller = Controller(
            self.handler,
            hostname="127.0.0.1",
            port=self.port,
            server_hostname="mail.test",
            **options,
        )

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: object
    ) -> AuthResult:
        assert self._login is not None
        ok = (
            isinstance(data, LoginPassword)
            and (data.login.decode(), data.password.decode()) == self._login
        )
        if isinstance(data, LoginPassword):
            self.logins.append(f"{data.login.decode()}:{'ok' if ok else 'refused'}")
        # handled=False: the server answers 535 itself (True would leave the client waiting).
        return AuthResult(success=ok, handled=False, message=None if ok else self._refusal)

    @property
    def received(self) -> list[Delivered]:
        return self.handler.received

    def refuse(self, address: str, reply: str) -> None:
        self.handler.refuse_recipients[address] = reply

    def start(self) -> MailServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()
