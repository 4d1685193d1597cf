"""Pages rendered on the server with Jinja2, in the request's language.

Every page extends ``base.html``, which draws the header: the user, the
language switch, sign-out, and the bell with the count of open problems.
:func:`render` gives each template what the layout needs, so a page only
passes its own data. Templates escape everything (autoescape), and get
``_``/``ngettext`` from :func:`passerelle.i18n.install_in_jinja`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from passerelle.console.context import console_of, user_of
from passerelle.console.csrf import FIELD, csrf_token
from passerelle.flows.titles import flow_title
from passerelle.i18n import LANGUAGES, _, current_language, install_in_jinja
from passerelle.store import Severity, Store

__all__ = ["Bell", "make_templates", "refuse", "render"]

TEMPLATES = Path(__file__).with_name("templates")

#: Each language named in itself, as a language switch shows them.
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}


@dataclass(frozen=True, slots=True)
class Bell:
    """The open problems the bell counts, by severity."""

    errors: int = 0
    retries: int = 0
    infos: int = 0

    @property
    def total(self) -> int:
        return self.errors + self.retries + self.infos


def make_templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    install_in_jinja(env)
    # Every page may name a flow; it shows its title in words, never its id.
    env.globals["flow_title"] = flow_title
    return Jinja2Templates(env=env)


def ring(store: Store) -> Bell:
    """The bell's counts: every unresolved problem, records and jobs alike, counted by
    the store (one grouped query per page, not every problem loaded)."""
    counts: Counter[str] = Counter()
    for (_profile, severity), count in store.open_problems_by_severity().items():
        counts[severity] += count
    return Bell(counts[Severity.ERROR], counts[Severity.RETRY], counts[Severity.INFO])


async def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> Response:
    """``template`` with the layout's data (user, CSRF field, language, bell) added."""
    console = console_of(request)
    user = user_of(request)
    bell = await run_in_threadpool(ring, console.store) if user else None
    return console.templates.TemplateResponse(
        request,
        template,
        {
            "user": user,
            "csrf_field": FIELD,
            "csrf_token": csrf_token(request.session),
            "language": current_language(),
            "languages": [(code, LANGUAGE_NAMES.get(code, code)) for code in LANGUAGES],
            "here": request.url.path,
            "bell": bell,
            "nav": [(_(label), path) for label, path in console.nav] if user else [],
            **(context or {}),
        },
        status_code=status,
    )


async def refuse(request: Request, status: int, message: str) -> Response:
    """A refusal (403, 429...) in the layout, saying why."""
    return await render(request, "refused.html", {"message": message}, status=status)
