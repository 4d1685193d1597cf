"""Files on an FTP server (plain, or FTP over TLS): the standard library's ftplib.

Why ftplib: desktop back-offices (Sage, EBP) often drop their exports on the
merchant's own FTP server, which speaks only the basics. This transport asks no
more than RFC 959 gives (STOR, RETR, RNFR/RNTO, DELE, MKD, SIZE), plus MLSD and
MDTM of RFC 3659 for listings and dates; TLS is the explicit kind (``AUTH TLS``
then ``PROT P``, RFC 4217). Transfers are passive: the merchant's machine is
behind a router far more often than the server.

``write_atomic`` stores under a temporary name in the same folder, then renames;
a server that refuses to rename over an existing file (IIS, some Windows
servers) has that file deleted first, and only then. A connection the server
dropped while idle (its timeout between two calls) is opened again once, when the
very first command of a call finds it dead: nothing was changed on the server yet.
A connection lost in the middle of a call is not retried here: the caller gets a
:class:`RetriableError`, and a half-sent file is at most a temporary file, which
the next ``write_atomic`` of that name replaces.

References: Python's ftplib documentation (https://docs.python.org/3/library/ftplib.html),
RFC 959 (FTP), RFC 3659 (MLSD, MDTM, SIZE), RFC 4217 (FTP over TLS).
"""

from __future__ import annotations

import ftplib
import io
import socket
import ssl
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import TypeVar

from passerelle.connectors.errors import (
    AuthenticationError,
    FatalError,
)
from passerelle.connectors.files.transport import RemoteTransport, numbered_name, safe_path
from passerelle.i18n.messages import M_

__all__ = ["FtpTransport"]

T = TypeVar("T")

#: What a connection the server (or the network) closed looks like to ftplib.
_DROPPED = (EOFError, ConnectionError, ssl.SSLEOFError, ssl.SSLZeroReturnError)


class _Ftp(ftplib.FTP):
    """ftplib's client, counting the commands it sends (to know whether a call changed
    anything on the server before its connection was found dead)."""

    commands = 0

    def putcmd(self, line: str) -> None:
        self.commands += 1
        super().putcmd(line)


class _FtpTls(_Ftp, ftplib.FTP_TLS):
    """FTP over explicit TLS whose data connections resume the control connection's TLS
    session, as FileZilla Server and vsftpd (``require_ssl_reuse``) demand."""

    protected = False

    def prot_p(self) -> str:
        reply = super().prot_p()
        self.protected = True
        return reply

    def ntransfercmd(
        self, cmd: str, rest: int | str | None = None
    ) -> tuple[socket.socket, int | None]:
        # ftplib.FTP's, not FTP_TLS's: the wrapping below is FTP_TLS's plus the session.
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self.protected and isinstance(self.sock, ssl.SSLSocket):
            conn = self.context.wrap_socket(
                conn, server_hostname=self.host, session=self.sock.session
            )
        return conn, size


def _code(error: ftplib.Error) -> str:
    return str(error)[:3]


