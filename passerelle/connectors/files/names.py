"""The name of an order's file: readable, safe on every file system, unique per order key.

Why a hash: order keys are free text (``shop.example#123``,
``shop#123~2/refund/9``) holding characters no Windows folder accepts
(``#`` is fine, ``/ \\ : * ? " < > |`` are not) and may differ only by case,
which Windows and macOS folders do not tell apart. The name keeps a readable
part (letters, digits and ``-``, at most 40 of them, so a person recognises
the order) and ends with 16 hexadecimal digits of the key's SHA-256: two keys
never share a name in practice (64 bits), and the name is the same on every
run, so the outbox finds an order's file again from its key alone.

The hash is what identifies the file, not the whole name: a back-office
program that renames a file after importing it (Sage 50c turns ``.TXT`` into
``.BAK``, see ``docs/files.md``) or a folder move that numbers a duplicate
(``name.1.csv``) keeps the hash, and :func:`key_hash_of` still reads it.
The key itself is kept in the outbox's ledger, beside the hash.
"""

from __future__ import annotations

import hashlib
import re

__all__ = ["HASH_LENGTH", "file_name", "key_hash", "key_hash_of", "readable_part"]

HASH_LENGTH = 16
_READABLE_LENGTH = 40
_NOT_READABLE = re.compile(r"[^A-Za-z0-9]+")
_NAME = re.compile(rf"^(?P<readable>[A-Za-z0-9-]*)_(?P<hash>[0-9a-f]{{{HASH_LENGTH}}})(?:\.|$)")


def key_hash(key: str) -> str:
    """The hexadecimal digits of the key's SHA-256 that every name of its file carries."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def readable_part(key: str) -> str:
    """The key's letters and digits, runs of anything else as one ``-``, at most 40 long.

    ASCII only: a file name must survive a copy to any folder, FTP server or
    archive tool; the hash tells apart keys this part confuses.
    """
    return _NOT_READABLE.sub("-", key).strip("-")[:_READABLE_LENGTH].strip("-")


def file_name(key: str, extension: str) -> str:
    """``<readable>_<hash>.<extension>``: never a reserved Windows name (``CON``, ``NUL``…)
    since the hash follows, never ending with a dot or a space."""
    suffix = f".{extension.lstrip('.')}" if extension.strip(".") else ""
    return f"{readable_part(key)}_{key_hash(key)}{suffix}"


def key_hash_of(name: str) -> str | None:
    """The key hash a file's name carries, whatever its extension; None for another file."""
    found = _NAME.match(name)
    return found.group("hash") if found else None
