"""Which writes of a refused batch target a product or variant deleted in the store.

A batch is all or nothing: ``PUT /v3/catalog/products`` answers 422 when one of
its ids is unknown (the operation declares 409/413/422, no 404), ``PUT
/v3/catalog/variants`` 422 with ``batch_errors``, ``PUT
/v3/inventory/adjustments/absolute`` 422 (``reference/inventory.v3.yml``). The
error text is not a contract, so the targets are looked up instead (``GET
/v3/catalog/products?id:in=…&include=variants``, one request per 50 products):
what is missing is gone, and the rest of the batch can be sent again.
"""

from __future__ import annotations

from collections.abc import Sequence

from passerelle.connectors.base import ProductWrite
from passerelle.connectors.bigcommerce.client import BigCommerceClient, chunks
from passerelle.i18n.messages import M_

__all__ = ["GONE_STATUSES", "gone_keys"]

GONE_STATUSES = frozenset({404, 422})


def gone_keys(client: BigCommerceClient, writes: Sequence[ProductWrite]) -> set[str]:
    """Keys of the writes whose product (or variant) no longer exists."""
    targets = [(w.key, *(w.shop_id or "").partition("/")[::2]) for w in writes if w.shop_id]
    products: dict[str, set[str]] = {}
    for chunk in chunks(sorted({pid for _k, pid, _v in targets}), 50):
        for raw in client.iter_v3(
            "v3/catalog/products",
            {"id:in": ",".join(chunk), "include": "variants"},
            what=M_("the products written to"),
        ):
            products[str(raw["id"])] = {str(v.get("id")) for v in raw.get("variants") or []}
    return {
        key
        for key, pid, vid in targets
        if pid not in products or (vid and vid not in products[pid])
    }
