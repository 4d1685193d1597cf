"""A product's media gallery: ``/V1/products/{sku}/media`` and the files under ``/media``.

Docs: REST tutorial "Add images to a product"
(developer.adobe.com/commerce/webapi/rest/tutorials/image/new/); admin-schema-2.4.9.yaml
``/V1/products/{sku}/media`` (post: the new entry's id, an integer; get: the entries),
``/V1/products/{sku}/media/{entryId}`` (get; put and delete: ``true``),
``catalog-data-product-attribute-media-gallery-entry-interface`` and
``framework-data-image-content-interface``. Where the docs are silent, the
magento/magento2 source (see docs/platform-apis/prestashop-magento.md, B3):

- ``Catalog\\Model\\Product\\Gallery\\GalleryManagement``: ``create`` validates the
  content before it looks the product up, appends the entry to the product's and saves
  it; ``update`` replaces the entry of the body's ``entry.id`` (its file kept when none
  is sent); ``update``/``remove`` and ``get`` answer 404 "There is no image with provided ID." and
  "Such image doesn't exist" for an id the product does not have;
- ``Framework\\Api\\ImageContentValidator``: the data must be strict base64 of an image
  ``getimagesizefromstring`` reads ("The image content must be valid base64 encoded
  data."), the MIME type it sniffs must be ``content.type`` exactly and one of
  image/jpg, image/jpeg, image/gif, image/png ("The image MIME type is not valid or not
  supported."; the sniffed type of a JPEG is image/jpeg, so image/jpg never matches), and
  the name may hold none of ``\\ / ? * : " ; < > ( ) | { }`` ("Provided image name
  contains forbidden characters."); an entry without content: "The image content is not
  valid." (``ProductRepository::processMediaGallery``);
- ``Framework\\Api\\ImageProcessor::processImageContent``: the decoded bytes are written
  unchanged; a name without an extension takes the type's ("Cannot recognize image
  extension."); ``Framework\\File\\Uploader``: the name lowercased
  (``setFilenamesCaseSensitivity(false)``), every character outside ``a-z 0-9 _ - .``
  made ``_`` (``getCorrectFileName``), dispersed under its first two characters
  (``getDispersionPath``: ``/m/y/my_image.jpg``, a ``.`` as ``_``), and renamed
  ``name_1.ext``, ``name_2.ext``… when that file exists (``getNewFileName``);
- the entry's ``types`` set the product's ``image``, ``small_image``, ``thumbnail``
  (and ``swatch_image``) attributes to its file: one entry holds each role. A removed
  entry's roles are cleared, and its file deleted when no other entry uses it
  (``Gallery\\UpdateHandler::processDeletedImages``);
- the original is served as it was stored at ``<base_media_url>catalog/product<file>``
  (``Catalog\\Model\\Product\\Media\\Config::getBaseMediaUrl``); the resized copies
  under ``catalog/product/cache/…`` are not imitated;
- a product save carrying ``media_gallery_entries`` keeps the entries it lists by id,
  adds those with a ``content``, and removes the others
  (``ProductRepository::processMediaGallery``).
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from .errors import MagentoError, not_found

__all__ = ["MEDIA_PREFIX", "Gallery", "media_file_name", "sniff_mime"]

MEDIA_PREFIX = "/media/catalog/product"
ROLES = ("image", "small_image", "thumbnail", "swatch_image")
_ALLOWED = ("image/jpg", "image/jpeg", "image/gif", "image/png")
_EXTENSIONS = {"image/jpg": "jpg", "image/jpeg": "jpg", "image/gif": "gif", "image/png": "png"}
_FORBIDDEN = re.compile(r'[\\/?*:";<>()|{}]')
_SERVED_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif"}


def sniff_mime(data: bytes) -> str | None:
    """The MIME type ``getimagesizefromstring`` gives these bytes, None when it reads no
    image (its signatures: the types Magento refuses are still recognised as images)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        return "image/png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[:2] == b"BM" and len(data) > 26:
        return "image/bmp"
    return None


def media_file_name(name: str) -> str:
    """``Uploader::getCorrectFileName`` after lowercasing: what a name becomes on disk."""
    return re.sub(r"[^a-z0-9_\-.]+", "_", name.lower())


def _dispersion(name: str) -> str:
    return "".join("/" + ("_" if c == "." else c) for c in name[:2])


