"""The local folder transport keeps the contract every transport keeps (servers.py)."""

from __future__ import annotations

from pathlib import Path

from passerelle.connectors.files.transport import LocalTransport
from tests.files.servers import check_refuses_escapes, check_round_trip


def test_round_trip_in_a_local_folder(tmp_path: Path) -> None:
    check_round_trip(LocalTransport(tmp_path), tmp_path)


def test_paths_outside_the_folder_are_refused(tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "a.csv").write_bytes(b"a")
    check_refuses_escapes(LocalTransport(tmp_path / "inbox"))
    assert (tmp_path / "inbox" / "a.csv").read_bytes() == b"a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inbox"]
