"""What the Status and Stock pages share: choosing a profile, and the profile a path names.

Both pages are per profile (``/status/{profile}/…``, ``/stock/{profile}``); their
menu entry leads to the list of profiles, or straight to the only one.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from passerelle.console.context import console_of
from passerelle.console.templating import render
from passerelle.profiles import Profile, ProfileError

__all__ = ["choose_profile", "profile_named"]


async def choose_profile(request: Request, title: str, page: str) -> Response:
    """The profiles, each a link to ``page`` (``{name}`` in it is the profile's name)."""
    names = console_of(request).profiles.names()
    if len(names) == 1:
        return RedirectResponse(page.format(name=names[0]), status_code=303)
    links = [(name, page.format(name=name)) for name in names]
    return await render(request, "status/profiles.html", {"title": title, "links": links})


async def profile_named(request: Request) -> Profile:
    """The profile of the path's ``{profile}``; 404 when there is none by that name."""
    name = request.path_params["profile"]
    repository = console_of(request).profiles
    if name not in repository.names():
        raise HTTPException(404)
    try:
        return await run_in_threadpool(repository.load, name)
    except ProfileError:
        raise HTTPException(404) from None
