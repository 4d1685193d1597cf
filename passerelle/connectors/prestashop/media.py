"""C7, C8 on PrestaShop: a product's images and attachments, uploaded as files.

PrestaShop downloads nothing itself: each file goes up in its own multipart request
(``image-management.md``: ``POST /api/images/products/{id}``, field ``image``;
``WebserviceSpecificManagementAttachments``: ``POST /api/attachments/file``, fields
``file`` and ``name``), the bytes downloaded first from the merchant's published
address (:meth:`.PrestaShopClient.download`), all of a record's before anything in the
shop changes, so a file that cannot be had leaves the record as it was.

Images belong to one product (``image.id_product``) and are redrawn by the shop: they
are known by the id passerelle was given, bound to the file's digest as
``<product>/<image>``. The draft's first image is the cover (``id_default_image``,
``setCoverWs``); the others show by position, which the Webservice cannot change: an
image out of the draft's order is sent again, at the end. A combination's images are its
product's (``Combination::setWsImages`` links them): a variation's picture is uploaded to
its product, and a product's images a combination shows are never removed with the
product's own. Deleting an image (``Image::delete``) unlinks it from every combination.

Attachments are the shop's, shared by any product (``product_attachment``): bound as
``attachment/<id>``, linked to a product by its ``associations/attachments``
(``Product::setWsAttachments`` replaces the list); one passerelle sent that no product
uses any more is deleted.
"""

from __future__ import annotations

import mimetypes
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from passerelle.connectors.base import ProductWrite
from passerelle.connectors.prestashop import endpoints as ep
from passerelle.connectors.prestashop.client import PrestaShopClient
from passerelle.i18n.messages import M_
from passerelle.model import MediaRef

__all__ = ["Batch", "Placed", "ProductFiles", "attachment_key", "image_key", "linked"]

_PUBLISHED = re.compile(r"^[0-9a-f]{16}-(?P<name>.+)$")  # flows/media.py's digest prefix
ATTACHMENT_NAME = 32  # attachment_lang.name's column


def image_key(product: str, image: str) -> str:
    """The shop id passerelle binds an image's digest to."""
    return f"{product}/{image}"


def attachment_key(attachment: str) -> str:
    return f"attachment/{attachment}"


def _image_on(ref: MediaRef, product: str) -> str | None:
    owner, _, image = (ref.shop_id or "").partition("/")
    return image if owner == product and image.isdigit() else None


def _attachment(ref: MediaRef) -> str | None:
    kind, _, attachment = (ref.shop_id or "").partition("/")
    return attachment if kind == "attachment" and attachment.isdigit() else None


def linked(record: Mapping[str, Any] | None, association: str) -> list[str]:
    """The ids of a record's association as read (``[]`` when JSON leaves it out)."""
    rows = ((record or {}).get("associations") or {}).get(association) or []
    return [str(r["id"]) for r in rows]


def original_name(ref: MediaRef) -> str:
    """The file's own name, without the digest the flow publishes it under."""
    found = _PUBLISHED.match(ref.name)
    return found["name"] if found else ref.name