def _invalid(message: str) -> MagentoError:
    return MagentoError(400, message)


class Gallery:
    """Gallery entries live on the product (``media_gallery_entries``); the files' bytes
    in ``data["media_files"]`` (file path → base64, so the state file stays JSON)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        data.setdefault("media_files", {})
        data["next"].setdefault("media", 1)

    # ------------------------------------------------------------------ routes
    def create(self, sku: str, body: dict[str, Any]) -> int:
        entry = body.get("entry")
        if not isinstance(entry, dict):
            raise MagentoError(
                400, '"%fieldName" is required. Enter and try again.', {"fieldName": "entry"}
            )
        data, content = self.validated(entry.get("content"))
        product = self._product(sku)
        made = self._store(product, entry, content, data)
        product["media_gallery_entries"] = [*self.entries(product), made]
        self._assign_roles(product, made)
        return int(made["id"])

    def entries_of(self, sku: str) -> list[dict[str, Any]]:
        return [dict(e) for e in self.entries(self._product(sku))]

    def get(self, sku: str, entry_id: str) -> dict[str, Any]:
        try:
            product = self._product(sku)
        except MagentoError as exc:
            raise MagentoError(404, "Such product doesn't exist") from exc
        for entry in self.entries(product):
            if str(entry["id"]) == entry_id:
                return dict(entry)
        raise MagentoError(404, "Such image doesn't exist")

    def update(self, sku: str, entry_id: str, body: dict[str, Any]) -> bool:
        """``GalleryManagement::update``: the entry named by ``entry.id`` takes the label,
        position, disabled flag and roles sent; its file stays."""
        found = body.get("entry")
        sent: dict[str, Any] = found if isinstance(found, dict) else {}
        product = self._product(sku)
        wanted = str(sent.get("id") if sent.get("id") is not None else entry_id)
        for entry in self.entries(product):
            if str(entry["id"]) == wanted:
                entry.update({k: sent[k] for k in ("label", "position", "disabled") if k in sent})
                if "types" in sent:
                    entry["types"] = [t for t in sent["types"] or [] if t in ROLES]
                    self._forget_roles(product, entry)
                    self._assign_roles(product, entry)
                return True
        raise MagentoError(404, "There is no image with provided ID.")

    def remove(self, sku: str, entry_id: str) -> bool:
        product = self._product(sku)
        entries = self.entries(product)
        gone = [e for e in entries if str(e["id"]) == entry_id]
        if not gone:
            raise MagentoError(404, "There is no image with provided ID.")
        product["media_gallery_entries"] = [e for e in entries if e not in gone]
        self._forget(product, gone)
        return True

    def serve(self, path: str) -> tuple[bytes, str] | None:
        """The bytes of ``/media/catalog/product/<a>/<b>/<name>`` and their type."""
        stored = self.data["media_files"].get(path.removeprefix(MEDIA_PREFIX))
        if stored is None:
            return None
        extension = path.rsplit(".", 1)[-1].lower()
        return base64.b64decode(stored), _SERVED_TYPES.get(extension, "application/octet-stream")

    # ------------------------------------------------------- product saves (trap)
    def save_entries(self, product: dict[str, Any], sent: Any) -> None:
        """``media_gallery_entries`` in a product save: listed ids kept (their label,
        position, disabled and types taken), new entries stored, the others removed."""
        if not isinstance(sent, list):
            return
        held = {str(e["id"]): e for e in self.entries(product)}
        kept: list[dict[str, Any]] = []
        new: list[tuple[dict[str, Any], dict[str, Any], bytes]] = []
        for entry in sent:
            if not isinstance(entry, dict):
                continue
            if entry.get("id") is not None and str(entry["id"]) in held:
                old = held[str(entry["id"])]
                old.update(
                    {k: entry[k] for k in ("label", "position", "disabled", "types") if k in entry}
                )
                kept.append(old)
            else:
                data, content = self.validated(entry.get("content"))
                new.append((entry, content, data))
        removed = [e for i, e in held.items() if all(str(k["id"]) != i for k in kept)]
        product["media_gallery_entries"] = kept
        self._forget(product, removed)
        for entry, content, data in new:
            made = self._store(product, entry, content, data)
            product["media_gallery_entries"].append(made)
        for entry in product["media_gallery_entries"]:
            self._assign_roles(product, entry)

    # ----------------------------------------------------------------- helpers
    @staticmethod
    def entries(product: dict[str, Any]) -> list[dict[str, Any]]:
        """The product's entries in display order (position, then id)."""
        return sorted(
            product.get("media_gallery_entries") or [],
            key=lambda e: (int(e.get("position") or 0), int(e["id"])),
        )

    def _product(self, sku: str) -> dict[str, Any]:
        product = self.data["products"].get(sku)
        if product is None:
            raise not_found("product")
        return product  # type: ignore[no-any-return]

    @staticmethod
    def validated(content: Any) -> tuple[bytes, dict[str, Any]]:
        """``ImageContentValidator::isValid``: the decoded bytes, or Magento's refusal."""
        if not isinstance(content, dict):
            raise _invalid("The image content is not valid.")
        encoded = content.get("base64_encoded_data")
        try:
            data = base64.b64decode(str(encoded or ""), validate=True)
        except (binascii.Error, ValueError):
            data = b""
        mime = sniff_mime(data) if data else None
        if mime is None:
            raise _invalid("The image content must be valid base64 encoded data.")
        if mime != content.get("type") or mime not in _ALLOWED:
            raise _invalid("The image MIME type is not valid or not supported.")
        name = str(content.get("name") or "")
        if not name or _FORBIDDEN.search(name):
            raise _invalid("Provided image name contains forbidden characters.")
        return data, content

    def _store(
        self, product: dict[str, Any], entry: dict[str, Any], content: dict[str, Any], data: bytes
    ) -> dict[str, Any]:
        name = str(content["name"])
        if "." not in name.strip("."):
            extension = _EXTENSIONS.get(str(content.get("type")))
            if extension is None:
                raise _invalid("Cannot recognize image extension.")
            name = f"{name}.{extension}"
        name = media_file_name(name)
        folder = _dispersion(name)
        stem, dot, extension = name.rpartition(".")
        candidate, index = f"{folder}/{name}", 1
        while candidate in self.data["media_files"]:
            candidate = f"{folder}/{stem}_{index}{dot}{extension}"
            index += 1
        self.data["media_files"][candidate] = base64.b64encode(data).decode("ascii")
        entry_id = self.data["next"]["media"]
        self.data["next"]["media"] += 1
        return {
            "id": entry_id,
            "media_type": str(entry.get("media_type") or "image"),
            "label": entry.get("label"),
            "position": int(entry.get("position") or 0),
            "disabled": bool(entry.get("disabled")),
            "types": [t for t in entry.get("types") or [] if t in ROLES],
            "file": candidate,
        }

    @staticmethod
    def _assign_roles(product: dict[str, Any], holder: dict[str, Any]) -> None:
        """The roles ``holder`` takes: its file in those attributes, no other entry's."""
        roles = set(holder.get("types") or [])
        if not roles:
            return
        for entry in product.get("media_gallery_entries") or []:
            if entry is not holder:
                entry["types"] = [t for t in entry.get("types") or [] if t not in roles]
        attrs = [
            a
            for a in product.get("custom_attributes") or []
            if a.get("attribute_code") not in roles
        ]
        attrs += [
            {"attribute_code": role, "value": holder["file"]} for role in ROLES if role in roles
        ]
        product["custom_attributes"] = attrs

    @staticmethod
    def _forget_roles(product: dict[str, Any], entry: dict[str, Any]) -> None:
        """The roles ``entry`` held and no longer does are no image's any more."""
        product["custom_attributes"] = [
            a
            for a in product.get("custom_attributes") or []
            if not (
                a.get("attribute_code") in ROLES
                and a.get("value") == entry["file"]
                and a.get("attribute_code") not in entry["types"]
            )
        ]

    def _forget(self, product: dict[str, Any], removed: list[dict[str, Any]]) -> None:
        files = {e["file"] for e in removed}
        product["custom_attributes"] = [
            a
            for a in product.get("custom_attributes") or []
            if not (a.get("attribute_code") in ROLES and a.get("value") in files)
        ]
        used = {
            e.get("file")
            for p in self.data["products"].values()
            for e in p.get("media_gallery_entries") or []
        }
        for file in files - used:
            self.data["media_files"].pop(file, None)
