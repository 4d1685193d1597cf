"""A price list prepared once (``price_formulas``) prices as trytond's own methods do.

Generated formulas (the names a list offers, literals that ``decistmt`` turns
into Decimals, the four operations, ``Decimal('…')`` calls, divisions by zero)
over generated list prices, weights, volumes and units: the prepared list's
names and line price are compared with ``PriceList.get_context_formula`` and
``PriceListLine.get_unit_price`` of unsaved records in the demo database, the
price to its last digit (rounding included) and an error where trytond raises.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from passerelle.connectors.tryton import price_formulas
from passerelle.connectors.tryton.database import TrytonTarget, session

_NAMES = ["unit_price", "list_price", "weight", "volume"]
_LITERALS = ["0", "1", "2", "0.9", "1.5", "100", "0.333", "3"]


@st.composite
def formulas(draw: st.DrawFn, depth: int = 0) -> str:
    """A formula as a merchant writes one (names, literals, operations, Decimal calls)."""
    kind = draw(st.integers(0, 3 if depth < 3 else 1))
    if kind == 0:
        return draw(st.sampled_from(_NAMES))
    if kind == 1:
        literal = draw(st.sampled_from(_LITERALS))
        return f"Decimal('{literal}')" if draw(st.booleans()) else literal
    if kind == 2:
        op = draw(st.sampled_from(["+", "-", "*", "/"]))
        return f"({draw(formulas(depth + 1))} {op} {draw(formulas(depth + 1))})"
    return f"-{draw(formulas(depth + 1))}"


_prices = st.one_of(
    st.none(),
    st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False),
    st.decimals(min_value=0, max_value=100, places=4, allow_nan=False),
)
_measures = st.one_of(
    st.none(), st.just(0.0), st.floats(min_value=0, max_value=1000, allow_nan=False)
)


def _outcome(call: Any) -> tuple[str, str]:
    try:
        value = call()
    except Exception as exc:  # noqa: BLE001 - the kind of error is compared
        return ("error", type(exc).__name__)
    return ("value", repr(value))


@pytest.fixture
def pool(tryton_demo: TrytonTarget) -> Any:
    from trytond.pool import Pool

    with session(tryton_demo, readonly=True):
        yield Pool()


def test_the_demo_price_lists_are_prepared(pool: Any) -> None:
    """The demo's lists take the prepared path (so the comparisons with trytond's
    ``compute`` over the demo catalogue exercise it)."""
    lists = pool.get("product.price_list").search([])
    assert lists
    for price_list in lists:
        assert price_formulas.compile_list(pool, price_list, list(price_list.lines), _convert(pool))


def test_a_list_whose_formula_reads_the_cost_price_keeps_trytons_path(pool: Any) -> None:
    PriceList = pool.get("product.price_list")
    Line = pool.get("product.price_list.line")
    by_cost = PriceList(price="list_price")
    assert not price_formulas.compile_list(
        pool, by_cost, [Line(formula="cost_price * 2")], _convert(pool)
    )
    assert not price_formulas.compile_list(
        pool, PriceList(price="cost_price"), [Line(formula="unit_price")], _convert(pool)
    )


@pytest.mark.parametrize(
    "formula", ["unit_price *", "import os", "unit_price.as_tuple()", "'text'", ""]
)
def test_a_formula_trytond_refuses_raises_trytons_error(pool: Any, formula: str) -> None:
    """Unparsable, forbidden or not a Decimal: trytond's own call gives the outcome."""
    PriceList = pool.get("product.price_list")
    Line = pool.get("product.price_list.line")
    price_list = PriceList(price="list_price")
    line = Line(formula=formula)
    compiled = price_formulas.compile_list(pool, price_list, [line], _convert(pool))
    assert compiled is not None
    product = SimpleNamespace(
        list_price_used=Decimal("10.90"),
        weight=None,
        weight_uom=None,
        volume=None,
        volume_uom=None,
        get_multivalue=lambda name: Decimal(0),
    )
    names = compiled.names(Decimal("10.90"), None, None, None, None)
    expected = _outcome(
        lambda: line.get_unit_price(**price_list.get_context_formula(product, 1, None))
    )
    assert expected[0] == "error"
    assert _outcome(lambda: compiled.price(line, names)) == expected


