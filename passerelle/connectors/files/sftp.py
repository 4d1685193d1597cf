"""Files on an SFTP server (SSH file transfer), through paramiko.

Why a configured host key: an SSH client that accepts whatever key a server shows
on first contact can be sent, once, to another machine that collects the
password and the orders. So the server's key fingerprint is part of the
settings, as ``ssh-keygen -lf`` prints it (``SHA256:...``), and a server showing
another key is refused before the password or a single file is sent. No known-hosts
file, no "accept on first use".

``write_atomic`` puts the bytes under a temporary name in the same folder, checks
the size the server wrote, then renames with the ``posix-rename@openssh.com``
extension (which replaces the final file in one step). A server without that
extension gets the plain SFTP rename, which refuses an existing target, so the
old file is removed first. A connection that died while idle is opened again
before the next call; one lost in the middle of a write is the caller's
:class:`RetriableError`, and leaves at most the temporary file.

References: paramiko's documentation (Transport, SFTPClient; https://docs.paramiko.org),
the SFTP protocol version 3 (draft-ietf-secsh-filexfer-02, SSH_FXP_RENAME), OpenSSH's
PROTOCOL file (posix-rename@openssh.com) and ssh-keygen(1) for the fingerprint format.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import io
import socket
import stat
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import TypeVar

import paramiko

from passerelle.connectors.errors import (
    AuthenticationError,
    FatalError,
    RetriableError,
)
from passerelle.connectors.files.transport import RemoteTransport, numbered_name, safe_path
from passerelle.i18n.messages import M_

__all__ = ["SftpTransport", "fingerprint"]

T = TypeVar("T")


def fingerprint(key: paramiko.PKey) -> str:
    """The key's SHA256 fingerprint as ``ssh-keygen -lf`` prints it (unpadded base64)."""
    digest = hashlib.sha256(key.asbytes()).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def _expected_fingerprint(host_key: str) -> str | None:
    """The ``SHA256:...`` part of what the settings hold (a whole ``ssh-keygen -lf`` line
    is accepted); None when there is none."""
    for word in host_key.split():
        if word.startswith("SHA256:") and len(word) > len("SHA256:"):
            return word.rstrip("=")
    return None


#: ssh-keygen's name of a key type (``... (ED25519)``) → the SSH host key algorithms.
_KEY_TYPES = {
    "(ED25519)": ("ssh-ed25519",),
    "(ECDSA)": ("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"),
    "(RSA)": ("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"),
}


def _key_types(host_key: str) -> tuple[str, ...]:
    for word in host_key.split():
        if word.upper() in _KEY_TYPES:
            return _KEY_TYPES[word.upper()]
    return ()


