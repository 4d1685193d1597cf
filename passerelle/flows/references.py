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

__all__ = ["ALLOWED_PUNCTUATION", "Rejected", "check_references", "reference_problem"]

K = TypeVar("K", bound=Hashable)

ALLOWED_PUNCTUATION = "-_./"
_VALID = re.compile(r"[A-Za-z0-9._/\-]+")
_HOW_TO_FIX = f"use only letters A-Z, digits and {' '.join(ALLOWED_PUNCTUATION)}"


@dataclass(frozen=True, slots=True)
class Rejected(Generic[K]):
    """A record whose reference cannot be used, and why (a sentence for the journal)."""

    key: K
    code: str
    reason: str


def _describe(char: str) -> str:
    if char == " ":
        return "a space"
    if char.isspace():
        return "a line break or tab" if char in "\r\n\t\v\f" else "a blank character"
    if char == ",":
        return "a comma"
    name = unicodedata.name(char, "")
    return f"{char!r} ({name.lower()})" if name else repr(char)


def reference_problem(code: str) -> str | None:
    """Why ``code`` alone cannot be a reference, or None when its shape is valid.

    Uniqueness is a property of a set: see :func:`check_references`.
    """
    if not code:
        return "has no reference"
    if _VALID.fullmatch(code):
        return None
    bad: list[str] = []
    for char in code:
        if not _VALID.fullmatch(char) and _describe(char) not in bad:
            bad.append(_describe(char))
    return f"reference {code!r} contains {', '.join(bad)}: {_HOW_TO_FIX}"


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
        problem = reference_problem(code)
        if problem is not None:
            rejected[index] = Rejected(key, code, problem)
        else:
            by_folded.setdefault(code.casefold(), []).append(index)
    for indexes in by_folded.values():
        if len(indexes) < 2:
            continue
        codes = [pairs[i][1] for i in indexes]
        spelled = " and ".join(sorted(set(codes))) if len(set(codes)) > 1 else codes[0]
        for index in indexes:
            key, code = pairs[index]
            rejected[index] = Rejected(
                key,
                code,
                f"reference {code!r} is used by {len(indexes)} records ({spelled}, case "
                "ignored): none of them is sent, since which one is right cannot be told; "
                "give each a unique reference",
            )
    valid = [pair for index, pair in enumerate(pairs) if index not in rejected]
    return valid, [rejected[index] for index in sorted(rejected)]
