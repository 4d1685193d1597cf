"""Where the console may send a browser back to: its own pages only.

``/login?next=...`` and the language switch's ``next`` come from the
browser; followed blindly, a link to the login page could send a merchant
who just signed in to another site (an open redirect). Only a local path is
accepted: one leading slash, no scheme or host, no backslash, no control
character; anything else means the home page.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

__all__ = ["local_path", "login_url"]


def local_path(value: object, default: str = "/") -> str:
    """``value`` if it is a path of this site, else ``default``."""
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//"):
        return default
    if "\\" in value or any(ord(char) < 32 or ord(char) == 127 for char in value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.path == "/login":
        return default
    return value


def login_url(next_path: str | None = None) -> str:
    """The login page, coming back to ``next_path`` afterwards."""
    target = local_path(next_path, default="")
    if not target or target == "/":
        return "/login"
    return "/login?next=" + quote(target, safe="")
