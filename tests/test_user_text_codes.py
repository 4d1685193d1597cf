"""No catalogue code ("(R1, R2)", "C5", "O1–O28") in any string passerelle can show.

Journal lines, problem reasons, error messages, e-mails and CLI output are all
built from the string literals of ``passerelle/``; docstrings and comments are
for developers and may keep the codes. So every string literal that is not a
docstring is scanned: a code that comes back in a message fails here, with
the file and line. (``tests/test_user_text_ids.py`` checks the CLI help and
the flow summaries as printed.)
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import passerelle

# The catalogue's codes: C (catalogue), K (customers), O (orders), P, R (runs),
# S and X, each with a number from 1; "O1–O28" is caught by its first code.
SPEC_CODE = re.compile(r"\b[CKOPRSX][1-9][0-9]?\b")
# Tokens of that shape that are not codes, in the one literal each appears in.
NOT_CODES = {
    "X11",  # the X Window System, in the browser user agent the demo checkout sends
}
ROOT = Path(passerelle.__file__).parent


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _codes_in_literals(path: Path, root: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            codes = set(SPEC_CODE.findall(node.value)) - NOT_CODES
            if codes:
                where = path.relative_to(root)
                yield f"{where}:{node.lineno}: {sorted(codes)} in {node.value!r}"


def test_no_string_literal_carries_a_spec_code() -> None:
    found = [
        hit for path in sorted(ROOT.rglob("*.py")) for hit in _codes_in_literals(path, ROOT.parent)
    ]
    assert not found, "\n".join(found)


def test_the_scan_sees_codes_in_messages_but_not_in_docstrings(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Module doc (O21)."""\n'
        "def f(n):\n"
        '    """Function doc (R1, R2)."""\n'
        "    # comment C5\n"
        '    return f"parked {n} orders (K2)", "plain words"\n',
        encoding="utf-8",
    )
    hits = list(_codes_in_literals(sample, tmp_path))
    assert len(hits) == 1 and "K2" in hits[0], hits


# What a merchant or an integrator setting passerelle up reads, besides the program's own
# output: the README and the guides it points to (architecture.md and store.md are for
# developers of passerelle itself).
USER_DOCS = (
    "README.md",
    "docs/catalogue.md",
    "docs/customers.md",
    "docs/orders.md",
    "docs/orders-xml.md",
    "docs/operations.md",
    "docs/webhooks.md",
)


def test_no_catalogue_code_in_the_readme_or_the_guides() -> None:
    found = [
        f"{name}:{number}: {line.strip()}"
        for name in USER_DOCS
        for number, line in enumerate(
            (ROOT.parent / name).read_text(encoding="utf-8").splitlines(), start=1
        )
        if set(SPEC_CODE.findall(line)) - NOT_CODES
    ]
    assert found == []
