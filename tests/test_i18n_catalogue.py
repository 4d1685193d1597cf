"""The French catalogue is complete, its placeholders match, and it keeps no dead entry.

Messages are extracted from ``passerelle/`` exactly as ``pybabel extract``
does, with the mapping of ``babel.cfg`` (Python modules, the console's Jinja2
templates) and the keywords below, so what this test checks is what a
translator is handed (CONTRIBUTING.md, "Translations"). Each failure names the
message and where it is written.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

import passerelle.i18n

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "passerelle"
PO_FILE = Path(passerelle.i18n.__file__).with_name("locale") / "fr/LC_MESSAGES/passerelle.po"
#: Babel's keywords (``_``, ``N_``, ``ngettext``...) and the kept messages' makers.
KEYWORDS: dict[str, Any] = {**DEFAULT_KEYWORDS, "M_": None, "Mn_": (1, 2)}
#: The marking functions whose first argument must be a literal to be extracted.
MARKERS = {"_", "N_", "ngettext", "M_", "Mn_"}
#: Markers whose argument is always the text itself, never a label marked elsewhere.
KEPT_MARKERS = {"N_", "M_", "Mn_"}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]")

Key = str | tuple[str, str]


def _extracted() -> dict[Key, list[str]]:
    """Every message marked in ``passerelle/``, with where it is written."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[Key, list[str]] = defaultdict(list)
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        key: Key = message if isinstance(message, str) else (message[0], message[1])
        found[key].append(f"{filename}:{lineno}")
    return found


def _catalogue() -> Catalog:
    with PO_FILE.open("rb") as handle:
        return read_po(handle, locale="fr", domain="passerelle")


def _msgid(key: Key) -> str:
    return key if isinstance(key, str) else key[0]


def _names(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def test_the_code_marks_messages() -> None:
    """The extraction sees the journal's and the problems' messages at least."""
    assert len(_extracted()) >= 50


def test_every_message_has_its_french() -> None:
    catalogue = _catalogue()
    missing = []
    for key, where in sorted(_extracted().items(), key=lambda item: _msgid(item[0])):
        entry = catalogue.get(_msgid(key))
        strings = (
            [] if entry is None else list(entry.string if entry.pluralizable else [entry.string])
        )
        if entry is None or entry.fuzzy or not all(strings):
            missing.append(f"{where[0]}: {_msgid(key)!r}")
    assert not missing, f"{len(missing)} message(s) without French:\n" + "\n".join(missing)


def test_french_placeholders_are_the_english_ones() -> None:
    """A French text naming another ``%(name)s`` would fail, or say something else, when shown."""
    wrong = []
    for entry in _catalogue():
        if not entry.id:
            continue
        english = [entry.id[0], entry.id[1]] if isinstance(entry.id, tuple | list) else [entry.id]
        expected = set().union(*(_names(text) for text in english))
        french = list(entry.string) if isinstance(entry.string, tuple | list) else [entry.string]
        for text in french:
            if not text:
                continue
            names = _names(text)
            # A singular may say "une commande" instead of "%(num)s commande".
            if names != expected and not (entry.pluralizable and names == expected - {"num"}):
                wrong.append(f"{english[0]!r}: {sorted(expected)} but {text!r}")
    assert not wrong, "French placeholders differ from the English:\n" + "\n".join(wrong)


def test_no_catalogue_entry_is_left_unused() -> None:
    used = {_msgid(key) for key in _extracted()}
    unused = [entry.id for entry in _catalogue() if entry.id and _msgid(entry.id) not in used]
    assert not unused, (
        f"{len(unused)} catalogue entr(ies) no longer in the code (remove them, or run "
        "`pybabel update`, see CONTRIBUTING.md):\n" + "\n".join(map(repr, unused))
    )


def _unextractable(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        if node.func.id not in MARKERS or not node.args:
            continue
        count = 2 if node.func.id in ("ngettext", "Mn_") else 1
        for arg in node.args[:count]:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                continue
            # ``_(name)`` shows text marked elsewhere with N_ (a table of labels);
            # text built on the spot, or a kept message, must be a literal.
            built = isinstance(arg, ast.JoinedStr | ast.BinOp) or (
                isinstance(arg, ast.Call)
                and isinstance(arg.func, ast.Attribute)
                and arg.func.attr == "format"
            )
            if built or node.func.id in KEPT_MARKERS:
                yield f"{path.relative_to(ROOT)}:{node.lineno}: {node.func.id}({ast.unparse(arg)})"


def test_marked_messages_are_literals() -> None:
    """``_(f"...")`` or ``M_(name)`` would never reach the catalogue: the text must be a
    literal (``_(name)`` is fine for a label marked with ``N_`` where it is written)."""
    found = [hit for path in sorted(PACKAGE.rglob("*.py")) for hit in _unextractable(path)]
    # The markers' own definitions pass their arguments on.
    found = [hit for hit in found if not hit.startswith("passerelle/i18n/")]
    assert not found, "\n".join(found)
