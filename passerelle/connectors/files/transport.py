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
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Protocol, runtime_checkable

from passerelle.connectors.errors import RecordError
from passerelle.i18n.messages import M_

__all__ = ["TEMPORARY_PREFIX", "LocalTransport", "Transport", "is_temporary", "safe_path"]

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
        target = target_dir / source.name
        number = 1
        while target.exists():
            target = target_dir / f"{source.stem}.{number}{source.suffix}"
            number += 1
        os.rename(source, target)
        return str(PurePosixPath(folder) / target.name)

    def close(self) -> None:
        pass
