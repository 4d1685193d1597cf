"""What an action said, kept in the session for the page it redirects to.

Why the session and not the query string: a link cannot then make a page
show words its action never said. The lines are written in the user's
language when the action runs, and shown (then forgotten) by the next page.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request

__all__ = ["Said", "remember", "take"]

_KEY = "said"
#: How many lines a page shows after an action; a cookie has little room.
_MAX_LINES = 40

#: (tone, text): tone is "ok" or "error", for the page's colours.
Said = tuple[str, str]


def remember(request: Request, lines: Sequence[Said]) -> None:
    """Keep ``lines`` for the next page (the last ones if there are too many)."""
    request.session[_KEY] = [list(line) for line in lines[-_MAX_LINES:]]


def take(request: Request) -> list[Said]:
    """The lines an action left, once."""
    kept = request.session.pop(_KEY, None) or []
    return [(str(tone), str(text)) for tone, text in kept]
