"""A price list's formula context and line prices, prepared once per list and line.

Why: ``PriceList.compute`` builds its formula's names with
``get_context_formula`` (with product_measurements, two units looked up by
their XML id and two unit conversions) and each line parses its formula again
(``simple_eval`` of ``decistmt(formula)``); about a millisecond for one item
and list. A catalogue of 10,000 items with two lists spent half a second
there. Here the names are built from the values already read, the unit
conversions are asked once per distinct quantity, and each line's formula is
parsed once and evaluated by simpleeval's own evaluator.

Exact, not a look-alike: :func:`compile_list` prepares a list only when every
implementation of the methods it stands for is one of those copied here
(product_price_list's and product_measurements'), checked on the pool's own
classes, and only when no formula of the list reads the cost price; anything
else keeps the generic path (:mod:`.bulk`), which calls trytond's methods. A
formula that does not give a Decimal is handed to trytond's
``get_unit_price``, which raises its own error.

References: trytond ``product_price_list`` ``PriceList.get_context_formula``,
``PriceListLine.get_unit_price`` and ``product_measurements``' overrides
(https://docs.tryton.org/projects/modules-product-price-list/en/latest/).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

__all__ = ["KNOWN", "CompiledList", "compile_list", "implementations"]

_BASE = "trytond.modules.product_price_list.price_list"
_MEASUREMENTS = "trytond.modules.product_measurements.product"
# The modules whose implementations this module copies.
KNOWN = frozenset({_BASE, _MEASUREMENTS})


def implementations(cls: type, name: str) -> list[str]:
    """The modules defining ``name`` along ``cls``'s method resolution order."""
    return [
        str(getattr(klass.__dict__[name], "__module__", ""))
        for klass in cls.__mro__
        if name in klass.__dict__
    ]


class _Formula:
    """One line's formula, parsed once, evaluated as ``simple_eval`` evaluates it
    (the same evaluator class, operators and functions).

    Its value is kept per distinct values of the names it reads (those its
    expression names, each by type and text: 10.9 and 10.90 differ): it depends on
    nothing else, and a catalogue's prices repeat. An evaluation that raises is not
    kept, nor one given a value of another type than those listed (its text might
    not tell it apart)."""

    def __init__(self, formula: str) -> None:
        import ast

        from simpleeval import SimpleEval
        from trytond.tools.decimal_ import decistmt

        self._expression = decistmt(formula)
        self._evaluator = SimpleEval(functions={"Decimal": Decimal})
        self._parsed = self._evaluator.parse(self._expression)
        self._read = sorted(
            {node.id for node in ast.walk(self._parsed) if isinstance(node, ast.Name)}
        )
        self._values: dict[tuple[Any, ...], Any] = {}

    def __call__(self, names: dict[str, Any]) -> Any:
        key = tuple(
            (type(value), str(value))
            for name in self._read
            for value in (names.get(name, _NOT_GIVEN),)
        )
        found = self._values.get(key, _NOT_GIVEN)
        if found is not _NOT_GIVEN:
            return found
        self._evaluator.names = names
        value = self._evaluator.eval(self._expression, previously_parsed=self._parsed)
        if all(kind in _PLAIN for kind, _text in key):
            self._values[key] = value
        return value


class _Missing:
    """A name the expression holds but is not given (a function's, like ``Decimal``)."""


_NOT_GIVEN: Any = _Missing()
# The types whose values a key tells apart by their text (the missing name's included).
_PLAIN = frozenset({Decimal, int, float, str, bool, type(None), _Missing})


