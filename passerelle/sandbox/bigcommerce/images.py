"""Product and variant images: the store downloads what it is pointed at and serves copies.

From ``reference/catalog/products_catalog.v3.yml`` (commit 00faa26, ``createProductImage``,
``getProductImages``, ``updateProductImage``, ``deleteProductImage``) and
``reference/catalog/product-variants_catalog.v3.yml`` (commit 023a44f,
``createProductVariantImage``):

- ``POST /catalog/products/{id}/images`` needs ``image_url`` (JSON, "255 character
  limit") or ``image_file`` (``multipart/form-data``); an ``image_url`` sent as a form
  field answers 422 "image_url must be present if uploading by url" (the operation's 422
  example); one image a request, at most 1,000 a product; "Supported image file types are
  BMP, GIF, JPEG, PNG, WBMP, XBM, and WEBP"; "up to 8 MB". A file that cannot be
  downloaded or is not such an image answers 400 ("The requested resource could not be
  downloaded and may be invalid"); an unknown product 404.
- The answer (``productImage_Full``) renames the file as the example shows
  (``image_file: o/381/product-image__98178.png``: a letter and three digits as folders, the
  file's own name and a ``__NNNNN`` suffix) and gives four CDN addresses, ``url_zoom``
  (``….1280.1280.png``), ``url_standard`` (``….560.850``), ``url_thumbnail`` (``….330.500``)
  and ``url_tiny`` (``….66.100``). ``url_zoom``: "You should provide an image smaller than
  1280x1280; otherwise, the API returns a resized image". The sandbox therefore serves the
  bytes it downloaded at each address when they fit the box the address names, and
  otherwise a copy shrunk to that box with Pillow (same format, deterministic), so an
  image within 1280x1280 comes back from ``url_zoom`` byte for byte.
- ``is_thumbnail``: the product's one thumbnail (setting it on an image takes it from the
  others); ``sort_order`` orders the product page (int32). ``GET`` lists them paged and
  answers 204 when the product has none; ``PUT /images/{id}`` takes JSON only ("For file
  uploads, send a POST"); ``DELETE`` answers 204.
- ``POST /catalog/products/{id}/variants/{vid}/image`` ("Only one image can be explicitly
  associated with a Variant … overwrites the existing Variant Image"; "A public URL for a
  GIF, JPEG, or PNG image", else 422 "incorrect file type"; ``image_file`` "larger than
  1 MB" answers 500) sets the variant's ``image_url``, an address under
  ``product_images/attribute_rule_images/`` (the example answer) serving the file as sent.

Unlike a real store the sandbox also downloads from loopback addresses (tests serve the
merchant's files from a local ``http.server``). Each download is kept in ``downloads``
(url, sha256) so a test can count what the store fetched.
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

from .listing import paginate
from .state import Resource
from .wire import ApiError, Request, Response

__all__ = ["MAX_BYTES", "ProductImages", "Upload"]

MAX_BYTES = 8 * 1024 * 1024
VARIANT_FILE_MAX = 1024 * 1024
MAX_IMAGES = 1000
URL_MAX = 255
# Pillow's format names of the types the docs list (WBMP has no Pillow reader: refused).
PRODUCT_FORMATS = frozenset({"BMP", "GIF", "JPEG", "PNG", "XBM", "WEBP"})
VARIANT_FORMATS = frozenset({"GIF", "JPEG", "PNG"})
# The boxes the example addresses name: (width, height).
SIZES = {
    "url_zoom": (1280, 1280),
    "url_standard": (560, 850),
    "url_thumbnail": (330, 500),
    "url_tiny": (66, 100),
}
NOT_DOWNLOADED = (
    "The requested resource could not be downloaded and may be invalid. Possible reasons "
    "include malformed request syntax or the file host blocking requests."
)
_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "BMP": "bmp", "XBM": "xbm"}


class Upload:
    """A ``multipart/form-data`` file field: its file name and bytes."""

    def __init__(self, filename: str, data: bytes) -> None:
        self.filename = filename
        self.data = data


def _fit(data: bytes, box: tuple[int, int]) -> bytes:
    """The bytes as served at an address sized ``box``: as stored when they fit, else
    shrunk to fit (aspect kept) and saved again in their own format."""
    with Image.open(io.BytesIO(data)) as image:
        if image.width <= box[0] and image.height <= box[1]:
            return data
        fmt = image.format or "PNG"
        copy = image.copy()
    copy.thumbnail(box, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, format=fmt)
    return out.getvalue()


class ProductImages(Resource):
    """``/catalog/products/{id}/images`` and a variant's ``/image``."""

    def __init__(self, state: Any, base_url: Callable[[], str], store_hash: str) -> None:
        super().__init__(state)
        self.base_url = base_url
        self.store_hash = store_hash
        self.downloads: list[tuple[str, str]] = []
        self.timeout = 10.0

    # -- stored records -----------------------------------------------------------------
    @property
    def _images(self) -> dict[str, dict[str, Any]]:
        return self.data.setdefault("product_images", {})  # type: ignore[no-any-return]

    @property
    def _files(self) -> dict[str, str]:
        return self.data.setdefault("image_files", {})  # type: ignore[no-any-return]

    def _product(self, product_id: str) -> dict[str, Any]:
        product = self.data["products"].get(product_id)
        if product is None:
            raise ApiError(404, "The product ID does not exist.")
        return product  # type: ignore[no-any-return]

    def of_product(self, product_id: str) -> list[dict[str, Any]]:
        """The product's images in the order the store shows them: the thumbnail, then
        by ``sort_order`` and id."""
        mine = [i for i in self._images.values() if str(i["product_id"]) == product_id]
        return sorted(mine, key=lambda i: (not i["is_thumbnail"], i["sort_order"], i["id"]))

    def forget_product(self, product_id: str) -> None:
        """The product was deleted: its images go with it."""
        for key in [k for k, i in self._images.items() if str(i["product_id"]) == product_id]:
            del self._images[key]

    # -- bytes in -----------------------------------------------------------------------
    def _download(self, url: str) -> tuple[str, bytes]:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ApiError(400, NOT_DOWNLOADED)
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as answer:  # noqa: S310
                data = answer.read(MAX_BYTES + 1)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise ApiError(400, NOT_DOWNLOADED) from exc
        self.downloads.append((url, hashlib.sha256(data).hexdigest()))
        return posixpath.basename(unquote(parts.path)) or "image", data

    def _source(self, body: Any, *, variant: bool) -> tuple[str, bytes]:
        """The file name and bytes a POST names (an ``image_url`` downloaded)."""
        if not isinstance(body, dict):
            raise ApiError(422, "The request body must be an object", {"image_url": "required"})
        upload = body.get("image_file")
        if body.get("multipart"):
            if "image_url" in body and not isinstance(upload, Upload):
                # The operation's own 422 example: a URL sent as a form field.
                raise ApiError(422, "image_url must be present if uploading by url")
            if not isinstance(upload, Upload):
                raise ApiError(422, "Image was not valid", {"image_file": "required"})
            if variant and len(upload.data) > VARIANT_FILE_MAX:
                raise ApiError(500, "Files larger than 1 MB are not accepted")
            return upload.filename, upload.data
        url = body.get("image_url")
        if not isinstance(url, str) or not url:
            raise ApiError(422, "image_file or image_url is required", {"image_url": "required"})
        if len(url) > URL_MAX:
            raise ApiError(422, "image_url is limited to 255 characters", {"image_url": url})
        return self._download(url)

    @staticmethod
    def _format(data: bytes, allowed: frozenset[str], *, variant: bool) -> str:
        if len(data) > MAX_BYTES:
            raise ApiError(400, NOT_DOWNLOADED)
        try:
            with Image.open(io.BytesIO(data)) as image:
                fmt = str(image.format)
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            if variant:
                raise ApiError(422, "Image was not valid: incorrect file type") from exc
            raise ApiError(400, NOT_DOWNLOADED) from exc
        if fmt not in allowed:
            if variant:
                raise ApiError(422, "Image was not valid: incorrect file type")
            raise ApiError(400, NOT_DOWNLOADED)
        return fmt

    def _keep(self, key: str, data: bytes) -> None:
        self._files[key] = base64.b64encode(data).decode("ascii")

    # -- rendering ----------------------------------------------------------------------
    def _address(self, image: dict[str, Any], field: str) -> str:
        stem, _, ext = posixpath.basename(image["image_file"]).rpartition(".")
        width, height = SIZES[field]
        return (
            f"{self.base_url()}/cdn/s-{self.store_hash}/products/{image['product_id']}/images/"
            f"{image['id']}/{stem}.{image['stamp']}.{width}.{height}.{ext}?c=2"
        )

    def render(self, image: dict[str, Any]) -> dict[str, Any]:
        out = {
            k: image[k]
            for k in (
                "id",
                "product_id",
                "is_thumbnail",
                "sort_order",
                "description",
                "image_file",
                "date_modified",
            )
        }
        out |= {field: self._address(image, field) for field in SIZES}
        return out

    def served(self, path: str) -> tuple[bytes, str] | None:
        """The bytes and media type at a CDN path the answers gave (None: not ours)."""
        parts = path.split("/")
        try:
            if parts[1:3] == ["cdn", f"s-{self.store_hash}"] and parts[3] == "products":
                image = self._images.get(parts[6])
                if image is None or str(image["product_id"]) != parts[4]:
                    return None
                width, height = (int(n) for n in parts[7].rsplit(".", 3)[-3:-1])
                original = base64.b64decode(self._files[image["image_file"]])
                return _fit(original, (width, height)), image["media_type"]
            if parts[1:4] == ["cdn", f"s-{self.store_hash}", "product_images"]:
                key = "/".join(parts[4:])
                if key in self._files:
                    data = base64.b64decode(self._files[key])
                    return data, Image.MIME.get(self._format_of(data), "image/png")
        except (IndexError, ValueError, KeyError):
            return None
        return None

    @staticmethod
    def _format_of(data: bytes) -> str:
        with Image.open(io.BytesIO(data)) as image:
            return str(image.format)

    # -- handlers -----------------------------------------------------------------------
    def list(self, req: Request, product_id: str) -> Response:
        self._product(product_id)
        mine = [self.render(i) for i in self.of_product(product_id)]
        if not mine:
            return Response(None, status=204)
        page, meta = paginate(req, mine)
        return Response({"data": page, "meta": meta})

    def get(self, req: Request, product_id: str, image_id: str) -> Response:
        return Response({"data": self.render(self._image(product_id, image_id)), "meta": {}})

    def _image(self, product_id: str, image_id: str) -> dict[str, Any]:
        self._product(product_id)
        image = self._images.get(image_id)
        if image is None or str(image["product_id"]) != product_id:
            raise ApiError(404, "The resource was not found.")
        return image

    def _place(self, image: dict[str, Any], body: dict[str, Any]) -> None:
        """``is_thumbnail``, ``sort_order`` and ``description`` as a body sets them."""
        order = body.get("sort_order", image["sort_order"])
        if not isinstance(order, int) or isinstance(order, bool) or abs(order) > 2**31 - 1:
            raise ApiError(422, "sort_order must be an int32", {"sort_order": order})
        thumb = body.get("is_thumbnail", image["is_thumbnail"])
        if not isinstance(thumb, bool):
            raise ApiError(422, "is_thumbnail must be a boolean", {"is_thumbnail": thumb})
        description = body.get("description", image["description"])
        if not isinstance(description, str):
            raise ApiError(422, "description must be a string", {"description": description})
        if thumb:
            for other in self._images.values():
                if other["product_id"] == image["product_id"]:
                    other["is_thumbnail"] = False
        image.update(is_thumbnail=thumb, sort_order=order, description=description)
        image["date_modified"] = self.state.now()

    def create(self, req: Request, product_id: str) -> Response:
        self._product(product_id)
        body = req.body if isinstance(req.body, dict) else {}
        if len(self.of_product(product_id)) >= MAX_IMAGES:
            raise ApiError(422, "A product can have up to 1000 images")
        name, data = self._source(req.body, variant=False)
        fmt = self._format(data, PRODUCT_FORMATS, variant=False)
        image_id = self.state.next_id("product_image", 300)
        stem = posixpath.splitext(name)[0] or "image"
        ext = _EXTENSIONS.get(fmt, fmt.lower())
        folder = f"{'abcdefghijklmnopqrstuvwxyz'[image_id % 26]}/{image_id * 37 % 1000:03d}"
        image: dict[str, Any] = {
            "id": image_id,
            "product_id": int(product_id),
            "is_thumbnail": False,
            "sort_order": 0,
            "description": "",
            "image_file": f"{folder}/{stem}__{image_id * 7919 % 100000:05d}.{ext}",
            "media_type": Image.MIME.get(fmt, "application/octet-stream"),
            "stamp": 1_700_000_000 + image_id,
            "date_modified": self.state.now(),
        }
        self._place(image, body)
        self._keep(image["image_file"], data)
        self._images[str(image_id)] = image
        self.state.dirty()
        return Response({"data": self.render(image), "meta": {}})

    def update(self, req: Request, product_id: str, image_id: str) -> Response:
        image = self._image(product_id, image_id)
        if not isinstance(req.body, dict) or req.body.get("multipart"):
            raise ApiError(400, "For file uploads, send a POST request")
        if req.body.get("image_url"):
            name, data = self._download(str(req.body["image_url"]))
            self._format(data, PRODUCT_FORMATS, variant=False)
            self._keep(image["image_file"], data)
        self._place(image, req.body)
        self.state.dirty()
        return Response({"data": self.render(image), "meta": {}})

    def delete(self, req: Request, product_id: str, image_id: str) -> Response:
        image = self._image(product_id, image_id)
        del self._images[str(image["id"])]
        self.state.dirty()
        return Response(None, status=204)

    def create_variant_image(self, req: Request, product_id: str, variant_id: str) -> Response:
        self._product(product_id)
        variant = self.data["variants"].get(variant_id)
        if variant is None or str(variant["product_id"]) != product_id:
            raise ApiError(404, "The resource was not found.")
        name, data = self._source(req.body, variant=True)
        fmt = self._format(data, VARIANT_FORMATS, variant=True)
        stamp = 1_700_000_000 + self.state.next_id("variant_image", 0)
        key = f"attribute_rule_images/{variant_id}_source_{stamp}.{_EXTENSIONS[fmt]}"
        self._keep(key, data)
        variant["image_url"] = f"{self.base_url()}/cdn/s-{self.store_hash}/product_images/{key}"
        self.state.dirty()
        return Response({"data": {"image_url": variant["image_url"]}, "meta": {}})
