"""Catalogue writes: ``productSet`` for products, ``inventorySetQuantities`` for stock.

``productSet`` (https://shopify.dev/docs/api/admin-graphql/2026-01/mutations/productSet)
takes a product with *all* its variants: the ones left out are deleted, so a
variation write reads its siblings first. Stock alone goes through
``inventorySetQuantities`` (250 quantities a call, ``changeFromQuantity`` null:
the back-office is the source of truth for stock, as the docs allow). From
``bulk_write_min`` productSet writes at once, one bulk mutation
(https://shopify.dev/docs/api/usage/bulk-operations/imports) replaces a call each.
Images go in the same productSet (``files``, see :mod:`.media`); a write that sets them
is never part of a bulk mutation, since its new media are waited for.
On a shop whose prices include tax (``Shop.taxesIncluded``, read once, before the first
price written) the prices sent are the tax-included ones (see :mod:`.translate_products`);
a write of a price whose tax rate is unknown is that product's error, before any call.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from passerelle.connectors.base import ProductWrite, WriteOutcome
from passerelle.connectors.errors import RecordError
from passerelle.connectors.shopify import endpoints as doc
from passerelle.connectors.shopify.client import ShopifyClient, gid, num, require
from passerelle.connectors.shopify.client_bulk import BulkRunner
from passerelle.connectors.shopify.documents import write_documents
from passerelle.connectors.shopify.media import (
    VARIANT_PAGE,
    FilePlan,
    MediaCalls,
    ShopMedia,
    new_media,
    plan_files,
    settle,
    source,
    source_key,
    writes_files,
)
from passerelle.connectors.shopify.references import taxable
from passerelle.connectors.shopify.stock import INVENTORY_BATCH, StockWriter
from passerelle.connectors.shopify.translate_products import (
    ALL_FIELDS,
    PRICE_FIELDS,
    asked,
    inventory_item,
    price_with_tax,
    product_fields,
    sku_metafield,
    unsupported,
    variant_fields,
)
from passerelle.i18n.messages import M_, Mn_, Text, said
from passerelle.model import ProductDraft

__all__ = ["BULK_WRITE_MIN", "INVENTORY_BATCH", "STOCK_FIELDS", "ProductWriter"]

STOCK_FIELDS = frozenset({"manage_stock", "stock_quantity", "hidden"})
MUTATION_COST = 10
BULK_WRITE_MIN = 100  # productSet writes at once: 1,000 points of single mutations

Indexed = list[tuple[int, ProductWrite]]


class ProductWriter:
    """Writes products, variations and stock levels; outcomes in the order of writes."""

    def __init__(
        self,
        client: ShopifyClient,
        bulk: BulkRunner,
        location: Callable[[], str],
        collection_id: Callable[[str], str | None],
        *,
        bulk_write_min: int = BULK_WRITE_MIN,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client, self.bulk, self.location = client, bulk, location
        self.collection_id = collection_id
        self.bulk_write_min = bulk_write_min
        self.stock = StockWriter(client, location)
        self.media = MediaCalls(client, sleep=sleep)
        self._taxes_included: bool | None = None

    def taxes_included(self) -> bool:
        """The shop's "Include sales tax in product price" setting, read once."""
        if self._taxes_included is None:
            shop = self.client.run(
                doc.SHOP_TAXES, {}, cost=doc.SHOP_TAXES_COST, what=M_("the shop's tax settings")
            )["shop"]
            self._taxes_included = bool(shop["taxesIncluded"])
        return self._taxes_included

    def _prices_with_tax(self, fields: frozenset[str]) -> bool:
        """Whether the prices a write sets (if any) are to include tax."""
        return bool(fields & PRICE_FIELDS) and self.taxes_included()

    def _refused(self, writes: Sequence[ProductWrite]) -> dict[int, WriteOutcome]:
        """The writes of a price this shop must hold with its tax while the item's tax
        rate is unknown: each its own error, nothing sent for it."""
        out = {}
        for i, w in enumerate(writes):
            if w.draft.kind == "variable" or w.draft.tax_rate is not None:
                continue
            fields = asked(w) if w.shop_id else ALL_FIELDS
            if self._prices_with_tax(fields):
                try:
                    price_with_tax(w.draft.regular_price, w.draft)
                except RecordError as exc:
                    out[i] = WriteOutcome(key=w.key, error=said(exc), shop_id=w.shop_id)
        return out

    def _tax_collection(self, draft: ProductDraft) -> str | None:
        """The collection carrying the tax override of a reduced-rate tax class."""
        return None if taxable(draft.tax_class) is not None else self.collection_id(draft.tax_class)

    def _unsupported(self, w: ProductWrite) -> tuple[str, ...]:
        return unsupported(w, self._tax_collection(w.draft))

    def write_products(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        """Stock-only updates in calls of 250, the rest by ``productSet``; variations
        grouped by parent."""
        outcomes: dict[int, WriteOutcome] = self._refused(writes)
        stock = [
            (i, w)
            for i, w in enumerate(writes)
            if i not in outcomes
            and w.shop_id
            and w.fields is not None
            and w.fields <= STOCK_FIELDS
            and w.draft.kind != "variable"
        ]
        for start in range(0, len(stock), INVENTORY_BATCH):
            outcomes.update(self.stock.write(stock[start : start + INVENTORY_BATCH]))
        by_parent: dict[str, Indexed] = {}
        singles: Indexed = []
        for i, w in enumerate(writes):
            if i in outcomes:
                continue
            if w.draft.kind == "variation" and w.parent_shop_id:
                by_parent.setdefault(w.parent_shop_id, []).append((i, w))
            else:
                singles.append((i, w))
        bulk = [(i, w) for i, w in singles if not writes_files(w)]
        if len(bulk) >= self.bulk_write_min:
            outcomes.update(self._bulk_product_set(bulk))
            singles = [(i, w) for i, w in singles if writes_files(w)]
        outcomes.update((i, self._product_set(w)) for i, w in singles)
        for parent, group in by_parent.items():
            outcomes.update(self._set_variations(parent, group))
        return write_documents(self.client, writes, [outcomes[i] for i in range(len(writes))])

    def write_variations(
        self, parent_shop_id: str, writes: Sequence[ProductWrite]
    ) -> list[WriteOutcome]:
        done = self._refused(writes)
        kept = [(i, w) for i, w in enumerate(writes) if i not in done]
        done.update(self._set_variations(parent_shop_id, kept) if kept else {})
        return write_documents(self.client, writes, [done[i] for i in range(len(writes))])

    # ------------------------------------------------------------------ productSet
    def _variant_input(
        self,
        draft: ProductDraft,
        variant_id: str | None,
        options: Sequence[tuple[str, str]],
        stock: bool,
        fields: frozenset[str] = ALL_FIELDS,
    ) -> dict[str, Any]:
        """A ``ProductVariantSetInput``; an existing variant gets only the ``fields`` asked
        for (what productSet is not given it leaves as it is)."""
        if variant_id is None:
            fields = ALL_FIELDS  # a new variant: every field
        data: dict[str, Any] = {
            **variant_fields(draft, fields, taxes_included=self._prices_with_tax(fields)),
            "optionValues": [{"optionName": k, "name": v} for k, v in options],
            "inventoryItem": inventory_item(draft, fields),
        }
        if variant_id:
            data["id"] = gid("ProductVariant", variant_id)
        if stock and draft.stock_quantity is not None and draft.manage_stock:
            data["inventoryQuantities"] = [
                {
                    "locationId": self.location(),
                    "name": "available",
                    "quantity": int(draft.stock_quantity),
                }
            ]
        return data

    def _set_variables(self, w: ProductWrite, plan: FilePlan | None = None) -> dict[str, Any]:
        """``productSet``'s variables for a simple or variable product: on an update, the
        fields the update policy does not keep (C15); the media of ``plan``."""
        draft, fields = w.draft, asked(w)
        product_id, variant_id = ((w.shop_id or "").split("/") + ["", ""])[:2]
        data: dict[str, Any] = product_fields(draft, fields)
        if plan is not None:
            data["files"] = plan.files
        if not w.shop_id:
            data |= sku_metafield(draft)
        if "category_ids" in fields:
            # A list field: productSet replaces it whole. With the categories kept, the
            # merchant's collections (and a tax override's) are left as they are.
            data["collections"] = [
                gid("Collection", c)
                for c in (*draft.category_ids, self._tax_collection(draft))
                if c
            ]
        if draft.kind == "variable":
            data["productOptions"] = [
                {"name": a.name, "values": [{"name": o} for o in a.options]}
                for a in draft.attributes
                if a.variation
            ]
        else:
            data["productOptions"] = [{"name": "Title", "values": [{"name": "Default Title"}]}]
            data["variants"] = [
                self._variant_input(
                    draft,
                    variant_id if variant_id not in ("", "0") else None,
                    [("Title", "Default Title")],
                    stock=not w.shop_id or "stock_quantity" in (w.fields or frozenset()),
                    fields=fields,
                )
            ]
        return _with_identifier(data, product_id)

    def _product_set(self, w: ProductWrite) -> WriteOutcome:
        what = M_("product %(sku)s", sku=w.draft.sku)
        shop_id = None
        try:
            plan = self._file_plan(w, what) if writes_files(w) else None
            payload = self.client.run(
                doc.PRODUCT_SET, self._set_variables(w, plan), cost=MUTATION_COST, what=what
            )["productSet"]
            outcome = _set_outcome(w, payload, what, self._unsupported(w))
            shop_id = outcome.shop_id
            if plan is not None and outcome.ok:
                outcome.media_ids = self._settle(plan, payload, what)
            return outcome
        except RecordError as exc:
            return WriteOutcome(key=w.key, error=said(exc), shop_id=shop_id)

    def _file_plan(self, w: ProductWrite, what: Text) -> FilePlan:
        """The product's ``files``: what the shop holds is read first when the write keeps
        some of it (the merchant's images, a variable product's variant images) or refers
        to files by id."""
        product_id = (w.shop_id or "").split("/")[0]
        variable = w.draft.kind == "variable"
        read = product_id not in ("", "0") and (w.keep_other_images or variable)
        shop = self.media.shop_media(
            product_id if read else None,
            w.draft.images,
            variants=VARIANT_PAGE if variable else 1,
            what=what,
        )
        return plan_files(
            w.draft.images,
            w.draft.name,
            shop,
            keep_others=w.keep_other_images,
            ours=w.own_media_ids,
            also_keep=shop.variants.values() if variable else (),
        )

    def _settle(self, plan: FilePlan, payload: dict[str, Any], what: Text) -> dict[str, str]:
        """The draft's images by digest → media id, once the new ones are processed."""
        if not plan.new:
            return dict(plan.sent)
        answered = [num(m["id"]) for m in payload["product"]["media"]["nodes"]]
        created = new_media(plan, answered)
        return settle(plan, created, self.media.wait_ready(created, what), what)

    def _bulk_product_set(self, group: Indexed) -> dict[int, WriteOutcome]:
        """Many ``productSet`` in one bulk mutation; each line's answer is its outcome."""
        results = self.bulk.mutation(
            doc.PRODUCT_SET_BULK,
            [self._set_variables(w) for _, w in group],
            what=Mn_("%(num)s product", "%(num)s products", len(group)),
        )
        out = {}
        for (i, w), line in zip(group, results, strict=True):
            what = M_("product %(sku)s", sku=w.draft.sku)
            try:
                if line.get("errors") or not line.get("data"):
                    raise RecordError(
                        M_(
                            "%(platform)s refused %(request)s: %(message)s",
                            platform="Shopify",
                            request=what,
                            message=str(line.get("errors")),
                        )
                    )
                out[i] = _set_outcome(w, line["data"]["productSet"], what, self._unsupported(w))
            except RecordError as exc:
                out[i] = WriteOutcome(key=w.key, error=said(exc))
        return out

    def _set_variations(self, parent: str, group: Indexed) -> dict[int, WriteOutcome]:
        """All the parent's variants in one productSet: the current ones (read first)
        with these written over them."""
        product_id = parent.split("/")[0]
        what = M_("the variations of product %(product)s", product=product_id)
        try:
            node = self.client.run(
                doc.PRODUCT_VARIANTS,
                {"id": gid("Product", product_id)},
                cost=doc.PRODUCT_VARIANTS_COST,
                what=what,
            )["node"]
            if node is None:
                return {i: _gone(w) for i, w in group}
            current = {v["sku"]: v for v in node["variants"]["nodes"]}
            variants = {
                sku: {
                    "id": v["id"],
                    "price": v["price"],
                    "optionValues": [
                        {"optionName": o["name"], "name": o["value"]} for o in v["selectedOptions"]
                    ],
                }
                for sku, v in current.items()
            }
            for _, w in group:
                existing = current.get(w.draft.sku)
                variants[w.draft.sku] = self._variant_input(
                    w.draft,
                    num(existing["id"]) if existing else None,
                    w.draft.variation_options,
                    stock=existing is None,
                    fields=asked(w),
                )
            media = self._variant_files(product_id, group, current, variants, what)
            options: dict[str, list[str]] = {}
            for v in variants.values():
                for o in v["optionValues"]:
                    values = options.setdefault(o["optionName"], [])
                    if o["name"] not in values:
                        values.append(o["name"])
            variables = _with_identifier(
                {
                    "productOptions": [
                        {"name": k, "values": [{"name": x} for x in vs]}
                        for k, vs in options.items()
                    ],
                    "variants": list(variants.values()),
                    **({"files": media.files} if media else {}),
                },
                product_id,
            )
            payload = require(
                self.client.run(doc.PRODUCT_SET, variables, cost=MUTATION_COST, what=what)[
                    "productSet"
                ],
                what,
            )
        except RecordError as exc:
            return {i: WriteOutcome(key=w.key, error=said(exc)) for i, w in group}
        by_sku = {v["sku"]: v for v in payload["product"]["variants"]["nodes"]}
        images = self._variant_media(media, group, by_sku, what) if media else {}
        out = {}
        for i, w in group:
            saved = by_sku.get(w.draft.sku)
            error, ids = images.get(w.key, (None, {}))
            out[i] = WriteOutcome(
                key=w.key,
                error=error if saved else M_("variant not saved"),
                shop_id=f"{product_id}/{num(saved['id'])}/{num(saved['inventoryItem']['id'])}"
                if saved
                else None,
                created=not w.shop_id,
                unsupported=self._unsupported(w),
                media_ids=ids,
            )
        return out

    def _variant_files(
        self,
        product_id: str,
        group: Indexed,
        current: dict[str, Any],
        variants: dict[str, dict[str, Any]],
        what: Text,
    ) -> FilePlan | None:
        """C7 for variations: each variation's image is its variant's ``file``, which must be
        in the product's ``files`` too, so these are the product's media as they are, less
        the ones passerelle gave these variants before and no longer does, plus the new
        ones. None when no variation of the group writes its image."""
        writing = [w for _, w in group if writes_files(w)]
        refs = [w.draft.images[0] for w in writing if w.draft.images]
        if not writing:
            return None
        shop = self.media.shop_media(product_id, refs, variants=VARIANT_PAGE, what=what)
        dropped: set[str] = set()
        for w in writing:
            existing = current.get(w.draft.sku)
            before = shop.variants.get(num(existing["id"])) if existing else None
            ref = w.draft.images[0] if w.draft.images else None
            number = num(ref.shop_id) if ref and ref.shop_id else ""
            if ref is not None:
                variants[w.draft.sku]["file"] = (
                    {"id": gid("MediaImage", number)}
                    if number in shop.existing
                    else source(ref, w.draft.name)
                )
            if before and before != number and before in w.own_media_ids:
                dropped.add(before)
        if not refs and not dropped:
            return None
        kept = [m for m in shop.product if m not in dropped]
        plan = plan_files(refs, "", ShopMedia(kept, {}, shop.existing), keep_others=True, ours=())
        files = {source_key(f): f for f in plan.files}
        for v in variants.values():  # the variant's file as the product's files give it
            if "file" in v:
                v["file"] = files.get(source_key(v["file"]), v["file"])
        return plan

    def _variant_media(
        self,
        plan: FilePlan,
        group: Indexed,
        by_sku: dict[str, dict[str, Any]],
        what: Text,
    ) -> dict[str, tuple[Text | None, dict[str, str]]]:
        """Each variation's (error, media ids): its variant's media once processed."""
        known = {num(f["id"]) for f in plan.files if f.get("id")}
        shown = {
            w.key: num(saved["media"]["nodes"][0]["id"])
            for _, w in group
            if (saved := by_sku.get(w.draft.sku)) and saved["media"]["nodes"]
        }
        fresh = sorted({m for m in shown.values() if m not in known})
        try:
            states = self.media.wait_ready(fresh, what) if fresh else {}
        except RecordError as exc:
            return {w.key: (said(exc), {}) for _, w in group}
        out: dict[str, tuple[Text | None, dict[str, str]]] = {}
        for _, w in group:
            number = shown.get(w.key)
            if not w.draft.images or number is None:
                continue
            ref = w.draft.images[0]
            single = FilePlan([], [ref], {}, [ref.url] if number in fresh else [])
            if number not in fresh:
                single.sent[ref.digest] = number
            try:
                ids = settle(single, [number] if number in fresh else [], states, what)
                out[w.key] = (None, ids)
            except RecordError as exc:
                out[w.key] = (said(exc), {})
        return out


def _with_identifier(data: dict[str, Any], product_id: str) -> dict[str, Any]:
    """The variables of ``productSet``: an update names its product, a create does not."""
    variables: dict[str, Any] = {"input": data}
    if product_id and product_id != "0":
        variables["identifier"] = {"id": gid("Product", product_id)}
    return variables


def _gone(w: ProductWrite) -> WriteOutcome:
    """The product written to was deleted in the shop: the flow forgets it and creates it
    again (productSet answers PRODUCT_DOES_NOT_EXIST, a read of it null)."""
    return WriteOutcome(
        key=w.key,
        shop_id=w.shop_id,
        gone=True,
        error=M_("%(sku)s: it no longer exists in the shop", sku=w.draft.sku),
    )


def _set_outcome(
    w: ProductWrite, payload: dict[str, Any] | None, what: Text, unsupported: tuple[str, ...]
) -> WriteOutcome:
    """The outcome of one productSet answer (RecordError when refused)."""
    if payload and any(
        e.get("code") == "PRODUCT_DOES_NOT_EXIST" for e in payload.get("userErrors") or []
    ):
        return _gone(w)
    product = require(payload, what)["product"]
    nodes = product["variants"]["nodes"]
    shop_id = (
        (f"{num(product['id'])}/{num(nodes[0]['id'])}/{num(nodes[0]['inventoryItem']['id'])}")
        if nodes and w.draft.kind != "variable"
        else f"{num(product['id'])}/0/0"
    )
    return WriteOutcome(key=w.key, shop_id=shop_id, created=not w.shop_id, unsupported=unsupported)
