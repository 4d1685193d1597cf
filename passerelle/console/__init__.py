"""The web console: what a merchant sees, in French and English, behind a sign-in.

Server-rendered pages (Starlette + Jinja2), no front-end build. Security is
one gate for every route (:mod:`passerelle.console.guard`): sign-in, CSRF
token on every form, viewer/operator roles; sessions in a signed cookie
(:mod:`passerelle.console.sessions`); passwords hashed with argon2id
(:mod:`passerelle.console.passwords`); sign-in attempts rate-limited
(:mod:`passerelle.console.ratelimit`). ``passerelle serve`` serves it beside
the webhook receiver.
"""

from passerelle.console.app import DEFAULT_SESSION_LIFETIME, create_console_app

__all__ = ["DEFAULT_SESSION_LIFETIME", "create_console_app"]
