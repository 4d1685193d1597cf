"""A CSRF token per session, required on every form the console receives.

Why a token although the cookie is SameSite=Lax: Lax still lets a top-level
POST from another site through in some browsers (the two-minute window for
fresh cookies), and older ones ignore SameSite. The token lives in the signed
session and is written into every form (``csrf_token`` field) or sent as the
``X-CSRF-Token`` header (for script-driven requests); a new one is made at
sign-in, so a token seen before signing in is worth nothing after.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import MutableMapping
from typing import Any

__all__ = ["FIELD", "HEADER", "csrf_token", "matches", "renew"]

FIELD = "csrf_token"
HEADER = "x-csrf-token"
_KEY = "csrf"


def csrf_token(session: MutableMapping[str, Any]) -> str:
    """The session's token, made on first need."""
    token = session.get(_KEY)
    if not isinstance(token, str) or not token:
        token = renew(session)
    return token


def renew(session: MutableMapping[str, Any]) -> str:
    """Give the session a new token (at sign-in)."""
    token = secrets.token_urlsafe(32)
    session[_KEY] = token
    return token


def matches(session: MutableMapping[str, Any], given: object) -> bool:
    """Whether ``given`` is this session's token (compared in constant time)."""
    expected = session.get(_KEY)
    if not isinstance(expected, str) or not expected or not isinstance(given, str):
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
