"""Product images and attachments: the Webservice's file routes, as PrestaShop 8 serves them.

Product images (devdocs ``webservice/tutorials/advanced-use/image-management``,
``webservice/resources/images``; src ``classes/webservice/
WebserviceSpecificManagementImages.php``, ``classes/Image.php``, ``ImageManager.php``):

- ``POST /api/images/products/{P}``, multipart field ``image``: over 3,000,000 bytes,
  400 code 72; not a GIF, JPEG or PNG (the bytes, the declared type, the name's
  extension: ``ImageManager::validateUpload``), 400 code 76 "Image upload error : Image
  format not recognized…"; an unknown product, 400 code 76 "Product P does not exist";
  no file, 500 code 66. Else an ``image`` row at the next position, the cover when the
  product has none, the file **redrawn** by GD (``ImageManager::resize``): EXIF
  orientation applied, JPEG quality 90 (``PS_JPEG_QUALITY``), progressive, under a
  ``.jpg`` name whatever was sent. Answer 200: the ``<image>`` entity then the stored
  file in ``<content encode="base64">``; with ``output_format=JSON``, ``{"image": {…}}``
  without its empty or zero values (``WebserviceOutputJSON::overrideContent``'s
  ``array_filter``) and without the content.
- ``GET /api/images/products/{P}``: ``<image id="P"><declination id="I" …/>…``; 404
  without body when the product has no image.
- ``GET /api/images/products/{P}/{I}``: the stored file, ``Content-Type: image/jpeg``;
  ``/bin`` the cover; ``/{type}`` resized to a product image type (``large_default``…),
  an unknown type 400 code 58. An image not on that product: 400 code 57.
- ``DELETE /api/images/products/{P}/{I}``: ``Image::delete``, the row, the file, its
  combinations' links; the product's other images renumbered; no other image becomes
  the cover.

The sandbox redraws with Pillow instead of GD, deterministically: the bytes it serves are
never those uploaded, as on a real shop. A product's ``associations/images`` lists its
images by position (``getWsImages``), ``id_default_image`` its cover (``getCoverWs``);
writing ``id_default_image`` moves the cover (``setCoverWs``: any image id, none when
empty). A combination's ``associations/images`` is written as sent (``setWsImages``);
nothing checks the images are its product's.

Attachments (devdocs ``webservice/resources/attachments``, 1.7.8+; src
``WebserviceSpecificManagementAttachments.php``, ``classes/Attachment.php``):

- ``POST /api/attachments/file``, multipart ``file`` and ``name``: ``file`` becomes
  ``sha1(uniqid())``, ``file_name`` the uploaded name, ``mime`` the type the client
  declared (not sniffed), ``name`` (default language) the form's, cut to its
  32-character column, ``file_size`` the bytes'; the answer is the attachment, as a GET
  gives it. Over ``PS_ATTACHMENT_MAXIMUM_SIZE`` MB (8): "The file is too large…" (its
  status **[verify]**: the handler only adds to the errors).
- ``GET /api/attachments/file/{id}``: the bytes **unchanged**, ``Content-Type`` the mime,
  ``Content-Disposition: attachment; filename="…"``.
- ``PUT /api/attachments/file/{id}``: new bytes (the docblock's "upload/update file").
- ``DELETE /api/attachments/file/{id}`` deletes nothing (the handler loads
  ``new Attachment((int) 'file')``); ``DELETE /api/attachments/{id}`` does
  (``Attachment::delete``: the file, the product links).

A product's ``associations/attachments`` is replaced by the list sent
(``Product::setWsAttachments``) and read joined to the attachments that exist
(``getWsAttachments``); ``cache_has_attachments`` follows. An attachment's
``associations/products`` shows the products linked to it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

from .engine import ApiError, Engine

__all__ = ["Binary", "Part", "attachment_file", "parse_form", "product_images", "reencode"]

IMAGE_MAX = 3_000_000  # $imgMaxUploadSize
IMAGE_MIMES = frozenset(
    {"image/gif", "image/jpg", "image/jpeg", "image/pjpeg", "image/png", "image/x-png"}
)
IMAGE_SUFFIXES = (".gif", ".jpg", ".jpeg", ".jpe", ".png")  # isCorrectImageFileExt
IMAGE_FORMATS = frozenset({"GIF", "JPEG", "PNG"})  # ImageManager::isRealImage
JPEG_QUALITY = 90  # PS_JPEG_QUALITY's default
# install-dev/data/xml/image_type.xml: the product image types (width, height).
IMAGE_TYPES = {
    "cart_default": (125, 125),
    "small_default": (98, 98),
    "medium_default": (452, 452),
    "home_default": (250, 250),
    "large_default": (800, 800),
}
ATTACHMENT_MAX_MB = 8  # PS_ATTACHMENT_MAXIMUM_SIZE's default
FORMAT_ERROR = "Image format not recognized, allowed formats are: .gif, .jpg, .png"


@dataclass(frozen=True, slots=True)
class Binary:
    """A file answer: its bytes and headers (the server adds none of its own type)."""

    data: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Part:
    """One field of a ``multipart/form-data`` body (PHP's ``$_FILES`` or ``$_POST``)."""

    name: str
    data: bytes
    filename: str | None = None
    content_type: str = ""


def parse_form(content_type: str, body: bytes) -> dict[str, Part]:
    """The fields of a multipart body by name; {} when it is not one."""
    found = re.search(r'boundary="?([^";]+)"?', content_type)
    if not content_type.lower().startswith("multipart/form-data") or not found:
        return {}
    fields: dict[str, Part] = {}
    for chunk in body.split(b"--" + found.group(1).encode())[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, data = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        headers = {
            k.strip().lower(): v.strip()
            for k, _, v in (
                line.partition(":") for line in head.decode("utf-8", "replace").split("\r\n")
            )
        }
        disposition = headers.get("content-disposition", "")
        name = re.search(r'\bname="([^"]*)"', disposition)
        filename = re.search(r'\bfilename="([^"]*)"', disposition)
        if name:
            fields[name.group(1)] = Part(
                name.group(1),
                data.removesuffix(b"\r\n"),
                filename.group(1) if filename else None,
                headers.get("content-type", ""),
            )
    return fields


def reencode(data: bytes, size: tuple[int, int] | None = None) -> bytes:
    """What ``ImageManager::resize`` stores: the picture redrawn on a white true-colour
    canvas (EXIF orientation applied), saved as progressive JPEG at quality 90."""
    with Image.open(io.BytesIO(data)) as opened:
        picture = ImageOps.exif_transpose(opened)
        canvas = Image.new("RGB", picture.size, (255, 255, 255))
        rgba = picture.convert("RGBA")
        canvas.paste(rgba, mask=rgba.getchannel("A"))
    if size is not None:
        canvas = canvas.resize(size)
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=JPEG_QUALITY, progressive=True)
    return out.getvalue()


def _real_image(part: Part) -> bool:
    """``ImageManager::validateUpload``: the bytes a GIF, JPEG or PNG, the declared type
    one of the accepted ones, the name's extension too."""
    name = (part.filename or "").lower()
    if part.content_type.lower() not in IMAGE_MIMES or not name.endswith(IMAGE_SUFFIXES):
        return False
    try:
        with Image.open(io.BytesIO(part.data)) as picture:
            return picture.format in IMAGE_FORMATS
    except (UnidentifiedImageError, OSError):
        return False


def _images_of(engine: Engine, product_id: int) -> list[dict[str, Any]]:
    return sorted(
        (i for i in engine.data["images"].values() if i["id_product"] == str(product_id)),
        key=lambda i: int(i["position"]),
    )


def cover(engine: Engine, product_id: int) -> str:
    """``Product::getCoverWs``: the cover's id, "" when the product has none."""
    return next((str(i["id"]) for i in _images_of(engine, product_id) if i["cover"] == "1"), "")


def image_links(engine: Engine, product_id: int) -> list[dict[str, str]]:
    """``Product::getWsImages``: the product's images by position."""
    return [{"id": str(i["id"])} for i in _images_of(engine, product_id)]


def set_cover(engine: Engine, product_id: int, image_id: str) -> None:
    """``Product::setCoverWs``: no image of the product is its cover any more, then the
    image of that id (any product's: nothing checks) is one."""
    for image in _images_of(engine, product_id):
        image["cover"] = "0"
    if image_id.isdigit() and int(image_id) in engine.data["images"]:
        engine.data["images"][int(image_id)]["cover"] = "1"


def _image_xml(image: dict[str, Any], content: bytes) -> str:
    fields = "".join(
        f"<{k}><![CDATA[{image[k]}]]></{k}>" for k in ("id", "id_product", "position", "cover")
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<prestashop xmlns:xlink="http://www.w3.org/'
        f'1999/xlink">\n<image>{fields}<legend><language id="1"><![CDATA[]]></language>'
        '<language id="2"><![CDATA[]]></language></legend></image>\n<content encode="base64">'
        f"<![CDATA[{base64.b64encode(content).decode()}]]></content>\n</prestashop>"
    )


def _upload(engine: Engine, product_id: int, form: dict[str, Part], as_json: bool) -> str:
    part = form.get("image")
    if part is None or not part.filename:
        raise ApiError(500, 66, "Unable to save this image")
    if len(part.data) > IMAGE_MAX:
        raise ApiError(400, 72, "The image size is too large (maximum allowed is 3000 KB)")
    if not _real_image(part):
        raise ApiError(400, 76, f"Image upload error : {FORMAT_ERROR}")
    if product_id not in engine.data["products"]:
        raise ApiError(400, 76, f"Product {product_id} does not exist")
    stored = reencode(part.data)
    images = _images_of(engine, product_id)
    engine.sequences["images"] += 1
    image_id = engine.sequences["images"]
    image = {
        "id": image_id,
        "id_product": str(product_id),
        "position": str(max((int(i["position"]) for i in images), default=0) + 1),
        "cover": "0" if any(i["cover"] == "1" for i in images) else "1",
    }
    engine.data["images"][image_id] = image
    engine.files[f"img/p/{image_id}.jpg"] = base64.b64encode(stored).decode()
    if as_json:
        shown = {k: v for k, v in image.items() if v not in ("", "0")}
        return json.dumps({"image": shown})
    return _image_xml(image, stored)


def _file(engine: Engine, path: str) -> bytes:
    text = engine.files.get(path)
    if text is None:
        raise ApiError(500, 61, "This image does not exist on disk")
    return base64.b64decode(text)


def product_images(
    engine: Engine, method: str, parts: list[str], form: dict[str, Part], as_json: bool, base: str
) -> tuple[int, str | Binary]:
    """``/api/images/products/…`` (``parts`` after ``images``); other image types are
    not modelled."""
    if not parts or parts[0] != "products":
        name = parts[0] if parts else ""
        raise ApiError(400, 48, f'Image of type "{name}" does not exist')
    if len(parts) == 1:
        ids = sorted({int(i["id_product"]) for i in engine.data["images"].values()})
        rows = "".join(
            f'<image id="{p}" xlink:href="{base}/api/images/products/{p}"/>' for p in ids
        )
        return 200, (
            '<?xml version="1.0" encoding="UTF-8"?>\n<prestashop xmlns:xlink="http://www.w3.org/'
            f'1999/xlink"><images>{rows}</images></prestashop>'
        )
    if not parts[1].isdigit():
        raise ApiError(400, 76, f"Product {parts[1]} does not exist")
    product_id = int(parts[1])
    if len(parts) == 2:
        if method == "POST":
            return 200, _upload(engine, product_id, form, as_json)
        links = image_links(engine, product_id)
        if not links:
            return 404, ""
        rows = "".join(
            f'<declination id="{i["id"]}" xlink:href="{base}/api/images/products/'
            f'{product_id}/{i["id"]}"/>'
            for i in links
        )
        return 200, (
            '<?xml version="1.0" encoding="UTF-8"?>\n<prestashop xmlns:xlink="http://www.w3.org/'
            f'1999/xlink"><image id="{product_id}">{rows}</image></prestashop>'
        )
    image_id = cover(engine, product_id) if parts[2] == "bin" else parts[2]
    if not image_id.isdigit() or {"id": image_id} not in image_links(engine, product_id):
        raise ApiError(400, 57, "This image id does not exist")
    if method == "DELETE":
        engine.delete_image(int(image_id))
        return 200, ""
    stored = _file(engine, f"img/p/{image_id}.jpg")
    if len(parts) > 3:
        if parts[3] not in IMAGE_TYPES:
            raise ApiError(400, 58, "This image size does not exist")
        stored = reencode(stored, IMAGE_TYPES[parts[3]])
    if method == "PUT":
        part = form.get("image")
        if part is None or not part.filename:
            raise ApiError(400, 76, 'Please set an "image" parameter with image data for value')
        if not _real_image(part):
            raise ApiError(400, 73, "This type of image format is not recognized")
        engine.files[f"img/p/{image_id}.jpg"] = base64.b64encode(reencode(part.data)).decode()
        stored = _file(engine, f"img/p/{image_id}.jpg")
    return 200, Binary(stored, {"Content-Type": "image/jpeg"})


def attachment_view(engine: Engine, record: dict[str, Any]) -> dict[str, Any]:
    """An attachment with the products linked to it (``associations/products``)."""
    linked = [
        {"id": str(p["id"])}
        for p in engine.data["products"].values()
        if any(
            str(a.get("id")) == str(record["id"])
            for a in p["associations"].get("attachments") or []
        )
    ]
    return {**record, "associations": {"products": linked}}


def attachment_links(engine: Engine, product: dict[str, Any]) -> list[dict[str, str]]:
    """``Product::getWsAttachments``: the links to attachments that exist."""
    return [
        {"id": str(a["id"])}
        for a in product["associations"].get("attachments") or []
        if str(a.get("id", "")).isdigit() and int(a["id"]) in engine.data["attachments"]
    ]


def _max_bytes(engine: Engine) -> int:
    setting = next(
        (
            str(c["value"])
            for c in engine.data["configurations"].values()
            if c["name"] == "PS_ATTACHMENT_MAXIMUM_SIZE"
        ),
        "",
    )
    return int(setting or ATTACHMENT_MAX_MB) * 1024 * 1024


def attachment_file(
    engine: Engine, method: str, parts: list[str], form: dict[str, Part]
) -> tuple[int, int | None | Binary]:
    """``/api/attachments/file[/{id}]`` (``parts`` after ``file``): the bytes served, or
    the id of the attachment written (the caller answers it as a GET does); None when a
    POST carries no file (PrestaShop then lists the attachments)."""
    record_id = int(parts[0]) if parts and parts[0].isdigit() else None
    if method in ("GET", "HEAD"):
        record = engine.data["attachments"].get(record_id or 0)
        if record is None:
            raise ApiError(500, 1, f"Attachment {record_id} not found")
        data = _file(engine, f"download/{record['file']}")
        return 200, Binary(
            data,
            {
                "Content-Type": str(record["mime"]),
                "Content-Disposition": f'attachment; filename="{record["file_name"]}"',
            },
        )
    if method == "DELETE":
        return 200, None  # new Attachment((int) 'file'): nothing is deleted
    part = form.get("file")
    if part is None or part.filename is None:
        return 200, None
    if len(part.data) > _max_bytes(engine):
        limit = _max_bytes(engine) // 1024
        raise ApiError(
            500,
            0,
            f"The file is too large. Maximum size allowed is: {limit} kB. The file you are "
            f"trying to upload is {len(part.data) / 1024:.2f} kB.",
        )
    name = form["name"].data.decode("utf-8", "replace")[:32] if "name" in form else ""
    values = {
        "file_name": part.filename,
        "mime": part.content_type,
        "file_size": str(len(part.data)),
    }
    if method == "PUT" and record_id in engine.data["attachments"]:
        record = engine.data["attachments"][record_id]
        record.update(values)
        record["name"] = {**(record.get("name") or {}), "1": name}
    else:
        unique = hashlib.sha1(f"{engine.sequences['attachments']}:{part.filename}".encode())
        record = engine.insert(
            "attachments",
            {**values, "file": unique.hexdigest(), "name": {"1": name}, "description": {}},
        )
    engine.files[f"download/{record['file']}"] = base64.b64encode(part.data).decode()
    return 200, int(record["id"])