class FtpTransport(RemoteTransport):
    """A folder tree on an FTP server; ``root`` is a server path ("" = the login folder)."""

    protocol = "FTP"

    def __init__(
        self,
        host: str,
        port: int,
        user: str,
        password: str,
        root: str,
        *,
        tls: bool = False,
        timeout: float = 30.0,
        context: ssl.SSLContext | None = None,
    ) -> None:
        super().__init__(host, port, user, root, timeout)
        self._password = password
        self.tls = tls
        #: The TLS settings (trusted authorities); the system's by default.
        self.context = context
        self._ftp: _Ftp | None = None

    # -- the protocol -------------------------------------------------------------

    def names(self, folder: str) -> list[str]:
        where = "" if folder in ("", ".") else str(safe_path(folder))

        def listing(ftp: _Ftp) -> list[str]:
            entries = self._entries(ftp, where)
            return self.listed(name for name, kind in (entries or {}).items() if kind == "file")

        return self._run(listing)

    def read(self, path: str) -> bytes:
        target = self.remote(safe_path(path))

        def retrieve(ftp: _Ftp) -> bytes:
            buffer = io.BytesIO()
            try:
                ftp.retrbinary(f"RETR {target}", buffer.write)
            except ftplib.error_perm:
                raise self.missing(path) from None
            return buffer.getvalue()

        return self._run(retrieve)

    def exists(self, path: str) -> bool:
        target = self.remote(safe_path(path))
        return self._run(lambda ftp: self._is_file(ftp, target))

    def modified_at(self, path: str) -> datetime:
        target = self.remote(safe_path(path))

        def modified(ftp: _Ftp) -> datetime:
            try:
                reply = ftp.voidcmd(f"MDTM {target}")
            except ftplib.error_perm:
                raise self.missing(path) from None
            # "213 YYYYMMDDHHMMSS[.sss]", in UTC (RFC 3659, section 2.3).
            stamp = reply[4:].strip().split(".")[0]
            return datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)

        return self._run(modified)

    def write_atomic(self, path: str, data: bytes) -> None:
        relative, final, temporary = self.staged(path)

        def store(ftp: _Ftp) -> None:
            try:
                ftp.storbinary(f"STOR {temporary}", io.BytesIO(data))
            except ftplib.error_perm:
                # Most likely the folder is missing (550 or 553 by server): make it, try again.
                self._make_folders(ftp, relative.parent)
                self._refused(ftp.storbinary, path, f"STOR {temporary}", io.BytesIO(data))
            try:
                ftp.rename(temporary, final)
            except ftplib.error_perm:
                # Some servers never rename over an existing file: remove it first, only then.
                if not self._is_file(ftp, final):
                    raise
                self._refused(ftp.delete, path, final)
                self._refused(ftp.rename, path, temporary, final)

        self._run(store)

    def move(self, path: str, folder: str) -> str:
        source = safe_path(path)
        destination = safe_path(folder)

        def rename(ftp: _Ftp) -> str:
            entries = self._entries(ftp, str(destination))
            if entries is None:
                self._make_folders(ftp, destination)
                entries = {}
            name = numbered_name(source.name, entries.__contains__)
            try:
                ftp.rename(self.remote(source), self.remote(destination / name))
            except ftplib.error_perm:
                if not self._is_file(ftp, self.remote(source)):
                    raise self.missing(path) from None
                raise
            return str(PurePosixPath(folder) / name)

        return self._run(rename)

    def close(self) -> None:
        ftp, self._ftp = self._ftp, None
        if ftp is None:
            return
        try:
            ftp.quit()
        except (OSError, EOFError, ftplib.Error):
            ftp.close()

    # -- the session --------------------------------------------------------------

    def _run(self, operation: Callable[[_Ftp], T]) -> T:
        """``operation`` on the session; opened again once if found dropped at its first
        command; the server's refusals and lost connections as connector errors."""
        for attempt in (1, 2):
            ftp = self._session()
            before = ftp.commands
            try:
                return operation(ftp)
            except ftplib.error_temp as exc:
                dropped = _code(exc) == "421"  # "service not available, closing"
                self._discard()
                if dropped and attempt == 1 and ftp.commands - before <= 1:
                    continue
                raise self.busy(str(exc), _code(exc)) from None
            except TimeoutError as exc:
                self._discard()
                raise self.timed_out(exc) from None
            except _DROPPED as exc:
                self._discard()
                if attempt == 1 and ftp.commands - before <= 1:
                    continue
                raise self.lost(exc) from None
            except ftplib.error_perm as exc:
                raise FatalError(
                    M_(
                        "the FTP server %(server)s refused the operation (%(reply)s); check "
                        "that user %(user)s may read, write and rename files in %(root)s",
                        server=self.server,
                        reply=str(exc),
                        user=self.user,
                        root=self.root or "/",
                    ),
                    code=_code(exc),
                ) from None
            except (ftplib.error_reply, ftplib.error_proto) as exc:
                self._discard()
                raise self.busy(str(exc), _code(exc)) from None
            except OSError as exc:
                self._discard()
                raise self.lost(exc) from None
        raise AssertionError("unreachable")  # internal: the loop returns or raises

    def _session(self) -> _Ftp:
        if self._ftp is None:
            self._ftp = self._connect()
        return self._ftp

    def _discard(self) -> None:
        if self._ftp is not None:
            self._ftp.close()
            self._ftp = None

    def _connect(self) -> _Ftp:
        ftp: _Ftp
        if self.tls:
            context = self.context or ssl.create_default_context()
            ftp = _FtpTls(context=context, timeout=self.timeout)
        else:
            ftp = _Ftp(timeout=self.timeout)
        try:
            try:
                ftp.connect(self.host, self.port)
            except TimeoutError as exc:
                raise self.timed_out(exc) from None
            except (OSError, EOFError, ftplib.Error) as exc:
                raise self.unreachable(exc) from None
            if isinstance(ftp, _FtpTls):
                self._secure(ftp)
            self._login(ftp)
            if isinstance(ftp, _FtpTls):
                ftp.prot_p()
            ftp.voidcmd("TYPE I")
        except BaseException:
            ftp.close()
            raise
        return ftp

    def _secure(self, ftp: _FtpTls) -> None:
        try:
            ftp.auth()
        except ssl.SSLError as exc:
            raise FatalError(
                M_(
                    "the FTP server %(server)s: the TLS connection failed (%(error)s); check "
                    "that its certificate is valid for this host name, or turn TLS off if the "
                    "server does not offer it",
                    server=self.server,
                    error=str(exc),
                ),
                code="tls",
            ) from None
        except ftplib.error_perm as exc:
            raise FatalError(
                M_(
                    "the FTP server %(server)s does not offer FTP over TLS (%(reply)s); turn "
                    "TLS off in the settings or enable explicit TLS (AUTH TLS) on the server",
                    server=self.server,
                    reply=str(exc),
                ),
                code="tls",
            ) from None

    def _login(self, ftp: _Ftp) -> None:
        try:
            ftp.login(self.user, self._password)
        except ftplib.error_perm as exc:
            raise AuthenticationError(
                M_(
                    "the FTP server %(server)s refused the login of user %(user)s "
                    "(%(reply)s); check the user name and password in the settings",
                    server=self.server,
                    user=self.user,
                    reply=str(exc),
                ),
                code=_code(exc),
            ) from None

    # -- helpers ------------------------------------------------------------------

    def _entries(self, ftp: _Ftp, folder: str) -> dict[str, str] | None:
        """Each entry of ``folder`` and its kind ("file", "dir"...); None when missing."""
        entries = self._listing(ftp, self.remote(folder))
        # Listings switch the session to ASCII (TYPE A), where SIZE is refused.
        ftp.voidcmd("TYPE I")
        return entries

    def _listing(self, ftp: _Ftp, where: str) -> dict[str, str] | None:
        try:
            return {
                PurePosixPath(name).name: facts.get("type", "").lower()
                for name, facts in ftp.mlsd(where, facts=["type"])
                if facts.get("type", "").lower() not in ("cdir", "pdir")
            }
        except ftplib.error_perm as exc:
            if _code(exc) not in ("500", "501", "502", "504"):
                return None  # 550: no such folder
        # No MLSD (older servers): names from NLST, files told apart by SIZE.
        try:
            listed = ftp.nlst(where)
        except ftplib.error_perm:
            return None
        ftp.voidcmd("TYPE I")
        names = {PurePosixPath(name).name for name in listed} - {".", ".."}
        return {
            name: "file" if self._is_file(ftp, f"{where.rstrip('/')}/{name}") else "dir"
            for name in names
        }

    def _is_file(self, ftp: _Ftp, target: str) -> bool:
        try:
            ftp.size(target)
        except ftplib.error_perm:
            return False
        return True

    def _make_folders(self, ftp: _Ftp, folder: PurePosixPath) -> None:
        """Create the root and ``folder`` level by level (MKD refused: already there)."""
        for prefix in self.folders(folder):
            try:
                ftp.mkd(prefix)
            except ftplib.error_perm:
                pass

    def _refused(self, call: Callable[..., object], path: str, *args: object) -> None:
        try:
            call(*args)
        except ftplib.error_perm as exc:
            raise FatalError(
                M_(
                    "the FTP server %(server)s refused to write %(path)s (%(reply)s); check "
                    "that user %(user)s may create, rename and delete files in that folder",
                    server=self.server,
                    path=path,
                    reply=str(exc),
                    user=self.user,
                ),
                code=_code(exc),
            ) from None
