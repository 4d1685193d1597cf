"""The key that signs console session cookies: made once, kept in the data directory.

Why a file and not a setting: nobody should have to invent a key, and a key
that changed at each start would sign everyone out on every restart. The
file is created with mode 0600 in one atomic step (``O_EXCL``), so two
processes starting together agree on one key and no other local user can
read it; a key file found readable by others is narrowed back to 0600.
"""

from __future__ import annotations

import os
import secrets
import stat
import time
from pathlib import Path

from passerelle.i18n.messages import M_, SaidError

__all__ = ["KEY_FILE", "UnusableKey", "load_or_create_secret_key"]

KEY_FILE = "console-secret.key"
_KEY_BYTES = 32


class UnusableKey(SaidError, ValueError):
    """The key file is there but holds no key (emptied, truncated): the merchant deletes it."""


def load_or_create_secret_key(data_dir: Path) -> str:
    """The console's signing key under ``data_dir``, created on first use."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / KEY_FILE
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read(path)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(_KEY_BYTES))
    return _read(path)


def _read(path: Path) -> str:
    """The key in ``path``; waits a little for a process that has just created it."""
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        path.chmod(0o600)
    for _attempt in range(50):
        key = path.read_text(encoding="ascii").strip()
        if len(key) >= _KEY_BYTES:
            return key
        time.sleep(0.02)
    raise UnusableKey(
        M_("%(path)s does not hold a usable key: delete it and start again", path=path)
    )
