"""Console sessions in a signed cookie: nothing to store server-side, nothing to clean up.

Why our own small middleware rather than Starlette's ``SessionMiddleware``:
the cookie must be ``Secure`` exactly when the request came over TLS (behind
a reverse proxy, uvicorn's proxy headers set the scheme), which Starlette's
decides once at start-up; and the cookie is written only when the session
changed, so its signed timestamp is the moment of sign-in and the lifetime
is not renewed by merely browsing.

The cookie is signed with itsdangerous (HMAC, timestamped) with the key of
:mod:`passerelle.console.secret_key`: a forged, altered or expired cookie
reads as an empty session (signed out), and is cleared.
"""

from __future__ import annotations

from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["COOKIE", "SignedCookieSessions"]

COOKIE = "passerelle_session"
_SALT = "passerelle.console.session"


class SignedCookieSessions:
    """ASGI middleware giving each HTTP request ``scope["session"]`` (``request.session``)."""

    def __init__(self, app: ASGIApp, *, secret_key: str, max_age: int) -> None:
        self.app = app
        self.max_age = max_age
        self._serializer = URLSafeTimedSerializer(secret_key, salt=_SALT)

    def _load(self, cookie: str | None) -> dict[str, Any] | None:
        """The session in ``cookie``; ``None`` if it is forged, altered or too old."""
        if not cookie:
            return {}
        try:
            data = self._serializer.loads(cookie, max_age=self.max_age)
        except BadSignature:  # SignatureExpired is one too
            return None
        return data if isinstance(data, dict) else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loaded = self._load(HTTPConnection(scope).cookies.get(COOKIE))
        initial = dict(loaded or {})
        scope["session"] = dict(initial)
        refused_cookie = loaded is None
        secure = scope.get("scheme") == "https"

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                session = scope["session"]
                if session != initial or (refused_cookie and not session):
                    MutableHeaders(scope=message).append(
                        "set-cookie", self._cookie(session, secure=secure)
                    )
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _cookie(self, session: dict[str, Any], *, secure: bool) -> str:
        if session:
            value, max_age = self._serializer.dumps(session), self.max_age
        else:  # signed out: the browser drops the cookie
            value, max_age = "", 0
        flags = f"Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax"
        return f"{COOKIE}={value}; {flags}{'; Secure' if secure else ''}"
