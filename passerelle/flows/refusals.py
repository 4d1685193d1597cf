"""A refusal that lists what to fix, one line each, kept to be shown in any language.

Why a message built line by line: a run refused before it starts (the profile
names a tax the back-office lacks) says every missing thing at once, and each
line is itself a message the reader sees in their language.
"""

from __future__ import annotations

from collections.abc import Iterable

from passerelle.i18n.messages import M_, Message, Text

__all__ = ["listed"]


def listed(intro: Message, lines: Iterable[Text]) -> Message:
    """``intro`` then each of ``lines`` on a line of its own, as ``  - line``."""
    said = intro
    for line in lines:
        said = M_("%(text)s\n  - %(line)s", text=said, line=line)
    return said
