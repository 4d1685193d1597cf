"""The file back-office's rules: tax per rate on the document (or per line, when set)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from passerelle.connectors.arithmetic import TaxSpec
from passerelle.connectors.files.arithmetic import (
    FILES_ARITHMETIC,
    PER_LINE_ARITHMETIC,
    arithmetic_for,
)

RATES = {"T20": Decimal("0.20"), "T10": Decimal("0.10"), "T55": Decimal("0.055")}
TAXES = {tax_id: TaxSpec(tax_id, rate) for tax_id, rate in RATES.items()}
CENT = Decimal("0.01")

lines = st.lists(
    st.tuples(
        st.integers(1, 40).map(Decimal),
        st.decimals(Decimal("0.01"), Decimal("500"), places=3),
        st.sampled_from(sorted(RATES)),
    ),
    min_size=1,
    max_size=12,
)


@given(lines)
def test_each_rates_tax_is_its_lines_amounts_times_the_rate_rounded_once(
    drawn: list[tuple[Decimal, Decimal, str]],
) -> None:
    totals = FILES_ARITHMETIC.document_totals(((q, p, (t,)) for q, p, t in drawn), TAXES)
    amounts = [((q * p).quantize(CENT, ROUND_HALF_UP), t) for q, p, t in drawn]
    assert totals.untaxed == sum((a for a, _t in amounts), Decimal(0))
    for tax_id, rate in RATES.items():
        base = sum((a for a, t in amounts if t == tax_id), Decimal(0))
        if any(t == tax_id for _a, t in amounts):
            assert totals.bases[tax_id] == base
            assert totals.tax_by_id[tax_id] == (base * rate).quantize(CENT, ROUND_HALF_UP)
    assert totals.tax == sum(totals.tax_by_id.values(), Decimal(0))


@given(lines)
def test_per_rate_and_per_line_differ_by_at_most_half_a_cent_a_line(
    drawn: list[tuple[Decimal, Decimal, str]],
) -> None:
    document = [(q, p, (t,)) for q, p, t in drawn]
    per_rate = FILES_ARITHMETIC.document_totals(document, TAXES)
    per_line = PER_LINE_ARITHMETIC.document_totals(document, TAXES)
    assert per_rate.untaxed == per_line.untaxed
    assert abs(per_rate.tax - per_line.tax) <= Decimal("0.005") * len(drawn) + CENT


def test_three_lines_at_a_third_of_a_euro_show_the_two_roundings() -> None:
    document = [(Decimal(1), Decimal("0.33"), ("T20",))] * 3
    assert FILES_ARITHMETIC.document_totals(document, TAXES).tax == Decimal("0.20")  # 0.198
    assert PER_LINE_ARITHMETIC.document_totals(document, TAXES).tax == Decimal("0.21")  # 3 × 0.07
    assert arithmetic_for("line") is PER_LINE_ARITHMETIC
    assert arithmetic_for("document") is FILES_ARITHMETIC


def test_a_compound_tax_is_computed_on_the_price_and_the_tax_before_it() -> None:
    taxes = {
        "GST": TaxSpec("GST", Decimal("0.05"), updates_unit_price=True),
        "PST": TaxSpec("PST", Decimal("0.08")),
    }
    totals = FILES_ARITHMETIC.document_totals(
        [(Decimal(2), Decimal("10.00"), ("GST", "PST"))], taxes
    )
    assert totals.tax_by_id == {"GST": Decimal("1.00"), "PST": Decimal("1.68")}  # 21.00 × 8 %
    assert totals.total == Decimal("22.68")
