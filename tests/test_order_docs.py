"""docs/orders.md documents every placeholder and every order option."""

from __future__ import annotations

from pathlib import Path

from passerelle.mapping.templates import PLACEHOLDERS
from passerelle.profiles.schema import OrderOptions

DOC = (Path(__file__).parent.parent / "docs" / "orders.md").read_text()


def test_every_placeholder_is_documented() -> None:
    missing = [name for name in PLACEHOLDERS if f"`%{name}`" not in DOC]
    assert missing == []


def test_every_order_option_is_documented() -> None:
    undocumented = [
        name
        for name in OrderOptions.model_fields
        if f"`{name}`" not in DOC and f"{name} =" not in DOC
    ]
    assert undocumented == []
