"""Who is signed in: what the session cookie holds and when it stops counting.

The session holds the user's name, the time of sign-in and a *stamp* of the
password hash. The user is read from the store on every request, so a user
removed, or whose password was changed (``passerelle user passwd``), is signed
out at once everywhere, and a session older than the console's lifetime (12 h
by default) counts for nothing, whatever the cookie's own expiry says.
"""

from __future__ import annotations

import hashlib
from collections.abc import MutableMapping
from typing import Any

from passerelle.console.context import Console
from passerelle.console.csrf import renew
from passerelle.store.repositories.users import User

__all__ = ["sign_in", "sign_out", "signed_in"]

_USER, _STAMP, _SINCE = "user", "stamp", "since"


def _stamp(password_hash: str) -> str:
    """Changes with the password; tells nothing about it (the cookie is signed, not secret)."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def signed_in(console: Console, session: MutableMapping[str, Any]) -> User | None:
    """The session's user if it still stands; otherwise the session is emptied."""
    name, stamp, since = session.get(_USER), session.get(_STAMP), session.get(_SINCE)
    if not isinstance(name, str) or not isinstance(since, int | float):
        if name is not None:
            session.clear()
        return None
    age = console.clock() - since
    found = console.users.credentials(name) if 0 <= age <= console.session_lifetime else None
    if found is None or _stamp(found[1]) != stamp:
        session.clear()
        return None
    return found[0]


def sign_in(console: Console, session: MutableMapping[str, Any], user: User, hash_: str) -> None:
    """Start a fresh session for ``user``: nothing of the anonymous one is kept."""
    session.clear()
    session.update({_USER: user.name, _STAMP: _stamp(hash_), _SINCE: console.clock()})
    renew(session)


def sign_out(session: MutableMapping[str, Any]) -> None:
    session.clear()
