"""C22: which item references may travel between the back-office and a shop.

A reference (back-office code, shop SKU) is how both sides find an item
again; a shop, a marketplace feed or a CSV export chokes on some characters,
and two items whose references differ only by case are one product to most
shops. The rule, the same for every flow that sends or receives references:

* not empty;
* only ASCII letters, digits and ``-`` ``_`` ``.`` ``/`` — so no space, tab
  or line break, no comma (CSV lists, C17 related-products fields), and none
  of ``å ä ö & % ¤ # €`` or any other accented letter or symbol (URL, SKU
  search and feed formats mangle them);
* unique, ignoring case, within the set being sent or imported.

When several records share a reference, *all* of them are rejected: nothing
says which one the shop should hold, and sending the first would silently
attach the others' orders, stock and prices to it.

Pure functions, no I/O: the product export (lead) and the reverse import
(C21) both call :func:`check_references`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from passerelle.i18n.messages import M_, Message, Text

__all__ = ["ALLOWED_PUNCTUATION", "Rejected", "check_references", "reference_problem"]

K = TypeVar("K", bound=Hashable)

ALLOWED_PUNCTUATION = "-_./"
_VALID = re.compile(r"[A-Za-z0-9._/\-]+")


@dataclass(frozen=True, slots=True)
class Rejected(Generic[K]):
    """A record whose reference cannot be used, and why (a sentence for the journal)."""

    key: K
    code: str
    #: The English sentence; :attr:`said` the message shown in the reader's language.
    reason: str
    said: Text | None = None

    @property
    def shown(self) -> Text:
        return self.said if self.said is not None else self.reason


def _describe(char: str) -> Text:
    if char == " ":
        return M_("a space")
    if char.isspace():
        return M_("a line break or tab") if char in "\r\n\t\v\f" else M_("a blank character")
    if char == ",":
        return M_("a comma")
    name = unicodedata.name(char, "")
    return f"{char!r} ({name.lower()})" if name else repr(char)


def reference_said(code: str) -> Message | None:
    """:func:`reference_problem` as a message, shown in the reader's language."""
    if not code:
        return M_("has no reference")
    if _VALID.fullmatch(code):
        return None
    bad: list[Text] = []
    for char in code:
        if not _VALID.fullmatch(char) and _describe(char) not in bad:
            bad.append(_describe(char))
    return M_(
        "reference %(code)s contains %(chars)s: use only letters A-Z, digits and %(allowed)s",
        code=repr(code),
        chars=tuple(bad),
        allowed=" ".join(ALLOWED_PUNCTUATION),
    )


def reference_problem(code: str) -> str | None:
    """Why ``code`` alone cannot be a reference, or None when its shape is valid.

    Uniqueness is a property of a set: see :func:`check_references`.
    """
    said = reference_said(code)
    return None if said is None else str(said)


def check_references(
    pairs: Iterable[tuple[K, str]],
) -> tuple[list[tuple[K, str]], list[Rejected[K]]]:
    """Split (key, code) pairs into the usable ones and the rejected ones, input order kept.

    A code of a valid shape shared (ignoring case) by several keys rejects
    every one of them, each message naming the others' references.
    """
    pairs = list(pairs)
    rejected: dict[int, Rejected[K]] = {}
    by_folded: dict[str, list[int]] = {}
    for index, (key, code) in enumerate(pairs):
        problem = reference_said(code)
        if problem is not None:
            rejected[index] = Rejected(key, code, str(problem), problem)
        else:
            by_folded.setdefault(code.casefold(), []).append(index)
    for indexes in by_folded.values():
        if len(indexes) < 2:
            continue
        codes = [pairs[i][1] for i in indexes]
        spelled = " and ".join(sorted(set(codes))) if len(set(codes)) > 1 else codes[0]
        for index in indexes:
            key, code = pairs[index]
            said = M_(
                "reference %(code)s is used by %(count)s records (%(codes)s, case ignored): "
                "none of them is sent, since which one is right cannot be told; give each a "
                "unique reference",
                code=repr(code),
                count=len(indexes),
                codes=spelled,
            )
            rejected[index] = Rejected(key, code, str(said), said)
    valid = [pair for index, pair in enumerate(pairs) if index not in rejected]
    return valid, [rejected[index] for index in sorted(rejected)]
