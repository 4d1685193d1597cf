"""A broken state store ends in one message, exit 1, before any flow runs; `store` commands.

Each broken store is made for real: a file truncated or deleted behind
passerelle's back, garbage bytes, a read-only disk (chmod, in a process
that cannot write through file modes even as root, and a tmpfs remounted
read-only) and a full disk (a 1 MB tmpfs filled up). The command is
``passerelle run import-orders`` on a profile whose back-office was never
created: had the flow started, it would have been reached, and its folder
created; it never is.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from passerelle.cli.main import app
from passerelle.store import Store

ROOT = Path(__file__).resolve().parents[1]
PROFILE = "shop"


def cli(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def make_data_dir(data_dir: Path, runs: int = 2) -> Path:
    """A profile and a store holding ``runs`` finished runs; returns the store file."""
    created = cli(
        "profile",
        "create",
        PROFILE,
        "--shop-url",
        "https://127.0.0.1:9",
        "--consumer-key",
        "env:STORE_TEST_CK",
        "--consumer-secret",
        "env:STORE_TEST_CS",
        "--tryton-database",
        "shop",
        "--tryton-path",
        str(data_dir / "tryton"),
        "--shipping-item",
        "SHIP",
        "--misc-item",
        "MISC",
        "--gift-wrap-item",
        "GIFT",
        "--gap-item",
        "GAP",
        "--test-mode",
        "--data-dir",
        str(data_dir),
    )
    assert created.exit_code == 0, created.output
    with Store.open_data_dir(data_dir) as store:
        for _ in range(runs):
            store.finish_run(store.start_run(PROFILE, "import-orders"), "succeeded", {"created": 1})
    return data_dir / "state.db"


def run_import(data_dir: Path) -> Result:
    return cli("run", "import-orders", "--profile", PROFILE, "--data-dir", str(data_dir))


def assert_one_store_message(result: Result, db: Path, *words: str) -> None:
    """Exit 1, one ``error:`` line naming the file and saying ``words``, no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # handled, not raised
    output = result.output
    assert "Traceback" not in output, output
    [line] = [line for line in output.splitlines() if line.strip()]
    assert line.startswith("error: the ") and str(db) in line, output
    for word in words:
        assert word in line, (word, output)


def passerelle_process(*args: str, plain_user: bool = False) -> subprocess.CompletedProcess[str]:
    """The real ``passerelle`` in its own process: what a merchant's terminal shows.

    ``plain_user``: when the tests run as root, drop the capabilities that let
    root write through file modes, so a chmod means what it means for anyone.
    """
    prefix: list[str] = []
    if plain_user and os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("root writes through file modes and setpriv is missing to drop that")
        drop = "-dac_override,-dac_read_search"
        prefix = ["setpriv", f"--bounding-set={drop}", f"--inh-caps={drop}", "--"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "80"}
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "passerelle.cli.main", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    if prefix and "setpriv" in done.stderr and done.returncode != 0 and "error:" not in done.stderr:
        pytest.skip(f"cannot drop root's capabilities here: {done.stderr.strip()}")
    return done


def assert_one_process_message(
    done: subprocess.CompletedProcess[str], db: Path, *words: str
) -> None:
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    [line] = lines
    assert line.startswith(f"error: the state store {db} "), line
    for word in words:
        assert word in line, (word, line)


def assert_no_flow_ran(data_dir: Path) -> None:
    assert not (data_dir / "tryton").exists(), "the back-office was reached"


@contextmanager
def tmpfs(size: str) -> Iterator[Path]:
    """A small tmpfs of our own, or a skip saying why there is none."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip(
            "mounting a tmpfs needs root (the SQLite-level tests in "
            "tests/store/test_store_health.py cover a full store without it)"
        )
    import tempfile

    point = Path(tempfile.mkdtemp(prefix="passerelle-tmpfs-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        point.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)
        point.rmdir()


def fill(disk: Path) -> Path:
    """Take every block left on ``disk``; returns the file to delete to free them."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as out:
        try:
            while out.write(b"\0" * 4096):
                pass
        except OSError:
            pass
    assert shutil.disk_usage(disk).free < 4096
    return filler