def _convert(pool: Any) -> Any:
    Uom = pool.get("product.uom")

    def convert(source: int | None, quantity: Any, target: int | None) -> Any:
        return Uom.compute_qty(
            Uom(source) if source else None, quantity, Uom(target) if target else None, round=False
        )

    return convert


def _product(
    list_price: Decimal | None, weight: float | None, weight_uom: Any, volume: Any, volume_uom: Any
) -> Any:
    """A stand-in product for ``get_context_formula`` (its cost price is 0)."""
    return SimpleNamespace(
        list_price_used=list_price,
        weight=weight,
        weight_uom=weight_uom,
        volume=volume,
        volume_uom=volume_uom,
        get_multivalue=lambda name: Decimal(0),
    )


def test_prepared_prices_are_trytons_to_the_last_digit(pool: Any) -> None:
    PriceList = pool.get("product.price_list")
    Line = pool.get("product.price_list.line")
    Uom = pool.get("product.uom")
    ModelData = pool.get("ir.model.data")
    weights = [Uom(ModelData.get_id("product", n)) for n in ("uom_kilogram", "uom_gram")]
    volumes = [Uom(ModelData.get_id("product", n)) for n in ("uom_liter", "uom_cubic_meter")]
    line_weights = [None, *weights]
    line_volumes = [None, *volumes]
    convert = _convert(pool)

    @settings(
        max_examples=300,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        formula=formulas(),
        price=st.sampled_from(["list_price", None]),
        list_price=_prices,
        weight=_measures,
        weight_uom=st.sampled_from(weights),
        volume=_measures,
        volume_uom=st.sampled_from(volumes),
        line_weight=st.sampled_from(line_weights),
        line_volume=st.sampled_from(line_volumes),
    )
    def check(
        formula: str,
        price: str | None,
        list_price: Decimal | None,
        weight: float | None,
        weight_uom: Any,
        volume: float | None,
        volume_uom: Any,
        line_weight: Any,
        line_volume: Any,
    ) -> None:
        price_list = PriceList(price=price)
        line = Line(formula=formula, weight_uom=line_weight, volume_uom=line_volume)
        product = _product(list_price, weight, weight_uom, volume, volume_uom)
        compiled = price_formulas.compile_list(pool, price_list, [line], convert)
        assert compiled is not None
        names = compiled.names(list_price, weight, weight_uom.id, volume, volume_uom.id)
        context = price_list.get_context_formula(product, 1, None)
        assert _outcome(lambda: names) == _outcome(lambda: context["names"])
        assert _outcome(lambda: compiled.price(line, names)) == _outcome(
            lambda: line.get_unit_price(**price_list.get_context_formula(product, 1, None))
        ), formula

    check()


@pytest.mark.parametrize(
    "formula",
    [
        "unit_price * (1 - Decimal('0.10'))",
        "unit_price + weight * 2",
        "list_price / weight",
        "unit_price * 1",
    ],
)
def test_a_line_priced_again_is_trytons_for_each_values(pool: Any, formula: str) -> None:
    """One prepared line priced over and over (its values kept per values of the names
    it reads): each price is trytond's, 10.9 and 10.90 apart, errors each time."""
    PriceList = pool.get("product.price_list")
    Line = pool.get("product.price_list.line")
    Uom = pool.get("product.uom")
    ModelData = pool.get("ir.model.data")
    kilogram = Uom(ModelData.get_id("product", "uom_kilogram"))
    liter = Uom(ModelData.get_id("product", "uom_liter"))
    price_list = PriceList(price="list_price")
    line = Line(formula=formula, weight_uom=None, volume_uom=None)
    compiled = price_formulas.compile_list(pool, price_list, [line], _convert(pool))
    assert compiled is not None
    values = [Decimal("10.9"), Decimal("10.90"), None, Decimal("0"), Decimal("10.9")]
    weights = [2.0, 0.0, None, 2.0]
    seen = []
    for _round in range(2):
        for list_price in values:
            for weight in weights:
                product = _product(list_price, weight, kilogram, None, liter)
                names = compiled.names(list_price, weight, kilogram.id, None, liter.id)
                found = _outcome(lambda: compiled.price(line, names))  # noqa: B023
                expected = _outcome(
                    lambda: line.get_unit_price(  # noqa: B023
                        **price_list.get_context_formula(product, 1, None)  # noqa: B023
                    )
                )
                assert found == expected, (list_price, weight)
                seen.append(found)
    assert len(set(seen)) > 1
