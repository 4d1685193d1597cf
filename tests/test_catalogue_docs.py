"""docs/catalogue.md documents every catalogue option, nested tables included."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from passerelle.flows.product_mapping.policy import POLICY_FIELDS
from passerelle.profiles.catalogue_options import CatalogueOptions

DOC = (Path(__file__).parent.parent / "docs" / "catalogue.md").read_text()


def _options(model: type[BaseModel], table: str) -> list[tuple[str, str]]:
    found = []
    for name, info in model.model_fields.items():
        kind = info.annotation
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            assert f"[{table}.{name}]" in DOC, f"no section [{table}.{name}]"
            found += _options(kind, f"{table}.{name}")
        else:
            found.append((table, name))
    return found


def test_every_catalogue_option_is_documented() -> None:
    undocumented = [
        f"{table}.{name}"
        for table, name in _options(CatalogueOptions, "catalogue")
        if f"`{name}`" not in DOC
    ]
    assert undocumented == []


def test_every_update_policy_group_is_documented() -> None:
    assert [group for group in POLICY_FIELDS if f"`{group}`" not in DOC] == []
