"""C7: a product's images and a variant's image, which BigCommerce downloads itself.

From ``reference/catalog/products_catalog.v3.yml`` (``/catalog/products/{id}/images``) and
``reference/catalog/product-variants_catalog.v3.yml`` (``…/variants/{id}/image``):

- ``POST …/images`` with ``image_url`` makes the store download the file (one image a
  request) and answer the new image: its ``id`` and its ``image_file``, the file's own
  name with a ``__NNNNN`` suffix under two generated folders. passerelle's published
  names start with the file's digest (``flows.media``), so the images passerelle sent are
  recognised in the list (``GET …/images``) by that name as well as by the id it holds.
- ``is_thumbnail`` is the cover and ``sort_order`` the order of the product page: the
  draft's first image is the thumbnail, the others follow in order. An image already there
  is placed with ``PUT …/images/{id}`` only when its place changed.
- With ``keep_other_images`` false (the default) the product ends with exactly the
  draft's images, the others are deleted (``DELETE …/images/{id}``); with it true, only
  the images passerelle sent before (``own_media_ids``) and no longer listed go.
- A variant has one image (``POST …/variants/{id}/image`` "overwrites the existing
  Variant Image"): the variation's first image, sent unless the variant already shows
  that file.

A file the store cannot download answers 400: that record's error names the file and
its address; the other records go on. The shop id of a file is where the store holds
it: ``<product>/<image>`` (a product's image) and ``<product>/<variant>/image`` (a
variant's), joined by ``|`` when one file is in several places (a parent product shows
its first variation's picture, ``parent_image_from_variant``), so the one binding by
digest names every place and the next run sends the file to none of them again.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from typing import Any

from passerelle.connectors.base import ProductWrite
from passerelle.connectors.bigcommerce.client import BigCommerceClient
from passerelle.connectors.errors import ConnectorError
from passerelle.connectors.paths import segment
from passerelle.i18n.messages import M_, Text, said
from passerelle.model import MediaRef

__all__ = ["ImageError", "sync_product_images", "sync_variant_image", "writes_images"]

_DOWNLOAD_STATUSES = frozenset({400, 422})
_SEPARATOR = "|"


def places(shop_id: str | None) -> set[str]:
    """The places a file's shop id names (see the module)."""
    return {p for p in (shop_id or "").split(_SEPARATOR) if p}


def _with_place(shop_id: str | None, place: str, replaces: str = "") -> str:
    """The shop id naming ``place`` too; ``replaces``: a prefix of the places it replaces
    (the same product's earlier image of that file)."""
    kept = {p for p in places(shop_id) if not (replaces and _is_image_of(p, replaces))}
    return _SEPARATOR.join(sorted(kept | {place}))


def _is_image_of(place: str, product_id: str) -> bool:
    head, sep, tail = place.partition("/")
    return head == product_id and sep == "/" and tail.isdigit()


class ImageError(Exception):
    """An image the store refused: the record's error, in the merchant's words."""

    def __init__(self, said: Text) -> None:
        super().__init__(str(said))
        self.said = said


def writes_images(write: ProductWrite) -> bool:
    return write.fields is None or "images" in write.fields


def _stem(name: str) -> str:
    """A file's name without its extension, nor the suffix the store adds (``__NNNNN``),
    case folded (the store's examples are all lower case)."""
    base = posixpath.splitext(posixpath.basename(name))[0]
    head, sep, tail = base.rpartition("__")
    return (head if sep and tail.isdigit() else base).casefold()


def _sent(image: dict[str, Any], ref: MediaRef) -> bool:
    """The store's image is this file: its name is the published one, which starts with
    the file's digest (``flows.media``), so a name the store shortened still matches."""
    stem = _stem(str(image.get("image_file") or ""))
    return stem == _stem(ref.name) or stem.startswith(ref.digest[:16].casefold() + "-")


def _refused(ref: MediaRef, sku: str, exc: ConnectorError) -> ImageError:
    if exc.status in _DOWNLOAD_STATUSES:
        return ImageError(
            M_(
                "image %(name)s of %(sku)s: the shop could not download it from %(url)s "
                "(%(reason)s)",
                name=ref.name,
                sku=sku,
                url=ref.url,
                reason=said(exc),
            )
        )
    raise exc


def _current(client: BigCommerceClient, path: str, sku: str) -> list[dict[str, Any]]:
    return list(client.iter_v3(path, {"limit": 250}, what=M_("the images of %(sku)s", sku=sku)))


def _place_of(index: int) -> dict[str, Any]:
    return {"is_thumbnail": index == 0, "sort_order": index}


def sync_product_images(
    client: BigCommerceClient, product_id: str, write: ProductWrite, *, created: bool
) -> dict[str, str]:
    """The product's images made to be the draft's (see the module); the media ids by
    digest. A file the store cannot download raises :class:`ImageError`."""
    draft = write.draft
    path = f"v3/catalog/products/{segment(product_id)}/images"
    what = M_("the images of %(sku)s", sku=draft.sku)
    have = [] if created else _current(client, path, draft.sku)
    by_id = {f"{product_id}/{i.get('id')}": i for i in have}
    matched: dict[str, dict[str, Any]] = {}  # digest → the store's image
    for ref in draft.images:
        free = [i for i in have if all(i is not m for m in matched.values())]
        found = next((i for i in free if _sent(i, ref)), None)
        for where in places(ref.shop_id):
            if where in by_id and by_id[where] in free:
                found = by_id[where]
        if found is not None:
            matched[ref.digest] = found
    kept = {id(i) for i in matched.values()}
    for old in have:
        own = any(f"{product_id}/{old.get('id')}" in places(i) for i in write.own_media_ids)
        if id(old) not in kept and (not write.keep_other_images or own):
            client.http.request(
                "DELETE",
                f"v3/catalog/products/{segment(product_id)}/images/{segment(old['id'])}",
                what=what,
            )
    media: dict[str, str] = {}
    for index, ref in enumerate(draft.images):
        image: dict[str, Any] | None = matched.get(ref.digest)
        place = _place_of(index)
        if image is None:
            try:
                answer = client.post(path, {"image_url": ref.url, **place}, what=what)
            except ConnectorError as exc:
                raise _refused(ref, draft.sku, exc) from exc
            image = dict((answer or {}).get("data") or {})
        elif any(image.get(k) != v for k, v in place.items()):
            client.put(
                f"v3/catalog/products/{segment(product_id)}/images/{segment(image['id'])}",
                place,
                what=what,
            )
        media[ref.digest] = _with_place(
            ref.shop_id, f"{product_id}/{(image or {}).get('id')}", replaces=product_id
        )
    return media


def sync_variant_image(
    client: BigCommerceClient, shop_id: str, images: Sequence[MediaRef], sku: str
) -> dict[str, str]:
    """The variant's image: the first of ``images``, sent unless the variant holds it."""
    if not images:
        return {}
    ref, place = images[0], f"{shop_id}/image"
    media_id = _with_place(ref.shop_id, place)
    if place in places(ref.shop_id):
        return {ref.digest: media_id}
    pid, _, vid = shop_id.partition("/")
    try:
        client.post(
            f"v3/catalog/products/{segment(pid)}/variants/{segment(vid)}/image",
            {"image_url": ref.url},
            what=M_("the image of %(sku)s", sku=sku),
        )
    except ConnectorError as exc:
        raise _refused(ref, sku, exc) from exc
    return {ref.digest: media_id}
