"""The language switch: the user's choice is kept with the user, not the browser.

Why with the user: the same merchant reads the console from the shop's
office and from home; their choice follows them. "Automatic" (an empty
choice) goes back to the browser's Accept-Language.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from passerelle.console.context import console_of, user_of
from passerelle.console.redirects import local_path
from passerelle.i18n import LANGUAGES

__all__ = ["choose_language"]


async def choose_language(request: Request) -> Response:
    form = await request.form()
    chosen = str(form.get("language", ""))
    user = user_of(request)
    if user is not None:
        language = chosen if chosen in LANGUAGES else None
        await run_in_threadpool(console_of(request).users.set_language, user.name, language)
    return RedirectResponse(local_path(form.get("next")), status_code=303)
