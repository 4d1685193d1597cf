"""Exit codes tell the truth: succeeded 0, completed with problems 3, failed 1, interrupted 130.

Through the command line (typer's CliRunner, and real processes for signals),
with flows registered for the test so each outcome is reached on purpose; the
store is read back to check the run was recorded with the same outcome.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

import passerelle.cli.main as cli_main
from passerelle.cli.main import app
from passerelle.connectors.errors import FatalError
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.flows.base import FLOWS, FlowContext, FlowInfo
from passerelle.model import Item
from passerelle.profiles import ProfileRepository
from passerelle.runner import run_now
from passerelle.runner.jobs import JOBS, JobKind
from passerelle.runner.outcomes import worst
from passerelle.sandbox.woocommerce import WooSandbox
from passerelle.sandbox.xml_export import export_orders_xml
from passerelle.store import Store
from passerelle.store.records import JobStatus, RunStatus
from tests.waiting import ctrl_c_reaches_it, end_process, wait_for

PROFILE = "shop-fr"
# The back-office items every order profile names; without them no import starts.
ORDER_ITEMS = ("SHIPPING", "MISC", "WRAP", "GAP")


def _ok(ctx: FlowContext) -> None:
    ctx.journal.record("created", "A1", "created (shop id 1)")


def _failed_record(ctx: FlowContext) -> None:
    ctx.journal.record("created", "A1", "created (shop id 1)")
    ctx.journal.record("failed", "A2", "item A2: back-office tax 'VAT 7%' has no tax class")


def _parked_for_a_person(ctx: FlowContext) -> None:
    ctx.store.park(ctx.name, "t-parked", "A3", "item A3: no tax class", "error")
    ctx.journal.record("parked", "A3", "no tax class")


def _parked_to_retry(ctx: FlowContext) -> None:  # awaiting payment: nobody has to act
    ctx.store.park(ctx.name, "t-waiting", "A4", "order A4 awaits payment", "retry")
    ctx.journal.record("parked", "A4", "awaits payment")


def _fatal(ctx: FlowContext) -> None:
    ctx.journal.record("created", "A1", "created (shop id 1)")
    raise FatalError("the shop moved: check its URL")


def _ctrl_c(ctx: FlowContext) -> None:
    ctx.journal.record("created", "A1", "created (shop id 1)")
    raise KeyboardInterrupt


TEST_FLOWS: dict[str, Callable[[FlowContext], None]] = {
    "t-ok": _ok,
    "t-failed-record": _failed_record,
    "t-parked": _parked_for_a_person,
    "t-waiting": _parked_to_retry,
    "t-fatal": _fatal,
    "t-ctrl-c": _ctrl_c,
}


def write_profile(
    data_dir: Path,
    shop_url: str = "https://shop.invalid",
    ca_bundle: Path | None = None,
    *,
    max_tries: int = 3,
    **extra: object,
) -> None:
    """The test profile on ``shop_url`` (a WooCommerce sandbox's, with its CA bundle)."""
    shop: dict[str, object] = {
        "url": shop_url,
        "consumer_key": "env:WC_KEY",
        "consumer_secret": "env:WC_SECRET",
        "http": {"timeout": 5, "max_tries": max_tries},
    }
    if ca_bundle is not None:
        shop["http"] = {**shop["http"], "ca_bundle": str(ca_bundle)}  # type: ignore[dict-item]
    repo = ProfileRepository(data_dir)
    repo.save(
        repo.validate(
            {
                "name": PROFILE,
                "mode": "production",
                "backoffice": {"database": "erp"},
                "shop": shop,
                "orders": {
                    "shipping_item": "SHIPPING",
                    "misc_item": "MISC",
                    "gift_wrap_item": "WRAP",
                    "gap_item": "GAP",
                },
                **extra,
            }
        )
    )


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A data directory with one profile, test flows as jobs, and a memory back-office."""
    monkeypatch.setenv("WC_KEY", "ck_demo")
    monkeypatch.setenv("WC_SECRET", "cs_demo")
    for name, fn in TEST_FLOWS.items():
        monkeypatch.setitem(FLOWS, name, FlowInfo(name, fn, False, "test flow"))
        monkeypatch.setitem(JOBS, name, JobKind(name, name, "test", uses_shop=False))
    backoffice = MemoryBackOffice(items={c: Item(c, c, c, Decimal(0)) for c in ORDER_ITEMS})
    monkeypatch.setattr(run_now, "build_backoffice", lambda settings, data_dir: backoffice)
    write_profile(tmp_path)
    yield tmp_path


def cli(data_dir: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, [*args, "--profile", PROFILE, "--data-dir", str(data_dir)])
    return result.exit_code, result.output


def last_run(data_dir: Path, flow: str | None = None) -> tuple[RunStatus, list[str]]:
    with Store.open_data_dir(data_dir) as store:
        run = store.list_runs(profile=PROFILE, flow=flow, limit=1)[0]
        return run.status, [line.message for line in store.journal(run.id)]


@pytest.mark.parametrize(
    ("flow", "code", "status", "last_line"),
    [
        ("t-ok", 0, RunStatus.SUCCEEDED, "succeeded: 1 created"),
        ("t-waiting", 0, RunStatus.SUCCEEDED, "succeeded: 1 parked"),
        (
            "t-failed-record",
            3,
            RunStatus.WITH_PROBLEMS,
            "completed with problems: 1 created, 1 failed",
        ),
        ("t-parked", 3, RunStatus.WITH_PROBLEMS, "completed with problems: 1 parked"),
        ("t-fatal", 1, RunStatus.FAILED, "failed: 1 created"),
        ("t-ctrl-c", 130, RunStatus.INTERRUPTED, "interrupted: 1 created"),
    ],
)
def test_run_exits_with_the_code_of_the_outcome_it_records(
    data_dir: Path, flow: str, code: int, status: RunStatus, last_line: str
) -> None:
    exit_code, output = cli(data_dir, "run", flow)
    assert exit_code == code, output
    recorded, journal = last_run(data_dir, flow)
    assert recorded is status
    assert journal[-1] == last_line


def test_a_ctrl_c_run_is_recorded_interrupted_and_its_job_not_left_to_run_again(
    data_dir: Path,
) -> None:
    exit_code, output = cli(data_dir, "run", "t-ctrl-c")
    assert exit_code == 130 and "interrupted" in output
    with Store.open_data_dir(data_dir) as store:
        (job,) = store.queue.jobs(profile=PROFILE)
        assert job.status is JobStatus.FAILED and "interrupted" in (job.last_error or "")
        assert store.parked(PROFILE, kind=None) == []  # the person stopped it: nothing to fix


@pytest.mark.parametrize(
    ("flows", "code"),
    [
        (("t-ok", "t-waiting"), 0),
        (("t-ok", "t-failed-record", "t-ok"), 3),
        (("t-failed-record", "t-fatal", "t-ok"), 1),
        (("t-ok", "t-ctrl-c", "t-fatal"), 130),
    ],
)
def test_run_all_exits_with_the_worst_outcome(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, flows: tuple[str, ...], code: int
) -> None:
    monkeypatch.setattr(cli_main, "DEFAULT_ORDER", flows)
    exit_code, output = cli(data_dir, "run", "all")
    assert exit_code == code, output
    with Store.open_data_dir(data_dir) as store:
        ran = [r.flow for r in reversed(store.list_runs(profile=PROFILE))]
    # An interruption stops `run all` there; a failure does not stop the next flows.
    assert ran == (list(flows[:2]) if code == 130 else list(flows))


def test_worst_ranks_the_outcomes() -> None:
    assert worst([]) is RunStatus.SUCCEEDED
    assert worst(["succeeded", "with_problems"]) is RunStatus.WITH_PROBLEMS
    assert worst(["with_problems", "failed", "succeeded"]) is RunStatus.FAILED
    assert worst(["failed", "interrupted"]) is RunStatus.INTERRUPTED


def test_runs_list_and_show_say_the_outcome_in_words(data_dir: Path) -> None:
    assert cli(data_dir, "run", "t-failed-record")[0] == 3
    assert cli(data_dir, "run", "t-ctrl-c")[0] == 130
    listing = CliRunner().invoke(app, ["runs", "--data-dir", str(data_dir)]).output
    assert "completed with problems" in listing and "interrupted" in listing
    with Store.open_data_dir(data_dir) as store:
        first = store.list_runs(profile=PROFILE, flow="t-failed-record")[0].id
    shown = CliRunner().invoke(app, ["runs", "show", str(first), "--data-dir", str(data_dir)])
    assert "· completed with problems ·" in shown.output
    assert "completed with problems: 1 created, 1 failed" in shown.output


@pytest.mark.parametrize(
    ("flow", "code"),
    [
        ("t-ok", 0),
        ("t-failed-record", 3),
        ("t-fatal", 1),
        ("t-ctrl-c", 130),
    ],
)
def test_orders_validate_exits_with_the_outcome(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, flow: str, code: int
) -> None:
    monkeypatch.setitem(
        FLOWS, "validate-orders", FlowInfo("validate-orders", TEST_FLOWS[flow], False, "test flow")
    )
    exit_code, output = cli(data_dir, "orders", "validate", "ALL")
    assert exit_code == code, output
    assert (
        last_run(data_dir, "validate-orders")[0]
        is {
            0: RunStatus.SUCCEEDED,
            3: RunStatus.WITH_PROBLEMS,
            1: RunStatus.FAILED,
            130: RunStatus.INTERRUPTED,
        }[code]
    )


def test_orders_send_exits_3_when_an_order_fails(data_dir: Path, tmp_path: Path) -> None:
    """The real import of two orders from a shop sandbox: neither can be mapped (the
    back-office has none of their taxes), so both are set aside for a person."""
    with WooSandbox(tmp_path / "shop.json", cert_dir=tmp_path / "tls") as shop:
        write_profile(data_dir, shop.url, shop.ca_bundle)
        ids = sorted(shop.data.orders)[:2]
        exit_code, output = cli(data_dir, "orders", "send", *map(str, ids))
    assert exit_code == 3, output
    assert [f"order {i}: failed" in output for i in ids] == [True, True], output
    assert last_run(data_dir, "import-orders")[0] is RunStatus.WITH_PROBLEMS


def test_orders_import_xml_of_unmappable_orders_exits_3(data_dir: Path, tmp_path: Path) -> None:
    """The real import of a shop's XML export into a back-office that knows none of
    its taxes: every order is set aside with severity error, the run goes to its end."""
    with WooSandbox(tmp_path / "shop.json", cert_dir=tmp_path / "tls"):
        pass  # seeds and saves the shop's data file
    orders = tmp_path / "orders.xml"
    assert export_orders_xml(tmp_path / "shop.json", orders) > 0
    exit_code, output = cli(data_dir, "orders", "import-xml", str(orders))
    assert exit_code == 3, output
    status, journal = last_run(data_dir, "import-orders")
    assert status is RunStatus.WITH_PROBLEMS
    assert journal[-1].startswith("completed with problems: ")
    with Store.open_data_dir(data_dir) as store:
        assert store.parked(PROFILE, "import-orders", severity="error")


def test_orders_import_xml_of_a_missing_file_is_refused_by_the_cli(data_dir: Path) -> None:
    exit_code, _ = cli(data_dir, "orders", "import-xml", str(data_dir / "nope.xml"))
    assert exit_code == 2  # typer refuses a path that does not exist, before any run


SLOW_RUN = """
import sys, time
from decimal import Decimal
from pathlib import Path
from passerelle.cli.main import app
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.flows.base import FLOWS, FlowInfo
from passerelle.runner import run_now
from passerelle.runner.jobs import JOBS, JobKind

def slow(ctx):
    ctx.journal.record("created", "A1", "created (shop id 1)")
    ctx.journal.flush()
    Path(sys.argv[1], "started").touch()
    time.sleep(60)

FLOWS["t-slow"] = FlowInfo("t-slow", slow, False, "test flow")
JOBS["t-slow"] = JobKind("t-slow", "t-slow", "test", uses_shop=False)
run_now.build_backoffice = lambda settings, data_dir: MemoryBackOffice()
app(["run", "t-slow", "--profile", "shop-fr", "--data-dir", sys.argv[1]])
"""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_run_stopped_by_a_signal_exits_130_and_is_recorded_interrupted(
    data_dir: Path, signum: int
) -> None:
    env = {**os.environ, "WC_KEY": "ck_demo", "WC_SECRET": "cs_demo"}
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_RUN, str(data_dir)],
        env=env,
        stdout=subprocess.PIPE,
        preexec_fn=ctrl_c_reaches_it,
        stderr=subprocess.STDOUT,
    )

    def alive() -> None:
        assert process.poll() is None, process.communicate()[0].decode()

    try:
        # Until the flow starts: the process may be slow to start on a loaded machine;
        # only its death, or minutes of nothing, fail.
        wait_for(
            lambda: (data_dir / "started").exists(),
            lambda: None,
            what="the flow's start",
            every=0.05,
            check=alive,
        )
    finally:
        # The signal (or, on a failure above, the same signal), then reaped in any case.
        raw = end_process(process, signum)
    output = (raw or b"").decode()
    assert process.returncode == 130, output
    status, journal = last_run(data_dir, "t-slow")
    assert status is RunStatus.INTERRUPTED
    assert journal[-1] == "interrupted: 1 created"