def _mime(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


@dataclass
class Batch:
    """What the writes of one batch share: the reads made for them, and the images
    uploaded meanwhile (two variations with one picture upload it once)."""

    combination_images: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    attachments: dict[str, dict[str, Any]] = field(default_factory=dict)
    uploaded: dict[tuple[str, str], str] = field(default_factory=dict)
    downloaded: dict[str, bytes] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class Placed:
    """A record's files once in the shop: image ids in the draft's order, attachment ids
    to link, attachments to delete once unlinked, and the ids to bind by digest."""

    images: list[str] = field(default_factory=list)
    attachments: list[str] | None = None
    drop_attachments: list[str] = field(default_factory=list)
    drop_images: list[str] = field(default_factory=list)
    media_ids: dict[str, str] = field(default_factory=dict)


def wants(w: ProductWrite, name: str) -> bool:
    return w.fields is None or name in w.fields


class ProductFiles:
    """Images and attachments (a part of :class:`.Products`)."""

    client: PrestaShopClient

    def files_batch(
        self, writes: Sequence[ProductWrite], products: Mapping[str, Mapping[str, Any]]
    ) -> Batch:
        """The reads a batch's files need: the combinations' images of the products whose
        images are written, and the attachments the drafts or the products name."""
        parents = {
            (w.shop_id or w.parent_shop_id or "").partition("/")[0]
            for w in writes
            if wants(w, "images") and (w.shop_id or w.parent_shop_id)
        }
        batch = Batch()
        rows = self.client.where_in(
            ep.COMBINATIONS, "id_product", parents, what=M_("the images of the variations")
        )
        for row in rows:
            batch.combination_images.setdefault(str(row["id_product"]), {})[str(row["id"])] = (
                linked(row, "images")
            )
        named = {
            a
            for w in writes
            if wants(w, "documents") and w.draft.kind != "variation"
            for a in [
                *(_attachment(ref) for ref in w.draft.documents),
                *linked(products.get(w.shop_id or ""), "attachments"),
            ]
            if a
        }
        batch.attachments = self.client.by_ids(
            ep.ATTACHMENTS, named, what=M_("the attachments of the products")
        )
        return batch

    def fetch(self, refs: Iterable[MediaRef], batch: Batch) -> dict[str, bytes]:
        """The files' bytes by digest, each downloaded once in a batch."""
        for ref in refs:
            if ref.digest not in batch.downloaded:
                batch.downloaded[ref.digest] = self.client.download(ref)
        return batch.downloaded

    def _upload_image(self, product: str, ref: MediaRef, data: bytes, sku: str) -> str:
        name = original_name(ref)
        made = self.client.upload(
            ep.product_images(product),
            ("image", name, _mime(name), data),
            what=M_("the image %(name)s of %(sku)s", name=name, sku=sku),
        )
        return str(made["id"])

    def place_images(
        self, w: ProductWrite, product: str, record: Mapping[str, Any] | None, batch: Batch
    ) -> Placed:
        """A product's images as the draft lists them: those it holds kept (in order),
        the others uploaded at the end, its images no longer listed deleted (all of them,
        or with ``keep_other_images`` those passerelle sent), but not one a combination
        shows."""
        current = linked(record, "images")
        position = {image: n for n, image in enumerate(current)}
        plan: list[tuple[MediaRef, str | None]] = []
        last, appended = -1, False
        for n, ref in enumerate(w.draft.images):
            image = _image_on(ref, product)
            if image not in position or any(image == kept for _, kept in plan):
                image = None
            elif n and (appended or position[image] < last):
                image = None  # out of the draft's order: sent again, at the end
            if image is None and n:
                appended = True
            elif image is not None and n:
                last = position[image]
            plan.append((ref, image))
        data = self.fetch((ref for ref, image in plan if image is None), batch)
        shown = {i for images in batch.combination_images.get(product, {}).values() for i in images}
        kept = {image for _, image in plan if image}
        placed = Placed()
        for image in current:
            if image in kept or image in shown:
                continue
            if not w.keep_other_images or image_key(product, image) in w.own_media_ids:
                self.client.delete(
                    ep.product_images(product),
                    image,
                    what=M_("an image of %(sku)s", sku=w.draft.sku),
                )
                placed.drop_images.append(image)
        for ref, image in plan:
            if image is None:
                image = self._upload_image(product, ref, data[ref.digest], w.draft.sku)
            placed.images.append(image)
            placed.media_ids[ref.digest] = image_key(product, image)
        return placed

    def combination_images(
        self, w: ProductWrite, product: str, record: Mapping[str, Any], batch: Batch
    ) -> Placed:
        """A variation's images, uploaded to its product unless it holds them (the same
        picture as the product's, or another variation's)."""
        current = set(linked(record, "images"))
        placed = Placed()
        wanted = [
            (ref, image if image in current else None)
            for ref in w.draft.images
            for image in [_image_on(ref, product)]
        ]
        data = self.fetch((ref for ref, image in wanted if image is None), batch)
        for ref, image in wanted:
            if image is None:
                with batch.lock:
                    image = batch.uploaded.get((product, ref.digest))
                    if image is None:
                        image = self._upload_image(product, ref, data[ref.digest], w.draft.sku)
                        batch.uploaded[(product, ref.digest)] = image
            placed.images.append(image)
            placed.media_ids[ref.digest] = image_key(product, image)
        return placed

    def drop_combination_images(
        self,
        w: ProductWrite,
        product: Mapping[str, Any],
        combination: str,
        before: Sequence[str],
        placed: Placed,
        batch: Batch,
    ) -> None:
        """The images a variation no longer shows, deleted from its product when no other
        combination shows them, they are not the product's cover, and they may go (all
        with the replace policy, passerelle's own with ``keep_other_images``)."""
        pid = str(product["id"])
        others = {
            image
            for combo, images in batch.combination_images.get(pid, {}).items()
            if combo != combination
            for image in images
        }
        for image in before:
            if (
                image in placed.images
                or image in others
                or image == str(product.get("id_default_image") or "")
                or (w.keep_other_images and image_key(pid, image) not in w.own_media_ids)
            ):
                continue
            self.client.delete(
                ep.product_images(pid), image, what=M_("an image of %(sku)s", sku=w.draft.sku)
            )

    def place_documents(
        self, w: ProductWrite, record: Mapping[str, Any] | None, batch: Batch
    ) -> Placed:
        """The attachments to link to the product: the draft's (those the shop holds
        linked again, the others uploaded), then with ``keep_other_images`` the shop's
        own; the unlinked ones passerelle sent and no other product uses are deleted
        after the product is written."""
        current = linked(record, "attachments")
        plan = [
            (ref, attachment if attachment in batch.attachments else None)
            for ref in w.draft.documents
            for attachment in [_attachment(ref)]
        ]
        data = self.fetch((ref for ref, attachment in plan if attachment is None), batch)
        placed = Placed(attachments=[])
        assert placed.attachments is not None
        for ref, attachment in plan:
            if attachment is None:
                name = original_name(ref)
                made = self.client.upload(
                    ep.ATTACHMENT_FILE,
                    ("file", name, _mime(name), data[ref.digest]),
                    {"name": name[:ATTACHMENT_NAME]},
                    what=M_("the document %(name)s of %(sku)s", name=name, sku=w.draft.sku),
                )
                attachment = str(made["id"])
            if attachment not in placed.attachments:
                placed.attachments.append(attachment)
            placed.media_ids[ref.digest] = attachment_key(attachment)
        own = {a for a in current if attachment_key(a) in w.own_media_ids}
        if w.keep_other_images:
            placed.attachments += [
                a for a in current if a not in placed.attachments and a not in own
            ]
        pid = str((record or {}).get("id", ""))
        placed.drop_attachments = [
            a
            for a in current
            if a in own
            and a not in placed.attachments
            and set(linked(batch.attachments.get(a), "products")) <= {pid}
        ]
        return placed

    def drop_attachments(self, placed: Placed, sku: str) -> None:
        for attachment in placed.drop_attachments:
            self.client.delete(
                ep.ATTACHMENTS, attachment, what=M_("a document of %(sku)s", sku=sku)
            )