def test_emptied_store_is_refused_by_the_real_command_not_rebuilt(tmp_path: Path) -> None:
    """Truncated to 0 bytes, then deleted: one message each, exit 1, the file left as found."""
    db = make_data_dir(tmp_path)
    for how, state in (("truncated", "empty (0 bytes)"), ("deleted", "missing")):
        if how == "truncated":
            db.write_bytes(b"")
        else:
            db.unlink()
        done = passerelle_process(
            "run", "import-orders", "--profile", PROFILE, "--data-dir", str(tmp_path)
        )
        assert_one_process_message(
            done,
            db,
            f"is {state}",
            "the queue, the webhook records and the history",
            "passerelle store restore",
            "passerelle store recreate --yes",
        )
        assert (db.stat().st_size == 0) if how == "truncated" else not db.exists()
        assert_no_flow_ran(tmp_path)

    checked = cli("store", "check", "--data-dir", str(tmp_path))
    assert checked.exit_code == 1 and "FAIL" in checked.output and "missing" in checked.output

    refused = cli("store", "recreate", "--data-dir", str(tmp_path))
    assert refused.exit_code == 1 and "add --yes" in refused.output
    recreated = cli("store", "recreate", "--yes", "--data-dir", str(tmp_path))
    assert recreated.exit_code == 0, recreated.output
    assert cli("store", "check", "--data-dir", str(tmp_path)).exit_code == 0
    with Store.open_data_dir(tmp_path) as store:
        assert store.list_runs() == []  # started afresh, as asked
    again = cli("store", "recreate", "--yes", "--data-dir", str(tmp_path))
    assert again.exit_code == 1 and "is healthy" in again.output  # a good store is kept


def test_damaged_store_is_named_and_checked(tmp_path: Path) -> None:
    db = make_data_dir(tmp_path)
    db.write_bytes(os.urandom(8192))
    assert_one_store_message(
        run_import(tmp_path), db, "is damaged", "file is not a database", "passerelle store restore"
    )
    assert_no_flow_ran(tmp_path)
    assert_one_store_message(cli("runs", "--data-dir", str(tmp_path)), db, "is damaged")
    checked = cli("store", "check", "--data-dir", str(tmp_path))
    assert checked.exit_code == 1 and "FAIL" in checked.output and "is damaged" in checked.output
    assert "Traceback" not in checked.output


def test_read_only_store_is_named(tmp_path: Path) -> None:
    """A read-only file, a read-only folder: each named, in a real process without root's
    power to write through file modes."""
    db = make_data_dir(tmp_path)
    for target, mode, says in (
        (db, 0o444, "the file is read-only"),
        (tmp_path, 0o555, f"the folder {tmp_path} is read-only"),
    ):
        for side in tmp_path.glob("state.db-*"):  # as a clean stop leaves it: no side files
            side.unlink()
        target.chmod(mode)
        try:
            done = passerelle_process(
                "run",
                "import-orders",
                "--profile",
                PROFILE,
                "--data-dir",
                str(tmp_path),
                plain_user=True,
            )
        finally:
            target.chmod(0o755 if target.is_dir() else 0o644)
        assert_one_process_message(done, db, "cannot be written", says, "write access")
        assert_no_flow_ran(tmp_path)


def test_read_only_disk_is_named(tmp_path: Path) -> None:
    with tmpfs("4m") as disk:
        db = make_data_dir(disk / "data")
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        assert_one_store_message(
            run_import(disk / "data"), db, "cannot be written", "mounted read-only", "write access"
        )
        assert_no_flow_ran(disk / "data")
        assert_one_store_message(
            cli("jobs", "--data-dir", str(disk / "new")),
            disk / "new" / "state.db",
            "mounted read-only",
        )


def test_full_disk_is_named_and_what_was_saved_stays(tmp_path: Path) -> None:
    with tmpfs("1m") as disk:
        db = make_data_dir(disk / "data", runs=3)
        filler = fill(disk)
        assert_one_store_message(
            run_import(disk / "data"), db, "is full", "Free some space on that disk"
        )
        assert_no_flow_ran(disk / "data")
        filler.unlink()
        checked = cli("store", "check", "--data-dir", str(disk / "data"))
        assert checked.exit_code == 0, checked.output
        with Store.open_data_dir(disk / "data") as store:
            assert len(store.list_runs()) == 3


def test_store_check_on_a_good_store(tmp_path: Path) -> None:
    make_data_dir(tmp_path)
    checked = cli("store", "check", "--full", "--data-dir", str(tmp_path))
    assert checked.exit_code == 0, checked.output
    assert "integrity_check: the file is whole" in checked.output
    assert "marker agrees" in checked.output and "holds 2 runs" in checked.output
    assert checked.output.rstrip().endswith("the store is healthy")


