"""The group prices' memos (``bulk._ByValues``, ``bulk._Results``) compute again
whenever a value the computation read differs, and keep nothing that read more
than they can compare (the variant's record, the pattern, the names as a whole).

Plain stand-ins, no database: the comparison with Tryton's own ``compute`` over
the demo lives in ``test_tryton_bulk_reads``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from passerelle.connectors.tryton import bulk


class _Pool:
    def get(self, name: str) -> Any:
        return None


def _variant(id_: int, price: str, weight: float) -> Any:
    row = bulk.ProductRow(
        id=id_,
        code=f"V{id_}",
        description=None,
        active=True,
        list_price_used=Decimal(price),
        attributes={},
        create_date=None,
        write_date=None,
        identifiers=(),
        template={"default_uom": None, "sale_uom": None, "weight": weight},
    )
    return bulk._Variant(row, bulk._Uoms(_Pool()), cost_used=False)


def test_a_result_is_shared_only_by_variants_with_the_same_values_read() -> None:
    memo = bulk._ByValues()
    calls: list[int] = []

    def weight_of(variant: Any, number: int) -> Any:
        def compute() -> Any:
            calls.append(number)  # not variant.id: reading it would make the result its own
            return variant.weight * 2

        return compute

    first, same, other = _variant(1, "10", 0.5), _variant(2, "99", 0.5), _variant(3, "10", 0.7)
    assert memo.get(first, weight_of(first, 1)) == 1.0
    assert memo.get(same, weight_of(same, 2)) == 1.0  # another price: not read
    assert memo.get(other, weight_of(other, 3)) == 1.4
    assert calls == [1, 3]


def test_a_result_reading_the_id_or_the_record_is_not_shared() -> None:
    memo = bulk._ByValues()
    calls: list[int] = []

    def by_id(variant: Any) -> Any:
        def compute() -> Any:
            calls.append(variant.id)
            return variant.id

        return compute

    first = _variant(1, "10", 0.5)
    assert memo.get(first, by_id(first)) == 1
    second = _variant(2, "10", 0.5)
    assert memo.get(second, by_id(second)) == 2
    assert calls == [1, 2]

    record_memo = bulk._ByValues()
    a, b = _variant(1, "10", 0.5), _variant(2, "10", 0.5)

    def reads_record(variant: Any, number: int) -> Any:
        def compute() -> Any:
            calls.append(number)
            variant.seen.add(bulk._OTHER)
            return variant.weight

        return compute

    calls.clear()
    record_memo.get(a, reads_record(a, 1))
    record_memo.get(b, reads_record(b, 2))
    assert calls == [1, 2]


class _Line:
    """A price-list line whose formula reads the names it is given (like simpleeval)."""

    def __init__(self, id_: int, names: tuple[str, ...], whole: bool = False) -> None:
        self.id = id_
        self.names = names
        self.whole = whole
        self.calls = 0

    def get_unit_price(self, **context: Any) -> Decimal:
        self.calls += 1
        names = context["names"]
        if self.whole:
            return Decimal(len(names))
        return sum((names[n] for n in self.names), Decimal(0))


def test_a_line_price_is_computed_once_per_values_of_the_names_its_formula_reads() -> None:
    results = bulk._Results()
    line = _Line(1, ("unit_price",))
    contexts = [
        {"names": {"unit_price": Decimal(10), "weight": Decimal(w)}} for w in ("1", "2", "3")
    ]
    assert [results.get(line, c) for c in contexts] == [Decimal(10)] * 3
    assert line.calls == 1
    assert results.get(line, {"names": {"unit_price": Decimal(11), "weight": Decimal(1)}}) == 11
    assert line.calls == 2
    other = _Line(2, ("unit_price", "weight"))
    assert [results.get(other, c) for c in contexts] == [Decimal(11), Decimal(12), Decimal(13)]
    assert other.calls == 3


def test_a_line_reading_all_its_names_is_computed_for_each_context() -> None:
    results = bulk._Results()
    line = _Line(1, (), whole=True)
    for weight in ("1", "2"):
        results.get(line, {"names": {"unit_price": Decimal(10), "weight": Decimal(weight)}})
    assert line.calls == 2
