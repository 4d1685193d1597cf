"""Product images: the media library a product's ``images`` (and a variation's ``image``) use.

Docs: woocommerce-rest-api-docs ``_products.md`` (product image properties
``id``, ``src``, ``name``, ``alt``) and ``_product-variations.md`` (one
``image``). Behaviour from woocommerce
``Controllers/Version3/class-wc-rest-products-controller.php``
(``set_product_images``), ``class-wc-rest-product-variations-controller.php``
(``set_variation_image``) and ``includes/wc-rest-functions.php``:

- an image without ``id`` but with ``src`` is downloaded
  (``wc_rest_upload_image_from_url``, 10 s timeout); any failure is a 400
  ``woocommerce_product_image_upload_error`` (``woocommerce_variation_image_
  upload_error`` for a variation) whose message is "Error getting remote
  image <url>. Error: <reason>", and the product is not saved;
- the file name (the URL's basename) must have an allowed image extension
  (``wc_rest_allowed_image_mime_types``), else "Invalid image: Sorry, you are
  not allowed to upload this file type.";
- the download becomes a new attachment (a post id), stored under
  ``wp-content/uploads/<year>/<month>/`` with a unique file name
  (``wp_unique_filename`` adds ``-1``, ``-2``…), titled by its file name;
- ``{"id": X}`` reuses attachment X; an id that is not an image is a 400
  ``woocommerce_product_invalid_image_id`` "#X is an invalid image ID.";
- a posted ``name`` renames the attachment (``wp_update_post``), a posted
  ``alt`` sets its alt text — for every product showing it;
- the product's images become exactly the posted list (the first is the
  featured image): images not posted are dropped from the product.

Unlike ``wp_safe_remote_get``, the sandbox also downloads from loopback
addresses, so tests can serve files from a local ``http.server``. Each
download's SHA-256 is kept (``sha256`` on the attachment and in
``downloads``) so a test can check the bytes arrived.
"""

from __future__ import annotations

import hashlib
import posixpath
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from ..errors import ApiError
from ..params import format_gmt, format_local
from .common import Shop

__all__ = ["ALLOWED_EXTENSIONS", "MediaLibrary"]

ALLOWED_EXTENSIONS = frozenset(
    {"jpg", "jpeg", "jpe", "gif", "png", "bmp", "tiff", "tif", "ico", "webp"}
)
DOWNLOAD_TIMEOUT = 10.0  # seconds, as wc_rest_upload_image_from_url


@dataclass
class _Pending:
    """A download done but not yet stored: attachments exist only if the product saves."""

    url: str
    filename: str
    data: bytes
    name: str
    alt: str


@dataclass
class MediaLibrary:
    """Attachments by id (``Data.media``) and the log of downloads."""

    shop: Shop
    timeout: float = DOWNLOAD_TIMEOUT
    downloads: list[tuple[str, str]] = field(default_factory=list)  # (url, sha256)
    # The bytes of each stored file by its path under wp-content/uploads, which the web
    # server serves as they were downloaded (WordPress keeps the original upload; the
    # resized copies it also makes are not served here). Held in memory only: a shop
    # reloaded from its state file lists its attachments, but serves their files as 404.
    files: dict[str, bytes] = field(default_factory=dict)

    # -- resolving posted images --------------------------------------------------------
    def resolve(self, posted: list[Any], *, variation: bool = False) -> list[int]:
        """Attachment ids for the posted images, downloading ``src`` ones.

        Nothing is stored unless every image resolves: a failing one raises
        the documented 400 and the product keeps what it had.
        """
        prefix = "woocommerce_variation" if variation else "woocommerce_product"
        plan: list[int | _Pending] = []
        renames: list[tuple[int, str, str]] = []
        for image in posted:
            if not isinstance(image, dict) or not image:
                continue
            image_id = _int(image.get("id"))
            if not image_id and image.get("src"):
                plan.append(
                    self._download(
                        str(image["src"]),
                        str(image.get("name") or ""),
                        str(image.get("alt") or ""),
                        prefix,
                    )
                )
                continue
            if image_id not in self.shop.data.media:
                raise ApiError(
                    400, f"{prefix}_invalid_image_id", f"#{image_id} is an invalid image ID."
                )
            plan.append(image_id)
            renames.append((image_id, str(image.get("name") or ""), str(image.get("alt") or "")))
        ids = [item if isinstance(item, int) else self._store(item) for item in plan]
        for image_id, name, alt in renames:
            media = self.shop.data.media[image_id]
            if name:
                media["name"] = name
            if alt:
                media["alt"] = alt
        return ids

    def _download(self, url: str, name: str, alt: str, prefix: str) -> _Pending:
        def refuse(reason: str) -> ApiError:
            return ApiError(
                400,
                f"{prefix}_image_upload_error",
                f"Error getting remote image {url}. Error: {reason}",
            )

        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise refuse("A valid URL was not provided.")
        filename = posixpath.basename(unquote(parts.path))
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as answer:  # noqa: S310
                data = answer.read()
        except urllib.error.HTTPError as exc:
            raise refuse(f"{exc.code} {exc.reason}") from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise refuse(str(getattr(exc, "reason", exc))) from exc
        extension = filename.rpartition(".")[2].lower() if "." in filename else ""
        if extension not in ALLOWED_EXTENSIONS:
            raise ApiError(
                400,
                f"{prefix}_image_upload_error",
                "Invalid image: Sorry, you are not allowed to upload this file type.",
            )
        return _Pending(url, filename, data, name, alt)

    def _store(self, pending: _Pending) -> int:
        moment = self.shop.now()
        folder = f"{moment:%Y/%m}"
        taken = {m["file"] for m in self.shop.data.media.values()}
        stem, _, extension = pending.filename.rpartition(".")
        filename, n = pending.filename, 0
        while f"{folder}/{filename}" in taken:
            n += 1
            filename = f"{stem}-{n}.{extension}"
        digest = hashlib.sha256(pending.data).hexdigest()
        media_id = self.shop.store.next_id("post")
        self.shop.data.media[media_id] = {
            "id": media_id,
            "file": f"{folder}/{filename}",
            "name": pending.name or filename,
            "alt": pending.alt,
            "sha256": digest,
            "size": len(pending.data),
            "source_url": pending.url,
            "date_created": format_local(moment),
            "date_created_gmt": format_gmt(moment),
            "date_modified": format_local(moment),
            "date_modified_gmt": format_gmt(moment),
        }
        self.downloads.append((pending.url, digest))
        self.files[f"{folder}/{filename}"] = pending.data
        return media_id

    def served(self, path: str) -> bytes | None:
        """The bytes at ``/wp-content/uploads/<path>``, as a browser would fetch them."""
        return self.files.get(path)

    # -- rendering --------------------------------------------------------------------
    def render(self, site_url: str, image_ids: list[Any]) -> list[dict[str, Any]]:
        """The ``images`` of a product answer (``get_images``); gone attachments are skipped."""
        out = []
        for entry in image_ids:
            if isinstance(entry, dict):  # a state file written before the media library
                out.append(dict(entry))
                continue
            media = self.shop.data.media.get(entry)
            if media is None:
                continue
            out.append(
                {
                    "id": media["id"],
                    "date_created": media["date_created"],
                    "date_created_gmt": media["date_created_gmt"],
                    "date_modified": media["date_modified"],
                    "date_modified_gmt": media["date_modified_gmt"],
                    "src": f"{site_url}/wp-content/uploads/{media['file']}",
                    "name": media["name"],
                    "alt": media["alt"],
                }
            )
        return out


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0
