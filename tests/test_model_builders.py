"""Items made by :func:`passerelle.model.builders.builder` are the ones ``Item(...)`` makes."""

from __future__ import annotations

import dataclasses
import pickle
from decimal import Decimal

import pytest

from passerelle.model import Item, ItemFile, Tax
from passerelle.model.builders import builder


def test_a_built_item_is_the_item_its_init_makes() -> None:
    build = builder(Item)
    given = {
        "source_id": "7",
        "code": "A-1",
        "name": "Article",
        "sale_price": Decimal("9.90"),
        "taxes": (Tax("1", "VAT", Decimal("20")),),
        "active": False,
        "attributes": {"size": "M"},
        "images": (ItemFile("image:1", "a.jpg", "d", "image"),),
        "variant_count": 3,
    }
    for values in (given, {k: given[k] for k in ("source_id", "code", "name", "sale_price")}):
        built, made = build(**values), Item(**values)
        assert type(built) is Item
        assert built == made
        assert pickle.dumps(built) == pickle.dumps(made)
        assert [getattr(built, f.name) for f in dataclasses.fields(Item)] == [
            getattr(made, f.name) for f in dataclasses.fields(Item)
        ]
    # A default made by a factory is a new one each time, as Item's own.
    first, second = (build(source_id="1", code="", name="", sale_price=Decimal(0)) for _ in "ab")
    assert first.attributes is not second.attributes
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.code = "B"  # type: ignore[misc]
    with pytest.raises(TypeError):
        build(code="", name="", sale_price=Decimal(0))  # a field without default is required


def test_a_class_builder_cannot_make_faithfully_is_refused() -> None:
    @dataclasses.dataclass(frozen=True)
    class Unslotted:
        a: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        a: int

        def __post_init__(self) -> None:
            assert self.a > 0

    for cls in (Unslotted, Checked, int):
        with pytest.raises(TypeError):
            builder(cls)
