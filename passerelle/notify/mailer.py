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
from passerelle.i18n.messages import M_, Text, said
from passerelle.profiles.notification_settings import NotificationSettings
from passerelle.profiles.secrets import SecretError, resolve_secret

__all__ = ["Mailer"]


class Mailer:
    """The profile's mail server; :meth:`send` one message at a time (one connection each)."""

    def __init__(self, settings: NotificationSettings, password: str | None) -> None:
        if not settings.configured:
            raise FatalError(
                M_(
                    "notifications are not configured: set [notifications] host, "
                    "from_address and to_addresses in the profile"
                )
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
                raise FatalError(said(exc)) from None
        return cls(settings, password)

    @property
    def where(self) -> Text:
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
        """The failure as the merchant should read it (kept, in the reader's language),
        classified for the worker; what the server or the system says is data, scrubbed."""
        where = M_(
            "the mail server %(host)s:%(port)s",
            host=self.settings.host,
            port=self.settings.effective_port,
        )
        mode = self.settings.security
        scrub = self._scrub
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            return AuthenticationError(
                M_(
                    "%(where)s refused the login of user %(user)r (%(reply)s): check "
                    "notifications.user and the password %(password)s names",
                    where=where,
                    user=self.settings.user,
                    reply=scrub(_reply(exc.smtp_code, exc.smtp_error)),
                    password=self.settings.password,
                ),
                status=exc.smtp_code,
            )
        if isinstance(exc, smtplib.SMTPNotSupportedError):
            if "STARTTLS" in str(exc):
                told = M_(
                    '%(where)s does not offer STARTTLS on this connection: set security = "ssl" '
                    'or "none" to match the server',
                    where=where,
                )
            else:
                told = M_(
                    "%(where)s does not offer a login (AUTH) on this connection: it may need "
                    'security = "starttls" or "ssl" first',
                    where=where,
                )
            return FatalError(told)
        if isinstance(exc, ssl.SSLCertVerificationError):
            return FatalError(
                M_(
                    "%(where)s: its TLS certificate is not trusted (%(reason)s); set "
                    "notifications.ca_bundle for a private authority",
                    where=where,
                    reason=str(exc.verify_message),
                )
            )
        if isinstance(exc, ssl.SSLError):
            return FatalError(
                M_(
                    "%(where)s: the TLS handshake failed (%(reason)s); "
                    'check that security = "%(mode)s" and the port match the server',
                    where=where,
                    reason=str(exc.reason or exc),
                    mode=mode,
                )
            )
        if isinstance(exc, smtplib.SMTPRecipientsRefused):
            codes = [code for code, _text in exc.recipients.values()]
            refused = [
                f"{rcpt} ({scrub(_reply(code, text))})"
                for rcpt, (code, text) in exc.recipients.items()
            ]
            return _by_code(
                min(codes, default=550),
                M_("%(where)s refused every recipient: %(refused)s", where=where, refused=refused),
            )
        if isinstance(exc, smtplib.SMTPResponseException):
            return _by_code(
                exc.smtp_code,
                M_(
                    "%(where)s refused the message: %(reply)s",
                    where=where,
                    reply=scrub(_reply(exc.smtp_code, exc.smtp_error)),
                ),
            )
        if isinstance(exc, smtplib.SMTPServerDisconnected):
            return RetriableError(
                M_("%(where)s closed the connection (%(reason)s)", where=where, reason=str(exc))
                if str(exc)
                else M_("%(where)s closed the connection (no reason given)", where=where)
            )
        if isinstance(exc, ConnectionRefusedError):
            return RetriableError(
                M_(
                    "could not connect to %(where)s: connection refused "
                    "(is the server running, is the port right?)",
                    where=where,
                )
            )
        if isinstance(exc, socket.gaierror):
            return RetriableError(
                M_(
                    "could not find %(where)s: unknown host name (%(reason)s); "
                    "check notifications.host",
                    where=where,
                    reason=str(exc.strerror),
                )
            )
        if isinstance(exc, TimeoutError):
            seconds = f"{self.settings.timeout:g}"
            return RetriableError(
                M_("%(where)s did not answer within %(seconds)s s", where=where, seconds=seconds)
            )
        if isinstance(exc, OSError):
            return RetriableError(
                M_(
                    "could not talk to %(where)s: %(reason)s",
                    where=where,
                    reason=exc.strerror or type(exc).__name__,
                )
            )
        return RetriableError(
            M_(
                "%(where)s: %(error)s: %(reason)s",
                where=where,
                error=type(exc).__name__,
                reason=scrub(str(exc)),
            )
        )

    def _scrub(self, text: str) -> str:
        if self._password:
            text = text.replace(self._password, "***")
        return text


def _reply(code: int, text: bytes | str) -> str:
    message = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(message.split())}".strip()


def _by_code(code: int, message: Text) -> ConnectorError:
    """SMTP's own rule (RFC 5321 §4.2.1): 4yz is transient, 5yz permanent."""
    if 400 <= code < 500:
        return RetriableError(message, status=code)
    return FatalError(message, status=code)
