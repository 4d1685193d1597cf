"""What every console page works with, made once per app and found from the request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import HTTPConnection
from starlette.templating import Jinja2Templates

from passerelle.console.ratelimit import LoginLimiter
from passerelle.profiles import ProfileRepository
from passerelle.store import Store
from passerelle.store.repositories.users import User, UserRepository

__all__ = ["Console", "console_of", "user_of"]

#: Where the guard leaves the signed-in user for the pages (``None``: nobody).
USER_KEY = "passerelle.user"


@dataclass(frozen=True, slots=True)
class Console:
    """The console's services: store, users, profiles, templates, sign-in limits, clock.

    ``clock`` gives seconds since the epoch (sign-in time and session age);
    tests pass a fake one to age a session or a run of failed sign-ins.
    """

    data_dir: Path
    store: Store
    users: UserRepository
    profiles: ProfileRepository
    templates: Jinja2Templates
    limiter: LoginLimiter
    clock: Callable[[], float]
    session_lifetime: float
    #: The menu as (label marked with N_, path), found once in :mod:`passerelle.console.pages`
    #: and kept here, so the layout does not import the pages that import it.
    nav: tuple[tuple[str, str], ...] = ()


def console_of(connection: HTTPConnection) -> Console:
    """The console serving this request."""
    console: Console = connection.app.state.console
    return console


def user_of(connection: HTTPConnection) -> User | None:
    """The signed-in user of this request (set by the guard), or ``None``."""
    user: User | None = connection.scope.get(USER_KEY)
    return user
