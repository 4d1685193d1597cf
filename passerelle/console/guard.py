"""One gate in front of every console route: sign-in, CSRF, role, language, headers.

Why a middleware over the whole app and not a check in each page: a page
added later cannot forget it. Everything is refused unless allowed:

* signed out, only the public paths answer (``/login``, ``/health``, static
  files, and the webhook receiver, which has its own signature checks);
  every other request is sent to ``/login?next=<path>``;
* every request that is not GET/HEAD/OPTIONS (a form post) must carry the
  session's CSRF token, or gets 403 — the webhook receiver excepted;
* a *viewer* may sign in and out, choose a language and refresh the Status
  page (it only reads); any other post is an operator's action and gets 403;
* the language is the user's own choice, else the browser's Accept-Language,
  set with :func:`passerelle.i18n.using` for the whole request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from passerelle.console.auth import signed_in
from passerelle.console.context import USER_KEY, Console
from passerelle.console.csrf import FIELD, HEADER, matches
from passerelle.console.redirects import login_url
from passerelle.i18n import _, negotiate, using

__all__ = ["PUBLIC_PATHS", "ConsoleGuard", "is_public"]

PUBLIC_PATHS = frozenset({"/login", "/health"})
PUBLIC_PREFIXES = ("/static/",)
#: Its own signature checks; no session, no CSRF, no console headers.
RECEIVER_PREFIX = "/webhooks/"
#: What a viewer may post: nothing that changes the shop, the back-office or a profile
#: (the Status page's Refresh only reads them again).
VIEWER_POSTS = frozenset({"/login", "/logout", "/language", "/status/refresh"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: A console form is a few fields; more is not one of ours.
MAX_FORM_BYTES = 1024 * 1024

_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "content-security-policy": (
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
}

Refusal = Callable[[Request, int, str], Awaitable[Response]]


def is_public(path: str, extra: frozenset[str] = frozenset()) -> bool:
    """Whether ``path`` answers without sign-in."""
    return path in PUBLIC_PATHS or path in extra or path.startswith(PUBLIC_PREFIXES)


class _TooLarge(Exception):
    pass


class ConsoleGuard:
    """The ASGI middleware; ``refuse`` renders a refusal page (403, 413) in the layout."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        console: Console,
        refuse: Refusal,
        public_paths: frozenset[str] = frozenset(),
    ) -> None:
        self.app = app
        self.console = console
        self.refuse = refuse
        self.public_paths = public_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(RECEIVER_PREFIX):
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        user = await run_in_threadpool(signed_in, self.console, scope["session"])
        scope[USER_KEY] = user
        language = negotiate(
            user.language if user else None, request.headers.get("accept-language")
        )
        with using(language):
            await self._gate(request, scope, receive, _with_headers(scope, send))

    async def _gate(self, request: Request, scope: Scope, receive: Receive, send: Send) -> None:
        path, method = scope["path"], scope["method"]
        user = scope[USER_KEY]
        if user is None and not is_public(path, self.public_paths):
            target = login_url(_path_and_query(request) if method in SAFE_METHODS else None)
            await RedirectResponse(target, status_code=303)(scope, receive, send)
            return
        if method not in SAFE_METHODS:
            try:
                body = await _read_body(receive)
            except _TooLarge:
                await PlainTextResponse(_("Too large."), status_code=413)(scope, receive, send)
                return
            receive = _replay(body, receive)
            if not await _csrf_ok(scope, receive, request.headers.get(HEADER)):
                message = _("This form has expired. Go back, reload the page and try again.")
                await (await self.refuse(request, 403, message))(scope, receive, send)
                return
            if user is not None and not user.is_operator and path not in VIEWER_POSTS:
                message = _("Your account can only look: ask an operator to do this.")
                await (await self.refuse(request, 403, message))(scope, receive, send)
                return
            receive = _replay(body, receive)
        await self.app(scope, receive, send)


def _path_and_query(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            raise _TooLarge
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` giving ``body`` once more, then the client's own messages."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


async def _csrf_ok(scope: Scope, receive: Receive, header: str | None) -> bool:
    session = scope["session"]
    if header is not None:
        return matches(session, header)
    try:
        form = await Request(scope, receive).form()
    except Exception:  # not a form at all: no token in it
        return False
    try:
        return matches(session, form.get(FIELD))
    finally:
        await form.close()


def _with_headers(scope: Scope, send: Send) -> Send:
    """Adds the console's security headers; pages are never cached (they show live state)."""
    static = scope["path"].startswith(PUBLIC_PREFIXES)

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            for name, value in _HEADERS.items():
                headers.setdefault(name, value)
            if not static:
                headers.setdefault("cache-control", "no-store")
        await send(message)

    return sending
