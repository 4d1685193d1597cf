"""Product writes against WooCommerce: routing, image keeping, translations.

Why a module: one ``write_products`` call mixes simple, variable and grouped
products (``POST products/batch``) with variations, which WooCommerce only
writes under their parent (``POST products/<parent>/variations/batch``,
``_product-variations.md``); the shop's images a merchant added by hand may
have to stay (C7); and translated products (C20) are separate products
linked by WPML. Each record still gets its own ``WriteOutcome``.

C20 follows WooCommerce Multilingual's documented REST support
(wpml.org "Using WordPress REST API with WooCommerce Multilingual", code
``inc/rest-api-support/class-wcml-rest-api-support.php``): a product body may
carry ``lang`` and ``translation_of`` (the original's id) on creation; every
product answer then carries ``lang`` and ``translations`` (language → id).
A shop whose answers have no ``translations`` key has no WPML: the texts are
not written there (a product body with ``lang`` would just create a second,
unlinked product) and the outcome says why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from passerelle.connectors.base import ProductWrite, WriteOutcome
from passerelle.connectors.woocommerce import endpoints as ep
from passerelle.connectors.woocommerce.client import PAGE_LIMIT, WooCommerceClient
from passerelle.connectors.woocommerce.translate_products import (
    media_ids,
    product_payload,
    translation_payload,
    variation_id,
    variation_payload,
)
from passerelle.connectors.woocommerce.translate_values import batch_error, error_code
from passerelle.i18n.messages import M_, Message

__all__ = ["ProductWriter"]

_TEXT_FIELDS = frozenset({"translations", "name", "description", "short_description"})
# What WooCommerce answers an update of a product or variation that no longer
# exists (WC_REST_CRUD_Controller::update_item: "woocommerce_rest_{post_type}_invalid_id",
# 400, also inside a batch item): the write is "gone", the flow drops the binding.
GONE_CODES = frozenset(
    {"woocommerce_rest_product_invalid_id", "woocommerce_rest_product_variation_invalid_id"}
)


def _is_variation(write: ProductWrite) -> bool:
    return write.draft.kind == "variation" or "/" in (write.shop_id or "")


def _parent_of(write: ProductWrite) -> str:
    if write.parent_shop_id:
        return variation_id(write.parent_shop_id)
    return (write.shop_id or "").partition("/")[0] if "/" in (write.shop_id or "") else ""


def _writes_images(write: ProductWrite) -> bool:
    return write.fields is None or "images" in write.fields


class ProductWriter:
    """One ``write_products`` call: routes, batches and builds the outcomes."""

    def __init__(self, client: WooCommerceClient) -> None:
        self.client = client

    def write(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        outcomes: dict[int, WriteOutcome] = {}
        products: list[int] = []
        by_parent: dict[str, list[int]] = {}
        for index, write in enumerate(writes):
            if not _is_variation(write):
                products.append(index)
            elif parent := _parent_of(write):
                by_parent.setdefault(parent, []).append(index)
            else:
                outcomes[index] = WriteOutcome(
                    key=write.key,
                    error=M_(
                        "variation %(key)s has no parent product in the shop: "
                        "write the variable product first",
                        key=write.key,
                    ),
                )
        if products:
            written = self._products([writes[i] for i in products])
            outcomes.update(zip(products, written, strict=True))
        for parent, indexes in by_parent.items():
            written = self.write_variations(parent, [writes[i] for i in indexes])
            outcomes.update(zip(indexes, written, strict=True))
        return [outcomes[i] for i in range(len(writes))]

    # ----------------------------------------------------------------- products
    def _products(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        kept = self._other_images(writes)
        creates = [w for w in writes if w.shop_id is None]
        updates = [w for w in writes if w.shop_id is not None]
        answer = self.client.batch(
            ep.PRODUCTS,
            create=[product_payload(w.draft) for w in creates],
            update=[
                dict(
                    product_payload(w.draft, w.fields, other_images=kept.get(w.shop_id or "", ())),
                    id=int(variation_id(w.shop_id or "0")),
                )
                for w in updates
            ],
            what=M_("the batch of products"),
        )
        pairs = list(zip(creates, answer["create"], strict=True)) + list(
            zip(updates, answer["update"], strict=True)
        )
        outcomes = {
            id(w): _outcome(w, a, str(a.get("id")), M_("product %(key)s", key=w.key))
            for w, a in pairs
        }
        self._translations(pairs, outcomes)
        return [outcomes[id(w)] for w in writes]

    def _other_images(self, writes: Sequence[ProductWrite]) -> dict[str, list[Mapping[str, Any]]]:
        """C7 keep policy: the shop's images that are not ours, per product to update.

        One ``GET /products?include=…`` per 100 products (never one per
        product); an image is ours when its name or id is one of the draft's,
        or its id one passerelle sent before (``own_media_ids``).
        """
        wanted = {
            w.shop_id: w for w in writes if w.shop_id and w.keep_other_images and _writes_images(w)
        }
        ids = sorted(wanted, key=lambda s: int(variation_id(s)))
        out: dict[str, list[Mapping[str, Any]]] = {}
        for index in range(0, len(ids), PAGE_LIMIT):
            chunk = ids[index : index + PAGE_LIMIT]
            found = (
                self.client.get(
                    ep.PRODUCTS,
                    {"include": ",".join(chunk), "per_page": PAGE_LIMIT},
                    what=M_("the images of the products"),
                )
                or []
            )
            for product in found:
                write = wanted.get(str(product.get("id")))
                if write is None:
                    continue
                names = {ref.name for ref in write.draft.images}
                ours = {ref.shop_id for ref in write.draft.images if ref.shop_id}
                ours |= write.own_media_ids  # sent earlier, replaced since
                out[str(product["id"])] = [
                    image
                    for image in product.get("images") or []
                    if isinstance(image, Mapping)
                    and str(image.get("name")) not in names
                    and str(image.get("id")) not in ours
                ]
        return out

    def _translations(
        self,
        pairs: Sequence[tuple[ProductWrite, Mapping[str, Any]]],
        outcomes: dict[int, WriteOutcome],
    ) -> None:
        """C20: create or update the translated products of the written ones (one batch)."""
        creates: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        owners: list[ProductWrite] = []
        update_owners: list[ProductWrite] = []
        for write, answer in pairs:
            outcome = outcomes[id(write)]
            fields = write.fields
            if (
                not outcome.ok
                or not write.draft.translations
                or (fields is not None and not fields & _TEXT_FIELDS)
            ):
                continue
            existing = answer.get("translations")
            if existing is None:
                _failed(
                    outcome,
                    M_(
                        "product %(key)s was written but not its translations: the shop "
                        "does not answer WPML's `translations` (WooCommerce Multilingual "
                        "is not active)",
                        key=write.key,
                    ),
                )
                continue
            known = existing if isinstance(existing, Mapping) else {}
            for texts in write.draft.translations:
                if texts.language in known:
                    body = translation_payload(texts, fields)
                    if body:
                        updates.append(dict(body, id=int(known[texts.language])))
                        update_owners.append(write)
                else:
                    creates.append(
                        dict(
                            translation_payload(texts),
                            type=write.draft.kind,
                            lang=texts.language,
                            translation_of=int(answer["id"]),
                        )
                    )
                    owners.append(write)
        if not creates and not updates:
            return
        answer = self.client.batch(
            ep.PRODUCTS,
            create=creates,
            update=updates,
            what=M_("the batch of product translations"),
        )
        for write, result in zip(
            owners + update_owners, answer["create"] + answer["update"], strict=True
        ):
            error = batch_error(result, M_("the translation of product %(key)s", key=write.key))
            if error and outcomes[id(write)].ok:
                _failed(outcomes[id(write)], error)

    # --------------------------------------------------------------- variations
    def write_variations(self, parent: str, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        """The variations of one variable product; their ids are ``<parent>/<id>``."""
        creates = [w for w in writes if w.shop_id is None]
        updates = [w for w in writes if w.shop_id is not None]
        answer = self.client.batch(
            ep.variations(parent),
            create=[variation_payload(w.draft) for w in creates],
            update=[
                dict(variation_payload(w.draft, w.fields), id=int(variation_id(w.shop_id or "0")))
                for w in updates
            ],
            what=M_("the batch of variations of product %(parent)s", parent=parent),
        )
        pairs = list(zip(creates, answer["create"], strict=True)) + list(
            zip(updates, answer["update"], strict=True)
        )
        outcomes = {
            id(w): _outcome(w, a, f"{parent}/{a.get('id')}", M_("variation %(key)s", key=w.key))
            for w, a in pairs
        }
        return [outcomes[id(w)] for w in writes]


def _failed(outcome: WriteOutcome, error: Message) -> None:
    """``outcome`` failed after all: its English ``error`` and its kept ``said``."""
    outcome.error = error.english
    outcome.said = error


def _outcome(
    write: ProductWrite, answer: Mapping[str, Any], shop_id: str, record: Message
) -> WriteOutcome:
    """The outcome of one batch item; ``record`` names it (product or variation and key)."""
    error = batch_error(answer, record)
    if error:
        gone = write.shop_id is not None and error_code(answer) in GONE_CODES
        if gone:
            error = M_(
                "%(record)s no longer exists in the shop (it was deleted there; "
                "the shop knew it as %(shop_id)s)",
                record=record,
                shop_id=write.shop_id,
            )
        return WriteOutcome(key=write.key, error=error, gone=gone)
    return WriteOutcome(
        key=write.key,
        shop_id=shop_id,
        created=write.shop_id is None,
        media_ids=media_ids(write.draft, answer),
    )
