"""C7, C8: an item's images and documents, published where the shop fetches them.

Files come from the back-office (the item's images and attachments) and
from folders the merchant fills: ``REF_01.jpg`` … ``REF_99.jpg`` or a
sub-folder named after the reference, optionally searched by the supplier's
reference too. Each file is copied once into ``publish_dir`` under a name
made of its digest, so a file whose bytes change gets a new name (the shop
downloads it again) and an unchanged one keeps its shop id (never sent again).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from passerelle.flows.base import FlowContext
from passerelle.model import Item, MediaRef
from passerelle.profiles.catalogue_options import MediaOptions

__all__ = ["MEDIA_KIND", "MediaFile", "MediaLibrary", "folder_refs_changed_since"]

MEDIA_KIND = "media"  # bindings: file digest → the shop's id of that file
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp"})
_NUMBERED = re.compile(r"^(?P<ref>.+)_(?P<n>\d{2})$")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class MediaFile:
    """A file to publish: its name, digest and how to read its bytes."""

    name: str
    digest: str
    read: Callable[[], bytes]


def _file_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _from_path(path: Path) -> MediaFile:
    return MediaFile(path.name, _file_digest(path), path.read_bytes)


class _FolderIndex:
    """A folder's files by reference, listed once per run (10,000 items, one scan)."""

    def __init__(self, folder: Path | None, suffixes: Callable[[str], bool]) -> None:
        self._files: dict[str, list[Path]] = {}
        if folder is None or not folder.is_dir():
            return
        for entry in sorted(folder.iterdir()):
            if entry.is_dir():
                inside = [
                    p for p in sorted(entry.iterdir()) if p.is_file() and suffixes(p.suffix.lower())
                ]
                self._files.setdefault(entry.name.casefold(), []).extend(inside)
            elif entry.is_file() and suffixes(entry.suffix.lower()):
                match = _NUMBERED.match(entry.stem)
                ref = match["ref"] if match else entry.stem
                self._files.setdefault(ref.casefold(), []).append(entry)

    def changed_since(self, moment: datetime, *refs: str) -> bool:
        """A file of these references was added or replaced after ``moment``."""
        limit = moment.timestamp()
        return any(p.stat().st_mtime > limit for p in self.files(*refs))

    def refs_changed_since(self, moment: datetime) -> set[str]:
        """The references (case-folded) with a file added or replaced after ``moment``."""
        limit = moment.timestamp()
        return {
            ref
            for ref, paths in self._files.items()
            if any(p.stat().st_mtime > limit for p in paths)
        }

    def files(self, *refs: str) -> list[Path]:
        found: list[Path] = []
        for ref in refs:
            if ref:
                found += [p for p in self._files.get(ref.casefold(), []) if p not in found]
        return found


def folder_refs_changed_since(options: MediaOptions, moment: datetime) -> set[str] | None:
    """References whose folder files were added or replaced after ``moment``: a run that
    reads only the items changed in the back-office reads theirs along, since no
    back-office date tells. None when a reference may be a supplier's (searched by
    supplier reference): only a whole read finds its item."""
    refs = _FolderIndex(options.images_folder, IMAGE_SUFFIXES.__contains__).refs_changed_since(
        moment
    )
    if options.document_extensions:
        extensions = set(options.document_extensions)
        refs |= _FolderIndex(options.documents_folder, extensions.__contains__).refs_changed_since(
            moment
        )
    if refs and options.by_supplier_reference:
        return None
    return refs


class MediaLibrary:
    """Finds each item's files and publishes them for the shop."""

    def __init__(self, ctx: FlowContext, options: MediaOptions) -> None:
        self.ctx = ctx
        self.options = options
        extensions = set(options.document_extensions)
        self._images = _FolderIndex(options.images_folder, IMAGE_SUFFIXES.__contains__)
        self._documents = _FolderIndex(options.documents_folder, extensions.__contains__)
        self._shop_ids = {
            k: b.remote_id
            for k, b in ctx.store.bindings(ctx.name, MEDIA_KIND).items()
            if b.remote_id
        }

    def _refs(self, item: Item) -> tuple[str, ...]:
        if self.options.by_supplier_reference and item.supplier_code:
            return (item.code, item.supplier_code)
        return (item.code,)

    def changed_since(self, item: Item, moment: datetime) -> bool:
        """Folder files carry no back-office date: their own modification time counts (C5)."""
        refs = self._refs(item)
        return self._images.changed_since(moment, *refs) or (
            bool(self.options.document_extensions) and self._documents.changed_since(moment, *refs)
        )

    def images(self, item: Item) -> list[MediaFile]:
        files: list[MediaFile] = []
        if self.options.item_images:
            files += [MediaFile(f.name, f.digest, _reader(self.ctx, f.ref)) for f in item.images]
        files += [_from_path(p) for p in self._images.files(*self._refs(item))]
        return _unique(files)

    def documents(self, item: Item) -> list[MediaFile]:
        extensions = set(self.options.document_extensions)
        if not extensions:
            return []
        files = [
            MediaFile(f.name, f.digest, _reader(self.ctx, f.ref))
            for f in item.documents
            if Path(f.name).suffix.lower() in extensions
        ]
        files += [_from_path(p) for p in self._documents.files(*self._refs(item))]
        return _unique(files)

    def publish(self, files: Iterable[MediaFile]) -> tuple[MediaRef, ...]:
        """Copy each file to ``publish_dir`` (once) and say where the shop finds it."""
        assert self.options.publish_dir is not None and self.options.public_url is not None
        refs = []
        for file in files:
            name = f"{file.digest[:16]}-{_UNSAFE.sub('-', file.name).strip('-') or 'file'}"
            target = self.options.publish_dir / name
            if not target.exists():
                _write_atomically(target, file.read())
            refs.append(
                MediaRef(name=name, url=self.options.public_url + quote(name), digest=file.digest)
            )
        return self.refer(refs)

    def refer(self, refs: Iterable[MediaRef]) -> tuple[MediaRef, ...]:
        """Each file the shop already holds (sent for any record of this profile, earlier in
        this run too: a parent's picture its variation shows) named by its shop id, so the
        shop is not asked to download it again."""
        return tuple(
            replace(ref, shop_id=self._shop_ids[ref.digest])
            if not ref.shop_id and ref.digest in self._shop_ids
            else ref
            for ref in refs
        )

    @property
    def sent_ids(self) -> frozenset[str]:
        """Shop ids of every file passerelle sent (C7: removed when no longer listed)."""
        return frozenset(self._shop_ids.values())

    def remember(self, media_ids: dict[str, str]) -> None:
        """Bind the shop's ids of files it now holds, so they are referred to, not re-sent."""
        fresh = [
            (digest, shop_id, digest)
            for digest, shop_id in media_ids.items()
            if self._shop_ids.get(digest) != shop_id
        ]
        if fresh:
            self.ctx.store.bind_many(self.ctx.name, MEDIA_KIND, fresh)
            self._shop_ids.update({d: s for d, s, _h in fresh})


def _reader(ctx: FlowContext, ref: str) -> Callable[[], bytes]:
    return lambda: ctx.backoffice.read_item_file(ref)


def _unique(files: list[MediaFile]) -> list[MediaFile]:
    """The same bytes twice (attached and in the folder) are one file."""
    seen: set[str] = set()
    out = []
    for file in files:
        if file.digest not in seen:
            seen.add(file.digest)
            out.append(file)
    return out


def _write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
