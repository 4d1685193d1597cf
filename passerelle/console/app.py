"""The console as one ASGI app: its route table, behind the session and the guard.

Layers, outermost first: signed-cookie sessions
(:mod:`passerelle.console.sessions`), then the guard
(:mod:`passerelle.console.guard`: sign-in, CSRF, role, language, headers),
then the routes. ``extra_routes`` joins other route tables behind the same
gate; ``passerelle serve`` passes the webhook receiver's, which the guard
lets through untouched (it checks its own signatures).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from passerelle.console.context import Console
from passerelle.console.guard import ConsoleGuard
from passerelle.console.home import home
from passerelle.console.language import choose_language
from passerelle.console.login import login, logout
from passerelle.console.operations import OPERATIONS_PUBLIC_PATHS, operations_routes
from passerelle.console.pages import nav_entries, page_routes
from passerelle.console.ratelimit import LoginLimiter
from passerelle.console.secret_key import load_or_create_secret_key
from passerelle.console.sessions import SignedCookieSessions
from passerelle.console.templating import make_templates, refuse
from passerelle.profiles import ProfileRepository
from passerelle.store import Store
from passerelle.store.repositories.users import users_of

__all__ = ["DEFAULT_SESSION_LIFETIME", "create_console_app"]

#: A working day: signed in in the morning, signed out by the night.
DEFAULT_SESSION_LIFETIME = timedelta(hours=12)
STATIC = Path(__file__).with_name("static")


def console_routes() -> list[BaseRoute]:
    """The console's own pages (all behind the guard; only ``/login`` is public)."""
    return [
        Route("/", home, name="home"),
        Route("/login", login, methods=["GET", "POST"], name="login"),
        Route("/logout", logout, methods=["POST"], name="logout"),
        Route("/language", choose_language, methods=["POST"], name="language"),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
        *page_routes(),
    ]


def create_console_app(
    data_dir: Path,
    store: Store,
    *,
    profiles: ProfileRepository | None = None,
    extra_routes: Sequence[BaseRoute] = (),
    public_paths: frozenset[str] = frozenset(),
    secret_key: str | None = None,
    session_lifetime: timedelta = DEFAULT_SESSION_LIFETIME,
    clock: Callable[[], float] = time.time,
    limiter: LoginLimiter | None = None,
    health_timeout: float = 5.0,
) -> Starlette:
    """The console for ``data_dir``'s profiles and ``store``.

    ``secret_key`` defaults to the one kept under ``data_dir``
    (:mod:`passerelle.console.secret_key`); ``clock`` (seconds since the epoch)
    dates sign-ins and failed attempts, and tests pass a fake one. ``/health`` and
    ``/metrics`` come from :mod:`passerelle.console.operations`, public by their own
    rules; ``health_timeout`` bounds each of its checks.
    """
    lifetime = session_lifetime.total_seconds()
    console = Console(
        data_dir=data_dir,
        store=store,
        users=users_of(store),
        profiles=profiles or ProfileRepository(data_dir),
        templates=make_templates(),
        limiter=limiter or LoginLimiter(clock=clock),
        clock=clock,
        session_lifetime=lifetime,
        nav=tuple((entry.label, entry.path) for entry in nav_entries()),
    )
    app = Starlette(
        routes=[
            *console_routes(),
            *operations_routes(data_dir, store, health_timeout=health_timeout),
            *extra_routes,
        ],
        middleware=[
            Middleware(
                SignedCookieSessions,
                secret_key=secret_key or load_or_create_secret_key(data_dir),
                max_age=int(lifetime),
            ),
            Middleware(
                ConsoleGuard,
                console=console,
                refuse=refuse,
                public_paths=OPERATIONS_PUBLIC_PATHS | public_paths,
            ),
        ],
    )
    app.state.console = console
    return app
