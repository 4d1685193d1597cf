"""The FTP transport against a real FTP server (pyftpdlib) on loopback, plain and over TLS."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest

from passerelle.connectors.errors import (
    FatalError,
)
from passerelle.connectors.files.ftp import FtpTransport
from tests.files.servers import (
    PASSWORD,
    READER,
    USER,
    LoopbackFtp,
    Silent,
    check_drop_mid_upload,
    check_login_refused,
    check_missing_files,
    check_refuses_escapes,
    check_reopened_after_drop,
    check_replaced_when_renaming_over_is_refused,
    check_round_trip,
    check_silent_server,
    check_unreachable,
    free_port,
    no_password,
    tls_material,
)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LoopbackFtp]:
    (tmp_path / "served").mkdir()
    running = LoopbackFtp(tmp_path / "served")
    yield running
    running.stop()


@pytest.fixture
def ftp(server: LoopbackFtp) -> Iterator[FtpTransport]:
    transport = FtpTransport("127.0.0.1", server.port, USER, PASSWORD, "/exports", timeout=10)
    yield transport
    transport.close()


def test_round_trip(ftp: FtpTransport, server: LoopbackFtp) -> None:
    check_round_trip(ftp, server.root / "exports")


def test_round_trip_over_tls(tmp_path: Path) -> None:
    pytest.importorskip("OpenSSL", reason="pyftpdlib's TLS needs pyOpenSSL")
    authority, pem = tls_material(tmp_path)
    (tmp_path / "served").mkdir()
    server = LoopbackFtp(tmp_path / "served", certificate=pem)
    context = ssl.create_default_context()
    authority.configure_trust(context)
    transport = FtpTransport(
        "127.0.0.1", server.port, USER, PASSWORD, "", tls=True, timeout=10, context=context
    )
    try:
        check_round_trip(transport, server.root)
        # An unknown certificate authority: refused, and said so.
        stranger = FtpTransport("127.0.0.1", server.port, USER, PASSWORD, "", tls=True)
        with pytest.raises(FatalError, match="TLS connection failed") as refused:
            stranger.names("")
        no_password(refused.value)
    finally:
        transport.close()
        server.stop()


def test_tls_asked_of_a_server_without_it(server: LoopbackFtp) -> None:
    transport = FtpTransport("127.0.0.1", server.port, USER, PASSWORD, "", tls=True)
    with pytest.raises(FatalError, match="does not offer FTP over TLS"):
        transport.names("")


def test_paths_outside_the_root_are_refused(ftp: FtpTransport, server: LoopbackFtp) -> None:
    check_refuses_escapes(ftp)
    assert list(server.root.iterdir()) == []


def test_wrong_password(server: LoopbackFtp) -> None:
    check_login_refused(FtpTransport("127.0.0.1", server.port, USER, "wrong", ""), server)


def test_no_server_listening_is_worth_retrying() -> None:
    check_unreachable(FtpTransport("127.0.0.1", free_port(), USER, PASSWORD, "", timeout=5))


def test_missing_file(ftp: FtpTransport) -> None:
    check_missing_files(ftp, "FTP")


def test_dropped_mid_upload_leaves_no_final_file(ftp: FtpTransport, server: LoopbackFtp) -> None:
    check_drop_mid_upload(ftp, server, "FTP")


@pytest.mark.parametrize("say_timeout", [False, True], ids=["closed", "421 then closed"])
def test_connection_dropped_between_calls_is_opened_again(
    ftp: FtpTransport, server: LoopbackFtp, say_timeout: bool
) -> None:
    server.faults.say_timeout = say_timeout
    check_reopened_after_drop(ftp, server)


def test_server_refusing_to_rename_over_a_file(ftp: FtpTransport, server: LoopbackFtp) -> None:
    check_replaced_when_renaming_over_is_refused(ftp, server)
    # A move never replaces what the archive holds, whatever the server allows.
    ftp.write_atomic("archive/stock.csv", b"archived")
    assert ftp.move("stock.csv", "archive") == "archive/stock.1.csv"
    assert ftp.read("archive/stock.csv") == b"archived"


def test_server_without_mlsd(ftp: FtpTransport, server: LoopbackFtp) -> None:
    server.faults.no_mlsd = True
    check_round_trip(ftp, server.root / "exports")


def test_a_server_that_never_answers() -> None:
    silent = Silent()
    try:
        check_silent_server(FtpTransport("127.0.0.1", silent.port, USER, PASSWORD, "", timeout=0.2))
    finally:
        silent.close()


def test_a_user_who_may_not_write(server: LoopbackFtp) -> None:
    (server.root / "stock.csv").write_bytes(b"stock")
    reader = FtpTransport("127.0.0.1", server.port, READER, PASSWORD, "")
    assert reader.read("stock.csv") == b"stock"
    with pytest.raises(FatalError, match=f"refused to write outbox/a.csv .* user {READER}") as no:
        reader.write_atomic("outbox/a.csv", b"a")
    no_password(no.value)
    with pytest.raises(FatalError, match="refused the operation"):
        reader.move("stock.csv", "archive")
    assert sorted(p.name for p in server.root.iterdir()) == ["stock.csv"]
    reader.close()
