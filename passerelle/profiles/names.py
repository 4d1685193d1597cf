"""Profile names: plain file names in the profiles folder, never a path.

A profile name becomes ``<profiles folder>/<name>.toml`` and reaches the file
system through ``delete``, ``show``, ``export`` and the rest. A name such as
``../../victim`` once let ``profile delete`` remove a file outside the folder
(issue 13), so the rule is checked in one place, by the repository, before any
path is built: letters, digits, ``-``, ``_`` and ``.``, starting with a letter
or a digit, no ``..``, at most :data:`MAX_LENGTH` characters. It is the same
rule as ``Profile.name``'s pattern in the schema, plus the ``..`` ban. After
the rule, the resolved path must still lie in the folder, which catches a
profile file that is a symbolic link to somewhere else.
"""

from __future__ import annotations

import re
from pathlib import Path

from passerelle.i18n.messages import M_, Message

__all__ = ["MAX_LENGTH", "NAME_RULE", "inside", "name_problem"]

MAX_LENGTH = 64
_PATTERN = re.compile(rf"[A-Za-z0-9][A-Za-z0-9_.-]{{0,{MAX_LENGTH - 1}}}")

NAME_RULE = M_(
    "A profile name is 1 to %(max)s letters (A-Z, a-z), digits, '-', '_' "
    "or '.', starting with a letter or a digit, without '..' "
    "(for example shop-fr or eu_store.2).",
    max=MAX_LENGTH,
)


def name_problem(name: object) -> Message | None:
    """What is wrong with ``name`` as a profile name (kept, said in the reader's
    language), or None when it is a plain name.

    ``fullmatch`` on ``str`` only: ``$`` would accept a trailing newline, and
    a non-ASCII digit or letter (``re`` classes are ASCII here by their ranges)
    never passes.
    """
    if not isinstance(name, str) or not name:
        return M_("no profile name given")
    if "\x00" in name:
        return M_("a profile name cannot contain a NUL character")
    if "/" in name or "\\" in name:
        return M_("a profile name cannot contain '/' or '\\' (it is a name, not a path)")
    if len(name) > MAX_LENGTH:
        return M_(
            "a profile name is at most %(max)s characters (this one has %(length)s)",
            max=MAX_LENGTH,
            length=len(name),
        )
    if ".." in name:
        return M_("a profile name cannot contain '..'")
    if not _PATTERN.fullmatch(name):
        return M_("it holds a character a profile name cannot have, or starts with one")
    return None


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path``, once every symbolic link is followed, lies directly in ``folder``."""
    try:
        return path.resolve().parent == folder.resolve()
    except (OSError, RuntimeError):  # a link loop: not a profile file
        return False
