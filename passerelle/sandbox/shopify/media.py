"""Product media: ``productSet`` ``files`` and a variant's ``file``, processed asynchronously.

From the Admin GraphQL reference (2026-01; the fields exist since 2024-10):
- input-objects/ProductSetInput ``files: [FileSetInput!]``, a list field: "creates new
  entries, updates existing entries, and deletes existing entries that aren't included"
  (mutations/productSet), so a file left out is detached from the product; without
  ``files`` the product's media stay as they are;
- input-objects/FileSetInput ``{alt, contentType, duplicateResolutionMode, filename, id,
  originalSource}``: ``id`` reuses an existing file, ``originalSource`` is "an external URL
  (for images only) or a staged upload URL";
- input-objects/ProductVariantSetInput ``file``: "Any file specified here must also be
  specified in the ``files`` input for the product" (the variant shows that one media,
  ``ProductVariant.media``);
- objects/MediaImage: ``status`` UPLOADED, PROCESSING, READY or FAILED (enums/MediaStatus),
  "The image processing is handled asynchronously, so images might not be immediately
  available after upload"; ``image`` is null until then; ``mediaErrors`` (objects/MediaError
  ``code``, ``details``, ``message``; enums/MediaErrorCode IMAGE_DOWNLOAD_FAILURE "Media could
  not be processed because the image could not be downloaded", IMAGE_PROCESSING_FAILURE
  "…because the image could not be processed");
- objects/Image ``url``: "If no transform options are specified, then the original image will
  be preserved" — the sandbox serves the bytes it downloaded, unchanged, under a
  cdn.shopify.com-like path of its own (``/s/files/…``).

What Shopify does around the call: it downloads the source itself, after answering. The
sandbox downloads during the mutation (loopback allowed, so tests serve files from a local
server) but shows the result over the next reads: each read of a media advances it one
step, UPLOADED → PROCESSING → READY (or FAILED). Each download's SHA-256 is kept
(``downloads``). Unverified (no page read): the user error code of a file ``id`` that does
not exist, and of a variant ``file`` missing from ``files``; both answer ``INVALID_INPUT``
and nothing is written.
"""

from __future__ import annotations

import base64
import hashlib
import io
import posixpath
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

from PIL import Image, UnidentifiedImageError

from .ids import gid, parse_gid

__all__ = ["CDN_PATH", "ProductMedia"]

CDN_PATH = "/s/files/1/0000/0001/files/"
DOWNLOAD_TIMEOUT = 10.0
_STEPS = ("UPLOADED", "PROCESSING")
_MESSAGES = {
    "IMAGE_DOWNLOAD_FAILURE": "Media could not be processed because the image could not be "
    "downloaded.",
    "IMAGE_PROCESSING_FAILURE": "Media could not be processed because the image could not be "
    "processed.",
}


def _err(field: list[Any], message: str, code: str) -> dict[str, Any]:
    return {"field": [str(f) for f in field], "message": message, "code": code}


