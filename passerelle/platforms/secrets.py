"""Secrets are referenced by profiles, never stored in them (P1, DESIGN invariants).

A reference is ``env:VARIABLE`` (containers, CI) or ``keyring:SERVICE/USER``
(the system keyring, for a desktop install). Resolution happens only when a
connector is built (:func:`passerelle.platforms.build_shop`); the value is
handed to the connector and never printed. It lives here, beside the
registry that builds connectors, so the profiles and the notifications reach
it without the connectors ever importing either.
"""

from __future__ import annotations

import os
from typing import Protocol

from passerelle.i18n.messages import M_, SaidError

__all__ = ["SecretError", "SecretResolver", "resolve_secret"]


class SecretResolver(Protocol):
    """How a platform's ``build`` turns a reference into the secret (``field`` names it
    in messages); :func:`resolve_secret` in use, a dictionary in tests."""

    def __call__(self, reference: str, *, field: str) -> str: ...


class SecretError(SaidError):
    """A referenced secret cannot be found; the message (kept, in the reader's
    language) says where to put it."""


def resolve_secret(reference: str, *, field: str) -> str:
    kind, _, name = reference.partition(":")
    if kind == "env":
        value = os.environ.get(name)
        if not value:
            raise SecretError(
                M_(
                    "%(field)s: the environment variable %(name)s is not set; "
                    "export %(name)s=... before running passerelle",
                    field=field,
                    name=name,
                )
            )
        return value
    if kind == "keyring":
        service, _, user = name.partition("/")
        try:
            import keyring
            import keyring.errors

            value = keyring.get_password(service, user)
        except Exception as exc:  # keyring backends raise their own types
            raise SecretError(
                M_(
                    "%(field)s: the system keyring could not be read (%(error)s); "
                    "use env:VARIABLE instead, or configure a keyring backend",
                    field=field,
                    error=type(exc).__name__,
                )
            ) from exc
        if not value:
            raise SecretError(
                M_(
                    "%(field)s: no secret for service %(service)r, user %(user)r in the system "
                    "keyring; add it with: keyring set %(service)s %(user)s",
                    field=field,
                    service=service,
                    user=user,
                )
            )
        return value
    raise SecretError(
        M_(
            "%(field)s: %(reference)r is not env:VARIABLE or keyring:SERVICE/USER",
            field=field,
            reference=reference,
        )
    )
