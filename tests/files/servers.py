"""Real FTP, FTP-over-TLS and SFTP servers on loopback, each in a thread, over a tmp folder.

Why real servers: the transports' promises (a file whole under its final name or
not at all, a refused login, a host key checked before anything is sent) are
about what a server does on the wire; a fake client would only agree with us.
The FTP server is pyftpdlib's (its TLS needs pyOpenSSL); the SFTP server is
paramiko's server side (``ServerInterface`` + ``SFTPServer``) over a folder, its
rename refusing an existing target as OpenSSH's SSH_FXP_RENAME does.

``Faults`` are switched on by a test: drop the whole session after some bytes of
an upload (a cut network), drop the control connection after a rename (a server
timing out an idle session), refuse to rename over an existing file (IIS-like),
no MLSD (older servers), no posix-rename extension.

References: pyftpdlib's documentation (https://pyftpdlib.readthedocs.io), paramiko's
server API (https://docs.paramiko.org/en/stable/api/server.html, sftp.html).
"""

from __future__ import annotations

import os
import socket
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import paramiko
import pytest
import trustme
from paramiko.sftp import SFTP_FAILURE, SFTP_NO_SUCH_FILE, SFTP_OK, SFTP_PERMISSION_DENIED

with warnings.catch_warnings():
    # pyftpdlib is built on asyncore, which Python 3.11 marks deprecated on import.
    warnings.simplefilter("ignore", DeprecationWarning)
    from pyftpdlib.authorizers import DummyAuthorizer
    from pyftpdlib.handlers import FTPHandler
    from pyftpdlib.ioloop import IOLoop
    from pyftpdlib.servers import FTPServer

from passerelle.connectors.errors import (
    AuthenticationError,
    ConnectorError,
    NotFoundError,
    RecordError,
    RetriableError,
)
from passerelle.connectors.files.transport import Transport, is_temporary
from passerelle.i18n.messages import render

USER = "sage"
PASSWORD = "s3cret-Pa55word"
READER = "reader"


@dataclass
class Faults:
    #: Cut the whole session once an upload has sent this many bytes (every upload).
    drop_upload_after: int | None = None
    #: Close the control connection right after the next successful rename.
    drop_after_rename: bool = False
    #: With drop_after_rename on FTP: say "421" (timed out) before closing.
    say_timeout: bool = False
    #: Refuse to rename onto an existing file (FTP) / no posix-rename extension (SFTP).
    refuse_rename_over: bool = False
    #: Answer MLSD with 502, as servers older than RFC 3659 do.
    no_mlsd: bool = False


# -- FTP ------------------------------------------------------------------------------


def _ftp_handler(base: type[FTPHandler], faults: Faults) -> type[FTPHandler]:
    class Dtp(base.dtp_handler):  # type: ignore[name-defined,misc]
        def handle_read_event(self) -> None:  # what pyftpdlib's loop calls on data in
            super().handle_read_event()
            limit = faults.drop_upload_after
            if limit is not None and self.receive and self.tot_bytes_received >= limit:
                self.cmd_channel.close()  # control and data go together, as on a cut line

    class Handler(base):  # type: ignore[valid-type,misc]
        dtp_handler = Dtp
        auth_failed_timeout = 0  # pyftpdlib waits 3 s after a bad password by default

        def ftp_RNTO(self, path: str) -> Any:
            if faults.refuse_rename_over and self.fs.lexists(path):
                self._rnfr = None
                self.respond("550 File exists.")
                return None
            dropping, faults.drop_after_rename = faults.drop_after_rename, False
            result = super().ftp_RNTO(path)
            if dropping:
                if faults.say_timeout:  # as pyftpdlib itself does when a session idles
                    self.respond("421 Control connection timed out.")
                self.close_when_done()
            return result

        def ftp_MLSD(self, path: str) -> Any:
            if faults.no_mlsd:
                self.respond("502 Command not implemented.")
                return None
            return super().ftp_MLSD(path)

    return Handler


