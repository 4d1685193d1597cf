"""Where a file back-office's files live: one protocol, a local folder, FTP or SFTP.

Why one protocol: the reading of exports and the writing of order files must not
care where the files are; a profile chooses the place. Every path is relative to
the transport's root, POSIX-style (``outbox/order.csv``); a path that climbs out of
the root (``..``) or is absolute is refused, whatever a profile or a file name says.

``write_atomic`` is the exactly-once half of the transport: the bytes go to a
temporary name in the same folder (which ``names`` never shows), are flushed to
stable storage, then renamed to the final name. A crash or a dropped connection
leaves at most a temporary file, never a partial file under a final name that the
back-office program would import.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Protocol, runtime_checkable

from passerelle.connectors.errors import NotFoundError, RecordError, RetriableError
from passerelle.i18n.messages import M_

__all__ = [
    "TEMPORARY_PREFIX",
    "LocalTransport",
    "RemoteTransport",
    "Transport",
    "is_temporary",
    "folder_prefixes",
    "numbered_name",
    "remote_path",
    "safe_path",
]

#: Files being written carry this prefix (and a ``.part`` suffix) until renamed.
TEMPORARY_PREFIX = ".passerelle-"


def is_temporary(name: str) -> bool:
    """A file still being written (or left by a crash): never read, never among ``names``."""
    return name.startswith(TEMPORARY_PREFIX) and name.endswith(".part")


def temporary_name(name: str) -> str:
    """The name ``write_atomic`` writes ``name`` under before the rename."""
    return f"{TEMPORARY_PREFIX}{name}.part"


def safe_path(path: str) -> PurePosixPath:
    """``path`` as a relative POSIX path inside the root, or RecordError naming it."""
    pure = PurePosixPath(path.replace("\\", "/"))
    if not path or pure.is_absolute() or ".." in pure.parts or str(pure) == ".":
        raise RecordError(
            M_(
                "the file path %(path)s leaves the configured folder; use a path inside it",
                path=repr(path),
            )
        )
    return pure


def numbered_name(name: str, taken: Callable[[str], bool]) -> str:
    """``name``, or ``stem.1.ext``, ``stem.2.ext``... the first one not ``taken``.

    Why: a file moved into an archive folder must never replace one archived
    before (the back-office may export the same name every day)."""
    pure = PurePosixPath(name)
    candidate, number = name, 1
    while taken(candidate):
        candidate = f"{pure.stem}.{number}{pure.suffix}"
        number += 1
    return candidate


def remote_path(root: str, path: PurePosixPath | str) -> str:
    """``path`` (already checked by :func:`safe_path`) under a server's ``root`` folder.

    An empty root is the folder the server opens the session in (the user's home)."""
    text = str(path)
    if text in ("", "."):
        return root or "."
    if not root:
        return text
    return f"{root.rstrip('/')}/{text}"


def folder_prefixes(root: str, folder: PurePosixPath) -> list[str]:
    """The folders to create, in turn, for ``folder`` to exist under a server's ``root``."""
    parts = [part for part in root.split("/") if part] + list(folder.parts)
    start = "/" if root.startswith("/") else ""
    return [start + "/".join(parts[: depth + 1]) for depth in range(len(parts))]


def _error_text(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


class RemoteTransport:
    """What the transports on a server (FTP, SFTP) share: paths under the server's
    ``root`` folder, and their errors, worded once.

    The errors name the server as ``host:port`` and what to check; a password never
    appears in them (no caller passes one)."""

    protocol = "FTP"

    def __init__(self, host: str, port: int, user: str, root: str, timeout: float) -> None:
        self.host = host
        self.port = port
        self.user = user
        #: A server path ("" is the folder the session opens in: the user's home).
        self.root = root
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.server!r}, user={self.user!r}, root={self.root!r})"

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"

    def remote(self, path: PurePosixPath | str) -> str:
        """``path`` (checked by :func:`safe_path`) as the server names it."""
        return remote_path(self.root, path)

    def staged(self, path: str) -> tuple[PurePosixPath, str, str]:
        """``path`` checked, then its final and temporary names on the server."""
        relative = safe_path(path)
        temporary = relative.parent / temporary_name(relative.name)
        return relative, self.remote(relative), self.remote(temporary)

    def folders(self, folder: PurePosixPath) -> list[str]:
        """The folders to create, in turn, for ``folder`` to exist (the root's included)."""
        return folder_prefixes(self.root, folder)

    @staticmethod
    def listed(names: Iterable[str]) -> list[str]:
        """``names`` sorted, without the temporary files."""
        return sorted(name for name in names if not is_temporary(name))

    def unreachable(self, exc: BaseException) -> RetriableError:
        """Refused or unresolved: the server down or the settings wrong; worth retrying."""
        message = M_(
            "the %(protocol)s server %(server)s cannot be reached (%(error)s); check the "
            "host name and port in the settings and that the server is up",
            protocol=self.protocol,
            server=self.server,
            error=_error_text(exc),
        )
        return RetriableError(message, code="unreachable")

    def lost(self, exc: BaseException) -> RetriableError:
        message = M_(
            "the connection to the %(protocol)s server %(server)s was lost (%(error)s); "
            "it will be tried again",
            protocol=self.protocol,
            server=self.server,
            error=_error_text(exc),
        )
        return RetriableError(message, code="dropped")

    def timed_out(self, exc: BaseException) -> RetriableError:
        message = M_(
            "the %(protocol)s server %(server)s did not answer in time (%(error)s); it will "
            "be tried again; if this lasts, check the network and the server",
            protocol=self.protocol,
            server=self.server,
            error=_error_text(exc),
        )
        return RetriableError(message, code="timeout")

    def busy(self, reply: str, code: str) -> RetriableError:
        message = M_(
            "the %(protocol)s server %(server)s could not do it now (%(reply)s); it will be "
            "tried again",
            protocol=self.protocol,
            server=self.server,
            reply=reply,
        )
        return RetriableError(message, code=code)

    def missing(self, path: str) -> NotFoundError:
        message = M_(
            "the file %(path)s is not on the %(protocol)s server %(server)s",
            path=path,
            protocol=self.protocol,
            server=self.server,
        )
        return NotFoundError(message, code="missing", record_id=path)


