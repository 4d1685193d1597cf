"""Why an order cannot be imported now, and how urgent that is."""

from __future__ import annotations

__all__ = ["OrderProblem"]


class OrderProblem(Exception):
    """Why an order cannot be imported now; ``severity`` is info, retry or error.

    *info*: nothing to do (a cancelled order); *retry*: it will import by
    itself later (awaiting payment); *error*: a person must change something
    (the message says what).
    """

    def __init__(self, message: str, severity: str = "error") -> None:
        super().__init__(message)
        self.message = message
        self.severity = severity

    def __str__(self) -> str:
        return self.message
