"""Product writes: saves one by one or in an async bulk, configurable axes, MSI stock.

Costs (see also the connector's docstring):

- stock (writes touching only ``manage_stock``/``stock_quantity``):
  ``POST /V1/inventory/source-items``, ``list_limit`` items a request (20 by
  default, Magento's input-list limit since 2.4.3): ⌈n / 20⌉ requests;
- more than ``BULK_THRESHOLD`` product saves: one ``POST
  /async/bulk/V1/products`` plus the status polls; fewer: one save each;
- C6 variable products are configurable (tutorial "Create a configurable
  product"): each axis's dropdown attribute read once, missing values added, the
  parent's missing axes posted as options, each new child saved and linked;
- updates first look their SKUs up (``in`` searches): a product deleted in the
  shop is answered ``gone``;
- C7 images: each product written with its images has its media gallery made the
  draft's (``media.py``: a list, then one upload per new image, one delete per entry
  removed) once every save of the batch is done;
- the barcode goes to the store's barcode attribute (``barcode`` unless set
  otherwise), looked up once (``GET /V1/products/attributes/{code}``): a store
  without one is said not to hold barcodes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any

from passerelle.connectors.base import ProductWrite, WriteOutcome
from passerelle.connectors.errors import NotFoundError, RecordError
from passerelle.connectors.magento.client import MagentoClient
from passerelle.connectors.magento.media import ProductImages
from passerelle.connectors.magento.records import guard
from passerelle.connectors.magento.references import DEFAULT_TAX_CLASS_ID, StoreReferences
from passerelle.connectors.magento.translate_products import (
    attribute_code,
    product_payload,
    source_item,
)
from passerelle.connectors.magento.unsupported import product_unsupported
from passerelle.connectors.paths import segment
from passerelle.i18n.messages import M_, Mn_, said
from passerelle.model import ProductDraft

__all__ = ["BULK_THRESHOLD", "ProductWriter"]

BULK_THRESHOLD = 20  # more product saves than this go through the async bulk endpoint
_STOCK_FIELDS = frozenset({"manage_stock", "stock_quantity"})


class ProductWriter:
    def __init__(
        self,
        client: MagentoClient,
        references: StoreReferences,
        *,
        find: Callable[[Iterable[str]], dict[str, str]],
        group_ids: Callable[[], dict[str, int]],
        source_code: str,
        list_limit: int,
        barcode_attribute: str = "barcode",
        images: ProductImages | None = None,
    ) -> None:
        self.client = client
        self.images = images or ProductImages(client)
        self.references = references
        self.find = find  # SKUs → shop ids of those the catalogue holds
        self.group_ids = group_ids  # customer group name → id
        self.source_code = source_code
        self.list_limit = list_limit
        self._axes: dict[str, tuple[str, dict[str, str]]] = {}  # code → (id, LABEL → value)
        self.barcode_attribute = barcode_attribute
        self._barcode_held: bool | None = None  # None: not looked up yet

    def write(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        """Stock through MSI source items; other saves one by one, or in one async bulk.

        Updates first look their SKUs up (``in`` searches, a request per ~160 SKUs):
        Magento would not say a product is gone — a save by SKU creates it again, and
        MSI takes source items of any SKU — so a product deleted in the shop is
        answered ``gone`` instead of being written to."""
        gone = self._gone(writes)
        outcomes = {id(w): gone[id(w)] for w in writes if id(w) in gone}
        writes_left = [w for w in writes if id(w) not in gone]
        outcomes.update(zip(map(id, writes_left), self._write_present(writes_left), strict=True))
        return [outcomes[id(w)] for w in writes]

    def _gone(self, writes: Sequence[ProductWrite]) -> dict[int, WriteOutcome]:
        updates = [w for w in writes if w.shop_id]
        if not updates:
            return {}
        present = self.find(str(w.shop_id) for w in updates)
        return {
            id(w): WriteOutcome(
                w.key,
                shop_id=w.shop_id,
                gone=True,
                error=M_(
                    "product %(sku)s no longer exists in the shop (deleted there)",
                    sku=w.draft.sku,
                ),
            )
            for w in updates
            if str(w.shop_id) not in present
        }

    def _write_present(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        stock = [
            w
            for w in writes
            if w.shop_id
            and w.fields is not None
            and w.fields <= _STOCK_FIELDS
            and w.draft.manage_stock
            and w.draft.stock_quantity is not None
        ]
        chosen = {id(w) for w in stock}
        saves = [w for w in writes if id(w) not in chosen]
        outcomes = {id(w): o for w, o in zip(stock, self._write_stock(stock), strict=True)}
        singles = [w for w in saves if w.draft.kind == "variable"]  # options need the answer
        bulk = [w for w in saves if w.draft.kind != "variable"]
        if len(bulk) > BULK_THRESHOLD:
            outcomes.update(zip(map(id, bulk), self._bulk_save(bulk), strict=True))
        else:
            singles = saves
        outcomes.update({id(w): guard(w.key, partial(self._save, w)) for w in singles})
        for w in saves:
            outcome = outcomes[id(w)]
            if outcome.ok and outcome.created and w.draft.kind == "variation":
                parent = w.parent_shop_id
                if parent:
                    outcomes[id(w)] = guard(w.key, partial(self._attach, w, parent))
        for w in saves:
            if outcomes[id(w)].ok and ProductImages.wanted(w):
                outcomes[id(w)] = self._with_images(w, outcomes[id(w)])
        held = frozenset({"barcode"}) if self._barcode_held else frozenset()
        for w in saves:
            if outcomes[id(w)].ok:
                outcomes[id(w)].unsupported = product_unsupported(w, held)
        return [outcomes[id(w)] for w in writes]

    def _with_images(self, write: ProductWrite, outcome: WriteOutcome) -> WriteOutcome:
        """The saved product's gallery made the draft's; a refused or unreadable image is
        the product's error (it stays saved: the next run writes it again)."""
        try:
            outcome.media_ids = self.images.write(
                write, str(outcome.shop_id or write.draft.sku), outcome.created
            )
        except RecordError as exc:
            return WriteOutcome(
                write.key, shop_id=outcome.shop_id, created=outcome.created, error=said(exc)
            )
        return outcome

    def _write_stock(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        out: list[WriteOutcome] = []
        for index in range(0, len(writes), self.list_limit):
            chunk = writes[index : index + self.list_limit]
            items = [
                source_item(str(w.shop_id), int(w.draft.stock_quantity or 0), self.source_code)
                for w in chunk
            ]
            try:
                self.client.call(
                    "POST",
                    "inventory/source-items",
                    {"sourceItems": items},
                    what=Mn_(
                        "the stock of %(num)s product", "the stock of %(num)s products", len(items)
                    ),
                )
            except RecordError as exc:
                out.extend(WriteOutcome(w.key, error=said(exc)) for w in chunk)
                continue
            out.extend(WriteOutcome(w.key, shop_id=w.shop_id) for w in chunk)
        return out

    def _body(self, write: ProductWrite) -> dict[str, Any]:
        """The save body; a variation's axis values as option ids (added when missing)."""
        axes = (
            write.draft.variation_options
            if write.fields is None or ("variation_options" in write.fields)
            else ()
        )
        values = [
            {
                "attribute_code": attribute_code(name),
                "value": self._axis(name, [label])[1][label.upper()],
            }
            for name, label in axes
        ]
        draft, asked = write.draft, write.fields
        tax_class = None
        if asked is None or "tax_class" in asked:
            # "" is the standard rate: the store's default class, sent too, so a product
            # moved back to the standard rate leaves its reduced class.
            tax_class = (
                self.references.tax_class_id(draft.tax_class)
                if draft.tax_class
                else DEFAULT_TAX_CLASS_ID
            )
        groups: dict[str, int] = {}
        if draft.group_prices and (asked is None or "group_prices" in asked):
            groups = self.group_ids()
            missing = sorted({n for n, _ in draft.group_prices if n[:32] not in groups})
            if missing:
                raise RecordError(
                    M_(
                        "product %(sku)s: the shop has no customer group %(groups)s "
                        "for its group prices",
                        sku=draft.sku,
                        groups=missing,
                    )
                )
        barcode = (
            self.barcode_attribute
            if (asked is None or "barcode" in asked)
            and (draft.barcode or write.shop_id)
            and self._holds_barcode()
            else None
        )
        website = None
        if write.fields is None and not self.references.admin_scope:
            website = self.references.store_view()[1]
        return {
            "product": product_payload(
                write,
                values,
                tax_class_id=tax_class,
                group_ids=groups,
                barcode_attribute=barcode,
                website_id=website,
            ),
            "saveOptions": True,
        }

    def _holds_barcode(self) -> bool:
        """Whether the store has the barcode attribute, looked up once: core Magento has
        none, and saves a code it does not define as nothing, without a word. The
        merchant adds it as a text attribute of the attribute set (Stores > Attributes >
        Product); ``barcode_attribute`` names it."""
        if self._barcode_held is None:
            try:
                self.client.call(
                    "GET",
                    f"products/attributes/{segment(self.barcode_attribute)}",
                    what=M_("attribute %(code)s", code=self.barcode_attribute),
                )
            except NotFoundError:
                self._barcode_held = False
            else:
                self._barcode_held = True
        return self._barcode_held

    def _save(self, write: ProductWrite) -> WriteOutcome:
        body, sku = self._body(write), write.draft.sku
        if write.shop_id is None:
            answer = self.client.call(
                "POST", "products", body, what=M_("product %(sku)s", sku=sku), idempotent=False
            )
        else:
            answer = self.client.call(
                "PUT",
                f"products/{segment(write.shop_id)}",
                body,
                what=M_("product %(sku)s", sku=sku),
            )
        if write.draft.kind == "variable":
            self._configure(write.draft, answer)
        return WriteOutcome(write.key, shop_id=str(answer["sku"]), created=write.shop_id is None)

    def _axis(self, name: str, labels: Iterable[str]) -> tuple[str, dict[str, str]]:
        """An axis's dropdown attribute (id, option ids by label), missing values added.

        The attribute itself is the merchant's to create: Magento makes configurable
        products only of global dropdown attributes of the product's attribute set."""
        code = attribute_code(name)
        if code not in self._axes:
            try:
                found = self.client.call(
                    "GET",
                    f"products/attributes/{segment(code)}",
                    what=M_("attribute %(code)s", code=code),
                )
            except NotFoundError as exc:
                raise RecordError(
                    M_(
                        "Magento has no product attribute %(code)s for the variation axis "
                        "%(axis)s: create it as a dropdown with global scope in the attribute "
                        "set Default",
                        code=repr(code),
                        axis=repr(name),
                    )
                ) from exc
            self._axes[code] = (
                str(found["attribute_id"]),
                {
                    str(o["label"]).upper(): str(o["value"])
                    for o in found.get("options") or []
                    if o.get("value")
                },
            )
        options = self._axes[code][1]
        for label in labels:
            if label.upper() not in options:
                options[label.upper()] = str(
                    self.client.call(
                        "POST",
                        f"products/attributes/{segment(code)}/options",
                        {"option": {"label": label}},
                        what=M_("value %(label)s of attribute %(code)s", label=label, code=code),
                        idempotent=False,
                    )
                )
        return self._axes[code]

    def _configure(self, draft: ProductDraft, product: dict[str, Any]) -> None:
        """Post the parent's axes it has no configurable option for yet."""
        ext = product.get("extension_attributes") or {}
        have = {str(o.get("attribute_id")) for o in ext.get("configurable_product_options") or []}
        for position, axis in enumerate(a for a in draft.attributes if a.variation):
            attribute_id, options = self._axis(axis.name, axis.options)
            if attribute_id not in have:
                self.client.call(
                    "POST",
                    f"configurable-products/{segment(draft.sku)}/options",
                    {
                        "option": {
                            "attribute_id": attribute_id,
                            "label": axis.name,
                            "position": position,
                            "is_use_default": True,
                            "values": [
                                {"value_index": int(options[o.upper()])} for o in axis.options
                            ],
                        }
                    },
                    what=M_("the %(axis)s option of %(sku)s", axis=axis.name, sku=draft.sku),
                    idempotent=False,
                )

    def _bulk_save(self, writes: Sequence[ProductWrite]) -> list[WriteOutcome]:
        """One ``POST /async/bulk/V1/products`` (a save by SKU creates or updates)."""
        bodies: dict[int, dict[str, Any]] = {}
        out: dict[int, WriteOutcome] = {}
        for index, write in enumerate(writes):
            try:
                bodies[index] = self._body(write)
            except RecordError as exc:
                out[index] = WriteOutcome(write.key, error=said(exc))
        operations = (
            self.client.bulk(
                "products",
                list(bodies.values()),
                what=Mn_("%(num)s product", "%(num)s products", len(bodies)),
            )
            if bodies
            else []
        )
        for index, operation in zip(bodies, operations, strict=True):
            write = writes[index]
            out[index] = (
                WriteOutcome(write.key, shop_id=write.draft.sku, created=write.shop_id is None)
                if operation.get("status") == 1
                else WriteOutcome(
                    write.key,
                    error=M_(
                        "%(platform)s refused %(request)s: %(message)s",
                        platform="Magento",
                        request=M_("product %(sku)s", sku=write.draft.sku),
                        message=str(operation.get("result_message")),
                    ),
                )
            )
        return [out[index] for index in range(len(writes))]

    def _attach(self, write: ProductWrite, parent: str) -> WriteOutcome:
        self.client.call(
            "POST",
            f"configurable-products/{segment(parent)}/child",
            {"childSku": write.draft.sku},
            what=M_("variation %(sku)s", sku=write.draft.sku),
            idempotent=False,
        )
        return WriteOutcome(write.key, shop_id=write.draft.sku, created=True)
