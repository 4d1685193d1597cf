"""Issue 12, item 6: which names of a profile each side lacks, all at once, grouped.

Both sides are small fakes holding a fixed set of names per kind, and counting
the questions asked: the rules under test are which profile fields name what,
how the answers are grouped, and that each kind is asked once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from passerelle.flows.profile_check import (
    BACKOFFICE,
    SHOP,
    Missing,
    check_profile,
    shop_references,
    tax_class_sources,
)
from passerelle.profiles import Profile
from tests.test_profiles import VALID


class Side:
    """A back-office or shop that has ``names`` per kind, and counts the questions."""

    def __init__(self, **names: Iterable[str]) -> None:
        self.names = {kind: set(values) for kind, values in names.items()}
        self.asked: list[str] = []

    def missing_references(self, kind: str, names: Iterable[str]) -> set[str]:
        self.asked.append(kind)
        return set(names) - self.names.get(kind, set())


def profile(**extra: Any) -> Profile:
    data: dict[str, Any] = {**VALID, "orders": {**VALID["orders"]}}
    data["catalogue"] = {
        "tax_classes": {"TVA 20 %": "", "TVA 5,5 %": "reduced-rate", "TVA 10 %": "luxe-rate"}
    }
    data["orders"].update(
        {
            "statuses": {"processing": "order", "wc-shipped": "order"},
            "carriers": {"flat_rate": "Colissimo", "relay": "Mondial Relay"},
            "payments": {
                "bacs": {"journal": "WEB-TRANSFER"},
                "amazon": {"journal": "WEB-CARD", "aliases": ["amazon_payments_advanced"]},
                "klarna": {"journal": "WEB-KLARNA"},
            },
            "warehouse": "WH",
        }
    )
    for key, value in extra.items():
        data[key] = {**data.get(key, {}), **value}
    return Profile.model_validate(data)


BACK = dict(
    item={"SHIPPING", "MISC", "WRAP", "GAP"},
    tax={"TVA 20 %", "TVA 5,5 %", "TVA 10 %"},
    payment_journal={"WEB-TRANSFER", "WEB-CARD"},
    carrier={"Colissimo", "Mondial Relay"},
    warehouse={"WH"},
)
SHOP_NAMES = dict(
    tax_class={"reduced-rate", "zero-rate"},
    payment_method={"bacs", "amazon_payments_advanced", "paypal"},
    order_status={"pending", "processing", "on-hold", "completed"},
    shipping_method={"flat_rate", "free_shipping"},
)


def test_every_missing_name_of_both_sides_is_listed_at_once_grouped_by_side_and_kind() -> None:
    backoffice, shop = Side(**BACK), Side(**SHOP_NAMES)
    backoffice.names["payment_journal"].discard("WEB-CARD")
    report = check_profile(profile(), backoffice, shop)

    assert not report.ok and report.unchecked == []
    assert set(report.missing) == {
        Missing(BACKOFFICE, "payment_journal", "WEB-CARD", "orders.payments.amazon.journal"),
        Missing(BACKOFFICE, "payment_journal", "WEB-KLARNA", "orders.payments.klarna.journal"),
        Missing(SHOP, "tax_class", "luxe-rate", "catalogue.tax_classes.'TVA 10 %'"),
        Missing(SHOP, "order_status", "wc-shipped", "orders.statuses"),
        Missing(SHOP, "shipping_method", "relay", "orders.carriers"),
        Missing(SHOP, "payment_method", "klarna", "orders.payments.klarna"),
    }
    # One question per kind and side, however many fields name that kind.
    assert sorted(shop.asked) == sorted(set(shop.asked))
    assert sorted(backoffice.asked) == sorted(set(backoffice.asked))

    lines = report.lines()
    assert lines[0] == "missing in the back-office (2):"
    assert lines[1] == "  payment journals:"
    shop_at = lines.index("missing in the shop (4):")
    assert "  tax classes:" in lines[shop_at:] and "  payment methods:" in lines[shop_at:]
    assert "    - 'klarna' (named by orders.payments.klarna)" in lines
    assert not any(code in line for line in lines for code in ("C4", "O14", "K5"))


def test_a_payment_method_is_there_when_one_of_its_aliases_is() -> None:
    shop = Side(**SHOP_NAMES)
    shop.names["payment_method"].add("klarna")
    shop.names["payment_method"].discard("amazon_payments_advanced")
    shop.names["payment_method"].add("Amazon Pay")
    report = check_profile(profile(), Side(**BACK), shop)
    assert [m.name for m in report.missing if m.kind == "payment_method"] == ["amazon"]
    assert "nor any of its aliases" in next(
        m.where for m in report.missing if m.kind == "payment_method"
    )


def test_the_standard_class_is_never_asked_and_every_option_naming_a_class_is_named() -> None:
    catalogue = profile(catalogue={"default_tax_class": "luxe-rate"}).catalogue
    sources = tax_class_sources(catalogue)
    assert "" not in sources
    assert sources["luxe-rate"] == [
        "catalogue.tax_classes.'TVA 10 %'",
        "catalogue.default_tax_class",
    ]
    names = [name for kind, name, _where in shop_references(profile()) if kind == "tax_class"]
    assert sorted(names) == ["luxe-rate", "reduced-rate"]


def test_a_side_whose_connection_failed_or_that_cannot_tell_is_not_asked() -> None:
    class Silent:
        """A read-only shop (orders from a file): it names no shop records."""

    backoffice = Side(**BACK)
    report = check_profile(profile(), None, Silent())  # type: ignore[arg-type]
    assert backoffice.asked == [] and report.missing == []
    assert report.unchecked and "not checked" in report.unchecked[0]
    assert report.ok
