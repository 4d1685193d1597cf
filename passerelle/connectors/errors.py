"""One error tree for every connector; the runner decides what to do from the class.

Why a tree: a flow must tell apart what is worth retrying (the shop is busy),
what concerns one record only (skip it, park it, go on) and what stops the
run (bad credentials). Connectors raise these; they never let a raw
``httpx`` or database exception reach a flow.
Messages name the record and what to change; they never carry secrets.
They are kept as catalogue messages (``M_``) where the connector words them, so a
journal line or a problem shows them in the reader's language
(:func:`passerelle.i18n.messages.said`); ``str()`` stays the English, for logs.
"""

from __future__ import annotations

from passerelle.i18n.messages import Text

__all__ = [
    "AuthenticationError",
    "ConnectorError",
    "FatalError",
    "NotFoundError",
    "RecordError",
    "RetriableError",
    "ShopUnreachable",
]


class ConnectorError(Exception):
    """Base of every error a connector raises."""

    def __init__(
        self,
        message: Text,
        *,
        status: int | None = None,
        code: str = "",
        record_id: str | None = None,
    ) -> None:
        super().__init__(str(message))
        #: The English text (logs, tracebacks, searches).
        self.message = str(message)
        #: What the error says, kept to be shown in the reader's language.
        self.said: Text = message
        self.status = status
        self.code = code
        # The id of the record concerned, when the error is about one record
        # (an order that cannot be read), so a flow can park it under its id.
        self.record_id = record_id

    def __str__(self) -> str:
        return self.message


class RetriableError(ConnectorError):
    """Transient: rate limited, server error, timeout. Worth trying again later."""

    def __init__(
        self,
        message: Text,
        *,
        status: int | None = None,
        code: str = "",
        retry_after: float | None = None,
        record_id: str | None = None,
    ) -> None:
        super().__init__(message, status=status, code=code, record_id=record_id)
        self.retry_after = retry_after


class ShopUnreachable(RetriableError):
    """The shop refuses connections (or its name does not resolve): a passing fault.

    A server restarting or a network outage looks like this; it is retried with
    back-off like a 5xx, and only when the tries are spent does a person hear of
    it, once for the shop rather than once per job. ``url`` is the address tried.
    """

    def __init__(self, message: Text, *, url: str) -> None:
        super().__init__(message, code="unreachable")
        self.url = url


class FatalError(ConnectorError):
    """The whole run cannot go on (bad URL, TLS failure, misconfiguration)."""


class AuthenticationError(FatalError):
    """The credentials were refused."""


class RecordError(ConnectorError):
    """One record was refused; the run goes on with the others."""


class NotFoundError(RecordError):
    """The record asked for does not exist on that side."""