class LoopbackFtp:
    """pyftpdlib serving ``root`` to USER/PASSWORD on 127.0.0.1 (TLS when ``certificate``)."""

    def __init__(self, root: Path, *, certificate: Path | None = None) -> None:
        self.root = root
        self.faults = Faults()
        authorizer = DummyAuthorizer()
        authorizer.add_user(USER, PASSWORD, str(root), perm="elradfmwMT")
        # A user who may list and read only (pyftpdlib's permission letters).
        authorizer.add_user(READER, PASSWORD, str(root), perm="elr")
        base: type[FTPHandler] = FTPHandler
        if certificate is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                from pyftpdlib.handlers import TLS_FTPHandler
            base = type("Tls", (TLS_FTPHandler,), {"certfile": str(certificate)})
        handler = _ftp_handler(base, self.faults)
        handler.authorizer = authorizer
        self._server = FTPServer(("127.0.0.1", 0), handler, ioloop=IOLoop())
        self.port: int = self._server.address[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            self._server.ioloop.loop(0.02, blocking=False)
        self._server.close_all()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


def tls_material(folder: Path) -> tuple[trustme.CA, Path]:
    """A CA and the PEM file (key and chain) of a certificate for 127.0.0.1 it signed."""
    authority = trustme.CA()
    pem = folder / "server.pem"
    authority.issue_cert("127.0.0.1").private_key_and_cert_chain_pem.write_to_path(str(pem))
    return authority, pem


# -- SFTP -----------------------------------------------------------------------------


class _Login(paramiko.ServerInterface):
    def __init__(self, client_key: paramiko.PKey | None, attempts: list[str]) -> None:
        self.client_key = client_key
        self.attempts = attempts
        self.transport: paramiko.Transport | None = None

    def check_auth_password(self, username: str, password: str) -> int:
        self.attempts.append(username)
        if username == USER and password == PASSWORD:
            return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def check_auth_publickey(self, username: str, key: paramiko.PKey) -> int:
        if username == USER and self.client_key is not None and key == self.client_key:
            return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def get_allowed_auths(self, username: str) -> str:
        return "password,publickey"

    def check_channel_request(self, kind: str, chanid: int) -> int:
        if kind == "session":
            return paramiko.OPEN_SUCCEEDED
        return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED


def _status(error: OSError) -> int:
    if isinstance(error, FileNotFoundError):
        return SFTP_NO_SUCH_FILE
    if isinstance(error, PermissionError):
        return SFTP_PERMISSION_DENIED
    return SFTP_FAILURE


class _Handle(paramiko.SFTPHandle):
    def __init__(self, file: Any, faults: Faults, login: _Login) -> None:
        super().__init__()
        self.readfile = self.writefile = file
        self.faults, self.login, self.received = faults, login, 0

    def write(self, offset: int, data: bytes) -> int:
        self.received += len(data)
        limit = self.faults.drop_upload_after
        if limit is not None and self.received >= limit and self.login.transport is not None:
            self.login.transport.sock.shutdown(socket.SHUT_RDWR)  # a cut line
            self.login.transport.close()
            return SFTP_FAILURE
        result: int = super().write(offset, data)
        return result

    def stat(self) -> paramiko.SFTPAttributes | int:
        return paramiko.SFTPAttributes.from_stat(os.fstat(self.readfile.fileno()))


class _Folder(paramiko.SFTPServerInterface):
    """SFTP over ``root`` (paths inside it; "/" is the root)."""

    def __init__(self, server: _Login, root: Path, faults: Faults) -> None:
        super().__init__(server)
        self.login, self.root, self.faults = server, root, faults
        self.drop_next = False

    def _local(self, path: str) -> Path:
        if self.drop_next and self.login.transport is not None:
            # Closed when the next request comes: the client finds the session dead.
            self.login.transport.close()
            raise ConnectionAbortedError(path)
        return self.root / self.canonicalize(path).lstrip("/")

    def canonicalize(self, path: str) -> str:
        return "/" + os.path.normpath("/" + path).lstrip("/")

    def list_folder(self, path: str) -> list[paramiko.SFTPAttributes] | int:
        try:
            where = self._local(path)
            return [
                paramiko.SFTPAttributes.from_stat(os.stat(where / name), name)
                for name in os.listdir(where)
            ]
        except OSError as error:
            return _status(error)

    def stat(self, path: str) -> paramiko.SFTPAttributes | int:
        try:
            return paramiko.SFTPAttributes.from_stat(os.stat(self._local(path)))
        except OSError as error:
            return _status(error)

    lstat = stat

    def open(self, path: str, flags: int, attr: paramiko.SFTPAttributes) -> _Handle | int:
        mode = "rb" if flags & (os.O_WRONLY | os.O_RDWR) == 0 else "wb"
        try:
            file = open(self._local(path), mode)  # noqa: SIM115 - kept by the handle
        except OSError as error:
            return _status(error)
        return _Handle(file, self.faults, self.login)

    def remove(self, path: str) -> int:
        try:
            os.remove(self._local(path))
        except OSError as error:
            return _status(error)
        return SFTP_OK

    def rename(self, oldpath: str, newpath: str) -> int:
        # SSH_FXP_RENAME as OpenSSH does it: an existing target is an error.
        if self._local(newpath).exists():
            return SFTP_FAILURE
        return self.posix_rename(oldpath, newpath, plain=True)

    def posix_rename(self, oldpath: str, newpath: str, plain: bool = False) -> int:
        if self.faults.refuse_rename_over and not plain:
            return paramiko.sftp.SFTP_OP_UNSUPPORTED
        try:
            os.replace(self._local(oldpath), self._local(newpath))
        except OSError as error:
            return _status(error)
        if self.faults.drop_after_rename:
            self.faults.drop_after_rename = False
            self.drop_next = True
        return SFTP_OK

    def mkdir(self, path: str, attr: paramiko.SFTPAttributes) -> int:
        try:
            os.mkdir(self._local(path))
        except OSError as error:
            return _status(error)
        return SFTP_OK


class LoopbackSftp:
    """paramiko's SFTP server over ``root`` on 127.0.0.1, for USER/PASSWORD or a key."""

    def __init__(
        self,
        root: Path,
        host_key: paramiko.PKey,
        *,
        client_key: paramiko.PKey | None = None,
        other_keys: tuple[paramiko.PKey, ...] = (),
    ) -> None:
        self.root, self.host_keys, self.client_key = root, (host_key, *other_keys), client_key
        self.faults = Faults()
        #: The user names a password was given for, in order.
        self.password_attempts: list[str] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._transports: list[paramiko.Transport] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return  # stopped
            transport = paramiko.Transport(connection)
            for key in self.host_keys:
                transport.add_server_key(key)
            login = _Login(self.client_key, self.password_attempts)
            login.transport = transport
            transport.set_subsystem_handler(
                "sftp", paramiko.SFTPServer, _Folder, self.root, self.faults
            )
            self._transports.append(transport)
            try:
                transport.start_server(server=login)
            except (paramiko.SSHException, EOFError, OSError):
                transport.close()

    def stop(self) -> None:
        try:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        except OSError:
            pass
        self._listener.close()
        self._thread.join(timeout=10)
        for transport in self._transports:
            transport.close()


# -- what every transport must do ---------------------------------------------------


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port: int = probe.getsockname()[1]
    return port


def no_password(error: ConnectorError) -> ConnectorError:
    """``error``, once checked to carry the password in none of its forms and languages."""
    for shown in (str(error), repr(error.args), render(error.said, "en"), render(error.said, "fr")):
        assert PASSWORD not in shown
    return error


def check_round_trip(transport: Transport, local: Path) -> None:
    """Write, replace, read, list, date and archive files; ``local`` is the folder the
    server shows as the transport's root."""
    assert isinstance(transport, Transport)
    transport.write_atomic("outbox/orders.csv", b"a;b\n1;2\n")
    assert (local / "outbox" / "orders.csv").read_bytes() == b"a;b\n1;2\n"
    assert transport.read("outbox/orders.csv") == b"a;b\n1;2\n"
    assert transport.exists("outbox/orders.csv")
    assert not transport.exists("outbox/other.csv")
    assert not transport.exists("outbox")  # a folder is not a file
    transport.write_atomic("outbox/orders.csv", b"replaced")
    assert transport.read("outbox/orders.csv") == b"replaced"
    on_disk = (local / "outbox" / "orders.csv").stat().st_mtime
    assert abs(transport.modified_at("outbox/orders.csv").timestamp() - on_disk) < 2
    # A temporary file (left by a crash) and a folder are never listed.
    (local / "outbox" / ".passerelle-stock.csv.part").write_bytes(b"half")
    (local / "outbox" / "sub").mkdir()
    (local / "top.csv").write_bytes(b"top")
    assert transport.names("outbox") == ["orders.csv"]
    assert transport.names("") == ["top.csv"]
    assert transport.names("nowhere") == []
    assert transport.move("outbox/orders.csv", "archive/2026") == "archive/2026/orders.csv"
    transport.write_atomic("outbox/orders.csv", b"again")
    assert transport.move("outbox/orders.csv", "archive/2026") == "archive/2026/orders.1.csv"
    assert (local / "archive/2026/orders.csv").read_bytes() == b"replaced"
    assert (local / "archive/2026/orders.1.csv").read_bytes() == b"again"
    assert transport.names("outbox") == []
    leftovers = [p.name for p in local.rglob("*") if is_temporary(p.name)]
    assert leftovers == [".passerelle-stock.csv.part"]


ESCAPES = ("../x.csv", "/etc/passwd", "outbox/../../x.csv", "")


def check_refuses_escapes(transport: Transport) -> None:
    """Every call refuses a path that climbs out of the root or is absolute, before any I/O."""
    for bad in ESCAPES:
        calls: list[tuple[Callable[..., object], tuple[object, ...]]] = [
            (transport.read, (bad,)),
            (transport.exists, (bad,)),
            (transport.modified_at, (bad,)),
            (transport.write_atomic, (bad, b"x")),
            (transport.move, (bad, "archive")),
            (transport.move, ("inbox/a.csv", bad)),
        ]
        if bad:
            calls.append((transport.names, (bad,)))
        for call, arguments in calls:
            with pytest.raises(RecordError, match="leaves the configured folder"):
                call(*arguments)


class Loopback(Protocol):
    root: Path
    faults: Faults


def check_missing_files(transport: Transport, protocol: str) -> None:
    """Reading, dating or moving a file that is not there: NotFoundError naming it."""
    for call in (transport.read, transport.modified_at):
        with pytest.raises(NotFoundError, match=f"not on the {protocol} server") as missing:
            call("inbox/none.csv")
        assert missing.value.record_id == "inbox/none.csv"
        no_password(missing.value)
    with pytest.raises(NotFoundError):
        transport.move("inbox/none.csv", "archive")


def check_drop_mid_upload(transport: Transport, server: Loopback, protocol: str) -> None:
    """A session cut mid-upload leaves no file under the final name, only the temporary
    one; the next call connects again and the next write replaces that leftover."""
    outbox = server.root / "exports" / "outbox"
    transport.write_atomic("outbox/orders.csv", b"old")
    server.faults.drop_upload_after = 64 * 1024
    data = bytes(range(256)) * 2048  # 512 KiB: the drop comes mid-way
    with pytest.raises(RetriableError, match=f"connection to the {protocol} server") as lost:
        transport.write_atomic("outbox/new.csv", data)
    assert lost.value.code == "dropped"
    no_password(lost.value)
    assert sorted(p.name for p in outbox.iterdir()) == [".passerelle-new.csv.part", "orders.csv"]
    assert len((outbox / ".passerelle-new.csv.part").read_bytes()) < len(data)
    assert transport.names("outbox") == ["orders.csv"]
    server.faults.drop_upload_after = None
    transport.write_atomic("outbox/new.csv", data)
    assert sorted(p.name for p in outbox.iterdir()) == ["new.csv", "orders.csv"]
    assert (outbox / "new.csv").read_bytes() == data


def check_reopened_after_drop(transport: Transport, server: Loopback) -> None:
    """Every call finds a session the server closed while idle, and opens it again."""
    calls: list[tuple[Callable[..., object], tuple[object, ...]]] = [
        (transport.names, ("",)),
        (transport.exists, ("d.csv",)),
        (transport.read, ("d.csv",)),
        (transport.modified_at, ("d.csv",)),
        (transport.write_atomic, ("e.csv", b"e")),
        (transport.move, ("e.csv", "archive")),
    ]
    for call, arguments in calls:
        server.faults.drop_after_rename = True
        transport.write_atomic("d.csv", b"d")
        assert not server.faults.drop_after_rename  # the server did close the session
        call(*arguments)
    assert transport.names("") == ["d.csv"]
    assert transport.names("archive") == ["e.csv"]


def check_login_refused(transport: Transport, server: Loopback) -> None:
    """A wrong password: AuthenticationError naming the user, never the password; no file."""
    with pytest.raises(AuthenticationError, match=f"login of user {USER}") as refused:
        transport.write_atomic("a.csv", b"a")
    assert PASSWORD[:-1] not in str(refused.value)  # neither the right one nor the one tried
    no_password(refused.value)
    assert list(server.root.iterdir()) == []


def check_unreachable(transport: Transport) -> None:
    """No server listening: worth retrying, said as such."""
    with pytest.raises(RetriableError, match="cannot be reached") as refused:
        transport.names("")
    assert refused.value.code == "unreachable"
    no_password(refused.value)


def check_replaced_when_renaming_over_is_refused(transport: Transport, server: Loopback) -> None:
    """A server that never renames over a file: the old file goes first, then the new one
    takes its name; nothing else is left."""
    server.faults.refuse_rename_over = True
    transport.write_atomic("stock.csv", b"first")
    transport.write_atomic("stock.csv", b"second")
    assert (server.root / "exports" / "stock.csv").read_bytes() == b"second"
    assert [p.name for p in (server.root / "exports").iterdir()] == ["stock.csv"]


def check_silent_server(transport: Transport) -> None:
    """A server that takes the connection and never answers: a timeout, worth retrying."""
    with pytest.raises(RetriableError, match="did not answer in time") as silent:
        transport.names("")
    assert silent.value.code == "timeout"
    no_password(silent.value)


class Silent:
    """A port that accepts connections (the kernel's backlog) and never says a word."""

    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0), backlog=4)
        self.port: int = self._socket.getsockname()[1]

    def close(self) -> None:
        self._socket.close()
