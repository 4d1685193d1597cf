"""C7: a product's images as Shopify media, through ``productSet`` ``files`` (2024-10 and later).

The pinned version (2026-01) attaches media with ``ProductSetInput.files: [FileSetInput!]``
(input-objects/FileSetInput: ``id`` reuses a file the shop holds, ``originalSource`` is "an
external URL (for images only)" Shopify downloads itself) and a variant's with
``ProductVariantSetInput.file``, which "must also be specified in the ``files`` input for the
product". ``files`` is a list field of productSet: a media left out is detached, so removal
needs no other mutation (the deprecated productCreateMedia/productDeleteMedia are not used).

So the connector sends the published file's public URL (``MediaRef.url``) and never the
bytes. Shopify processes media asynchronously (objects/MediaImage ``status`` UPLOADED,
PROCESSING, READY or FAILED): after the write the new media are read again (``nodes``, two
points each) with growing pauses, a bounded number of times, until each is READY; only then
is its id given back (``WriteOutcome.media_ids``) so the next run refers to it instead of
sending it again. A FAILED one (``mediaErrors``: the shop could not download or read the file)
is that product's error, naming the file's address.

Which media a write keeps (``ProductWrite.keep_other_images``): by default the product ends
with exactly the draft's images; with keep, the shop's other media stay, except those
passerelle sent before (``own_media_ids``) and no longer lists. A variable product keeps the
media its variants show (the variations' images). A file id passerelle holds that the shop no
longer has (the merchant deleted it) is sent again by its URL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from passerelle.connectors.base import ProductWrite
from passerelle.connectors.errors import RecordError
from passerelle.connectors.shopify.client import ShopifyClient, gid, num
from passerelle.i18n.messages import M_, Text
from passerelle.model import MediaRef

__all__ = [
    "MEDIA_PAGE",
    "VARIANT_PAGE",
    "FilePlan",
    "MediaCalls",
    "ShopMedia",
    "new_media",
    "plan_files",
    "settle",
    "source",
    "source_key",
    "writes_files",
]

MEDIA_PAGE = 50  # a product's media read at once (Shopify allows 250 a product)
VARIANT_PAGE = 100
POLLS = 12  # reads of the new media before giving up: pauses from 0.05 s doubling up to
MAX_WAIT = 5.0  # 5 s, about 30 s in all


def _state_document(variants: int) -> str:
    return f"""query MediaState($id: ID!, $ids: [ID!]!) {{
  node(id: $id) {{ ... on Product {{ media(first: {MEDIA_PAGE}) {{ nodes {{ id }} }}
    variants(first: {variants}) {{ nodes {{ id media(first: 1) {{ nodes {{ id }} }} }} }} }} }}
  nodes(ids: $ids) {{ id }} }}"""


def state_cost(variants: int, ids: int) -> int:
    """Node 1, its media 2 + 50, its variants 2 + n × (1 + 2 + 1), each id looked up 1."""
    return 1 + (2 + MEDIA_PAGE) + (2 + variants * 4) + ids


EXIST = """query MediaExist($ids: [ID!]!) { nodes(ids: $ids) { id } }"""
STATUS = """query MediaStatus($ids: [ID!]!) { nodes(ids: $ids) { id
  ... on MediaImage { status mediaErrors { code details message } } } }"""


def status_cost(ids: int) -> int:
    return 2 * ids  # each media 1, its mediaErrors 1


def writes_files(w: ProductWrite) -> bool:
    """The write sets the product's media: images asked for, and the draft has some, or
    it is an update and passerelle sent files before (``own_media_ids``: a picture taken
    off in the back-office leaves the shop too). A profile that sends no files never
    touches the merchant's media."""
    fields = w.fields if w.shop_id and w.fields is not None else None
    asked = fields is None or "images" in fields
    return asked and (bool(w.draft.images) or (bool(w.shop_id) and bool(w.own_media_ids)))


@dataclass(slots=True)
class ShopMedia:
    """What the shop holds now: the product's media in order, each variant's media, and
    which of the ids passerelle knows still exist."""

    product: list[str] = field(default_factory=list)
    variants: dict[str, str] = field(default_factory=dict)  # variant number → media number
    existing: set[str] = field(default_factory=set)


@dataclass(slots=True)
class FilePlan:
    """The ``files`` of one productSet and how to read its answer."""

    files: list[dict[str, Any]]
    refs: list[MediaRef]  # the draft's images, cover first
    sent: dict[str, str]  # digest → media number, for refs sent by id
    urls: list[str]  # the sources sent by URL, in order (new media)

    @property
    def new(self) -> bool:
        return bool(self.urls)


def source(ref: MediaRef, alt: str) -> dict[str, Any]:
    """A ``FileSetInput`` Shopify downloads: the published file's public address."""
    return {"originalSource": ref.url, "contentType": "IMAGE", "alt": alt}


def source_key(file: dict[str, Any]) -> str:
    """What names a ``FileSetInput``: its id, else its source (a variant's ``file`` is one
    of the product's ``files``)."""
    return f"id:{num(file['id'])}" if file.get("id") else f"src:{file.get('originalSource')}"


