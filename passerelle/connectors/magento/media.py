"""C7: a product's images as entries of its Magento media gallery.

Magento takes the bytes, not an address (``POST /V1/products/{sku}/media``, an entry
whose ``content`` is the base64 of the file, its MIME type and name; REST tutorial
"Add images to a product", admin-schema-2.4.9.yaml). So each new image is downloaded
from ``MediaRef.url`` (the merchant's public address of the published file) and
uploaded; an image the product's gallery already holds is referred to, never sent
again. Costs per product written with its images: one ``GET …/media`` (none for a new
product), one download and one upload per new image, one ``DELETE`` per entry to
remove, one ``PUT …/media/{entryId}`` per kept entry that moves or becomes the cover.

An entry is one of the draft's images when its id is the one bound to that file, or
its file is the one Magento made of that name (lowercased, characters outside
``a-z 0-9 _ - .`` as ``_``, ``_1``, ``_2``… on a clash: ``Framework\\File\\Uploader``):
entry ids are the product's own, and a parent showing its variation's picture holds it
under another id than the variation.

The first image is the product's base, small and thumbnail image (``types``); the
others follow in the draft's order (``position``). ``keep_other_images``: entries that
are neither the draft's nor among ``own_media_ids`` stay; otherwise they are removed,
except while passerelle has sent no file at all for the profile (no ``own_media_ids``,
a draft without images: the profile's media are not set up) — then the gallery is the
merchant's and is not read.
Every download happens before anything is written: an image that cannot be read is
that product's error, naming the file and its address, and its gallery is left as it
was.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from passerelle.connectors.base import ProductWrite
from passerelle.connectors.errors import RecordError
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.magento.client import MagentoClient
from passerelle.connectors.paths import segment
from passerelle.i18n.messages import M_
from passerelle.model import MediaRef

__all__ = ["ROLES", "ProductImages", "image_type", "stored_name"]

ROLES = ["image", "small_image", "thumbnail"]  # the cover's roles


def image_type(data: bytes) -> str | None:
    """The MIME type Magento sniffs (``getimagesizefromstring``) among those it takes."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    return None


def stored_name(name: str) -> str:
    """The file name Magento keeps of an uploaded name (``Uploader::getCorrectFileName``
    after lowercasing)."""
    return re.sub(r"[^a-z0-9_\-.]+", "_", name.lower())


def _holds(entry: Mapping[str, Any], name: str) -> bool:
    """Whether the entry's file is the one Magento made of ``name`` (renamed or not)."""
    stem, dot, extension = stored_name(name).rpartition(".")
    if not dot:
        stem, extension = extension, ""
    base = str(entry.get("file") or "").rsplit("/", 1)[-1]
    tail = re.escape(f".{extension}") if dot else r"(\.[a-z0-9]+)?"
    return re.fullmatch(re.escape(stem) + r"(_\d+)?" + tail, base) is not None


