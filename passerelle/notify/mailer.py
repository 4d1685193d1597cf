"""Sends one e-mail through the profile's SMTP server, and says plainly what went wrong.

The standard library's :mod:`smtplib` does the protocol (RFC 5321, STARTTLS
RFC 3207, implicit TLS RFC 8314); this module only connects the way the
profile says and turns each failure into the connector error tree, so the
worker treats a mail server like any other system it talks to:

* the server cannot be reached, closed the line, timed out, or answered a
  temporary ``4xx`` — :class:`RetriableError`: the job is tried again later
  with back-off;
* credentials refused — :class:`AuthenticationError`; TLS failed, STARTTLS or
  login not offered, a permanent ``5xx`` — :class:`FatalError`: a person must
  change the profile.

The password is resolved here, handed to ``SMTP.login`` only, and scrubbed
from every message this module builds (a server could echo it back).
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from email.message import EmailMessage

from passerelle.connectors.errors import (
    AuthenticationError,
    ConnectorError,
    FatalError,
    RetriableError,
)
from passerelle.profiles.notification_settings import NotificationSettings
from passerelle.profiles.secrets import SecretError, resolve_secret

__all__ = ["Mailer"]


class Mailer:
    """The profile's mail server; :meth:`send` one message at a time (one connection each)."""

    def __init__(self, settings: NotificationSettings, password: str | None) -> None:
        if not settings.configured:
            raise FatalError(
                "notifications are not configured: set [notifications] host, "
                "from_address and to_addresses in the profile"
            )
        self.settings = settings
        self._password = password

    @classmethod
    def from_settings(cls, settings: NotificationSettings) -> Mailer:
        """A mailer with the password its reference names; a missing secret is a FatalError."""
        password = None
        if settings.password is not None:
            try:
                password = resolve_secret(settings.password, field="notifications.password")
            except SecretError as exc:
                raise FatalError(str(exc)) from None
        return cls(settings, password)

    @property
    def where(self) -> str:
        return self.settings.describe()

    def send(self, message: EmailMessage) -> dict[str, tuple[int, bytes]]:
        """Hand ``message`` to the server; returns the recipients it refused (others got it).

        Raises a :class:`ConnectorError` when the server did not accept the
        message at all; the message is then not sent, and the caller keeps
        whatever it would have marked as sent.
        """
        try:
            with self._connect() as smtp:
                if self.settings.security == "starttls":
                    smtp.starttls(context=self._tls())
                if self.settings.user is not None:
                    smtp.login(self.settings.user, self._password or "")
                return smtp.send_message(message)
        except ConnectorError:
            raise
        except (smtplib.SMTPException, OSError) as exc:
            raise self._explain(exc) from None

    def _connect(self) -> smtplib.SMTP:
        """Connected and greeted; the host is given to the constructor, which is where
        smtplib keeps it for the certificate check of STARTTLS."""
        host, port = self.settings.host, self.settings.effective_port
        assert host is not None  # configured
        if self.settings.security == "ssl":
            return smtplib.SMTP_SSL(host, port, timeout=self.settings.timeout, context=self._tls())
        return smtplib.SMTP(host, port, timeout=self.settings.timeout)

    def _tls(self) -> ssl.SSLContext:
        cafile = str(self.settings.ca_bundle) if self.settings.ca_bundle else None
        return ssl.create_default_context(cafile=cafile)

    # --------------------------------------------------------------- errors
    def _explain(self, exc: BaseException) -> ConnectorError:
        """The failure as the merchant should read it, classified for the worker."""
        where = f"the mail server {self.settings.host}:{self.settings.effective_port}"
        mode = self.settings.security
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            return AuthenticationError(
                self._scrub(
                    f"{where} refused the login of user {self.settings.user!r} "
                    f"({_reply(exc.smtp_code, exc.smtp_error)}): check notifications.user and "
                    f"the password {self.settings.password} names"
                ),
                status=exc.smtp_code,
            )
        if isinstance(exc, smtplib.SMTPNotSupportedError):
            what = "STARTTLS" if "STARTTLS" in str(exc) else "a login (AUTH)"
            hint = (
                'set security = "ssl" or "none" to match the server'
                if what == "STARTTLS"
                else 'it may need security = "starttls" or "ssl" first'
            )
            return FatalError(f"{where} does not offer {what} on this connection: {hint}")
        if isinstance(exc, ssl.SSLCertVerificationError):
            return FatalError(
                f"{where}: its TLS certificate is not trusted "
                f"({exc.verify_message}); set notifications.ca_bundle for a "
                "private authority"
            )
        if isinstance(exc, ssl.SSLError):
            return FatalError(
                f"{where}: the TLS handshake failed ({exc.reason or exc}); "
                f'check that security = "{mode}" and the port match the server'
            )
        if isinstance(exc, smtplib.SMTPRecipientsRefused):
            codes = [code for code, _text in exc.recipients.values()]
            refused = ", ".join(
                f"{rcpt} ({_reply(code, text)})" for rcpt, (code, text) in exc.recipients.items()
            )
            return _by_code(
                min(codes, default=550), self._scrub(f"{where} refused every recipient: {refused}")
            )
        if isinstance(exc, smtplib.SMTPResponseException):
            return _by_code(
                exc.smtp_code,
                self._scrub(
                    f"{where} refused the message: {_reply(exc.smtp_code, exc.smtp_error)}"
                ),
            )
        if isinstance(exc, smtplib.SMTPServerDisconnected):
            return RetriableError(f"{where} closed the connection ({exc or 'no reason given'})")
        if isinstance(exc, ConnectionRefusedError):
            return RetriableError(
                f"could not connect to {where}: connection refused "
                "(is the server running, is the port right?)"
            )
        if isinstance(exc, socket.gaierror):
            return RetriableError(
                f"could not find {where}: unknown host name "
                f"({exc.strerror}); check notifications.host"
            )
        if isinstance(exc, TimeoutError):
            return RetriableError(f"{where} did not answer within {self.settings.timeout:g} s")
        if isinstance(exc, OSError):
            return RetriableError(
                f"could not talk to {where}: {exc.strerror or type(exc).__name__}"
            )
        return RetriableError(self._scrub(f"{where}: {type(exc).__name__}: {exc}"))

    def _scrub(self, text: str) -> str:
        if self._password:
            text = text.replace(self._password, "***")
        return text


def _reply(code: int, text: bytes | str) -> str:
    message = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(message.split())}".strip()


def _by_code(code: int, message: str) -> ConnectorError:
    """SMTP's own rule (RFC 5321 §4.2.1): 4yz is transient, 5yz permanent."""
    if 400 <= code < 500:
        return RetriableError(message, status=code)
    return FatalError(message, status=code)