def plan_files(
    refs: Sequence[MediaRef],
    alt: str,
    shop: ShopMedia,
    *,
    keep_others: bool,
    ours: Iterable[str],
    also_keep: Iterable[str] = (),
) -> FilePlan:
    """The product's files: the draft's (by id when the shop has it, else by URL), then
    the shop's others when kept, then ``also_keep`` (its variants' media)."""
    files: list[dict[str, Any]] = []
    listed: set[str] = set()
    sent: dict[str, str] = {}
    urls: list[str] = []
    for ref in refs:
        number = num(ref.shop_id) if ref.shop_id else ""
        if number and number in shop.existing:
            if number not in listed:
                files.append({"id": gid("MediaImage", number)})
                listed.add(number)
            sent[ref.digest] = number
        elif ref.url not in urls:
            files.append(source(ref, alt))
            urls.append(ref.url)
    mine = set(ours) | {num(r.shop_id) for r in refs if r.shop_id}
    others = [m for m in shop.product if m not in mine] if keep_others else []
    for number in [*others, *also_keep]:
        if number not in listed:
            files.append({"id": gid("MediaImage", number)})
            listed.add(number)
    return FilePlan(files, list(refs), sent, urls)


class MediaCalls:
    """The reads around a media write: what the shop holds, and the wait for processing."""

    def __init__(
        self,
        client: ShopifyClient,
        *,
        sleep: Callable[[float], None],
        first_wait: float = 0.05,
        polls: int = POLLS,
    ) -> None:
        self.client, self.sleep, self.first_wait, self.polls = client, sleep, first_wait, polls

    def shop_media(
        self, product_id: str | None, refs: Iterable[MediaRef], *, variants: int, what: Text
    ) -> ShopMedia:
        """One read: the product's media and its variants' (when it exists), and which of
        the ids the refs carry the shop still has."""
        ids = sorted({gid("MediaImage", num(r.shop_id)) for r in refs if r.shop_id})
        if not product_id and not ids:
            return ShopMedia()
        if product_id:
            data = self.client.run(
                _state_document(variants),
                {"id": gid("Product", product_id), "ids": ids},
                cost=state_cost(variants, len(ids)),
                what=what,
            )
        else:
            data = self.client.run(EXIST, {"ids": ids}, cost=len(ids), what=what)
        product = data.get("node") or {}
        return ShopMedia(
            product=[num(m["id"]) for m in (product.get("media") or {}).get("nodes", [])],
            variants={
                num(v["id"]): num(v["media"]["nodes"][0]["id"])
                for v in (product.get("variants") or {}).get("nodes", [])
                if v["media"]["nodes"]
            },
            existing={num(n["id"]) for n in data.get("nodes") or [] if n},
        )

    def wait_ready(self, numbers: Sequence[str], what: Text) -> dict[str, dict[str, Any]]:
        """Read the media until none is UPLOADED or PROCESSING; their last state by number
        (RecordError when the shop is still processing them after the last read)."""
        states: dict[str, dict[str, Any]] = {}
        pending = list(numbers)
        delay = self.first_wait
        for _ in range(self.polls):
            if not pending:
                return states
            self.sleep(delay)
            delay = min(delay * 2, MAX_WAIT)
            nodes = self.client.run(
                STATUS,
                {"ids": [gid("MediaImage", n) for n in pending]},
                cost=status_cost(len(pending)),
                what=what,
            )["nodes"]
            for node in nodes:
                if node:
                    states[num(node["id"])] = node
            pending = [
                n
                for n in pending
                if states.get(n, {}).get("status") in (None, "UPLOADED", "PROCESSING")
            ]
        if pending:
            raise RecordError(
                M_(
                    "%(request)s: Shopify is still processing its images; the next run "
                    "checks them again",
                    request=what,
                )
            )
        return states


def new_media(plan: FilePlan, answered: Sequence[str]) -> list[str]:
    """The media numbers productSet created for the sources sent by URL: the answer's media
    (in the order of ``files``) that were not sent by id, in order."""
    known = {num(f["id"]) for f in plan.files if f.get("id")}
    return [m for m in answered if m not in known][: len(plan.urls)]


def settle(
    plan: FilePlan,
    created: Sequence[str],
    states: dict[str, dict[str, Any]],
    what: Text,
) -> dict[str, str]:
    """The draft's images by digest → media number, once every new one is READY; a FAILED
    one is the record's error, naming the file's address and the shop's reason."""
    by_url = dict(zip(plan.urls, created, strict=False))
    for url, number in by_url.items():
        state = states.get(number) or {}
        if state.get("status") == "FAILED":
            errors = state.get("mediaErrors") or [{}]
            reason = "; ".join(
                str(e.get("details") or e.get("message") or e.get("code") or "") for e in errors
            )
            raise RecordError(
                M_(
                    "%(request)s: Shopify could not take the image %(url)s (%(reason)s)",
                    request=what,
                    url=url,
                    reason=reason,
                )
            )
    out = dict(plan.sent)
    for ref in plan.refs:
        if ref.digest not in out and ref.url in by_url:
            out[ref.digest] = by_url[ref.url]
    return out