class ProductImages:
    """Writes a product's gallery to match its draft (see the module docstring)."""

    def __init__(self, client: MagentoClient, options: HttpOptions | None = None) -> None:
        self.client = client
        self.options = options or HttpOptions()

    @staticmethod
    def wanted(write: ProductWrite) -> bool:
        return write.fields is None or "images" in write.fields

    def write(self, write: ProductWrite, sku: str, created: bool) -> dict[str, str]:
        """Make the product's gallery the draft's images; their entry ids by digest."""
        refs = write.draft.images
        if not refs and (created or not write.own_media_ids):
            # Nothing to hold, and passerelle never sent a file for this profile (its
            # media are not set up): the merchant's gallery is not passerelle's to empty.
            return {}
        entries = [] if created else self._entries(sku)
        matched = self._match(refs, entries)
        mine = {id(e) for e in matched if e is not None}
        removed = [
            e
            for e in entries
            if id(e) not in mine
            and not (write.keep_other_images and str(e.get("id")) not in write.own_media_ids)
        ]
        files = {
            ref.digest: self._download(ref, write.draft.sku)
            for ref, entry in zip(refs, matched, strict=True)
            if entry is None
        }
        for gone in removed:
            self.client.call(
                "DELETE",
                f"products/{segment(sku)}/media/{segment(str(gone['id']))}",
                what=M_("an image of %(sku)s", sku=write.draft.sku),
            )
        ids: dict[str, str] = {}
        for index, (ref, held) in enumerate(zip(refs, matched, strict=True)):
            if held is None:
                ids[ref.digest] = self._upload(sku, write, ref, files[ref.digest], index)
            else:
                self._place(sku, write, held, index)
                ids[ref.digest] = str(held["id"])
        return ids

    # ---------------------------------------------------------------- helpers
    def _entries(self, sku: str) -> list[dict[str, Any]]:
        answer = self.client.call(
            "GET",
            f"products/{segment(sku)}/media",
            what=M_("the media gallery of %(sku)s", sku=sku),
        )
        return [e for e in answer or [] if isinstance(e, dict) and e.get("id") is not None]

    @staticmethod
    def _match(
        refs: Sequence[MediaRef], entries: Sequence[dict[str, Any]]
    ) -> list[dict[str, Any] | None]:
        """Each image's entry in the gallery, None when it must be uploaded."""
        free = list(entries)
        out: list[dict[str, Any] | None] = []
        for ref in refs:
            entry = next((e for e in free if ref.shop_id and str(e["id"]) == ref.shop_id), None)
            entry = entry or next((e for e in free if _holds(e, ref.name)), None)
            if entry is not None:
                free.remove(entry)
            out.append(entry)
        return out

    def _download(self, ref: MediaRef, sku: str) -> bytes:
        """The file's bytes from its public address; a failure names both."""
        try:
            with httpx.Client(
                timeout=self.options.timeout,
                follow_redirects=True,
                headers={"User-Agent": self.options.user_agent},
                proxy=self.options.proxy,
            ) as http:
                answer = http.get(ref.url)
                answer.raise_for_status()
                data = answer.content
        except httpx.HTTPError as exc:
            raise RecordError(
                M_(
                    "product %(sku)s: the image %(name)s could not be downloaded from "
                    "%(url)s (%(error)s)",
                    sku=sku,
                    name=ref.name,
                    url=ref.url,
                    error=str(exc) or type(exc).__name__,
                )
            ) from exc
        if image_type(data) is None:
            raise RecordError(
                M_(
                    "product %(sku)s: the image %(name)s (%(url)s) is not a JPEG, PNG or GIF "
                    "picture, the only ones Magento takes",
                    sku=sku,
                    name=ref.name,
                    url=ref.url,
                )
            )
        return data

    def _upload(self, sku: str, write: ProductWrite, ref: MediaRef, data: bytes, index: int) -> str:
        entry = {
            "media_type": "image",
            "label": write.draft.name,
            "position": index + 1,
            "disabled": False,
            "types": ROLES if index == 0 else [],
            "content": {
                "base64_encoded_data": base64.b64encode(data).decode("ascii"),
                "type": image_type(data),
                "name": ref.name,
            },
        }
        answer = self.client.call(
            "POST",
            f"products/{segment(sku)}/media",
            {"entry": entry},
            what=M_("the image %(name)s of %(sku)s", name=ref.name, sku=write.draft.sku),
            idempotent=False,
        )
        return str(answer)

    def _place(self, sku: str, write: ProductWrite, entry: dict[str, Any], index: int) -> None:
        """Move a kept entry to its place, and make the first the cover, when it is not."""
        types = list(entry.get("types") or [])
        cover = index > 0 or all(role in types for role in ROLES)
        if int(entry.get("position") or 0) == index + 1 and cover:
            return
        body = {
            "id": int(entry["id"]),
            "media_type": entry.get("media_type") or "image",
            "label": entry.get("label") or write.draft.name,
            "position": index + 1,
            "disabled": bool(entry.get("disabled")),
            "types": sorted(set(types) | set(ROLES)) if index == 0 else types,
        }
        self.client.call(
            "PUT",
            f"products/{segment(sku)}/media/{segment(str(entry['id']))}",
            {"entry": body},
            what=M_("an image of %(sku)s", sku=write.draft.sku),
        )
