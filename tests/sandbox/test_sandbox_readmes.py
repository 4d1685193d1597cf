"""Each sandbox's README table names, for every behaviour, the test that shows it:
every test named there exists, and every sandbox has such a table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from passerelle.platforms import shop_kinds_with_sandbox

ROOT = Path(__file__).resolve().parents[2]
_NAMED_TEST = re.compile(r"`(test_[a-z0-9_]+)`")
_DEFINED_TEST = re.compile(r"^\s*(?:async\s+)?def (test_[a-z0-9_]+)\(", re.MULTILINE)


def _defined_tests() -> set[str]:
    return {
        name
        for path in (ROOT / "tests").rglob("test_*.py")
        for name in _DEFINED_TEST.findall(path.read_text(encoding="utf-8"))
    }


@pytest.mark.parametrize("kind", sorted(shop_kinds_with_sandbox()))
def test_every_behaviour_in_the_sandbox_readme_names_a_test_that_exists(kind: str) -> None:
    readme = (ROOT / "passerelle" / "sandbox" / kind / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("|")]
    named = {name for row in rows for name in _NAMED_TEST.findall(row)}
    assert len(named) >= 10, f"{kind}: the README's table names too few tests"
    assert sorted(named - _defined_tests()) == [], kind
