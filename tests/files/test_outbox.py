"""The outbox: one file per order key, found again whatever the back-office program did
with it; refusals that write nothing; cancellation; open demand; file names."""

from __future__ import annotations

import json
import string
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from passerelle.connectors.errors import NotFoundError, RecordError
from passerelle.connectors.files.layouts import OrderLayout
from passerelle.connectors.files.names import file_name, key_hash, key_hash_of
from passerelle.connectors.files.outbox import Outbox
from passerelle.connectors.files.transport import LocalTransport
from passerelle.connectors.memory import MEMORY_ARITHMETIC
from passerelle.model import DocumentType
from tests.files.order_samples import LINES_CSV, TAXES, sample_sale

KEY = "shop.example#123"


class FailingLedger(LocalTransport):
    """A folder whose ``fail_at``-th write raises, as a process dying there would stop."""

    def __init__(self, root: Path, fail_at: int) -> None:
        super().__init__(root)
        self.writes = 0
        self.fail_at = fail_at

    def write_atomic(self, path: str, data: bytes) -> None:
        self.writes += 1
        if self.writes == self.fail_at:
            raise RuntimeError("the process stops here")
        super().write_atomic(path, data)


def make(
    tmp_path: Path,
    layout: OrderLayout = LINES_CSV,
    ledger: LocalTransport | None = None,
    now: datetime | None = None,
) -> Outbox:
    return Outbox(
        LocalTransport(tmp_path / "share"),
        "outbox",
        layout,
        ledger or LocalTransport(tmp_path / "ledger"),
        MEMORY_ARITHMETIC,
        TAXES,
        archives=("outbox/done",),
        now=(lambda: now) if now else (lambda: datetime.now(UTC)),
    )


def outbox_files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "share" / "outbox"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_the_same_key_twice_writes_one_file(tmp_path: Path) -> None:
    outbox = make(tmp_path)
    first = outbox.write(sample_sale())
    again = make(tmp_path).write(replace(sample_sale(), reference="changed"))
    assert again == first
    assert [p.name for p in outbox_files(tmp_path)] == [file_name(KEY, "csv")]
    assert first.number == "WEB000001" and first.state == "order"
    assert first.external_key == KEY and first.party_code == "CWEB"
    expected = MEMORY_ARITHMETIC.document_totals(
        ((ln.quantity, ln.unit_price, ln.tax_ids) for ln in sample_sale().lines), TAXES
    )
    assert (first.untaxed_amount, first.tax_amount) == (expected.untaxed, expected.tax)
    assert first.total_amount == expected.total
    assert first.lines == sample_sale().lines
    assert outbox.find(KEY) == first


def test_numbers_follow_the_sequence_or_the_sales_own(tmp_path: Path) -> None:
    outbox = make(tmp_path)
    assert outbox.write(sample_sale("a#1")).number == "WEB000001"
    assert outbox.write(sample_sale("a#2", number="SHOP-77")).number == "SHOP-77"
    assert outbox.write(sample_sale("a#3")).number == "WEB000002"
    assert len(outbox_files(tmp_path)) == 3


def test_an_unknown_key_is_not_found(tmp_path: Path) -> None:
    assert make(tmp_path).find("nothing#1") is None
    with pytest.raises(NotFoundError):
        make(tmp_path).cancel("nothing#1")


def test_a_total_off_the_shops_is_refused_writing_nothing(tmp_path: Path) -> None:
    outbox = make(tmp_path)
    wrong = replace(sample_sale(), expected_total=Decimal("1.00"))
    with pytest.raises(RecordError, match="differs from the shop's"):
        outbox.write(wrong)
    assert outbox_files(tmp_path) == [] and outbox.sales() == []
    assert not (tmp_path / "ledger" / "sequence.json").exists()
    accepted = outbox.write(replace(wrong, accept_total_difference=True))
    assert accepted.number == "WEB000001", "the refusal used no number"
    tolerated = replace(sample_sale("b#1"), expected_total=accepted.total_amount + Decimal("0.01"))
    outbox.write(replace(tolerated, total_tolerance=Decimal("0.01")))
    assert len(outbox_files(tmp_path)) == 2


def test_a_value_that_does_not_fit_writes_nothing(tmp_path: Path) -> None:
    sale = replace(
        sample_sale(), lines=(replace(sample_sale().lines[0], unit_price=Decimal("1.0001")),)
    )
    layout = replace(LINES_CSV, columns=tuple(replace(c, decimals=2) for c in LINES_CSV.columns))
    with pytest.raises(RecordError):
        make(tmp_path, layout).write(sale)
    assert outbox_files(tmp_path) == [] and make(tmp_path).sales() == []