class CompiledList:
    """``get_context_formula`` and each line's ``get_unit_price`` of one price list,
    for one unit of a product (see the module)."""

    def __init__(
        self,
        price_list: Any,
        convert: Callable[[int | None, float | None, int | None], Any],
        *,
        measured: bool,
        measured_lines: bool,
        liter: int | None,
        kilogram: int | None,
    ) -> None:
        self._price = price_list.price
        self._convert = convert
        self._measured = measured
        self._measured_lines = measured_lines
        self._liter = liter
        self._kilogram = kilogram
        # By the line object's id: each line's formula and units (:meth:`_prepare`).
        self._prepared: dict[int, tuple[Any, _Formula | None, int | None, int | None]] = {}

    def names(
        self,
        list_price: Decimal | None,
        weight: float | None,
        weight_uom: int | None,
        volume: float | None,
        volume_uom: int | None,
    ) -> dict[str, Any]:
        """The formula's names, as ``get_context_formula(product, 1, sale_uom)`` gives
        them for a product with these values (its cost price is not read)."""
        from trytond.tools.decimal_ import DecimalNull

        if self._price == "list_price":
            unit_price = list_price
        else:  # no price: the cost price is never compiled (see compile_list)
            unit_price = DecimalNull()
        names: dict[str, Any] = {
            "unit_price": unit_price if unit_price is not None else DecimalNull(),
            "cost_price": Decimal("0"),
            "list_price": list_price if list_price is not None else DecimalNull(),
        }
        if self._measured:
            converted_volume: Any = 0
            converted_weight: Any = 0
            if volume is not None:
                converted_volume = self._convert(volume_uom, volume, self._liter)
            if weight is not None:
                converted_weight = self._convert(weight_uom, weight, self._kilogram)
            names["volume"] = Decimal(str(converted_volume))
            names["weight"] = Decimal(str(converted_weight))
        return names

    def _prepare(self, line: Any) -> tuple[Any, _Formula | None, int | None, int | None]:
        """The line (kept: its key is its object's id), its parsed formula and the units
        product_measurements converts its volume and weight names to."""
        volume_uom = weight_uom = None
        if self._measured_lines:
            volume = getattr(line, "volume_uom", None)
            weight = getattr(line, "weight_uom", None)
            volume_uom = int(volume.id) if volume else None
            weight_uom = int(weight.id) if weight else None
        try:
            formula: _Formula | None = _Formula(line.formula)
        except Exception:  # noqa: BLE001 - trytond's own call raises its own error
            formula = None
        return (line, formula, volume_uom, weight_uom)

    def price(self, line: Any, names: dict[str, Any]) -> Decimal | None:
        """``line.get_unit_price(names=names)``."""
        from trytond.modules.product import round_price
        from trytond.tools.decimal_ import DecimalNull

        prepared = self._prepared.get(id(line))
        if prepared is None or prepared[0] is not line:
            prepared = self._prepared[id(line)] = self._prepare(line)
        _line, formula, volume_uom, weight_uom = prepared
        own = names
        if volume_uom is not None:
            own = dict(own)
            volume = self._convert(self._liter, float(own["volume"]), volume_uom)
            own["volume"] = Decimal(str(volume))
        if weight_uom is not None:
            own = dict(own)
            weight = self._convert(self._kilogram, float(own["weight"]), weight_uom)
            own["weight"] = Decimal(str(weight))
        value: Any = None
        evaluated = formula is not None
        if formula is not None:
            try:
                value = formula(own)
            except Exception:  # noqa: BLE001 - trytond's own call raises its own error
                evaluated = False
        if not evaluated or not (value is None or isinstance(value, Decimal)):
            result: Decimal | None = line.get_unit_price(names=dict(names))
            return result
        if isinstance(value, DecimalNull) or value is None:
            return None
        rounded: Decimal = round_price(value)
        return rounded


def _uses_cost(price_list: Any, lines: Sequence[Any]) -> bool:
    return price_list.price == "cost_price" or any("cost_price" in line.formula for line in lines)


def compile_list(
    pool: Any,
    price_list: Any,
    lines: Sequence[Any],
    convert: Callable[[int | None, float | None, int | None], Any],
) -> CompiledList | None:
    """The list prepared (see the module), or None when it must take trytond's path:
    a module not copied here implements one of the methods, or a formula reads the
    cost price, or the list's price is not one this module knows. (The unit the list
    counts in, ``get_uom``, is trytond's own call in :mod:`.bulk`.)"""
    PriceList = pool.get("product.price_list")
    Line = pool.get("product.price_list.line")
    contexts = implementations(PriceList, "get_context_formula")
    prices = implementations(Line, "get_unit_price")
    if not set(contexts + prices) <= KNOWN:
        return None
    if _uses_cost(price_list, lines) or price_list.price not in ("list_price", None):
        return None
    measured = _MEASUREMENTS in contexts
    measured_lines = _MEASUREMENTS in prices
    liter = kilogram = None
    if measured or measured_lines:
        ModelData = pool.get("ir.model.data")
        liter = int(ModelData.get_id("product", "uom_liter"))
        kilogram = int(ModelData.get_id("product", "uom_kilogram"))
    return CompiledList(
        price_list,
        convert,
        measured=measured,
        measured_lines=measured_lines,
        liter=liter,
        kilogram=kilogram,
    )
