"""Signing in and out.

A wrong name and a wrong password get the same answer, in the same time
(:func:`passerelle.console.passwords.verify` checks a dummy hash for an
unknown name). Five wrong passwords for one name or from one client within a
minute, and the next attempt is refused with 429 until the minute has passed
(:mod:`passerelle.console.ratelimit`). A right password whose hash was made
with older parameters is rehashed and stored.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from passerelle.console.auth import sign_in, sign_out
from passerelle.console.context import console_of, user_of
from passerelle.console.passwords import verify
from passerelle.console.redirects import local_path
from passerelle.console.templating import render
from passerelle.i18n import _

__all__ = ["login", "logout"]


async def login(request: Request) -> Response:
    """GET: the form (or home when already signed in); POST: check and sign in."""
    next_path = local_path(request.query_params.get("next"))
    if request.method != "POST":
        if user_of(request) is not None:
            return RedirectResponse(next_path, status_code=303)
        return await _form(request, next_path)
    form = await request.form()
    name = str(form.get("name", "")).strip()
    password = str(form.get("password", ""))
    next_path = local_path(form.get("next"))
    console = console_of(request)
    keys = console.limiter.keys(name, request.client.host if request.client else None)
    if console.limiter.blocked(keys):
        message = _("Too many failed attempts. Wait a minute, then try again.")
        return await _form(request, next_path, name, message, status=429)
    found = await run_in_threadpool(console.users.credentials, name) if name else None
    checked = await run_in_threadpool(verify, found[1] if found else None, password)
    if found is None or not checked.ok:
        console.limiter.failed(keys)
        return await _form(request, next_path, name, _("Wrong name or password."), status=400)
    user, password_hash = found
    if checked.rehash is not None:
        await run_in_threadpool(console.users.set_password_hash, user.name, checked.rehash)
        password_hash = checked.rehash
    console.limiter.forget(keys[0])
    sign_in(console, request.session, user, password_hash)
    return RedirectResponse(next_path, status_code=303)


async def logout(request: Request) -> Response:
    sign_out(request.session)
    return RedirectResponse("/login", status_code=303)


async def _form(
    request: Request, next_path: str, name: str = "", error: str | None = None, status: int = 200
) -> Response:
    return await render(
        request, "login.html", {"next": next_path, "name": name, "error": error}, status=status
    )