def test_an_unknown_tax_is_refused(tmp_path: Path) -> None:
    sale = replace(sample_sale(), lines=(replace(sample_sale().lines[0], tax_ids=("T99",)),))
    with pytest.raises(RecordError, match="T99"):
        make(tmp_path).write(sale)


# Ledger writes: 1 the sequence, 2 the intent, 3 "written"; the share's 1: the file.
@pytest.mark.parametrize(
    ("where", "fail_at", "number"),
    [("ledger", 2, "WEB000002"), ("share", 1, "WEB000001"), ("ledger", 3, "WEB000001")],
)
def test_a_write_interrupted_around_the_file_is_completed(
    tmp_path: Path, where: str, fail_at: int, number: str
) -> None:
    failing = FailingLedger(tmp_path / where, fail_at)
    broken = make(tmp_path, ledger=failing if where == "ledger" else None)
    if where == "share":
        broken.transport = failing
    with pytest.raises(RuntimeError):
        broken.write(sample_sale())
    file_written = (where, fail_at) == ("ledger", 3)
    assert len(outbox_files(tmp_path)) == int(file_written)
    fresh = make(tmp_path)
    found = fresh.find(KEY)
    assert (found is not None) == file_written
    result = fresh.write(sample_sale())
    # An intent's number is kept; a number taken before a crash is skipped, never reused.
    assert result.number == number
    assert len(outbox_files(tmp_path)) == 1
    entry = fresh.entry(KEY)
    assert entry is not None and entry.written_at is not None and entry.waiting


def test_a_file_the_program_archived_or_renamed_is_not_written_again(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError):
        make(tmp_path, ledger=FailingLedger(tmp_path / "ledger", 3)).write(sample_sale("k#1"))
    with pytest.raises(RuntimeError):
        make(tmp_path, ledger=FailingLedger(tmp_path / "ledger", 3)).write(sample_sale("k#2"))
    folder = tmp_path / "share" / "outbox"
    (folder / "done").mkdir()
    (folder / file_name("k#1", "csv")).rename(folder / "done" / file_name("k#1", "csv"))
    (folder / file_name("k#2", "csv")).rename(folder / file_name("k#2", "BAK"))  # as Sage 50c
    fresh = make(tmp_path)
    for key in ("k#1", "k#2"):
        fresh.write(sample_sale(key))
        entry = fresh.entry(key)
        assert entry is not None and not entry.waiting
    assert sorted(p.name for p in outbox_files(tmp_path)) == sorted(
        [file_name("k#1", "csv"), file_name("k#2", "BAK")]
    )


def test_a_file_whose_ledger_was_lost_is_not_written_again(tmp_path: Path) -> None:
    make(tmp_path).write(sample_sale())
    other_ledger = LocalTransport(tmp_path / "new-ledger")
    again = make(tmp_path, ledger=other_ledger).write(sample_sale())
    assert len(outbox_files(tmp_path)) == 1
    entry = make(tmp_path, ledger=other_ledger).entry(KEY)
    assert entry is not None and entry.recovered and again.number == ""


def test_a_consumed_sale_is_still_found_from_the_ledger(tmp_path: Path) -> None:
    outbox = make(tmp_path)
    first = outbox.write(sample_sale())
    (tmp_path / "share" / "outbox" / first.source_id).unlink()  # the program deleted it
    assert outbox.write(sample_sale()) == first
    assert outbox_files(tmp_path) == []


def test_cancel_withdraws_a_waiting_file_and_keeps_it(tmp_path: Path) -> None:
    outbox = make(tmp_path)
    written = outbox.write(sample_sale())
    cancelled = outbox.cancel(KEY)
    assert cancelled.state == "cancelled" and cancelled.number == written.number
    assert [
        p.relative_to(tmp_path / "share" / "outbox").as_posix() for p in outbox_files(tmp_path)
    ] == [f"cancelled/{written.source_id}"]
    assert outbox.cancel(KEY) == cancelled
    assert outbox.write(sample_sale()) == cancelled, "a cancelled key is not written again"
    assert outbox.find(KEY) == cancelled
    data = json.loads((tmp_path / "ledger" / "sales" / file_name(KEY, "json")).read_text())
    assert data["moved_to"] == f"outbox/cancelled/{written.source_id}"


def test_cancel_refuses_a_file_the_program_took(tmp_path: Path) -> None:
    outbox = make(tmp_path)
    written = outbox.write(sample_sale())
    folder = tmp_path / "share" / "outbox"
    (folder / "done").mkdir()
    (folder / written.source_id).rename(folder / "done" / written.source_id)
    with pytest.raises(RecordError, match="already imported by the back-office program"):
        outbox.cancel(KEY)
    assert outbox.find(KEY) == written, "the trail is unchanged"


