"""A journal line's level and a run's counts in the reader's words."""

from __future__ import annotations

from passerelle.i18n import N_, _
from passerelle.i18n.messages import render
from passerelle.journal import counted
from passerelle.store import JournalLevel

__all__ = ["LEVELS", "counts_words", "level_words"]

#: The journal's levels, as a filter offers them (English, marked; translated when shown).
LEVELS = {
    JournalLevel.ERROR: N_("error"),
    JournalLevel.WARNING: N_("warning"),
    JournalLevel.SUCCESS: N_("success"),
    JournalLevel.INFO: N_("information"),
}


def level_words(level: JournalLevel) -> str:
    """The level in the current language."""
    return _(LEVELS[level])


def counts_words(counts: dict[str, int]) -> str:
    """``3 created, 1 parked`` (or that there was nothing to do), in the current language."""
    return ", ".join(render(said) for said in counted(counts))