class SftpTransport(RemoteTransport):
    """A folder tree on an SFTP server; ``root`` is a server path ("" = the login folder)."""

    protocol = "SFTP"

    def __init__(
        self,
        host: str,
        port: int,
        user: str,
        *,
        password: str | None = None,
        private_key: Path | str | None = None,
        host_key: str,
        root: str,
        timeout: float = 30.0,
    ) -> None:
        super().__init__(host, port, user, root, timeout)
        self._password = password
        self.private_key = private_key
        expected = _expected_fingerprint(host_key)
        if expected is None:
            raise FatalError(
                M_(
                    "the SFTP server %(server)s has no host key fingerprint in the settings "
                    "(got %(value)s); give the SHA256:... fingerprint that ssh-keygen -lf "
                    "prints for the server's public key",
                    server=self.server,
                    value=repr(host_key),
                ),
                code="host_key",
            )
        self.host_key = expected
        #: The key algorithms of the type ssh-keygen named after the fingerprint, if any:
        #: a server with several host keys then shows the one the fingerprint is of.
        self.key_types = _key_types(host_key)
        if password is None and private_key is None:
            raise FatalError(
                M_(
                    "the SFTP server %(server)s: neither a password nor a private key is "
                    "configured for user %(user)s; give one of them in the settings",
                    server=self.server,
                    user=user,
                ),
                code="credentials",
            )
        self._transport: paramiko.Transport | None = None
        self._sftp: paramiko.SFTPClient | None = None

    # -- the protocol -------------------------------------------------------------

    def names(self, folder: str) -> list[str]:
        where = self.remote("" if folder in ("", ".") else safe_path(folder))

        def listing(sftp: paramiko.SFTPClient) -> list[str]:
            try:
                entries = sftp.listdir_attr(where)
            except FileNotFoundError:
                return []
            return self.listed(e.filename for e in entries if stat.S_ISREG(e.st_mode or 0))

        return self._run(listing, path=folder)

    def read(self, path: str) -> bytes:
        target = self.remote(safe_path(path))

        def get(sftp: paramiko.SFTPClient) -> bytes:
            buffer = io.BytesIO()
            try:
                sftp.getfo(target, buffer)
            except FileNotFoundError:
                raise self.missing(path) from None
            return buffer.getvalue()

        return self._run(get, path=path)

    def exists(self, path: str) -> bool:
        target = self.remote(safe_path(path))
        return self._run(lambda sftp: self._is_file(sftp, target), path=path)

    def modified_at(self, path: str) -> datetime:
        target = self.remote(safe_path(path))

        def modified(sftp: paramiko.SFTPClient) -> datetime:
            try:
                attributes = sftp.stat(target)
            except FileNotFoundError:
                raise self.missing(path) from None
            return datetime.fromtimestamp(attributes.st_mtime or 0, UTC)

        return self._run(modified, path=path)

    def write_atomic(self, path: str, data: bytes) -> None:
        relative, final, temporary = self.staged(path)

        def put(sftp: paramiko.SFTPClient) -> None:
            try:
                sftp.putfo(io.BytesIO(data), temporary, file_size=len(data), confirm=True)
            except FileNotFoundError:
                self._make_folders(sftp, relative.parent)
                sftp.putfo(io.BytesIO(data), temporary, file_size=len(data), confirm=True)
            try:
                sftp.posix_rename(temporary, final)
            except OSError as exc:
                if exc.errno is not None:
                    raise
                # No posix-rename extension: the plain rename refuses an existing target.
                try:
                    sftp.remove(final)
                except FileNotFoundError:
                    pass
                sftp.rename(temporary, final)

        self._run(put, path=path)

    def move(self, path: str, folder: str) -> str:
        source = safe_path(path)
        destination = safe_path(folder)

        def rename(sftp: paramiko.SFTPClient) -> str:
            where = self.remote(destination)
            try:
                taken = set(sftp.listdir(where))
            except FileNotFoundError:
                self._make_folders(sftp, destination)
                taken = set()
            name = numbered_name(source.name, taken.__contains__)
            try:
                # The plain SFTP rename: it never replaces an existing file.
                sftp.rename(self.remote(source), self.remote(destination / name))
            except FileNotFoundError:
                raise self.missing(path) from None
            return str(PurePosixPath(folder) / name)

        return self._run(rename, path=path)

    def close(self) -> None:
        sftp, transport = self._sftp, self._transport
        self._sftp = self._transport = None
        if sftp is not None:
            try:
                sftp.close()
            except (paramiko.SSHException, EOFError, OSError):
                pass  # the connection is gone already: closing it is done
        if transport is not None:
            transport.close()

    # -- the session --------------------------------------------------------------

    def _run(self, operation: Callable[[paramiko.SFTPClient], T], *, path: str = "") -> T:
        """``operation`` on a live session, opened again once when the connection is found
        dead at its first request (dropped while idle: nothing was done yet)."""
        for attempt in (1, 2):
            sftp = self._session()
            before = sftp.request_number
            try:
                return operation(sftp)
            except TimeoutError as exc:
                self.close()
                raise self.timed_out(exc) from None
            except (paramiko.SSHException, EOFError, OSError) as exc:
                if self._alive() and isinstance(exc, OSError):
                    raise self._refused(exc, path) from None
                self.close()
                if attempt == 1 and sftp.request_number - before <= 1:
                    continue
                raise self.lost(exc) from None
        raise AssertionError("unreachable")  # internal: the loop returns or raises

    def _alive(self) -> bool:
        return self._transport is not None and self._transport.is_active()

    def _session(self) -> paramiko.SFTPClient:
        if self._sftp is None or not self._alive():
            self.close()
            self._sftp = self._connect()
        return self._sftp

    def _connect(self) -> paramiko.SFTPClient:
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except TimeoutError as exc:
            raise self.timed_out(exc) from None
        except OSError as exc:
            raise self.unreachable(exc) from None
        transport = paramiko.Transport(sock)
        self._transport = transport
        # The handshake's own limit is start_client's; the banner may wait longer.
        transport.banner_timeout, transport.auth_timeout = 2 * self.timeout, self.timeout
        if self.key_types:
            options = transport.get_security_options()
            options.key_types = [t for t in options.key_types if t in self.key_types]
        try:
            transport.start_client(timeout=self.timeout)
            if transport.host_key is None:  # start_client gave up waiting: the server is mute
                raise self.timed_out(TimeoutError("SSH handshake"))
            self._check_host_key(transport.host_key)
            self._authenticate(transport)
            sftp = paramiko.SFTPClient.from_transport(transport)
        except (paramiko.SSHException, EOFError, OSError) as exc:
            self.close()
            raise self.lost(exc) from None
        except BaseException:
            self.close()
            raise
        if sftp is None:
            self.close()
            raise self.lost(EOFError())
        channel = sftp.get_channel()
        if channel is not None:
            channel.settimeout(self.timeout)
        return sftp

    def _check_host_key(self, key: paramiko.PKey) -> None:
        shown = fingerprint(key)
        if shown != self.host_key:
            raise FatalError(
                M_(
                    "the SFTP server %(server)s showed the host key %(shown)s (%(type)s), "
                    "not the expected %(expected)s: nothing was sent to it. If the server's "
                    "key was changed on purpose, put its new fingerprint in the settings; "
                    "otherwise another machine may be answering in its place",
                    server=self.server,
                    shown=shown,
                    type=key.get_name(),
                    expected=self.host_key,
                ),
                code="host_key",
            )

    def _authenticate(self, transport: paramiko.Transport) -> None:
        try:
            if self.private_key is not None:
                try:
                    transport.auth_publickey(self.user, self._key())
                except paramiko.AuthenticationException:
                    if self._password is None:
                        raise
            if not transport.is_authenticated() and self._password is not None:
                transport.auth_password(self.user, self._password)
        except paramiko.AuthenticationException:
            raise AuthenticationError(
                M_(
                    "the SFTP server %(server)s refused the login of user %(user)s; check "
                    "the user name, the password or the private key in the settings",
                    server=self.server,
                    user=self.user,
                ),
                code="login",
            ) from None

    def _key(self) -> paramiko.PKey:
        try:
            return paramiko.PKey.from_path(str(self.private_key))
        except (OSError, paramiko.SSHException, ValueError) as exc:
            raise FatalError(
                M_(
                    "the private key file %(path)s for the SFTP server %(server)s cannot be "
                    "read (%(error)s); give the path of an OpenSSH private key without a "
                    "passphrase",
                    path=str(self.private_key),
                    server=self.server,
                    error=type(exc).__name__,
                ),
                code="private_key",
            ) from None

    # -- helpers ------------------------------------------------------------------

    def _is_file(self, sftp: paramiko.SFTPClient, target: str) -> bool:
        try:
            return stat.S_ISREG(sftp.stat(target).st_mode or 0)
        except FileNotFoundError:
            return False

    def _make_folders(self, sftp: paramiko.SFTPClient, folder: PurePosixPath) -> None:
        """Create the root and ``folder`` level by level where missing."""
        for prefix in self.folders(folder):
            try:
                sftp.stat(prefix)
            except FileNotFoundError:
                sftp.mkdir(prefix)

    def _refused(self, exc: OSError, path: str) -> FatalError | RetriableError:
        """The server answered no to a request (the connection is fine)."""
        if exc.errno == errno.EACCES:
            return FatalError(
                M_(
                    "the SFTP server %(server)s refused access to %(path)s (%(error)s); check "
                    "that user %(user)s may read, write and rename files in %(root)s",
                    server=self.server,
                    path=path or self.root or "/",
                    error=str(exc),
                    user=self.user,
                    root=self.root or "/",
                ),
                code="permission",
            )
        return self.busy(str(exc), "failure")
