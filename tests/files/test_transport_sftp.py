"""The SFTP transport against a real SSH server (paramiko's server side) on loopback."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import paramiko
import pytest

from passerelle.connectors.errors import (
    FatalError,
)
from passerelle.connectors.files.sftp import SftpTransport, fingerprint
from tests.files import servers
from tests.files.servers import PASSWORD, USER, LoopbackSftp, no_password

HOST_KEY = paramiko.ECDSAKey.generate()
CLIENT_KEY = paramiko.ECDSAKey.generate()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LoopbackSftp]:
    (tmp_path / "served").mkdir()
    running = LoopbackSftp(tmp_path / "served", HOST_KEY, client_key=CLIENT_KEY)
    yield running
    running.stop()


def transport_for(server: LoopbackSftp, **options: object) -> SftpTransport:
    settings: dict[str, object] = {
        "password": PASSWORD,
        "host_key": fingerprint(HOST_KEY),
        "root": "/exports",
        "timeout": 10.0,
    }
    settings.update(options)
    return SftpTransport("127.0.0.1", server.port, USER, **settings)  # type: ignore[arg-type]


@pytest.fixture
def sftp(server: LoopbackSftp) -> Iterator[SftpTransport]:
    transport = transport_for(server)
    yield transport
    transport.close()


def test_round_trip(sftp: SftpTransport, server: LoopbackSftp) -> None:
    servers.check_round_trip(sftp, server.root / "exports")


def test_round_trip_with_a_private_key(server: LoopbackSftp, tmp_path: Path) -> None:
    key_file = tmp_path / "id_ecdsa"
    CLIENT_KEY.write_private_key_file(str(key_file))
    transport = transport_for(server, password=None, private_key=key_file, root="")
    try:
        servers.check_round_trip(transport, server.root)
    finally:
        transport.close()


def test_the_fingerprint_is_the_one_ssh_keygen_prints(tmp_path: Path) -> None:
    if shutil.which("ssh-keygen") is None:
        pytest.skip("ssh-keygen is not installed")
    public = tmp_path / "host.pub"
    public.write_text(f"{HOST_KEY.get_name()} {HOST_KEY.get_base64()} host\n")
    printed = subprocess.run(
        ["ssh-keygen", "-lf", str(public)], capture_output=True, text=True, check=True
    ).stdout
    assert printed.split()[1] == fingerprint(HOST_KEY)
    # The whole line ssh-keygen prints is accepted in the settings too.
    SftpTransport("h", 22, USER, password="p", host_key=printed.strip(), root="").close()


def test_paths_outside_the_root_are_refused(sftp: SftpTransport, server: LoopbackSftp) -> None:
    servers.check_refuses_escapes(sftp)
    assert list(server.root.iterdir()) == []


def test_another_host_key_is_refused_before_anything_is_sent(server: LoopbackSftp) -> None:
    expected = fingerprint(paramiko.ECDSAKey.generate())
    transport = transport_for(server, host_key=expected)
    with pytest.raises(FatalError) as refused:
        transport.write_atomic("outbox/orders.csv", b"order")
    message = str(no_password(refused.value))
    assert expected in message
    assert fingerprint(HOST_KEY) in message
    assert list(server.root.iterdir()) == []
    assert server.password_attempts == []  # the password was never sent to it
    trusted = transport_for(server)
    trusted.write_atomic("a.csv", b"a")
    trusted.close()
    assert server.password_attempts == [USER]


def test_a_host_key_is_required(server: LoopbackSftp) -> None:
    for missing in ("", "yes", "MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48"):
        with pytest.raises(FatalError, match="ssh-keygen -lf"):
            transport_for(server, host_key=missing)


def test_wrong_password_then_no_server(server: LoopbackSftp) -> None:
    servers.check_login_refused(transport_for(server, password="wrong"), server)
    server.stop()
    servers.check_unreachable(transport_for(server))


def test_missing_files_and_lost_connections(sftp: SftpTransport, server: LoopbackSftp) -> None:
    servers.check_missing_files(sftp, "SFTP")
    servers.check_drop_mid_upload(sftp, server, "SFTP")  # a cut line: no file under the final name
    servers.check_reopened_after_drop(sftp, server)  # a session closed while idle: opened again


def test_server_without_posix_rename(sftp: SftpTransport, server: LoopbackSftp) -> None:
    servers.check_replaced_when_renaming_over_is_refused(sftp, server)


def test_silent_server_and_unreadable_key(tmp_path: Path) -> None:
    silent = servers.Silent()
    try:
        quiet = SftpTransport(
            "127.0.0.1",
            silent.port,
            USER,
            password=PASSWORD,
            host_key="SHA256:x",
            root="",
            timeout=0.2,
        )
        servers.check_silent_server(quiet)
    finally:
        silent.close()
    (tmp_path / "id_broken").write_text("not a key")
    for key_file in (tmp_path / "id_broken", tmp_path / "id_none"):
        transport = SftpTransport(
            "127.0.0.1", 22, USER, private_key=key_file, host_key="SHA256:x", root=""
        )
        with pytest.raises(FatalError, match="private key file .* cannot be read"):
            transport._key()


def test_a_server_with_several_host_keys(tmp_path: Path) -> None:
    """The key type ssh-keygen prints after the fingerprint picks which key the server shows."""
    rsa = paramiko.RSAKey.generate(1024)
    (tmp_path / "served").mkdir()
    server = LoopbackSftp(tmp_path / "served", HOST_KEY, other_keys=(rsa,))
    try:
        line = f"1024 {fingerprint(rsa)} root@backoffice (RSA)"
        transport = transport_for(server, host_key=line, root="")
        transport.write_atomic("a.csv", b"a")
        assert (server.root / "a.csv").read_bytes() == b"a"
        transport.close()
        # The fingerprint alone: the server shows its preferred key, which is not that one.
        bare = transport_for(server, host_key=fingerprint(rsa), root="")
        with pytest.raises(FatalError) as refused:
            bare.names("")
        assert f"{fingerprint(HOST_KEY)} (ecdsa-sha2-nistp256)" in str(refused.value)
    finally:
        server.stop()