class ProductMedia:
    """The shop's MediaImage records (``state["media"]``) and what their files hold."""

    def __init__(
        self,
        state: dict[str, Any],
        next_id: Callable[[str], int],
        base_url: Callable[[], str],
    ) -> None:
        self.state, self.next_id, self.base_url = state, next_id, base_url
        self.downloads: list[tuple[str, str]] = []  # (url, sha256)
        self.request = 0  # the server counts the requests: a media moves on once per read

    @property
    def records(self) -> dict[str, Any]:
        return self.state.setdefault("media", {})  # type: ignore[no-any-return]

    # ------------------------------------------------------------------ productSet
    def errors(self, input: dict[str, Any]) -> list[dict[str, Any]]:  # noqa: A002
        """What productSet refuses in ``files`` and the variants' ``file``."""
        out = []
        files = input.get("files") or []
        for index, f in enumerate(files):
            if f.get("id") and str(parse_gid(f["id"], "MediaImage")) not in self.records:
                out.append(
                    _err(["input", "files", index, "id"], "File does not exist", "INVALID_INPUT")
                )
            elif not f.get("id") and not f.get("originalSource"):
                out.append(
                    _err(
                        ["input", "files", index], "File needs an id or an originalSource", "BLANK"
                    )
                )
        keys = {self._key(f) for f in files}
        for index, v in enumerate(input.get("variants") or []):
            if v.get("file") and self._key(v["file"]) not in keys:
                out.append(
                    _err(
                        ["input", "variants", index, "file"],
                        "The variant's file must also be in the product's files",
                        "INVALID_INPUT",
                    )
                )
        return out

    @staticmethod
    def _key(f: dict[str, Any]) -> str:
        return f"id:{f['id']}" if f.get("id") else f"src:{f.get('originalSource')}"

    def set_files(self, record: dict[str, Any], files: list[dict[str, Any]]) -> dict[str, int]:
        """The product's media become ``files`` (in that order); each file's media id by key."""
        by_key: dict[str, int] = {}
        for f in files:
            key = self._key(f)
            if key in by_key:
                continue
            if f.get("id"):
                number = int(parse_gid(f["id"], "MediaImage") or 0)
                if f.get("alt") is not None:
                    self.records[str(number)]["alt"] = f["alt"]
            else:
                number = self._create(str(f["originalSource"]), f.get("alt"), f.get("filename"))
            by_key[key] = number
        record["media"] = list(by_key.values())
        return by_key

    def variant_file(self, by_key: dict[str, int], file: dict[str, Any] | None) -> list[int]:
        return [by_key[self._key(file)]] if file else []

    def _create(self, url: str, alt: str | None, filename: str | None) -> int:
        number = self.next_id("media")
        name = filename or posixpath.basename(unquote(urlsplit(url).path)) or f"file-{number}"
        entry: dict[str, Any] = {
            "id": number,
            "alt": alt or "",
            "filename": f"{number}-{name}",
            "originalSource": url,
            "step": 0,
        }
        try:
            with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT) as answer:  # noqa: S310
                data = answer.read()
        except urllib.error.HTTPError as exc:
            entry["error"] = ("IMAGE_DOWNLOAD_FAILURE", f"{exc.code} {exc.reason}")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            entry["error"] = ("IMAGE_DOWNLOAD_FAILURE", str(getattr(exc, "reason", exc)))
        else:
            digest = hashlib.sha256(data).hexdigest()
            self.downloads.append((url, digest))
            try:
                with Image.open(io.BytesIO(data)) as image:
                    entry["width"], entry["height"] = image.size
                    entry["mimeType"] = Image.MIME.get(image.format or "", "image/jpeg")
                entry["bytes"] = base64.b64encode(data).decode()
                entry["sha256"] = digest
            except (UnidentifiedImageError, OSError):
                entry["error"] = ("IMAGE_PROCESSING_FAILURE", "not an image")
        self.records[str(number)] = entry
        return number

    # ------------------------------------------------------------------ reads
    def view(self, number: int) -> dict[str, Any] | None:
        """The MediaImage as read now; the read moves its processing on one step."""
        entry = self.records.get(str(number))
        if entry is None:
            return None
        step = int(entry.get("step", 0))
        if step < len(_STEPS):
            status = _STEPS[step]
            if entry.get("read") != self.request:  # once per request, however often shown
                entry["step"], entry["read"] = step + 1, self.request
        else:
            status = "FAILED" if entry.get("error") else "READY"
        ready = status == "READY"
        errors = (
            [
                {
                    "code": entry["error"][0],
                    "details": entry["error"][1],
                    "message": _MESSAGES[entry["error"][0]],
                }
            ]
            if status == "FAILED"
            else []
        )
        image = (
            {
                "id": gid("ImageSource", number),
                "altText": entry["alt"] or None,
                "url": lambda _i=None, **_a: f"{self.base_url()}{CDN_PATH}{entry['filename']}?v=1",
                "width": entry["width"],
                "height": entry["height"],
            }
            if ready
            else None
        )
        return {
            "__typename": "MediaImage",
            "id": gid("MediaImage", number),
            "alt": entry["alt"] or None,
            "mediaContentType": "IMAGE",
            "status": status,
            "fileStatus": status,
            "mediaErrors": errors,
            "mediaWarnings": [],
            "mimeType": entry.get("mimeType") if ready else None,
            "image": image,
            "preview": {"status": status, "image": image},
        }

    def serve(self, path: str) -> tuple[bytes, str] | None:
        """The original bytes of a file served at ``CDN_PATH``: (bytes, content type)."""
        name = unquote(path[len(CDN_PATH) :])
        for entry in self.records.values():
            if entry["filename"] == name and entry.get("bytes") and not entry.get("error"):
                return base64.b64decode(entry["bytes"]), entry.get("mimeType") or "image/jpeg"
        return None