def test_backup_holds_the_same_runs_and_restores(tmp_path: Path) -> None:
    db = make_data_dir(tmp_path / "data", runs=3)
    with Store.open_data_dir(tmp_path / "data") as store:
        before = [(r.id, r.flow, r.status, r.counts) for r in store.list_runs()]
    copy = tmp_path / "elsewhere" / "copy.db"
    made = cli("store", "backup", "--to", str(copy), "--data-dir", str(tmp_path / "data"))
    assert made.exit_code == 0, made.output
    assert f"backup written to {copy}" in made.output and "3 runs" in made.output
    with Store.open(f"sqlite:///{copy}", migrate=False) as backup:
        assert [(r.id, r.flow, r.status, r.counts) for r in backup.list_runs()] == before
    again = cli("store", "backup", "--to", str(copy), "--data-dir", str(tmp_path / "data"))
    assert again.exit_code == 1 and "already exists" in again.output  # never overwritten

    default = cli("store", "backup", "--data-dir", str(tmp_path / "data"))
    assert (
        default.exit_code == 0
        and len(list((tmp_path / "data" / "backups").glob("state-*.db"))) == 1
    )

    db.write_bytes(b"")  # lost...
    assert_one_store_message(run_import(tmp_path / "data"), db, "empty (0 bytes)")
    restored = cli("store", "restore", str(copy), "--yes", "--data-dir", str(tmp_path / "data"))
    assert restored.exit_code == 0, restored.output
    assert "set aside:" in restored.output
    with Store.open_data_dir(tmp_path / "data") as store:  # ...and back
        assert [(r.id, r.flow, r.status, r.counts) for r in store.list_runs()] == before


def test_restore_refuses_what_is_not_a_store(tmp_path: Path) -> None:
    db = make_data_dir(tmp_path / "data")
    bogus = tmp_path / "notes.db"
    bogus.write_bytes(os.urandom(4096))
    refused = cli("store", "restore", str(bogus), "--yes", "--data-dir", str(tmp_path / "data"))
    assert refused.exit_code == 1 and str(bogus) in refused.output
    with Store.open_data_dir(tmp_path / "data") as store:  # the store was not touched
        assert len(store.list_runs()) == 2
    assert db.exists()


def test_backup_of_a_postgresql_store_prints_pg_dump(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PASSERELLE_STORE_URL", "postgresql://shop:s3cret@db.example:5432/passe")
    shown = cli("store", "backup", "--data-dir", str(tmp_path))
    assert shown.exit_code == 0, shown.output
    assert "pg_dump --format=custom" in shown.output
    assert "shop:PASSWORD@db.example:5432/passe" in shown.output
    assert "s3cret" not in shown.output


def test_disk_filling_up_mid_run_ends_in_one_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The store fails while a flow runs (the disk fills up under it): the run stops with the
    store's one message, not a traceback nor a problem parked in a store that cannot write.

    The flow is a stand-in that fills the disk and then records something, as every flow
    does; the back-office is a stand-in nothing is written to. The failure itself is real.
    """
    import dataclasses

    import passerelle.runner.run_now as run_now
    from passerelle.flows import FLOWS

    with tmpfs("1m") as disk:
        data = disk / "data"
        db = make_data_dir(data)
        monkeypatch.setenv("STORE_TEST_CK", "ck")
        monkeypatch.setenv("STORE_TEST_CS", "cs")
        monkeypatch.setattr(run_now, "build_backoffice", lambda *args, **kwargs: object())

        def fill_then_record(ctx: object) -> None:
            fill(disk)
            for n in range(2000):  # enough to need new pages whatever the WAL had room for
                ctx.store.set_bookmark(PROFILE, f"import-orders-{n}", "x" * 200)  # type: ignore[attr-defined]

        flow = dataclasses.replace(FLOWS["import-orders"], fn=fill_then_record)
        monkeypatch.setitem(FLOWS, "import-orders", flow)
        result = run_import(data)
        assert result.exit_code == 1, result.output
        assert isinstance(result.exception, SystemExit), result.exception
        assert "Traceback" not in result.output, result.output
        errors = [line for line in result.output.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and str(db) in errors[0] and "is full" in errors[0], result.output
        assert "gave up" not in result.output  # no problem parked as if the flow had failed
        logged = [r for r in caplog.records if r.exc_info]  # what a real process prints
        assert not logged, [r.getMessage() for r in logged]
