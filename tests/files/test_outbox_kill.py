"""Exactly once through SIGKILL: a child process writing sales dies at 20 points of the
atomic writes (the ledger's intent and record, the order file: before its temporary
file, halfway through it, once it is whole, once renamed); a fresh outbox then writes
every sale again. Each sale is in the outbox exactly once, whole, with one number;
no temporary file is taken for a sale.

The child imports only the outbox, the memory arithmetic and the samples (about half
a second), and the children run two at a time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from passerelle.connectors.files.layout_rows import compute_figures
from passerelle.connectors.files.names import file_name, key_hash_of
from passerelle.connectors.files.outbox import Outbox, render_sale
from passerelle.connectors.files.transport import LocalTransport, is_temporary
from passerelle.connectors.memory import MEMORY_ARITHMETIC
from tests.files.order_samples import FIXED, TAXES, sample_sale

ROOT = Path(__file__).resolve().parents[2]
SALES = 3

# The child: a LocalTransport doing write_atomic's steps itself, dying at the chosen one.
CHILD = r"""
import os, signal, sys
from pathlib import Path
from passerelle.connectors.files import transport
from passerelle.connectors.files.outbox import Outbox
from passerelle.connectors.memory import MEMORY_ARITHMETIC
from tests.files.order_samples import FIXED, TAXES, sample_sale

role, step, count = os.environ["KILL_AT"].split(":")
seen = {}

def checkpoint(here_role, here_step):
    seen[(here_role, here_step)] = seen.get((here_role, here_step), 0) + 1
    if (here_role, here_step) == (role, step) and seen[(role, step)] == int(count):
        os.kill(os.getpid(), signal.SIGKILL)

class Dying(transport.LocalTransport):
    def __init__(self, root, name):
        super().__init__(root)
        self.name = name

    def write_atomic(self, path, data):
        final = self._full(path)
        final.parent.mkdir(parents=True, exist_ok=True)
        temporary = final.with_name(transport.temporary_name(final.name))
        checkpoint(self.name, "before_temp")
        with temporary.open("wb") as file:
            file.write(data[: len(data) // 2])
            file.flush()
            os.fsync(file.fileno())
            checkpoint(self.name, "partial_temp")
            file.write(data[len(data) // 2 :])
            file.flush()
            os.fsync(file.fileno())
        checkpoint(self.name, "after_temp")
        os.replace(temporary, final)
        checkpoint(self.name, "after_rename")

base = Path(sys.argv[1])
outbox = Outbox(
    Dying(base / "share", "outbox"), "outbox", FIXED, Dying(base / "ledger", "ledger"),
    MEMORY_ARITHMETIC, TAXES,
)
for n in range(int(sys.argv[2])):
    outbox.write(sample_sale(f"shop.example#{n}"))
"""

# Per sale, the ledger writes the sequence (1st), the intent (2nd), "written" (3rd).
_STEPS = ("before_temp", "partial_temp", "after_temp", "after_rename")
KILL_POINTS = [f"outbox:{step}:{n}" for step in _STEPS for n in (1, 2, 3)] + [
    f"ledger:{step}:{n}" for step in ("partial_temp", "after_rename") for n in (2, 3, 5, 6)
]


def _run_child(base: Path, kill_at: str) -> int:
    env = {**os.environ, "KILL_AT": kill_at, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(base), str(SALES)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == -signal.SIGKILL, (kill_at, done.stderr.decode()[-2000:])
    return done.returncode


@pytest.fixture(scope="module")
def killed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One folder per kill point, each left as the killed child left it."""
    bases = {point: tmp_path_factory.mktemp("kill") for point in KILL_POINTS}
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda item: _run_child(item[1], item[0]), bases.items()))
    return bases


def test_twenty_kill_points() -> None:
    assert len(KILL_POINTS) == len(set(KILL_POINTS)) == 20


@pytest.mark.parametrize("kill_at", KILL_POINTS)
def test_every_sale_once_after_a_kill(killed: dict[str, Path], kill_at: str) -> None:
    base = killed[kill_at]
    folder, archive = base / "share" / "outbox", base / "share" / "outbox" / "done"
    # Meanwhile the back-office program imports what it finds and archives it: a file
    # whose ledger record the kill prevented must still not be written a second time.
    archive.mkdir(parents=True)
    taken = [p for p in folder.iterdir() if p.is_file() and not is_temporary(p.name)]
    for path in taken:
        path.rename(archive / path.name)
    share = LocalTransport(base / "share")
    outbox = Outbox(
        share,
        "outbox",
        FIXED,
        LocalTransport(base / "ledger"),
        MEMORY_ARITHMETIC,
        TAXES,
        archives=("outbox/done",),
    )
    results = [outbox.write(sample_sale(f"shop.example#{n}")) for n in range(SALES)]
    finals = [p for p in (*folder.iterdir(), *archive.iterdir()) if p.is_file()]
    finals = [p for p in finals if not is_temporary(p.name)]
    expected = {file_name(f"shop.example#{n}", "txt") for n in range(SALES)}
    assert sorted(p.name for p in finals) == sorted(expected), "each sale exactly once"
    listed = share.names("outbox") + share.names("outbox/done")
    assert sorted(listed) == sorted(expected), "a temporary file is never listed"
    leftovers = [p.name for p in folder.iterdir() if is_temporary(p.name)]
    assert all(key_hash_of(name) is None for name in leftovers)
    numbers = [result.number for result in results]
    assert len(set(numbers)) == SALES and all(numbers)
    by_name = {p.name: p for p in finals}
    for n, result in enumerate(results):
        sale = sample_sale(f"shop.example#{n}")
        whole = render_sale(
            FIXED, sale, compute_figures(sale, result.number, MEMORY_ARITHMETIC, TAXES)
        )
        assert by_name[result.source_id].read_bytes() == whole, "no partial file"
        assert outbox.write(sale) == result
    assert [entry.key for entry in outbox.sales()] == [f"shop.example#{n}" for n in range(SALES)]