def test_open_demand_counts_what_the_stock_export_cannot_show(tmp_path: Path) -> None:
    export = datetime(2026, 12, 7, 12, tzinfo=UTC)
    before = make(tmp_path, now=export - timedelta(hours=1))
    after = make(tmp_path, now=export + timedelta(hours=1))
    folder = tmp_path / "share" / "outbox"
    seen = before.write(sample_sale("shop#1"))  # written before the export, then taken
    (folder / seen.source_id).unlink()
    before.sales()  # passerelle sees it taken before the export: the export shows it
    taken_late = before.write(sample_sale("shop#6"))  # written before the export ...
    (folder / taken_late.source_id).unlink()  # ... taken after it (seen gone only now)
    before.write(sample_sale("shop#2"))  # written before the export but still waiting
    after.write(sample_sale("shop#3"))  # written after the export, taken since
    (folder / file_name("shop#3", "csv")).unlink()
    after.write(replace(sample_sale("shop#4"), document_type=DocumentType.QUOTATION))
    after.write(sample_sale("shop#5"))
    after.cancel("shop#5")
    after.write(sample_sale("other#1"))
    demand = {d.item_code: d for d in after.open_demand("shop#", export)}
    assert set(demand) == {"THE01", "LIV02"}, "shipping and discount lines owe no stock"
    assert demand["THE01"].to_ship == Decimal(3) * 3  # shop#2, shop#3 and shop#6
    assert demand["THE01"].ordered == Decimal(3)  # the quotation shop#4
    assert demand["LIV02"].to_ship == Decimal(3) and demand["LIV02"].item_id == "LIV02"
    everything = {d.item_code: d for d in after.open_demand("shop#", None)}
    assert everything["THE01"].to_ship == Decimal(3) * 4
    only = after.open_demand("shop#", export, item_ids={"LIV02": "42"})
    assert [(d.item_id, d.item_code) for d in only] == [("42", "LIV02")]


def test_sales_lists_every_written_key(tmp_path: Path) -> None:
    outbox = make(tmp_path)
    for key in ("b#2", "a#1"):
        outbox.write(sample_sale(key))
    assert [entry.key for entry in outbox.sales()] == ["a#1", "b#2"]
    assert all(entry.waiting for entry in outbox.sales())


# --------------------------------------------------------------------------- names

_WINDOWS_FORBIDDEN = set('<>:"/\\|?*')


def test_a_name_is_readable_and_ends_with_the_hash() -> None:
    name = file_name("shop#123~2/refund/9", "csv")
    assert name == f"shop-123-2-refund-9_{key_hash('shop#123~2/refund/9')}.csv"
    assert file_name("shop.example#123", ".txt").endswith(".txt")


@given(st.text(min_size=1, max_size=200))
def test_any_key_gets_a_safe_name_that_gives_its_hash_back(key: str) -> None:
    name = file_name(key, "csv")
    assert not (_WINDOWS_FORBIDDEN & set(name))
    assert set(name) <= set(string.ascii_letters + string.digits + "-_.")
    assert len(name) <= 40 + 1 + 16 + 4
    assert not name.startswith(".") and not name.split(".")[0].endswith((" ", "."))
    assert key_hash_of(name) == key_hash(key)
    assert key_hash_of(name.replace(".csv", ".BAK")) == key_hash(key)
    assert key_hash_of(name.replace(".csv", ".1.csv")) == key_hash(key)


def test_keys_differing_by_case_or_punctuation_get_different_names() -> None:
    keys = ["shop#1", "SHOP#1", "shop/1", "shop 1", "shop#1 "]
    assert len({file_name(k, "csv").lower() for k in keys}) == len(keys)


def test_other_files_carry_no_hash() -> None:
    assert key_hash_of("readme.txt") is None
    assert key_hash_of(".passerelle-shop-1_0123456789abcdef.csv.part") is None
    assert key_hash_of("x_0123456789ABCDEF.csv") is None


def test_an_intent_without_its_file_is_no_sale(tmp_path: Path) -> None:
    broken = make(tmp_path)
    broken.transport = FailingLedger(tmp_path / "share", 1)  # the file's write fails
    with pytest.raises(RuntimeError):
        broken.write(sample_sale())
    fresh = make(tmp_path)
    assert fresh.sales() == [] and fresh.open_demand("", None) == []
    assert fresh.find(KEY) is None
    with pytest.raises(NotFoundError):
        fresh.cancel(KEY)
