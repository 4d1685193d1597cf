"""C8: a product's documents in its ``passerelle.documents`` metafield.

A Shopify product's media are images, videos and 3D models: it has no place for a file to
download. Metafields are where a shop keeps what its theme shows besides (the issue asks
"metafields for … documents"): each document's name and public address (the published
file, ``MediaRef.url``) as a ``json`` metafield (apps/build/custom-data/metafields/
list-of-data-types: ``json``, up to 2 MB), the list WooCommerce keeps in its
``passerelle_documents`` meta, on the product (a variation's on its variant).

Written with ``metafieldsSet`` (mutations/metafieldsSet: 25 metafields a call, the others of
the owner untouched) after the product, never inside ``productSet``, whose ``metafields``
list would delete the merchant's own. A back-office document taken off empties the list, on
an update of a profile that sends files (``own_media_ids``, as for images).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace

from passerelle.connectors.base import ProductWrite, WriteOutcome
from passerelle.connectors.errors import RecordError
from passerelle.connectors.shopify.client import ShopifyClient, gid, require
from passerelle.connectors.shopify.translate_customers import NS
from passerelle.i18n.messages import M_, said

__all__ = ["DOCUMENTS_KEY", "METAFIELDS_SET", "write_documents", "writes_documents"]

DOCUMENTS_KEY = "documents"
BATCH = 25  # metafieldsSet: at most 25 metafields a call
MUTATION_COST = 10
METAFIELDS_SET = """mutation Documents($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) { metafields { id }
    userErrors { field message code } } }"""


def writes_documents(w: ProductWrite) -> bool:
    fields = w.fields if w.shop_id and w.fields is not None else None
    asked = fields is None or "documents" in fields
    return asked and (bool(w.draft.documents) or (bool(w.shop_id) and bool(w.own_media_ids)))


def _owner(w: ProductWrite, shop_id: str) -> str:
    parts = shop_id.split("/")
    if w.draft.kind == "variation" and len(parts) > 1:
        return gid("ProductVariant", parts[1])
    return gid("Product", parts[0])


def write_documents(
    client: ShopifyClient, writes: Sequence[ProductWrite], outcomes: Sequence[WriteOutcome]
) -> list[WriteOutcome]:
    """Set the documents of every written record that carries them: the outcomes, a
    refusal being that record's error (metafieldsSet is atomic: its whole call's)."""
    out = list(outcomes)
    todo = [
        (i, w, o)
        for i, (w, o) in enumerate(zip(writes, outcomes, strict=True))
        if o.ok and o.shop_id and not o.gone and writes_documents(w)
    ]
    for start in range(0, len(todo), BATCH):
        chunk = todo[start : start + BATCH]
        metafields = [
            {
                "ownerId": _owner(w, str(o.shop_id)),
                "namespace": NS,
                "key": DOCUMENTS_KEY,
                "type": "json",
                "value": json.dumps([{"name": d.name, "url": d.url} for d in w.draft.documents]),
            }
            for _i, w, o in chunk
        ]
        what = M_("the documents of the products")
        try:
            payload = client.run(
                METAFIELDS_SET, {"metafields": metafields}, cost=MUTATION_COST, what=what
            )["metafieldsSet"]
            require(payload, what)
        except RecordError as exc:
            for i, _w, o in chunk:
                out[i] = replace(o, error=said(exc), said=None)
    return out
