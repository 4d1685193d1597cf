"""Two writers on one outbox (a worker and a command-line run) take turns on its lock."""

from __future__ import annotations

import threading
from pathlib import Path

from passerelle.connectors.files.arithmetic import FILES_ARITHMETIC
from passerelle.connectors.files.outbox import Outbox
from passerelle.connectors.files.transport import LocalTransport
from passerelle.model import SaleResult
from tests.files.order_samples import LINES_CSV, TAXES, sample_sale

WRITERS = 4
KEYS = [f"shop.example#{n}" for n in range(15)]


def _outbox(tmp_path: Path) -> Outbox:
    # Each writer has its own objects, as two processes would: only the files are shared.
    return Outbox(
        LocalTransport(tmp_path / "share"),
        "outbox",
        LINES_CSV,
        LocalTransport(tmp_path / "ledger"),
        FILES_ARITHMETIC,
        TAXES,
        lock=tmp_path / "outbox.lock",
    )


def test_concurrent_writers_write_each_sale_once_with_distinct_numbers(tmp_path: Path) -> None:
    start = threading.Barrier(WRITERS)
    results: list[list[SaleResult]] = [[] for _ in range(WRITERS)]

    def write(slot: int) -> None:
        outbox = _outbox(tmp_path)
        start.wait()
        for key in KEYS:
            results[slot].append(outbox.write(sample_sale(key)))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    files = sorted(p.name for p in (tmp_path / "share" / "outbox").iterdir() if p.is_file())
    assert len(files) == len(KEYS)
    numbers = {r.external_key: r.number for r in results[0]}
    assert len(set(numbers.values())) == len(KEYS)
    for other in results[1:]:  # every writer got the one sale written for each key
        assert {r.external_key: r.number for r in other} == numbers