@runtime_checkable
class Transport(Protocol):
    """A folder tree holding the back-office's files (paths relative to its root)."""

    def names(self, folder: str) -> list[str]:
        """Names of the files (not folders, not temporary files) in ``folder``, sorted;
        an empty list when the folder does not exist yet."""
        ...

    def read(self, path: str) -> bytes: ...

    def exists(self, path: str) -> bool: ...

    def modified_at(self, path: str) -> datetime:
        """When the file was last written (UTC)."""
        ...

    def write_atomic(self, path: str, data: bytes) -> None:
        """Write ``data`` under ``path`` whole or not at all (temporary name, flushed,
        renamed); the folder is created when missing; an existing file is replaced."""
        ...

    def move(self, path: str, folder: str) -> str:
        """Move the file into ``folder`` (created when missing) under its own name, or
        a numbered one when that name is taken (nothing is overwritten); the new path."""
        ...

    def close(self) -> None: ...


class LocalTransport:
    """A folder on this machine (or a network share mounted on it)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _full(self, path: str) -> Path:
        return self.root.joinpath(*safe_path(path).parts)

    def names(self, folder: str) -> list[str]:
        where = self.root if folder in ("", ".") else self._full(folder)
        if not where.is_dir():
            return []
        return sorted(p.name for p in where.iterdir() if p.is_file() and not is_temporary(p.name))

    def read(self, path: str) -> bytes:
        return self._full(path).read_bytes()

    def exists(self, path: str) -> bool:
        return self._full(path).is_file()

    def modified_at(self, path: str) -> datetime:
        return datetime.fromtimestamp(self._full(path).stat().st_mtime, UTC)

    def write_atomic(self, path: str, data: bytes) -> None:
        final = self._full(path)
        final.parent.mkdir(parents=True, exist_ok=True)
        temporary = final.with_name(temporary_name(final.name))
        with temporary.open("wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, final)
        # The rename itself is durable once the folder's entry is on disk.
        directory = os.open(final.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def move(self, path: str, folder: str) -> str:
        source = self._full(path)
        target_dir = self._full(folder)
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / numbered_name(source.name, lambda name: (target_dir / name).exists())
        os.rename(source, target)
        return str(PurePosixPath(folder) / target.name)

    def close(self) -> None:
        pass
