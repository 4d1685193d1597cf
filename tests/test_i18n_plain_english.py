"""No error a merchant can meet is raised in plain English.

An exception a merchant reads (a record's refusal, a profile problem, a shop
that cannot be reached) is worded as a kept message (``M_``) or translated at
once (``_``), so the console, the CLI and the e-mails say it in French too. A
request's description (``what=``) ends inside such a message ("WooCommerce
refused the batch of products: ..."), so it is a message as well.

The scan reads the source: a ``raise`` whose first argument is a string literal,
an f-string with words, a concatenation or a ``.format()`` of one, and a
``what=`` given one of those. A raise no merchant can meet (a caller's bug) says
so on its line with ``# internal: <why>``, which a reviewer reads.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import passerelle

ROOT = Path(passerelle.__file__).parent
INTERNAL = "# internal:"
#: The shop sandboxes speak as the platforms do, in their English: they are not passerelle.
NOT_PASSERELLE = frozenset({"sandbox"})
#: Packages whose errors another piece of work is still translating; remove when done.
PENDING: frozenset[str] = frozenset()


def _wordy(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(
            isinstance(v, ast.Constant) and any(c.isalpha() for c in str(v.value))
            for v in node.values
        )
    if isinstance(node, ast.BinOp):
        return _wordy(node.left) or _wordy(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "format" and _wordy(node.func.value)
    return False


def unmarked(source: str) -> list[int]:
    """Lines raising plain English or describing a request in it, not marked internal."""
    lines = source.splitlines()
    found: list[int] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            if node.exc.args and _wordy(node.exc.args[0]):
                found.append(node.lineno)
        if isinstance(node, ast.keyword) and node.arg == "what" and _wordy(node.value):
            found.append(node.value.lineno)
    return sorted(line for line in found if INTERNAL not in lines[line - 1])


def _modules() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] not in PENDING | NOT_PASSERELLE and "migrations" not in relative.parts:
            yield path


def test_the_scan_finds_plain_english_and_spares_what_is_marked() -> None:
    source = (
        "raise RecordError(f'{where} has no creation date')\n"
        "raise ValueError('caller bug')  # internal: a caller's bug\n"
        "client.get(path, what='the orders')\n"
        "client.get(path, what=M_('the orders'))\n"
        "raise RecordError(M_('%(where)s has no date', where=where))\n"
        "raise RecordError('order ' + number + ' is gone')\n"
        "raise RecordError('{} is gone'.format(number))\n"
        "raise RecordError(said(exc))\n"
        "raise RecordError(f'{number}')\n"
    )
    assert unmarked(source) == [1, 3, 6, 7]


@pytest.mark.parametrize("module", list(_modules()), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_error_is_raised_in_plain_english(module: Path) -> None:
    assert unmarked(module.read_text(encoding="utf-8")) == [], (
        f"{module.relative_to(ROOT)}: word these errors with M_ or _, "
        f"or mark a caller's bug with '{INTERNAL} <why>' on the raise line"
    )
