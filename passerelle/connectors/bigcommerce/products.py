"""Products, variants and stock in the fewest requests BigCommerce allows.

Limits from the docs: products are created one per ``POST
/v3/catalog/products`` and updated 10 per ``PUT /v3/catalog/products``;
variants are created one per ``POST /v3/catalog/products/{id}/variants``
and updated 50 per ``PUT /v3/catalog/variants``; stock goes through ``PUT
/v3/inventory/adjustments/absolute``, 2,000 items a request — the docs'
recommended way, so a stock-only update never touches the catalog.

A product's shop id is its product id; a variant's is ``<product>/<variant>``.
A product with variants tracks stock by variant (``inventory_tracking``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from passerelle.connectors.base import ProductWrite, WriteOutcome
from passerelle.connectors.bigcommerce.brands import Brands
from passerelle.connectors.bigcommerce.client import BigCommerceClient, chunks
from passerelle.connectors.bigcommerce.custom_fields import sync_custom_fields
from passerelle.connectors.bigcommerce.gone import GONE_STATUSES, gone_keys
from passerelle.connectors.bigcommerce.images import (
    ImageError,
    sync_product_images,
    sync_variant_image,
    writes_images,
)
from passerelle.connectors.bigcommerce.names import distinct_name, is_name_conflict
from passerelle.connectors.bigcommerce.price_lists import GroupPrices
from passerelle.connectors.bigcommerce.tax_classes import TaxClasses
from passerelle.connectors.bigcommerce.translate_products import (
    custom_fields,
    only_asked,
    product_payload,
    variant_payload,
)
from passerelle.connectors.bigcommerce.unsupported import product_unsupported
from passerelle.connectors.errors import ConnectorError, RecordError
from passerelle.connectors.kit.fields import (
    FieldTable,
    Reader,
    as_sent,
    read_fields,
    required,
    text,
    value,
)
from passerelle.connectors.paths import segment
from passerelle.i18n.messages import M_, Mn_, Text, said
from passerelle.model import ProductDraft, ShopProduct

__all__ = ["INVENTORY_BATCH", "PRODUCT_BATCH", "VARIANT_BATCH", "CatalogWriter", "shop_products"]

PRODUCT_BATCH = 10
VARIANT_BATCH = 50
INVENTORY_BATCH = 2000
LOCATION_ID = 1  # the store's default location
STOCK_FIELDS = frozenset({"manage_stock", "stock_quantity"})


def _product_updates(count: int) -> Text:
    return Mn_("%(num)s product update", "%(num)s product updates", count)


def _variant_updates(count: int) -> Text:
    return Mn_("%(num)s variant update", "%(num)s variant updates", count)


def _is_variant(write: ProductWrite) -> bool:
    return write.draft.kind == "variation" or "/" in (write.shop_id or "")


class CatalogWriter:
    def __init__(
        self,
        client: BigCommerceClient,
        tax_classes: TaxClasses | None = None,
        brands: Brands | None = None,
        group_prices: GroupPrices | None = None,
    ) -> None:
        self.client = client
        self.tax_classes = tax_classes or TaxClasses(client)
        self.brands = brands or Brands(client)
        self.group_prices = group_prices

    def _payload(self, draft: ProductDraft, fields: frozenset[str] | None = None) -> dict[str, Any]:
        """The product body; the tax class and the brand are looked up only when written
        (the brand created when the store has none of that name: ``brands``)."""
        tax = fields is None or "tax_class" in fields
        brand = fields is None or "brand" in fields
        return product_payload(
            draft,
            self.tax_classes.id_of(draft.tax_class) if tax else 0,
            self.brands.id_of(draft.brand) if brand else 0,
        )

    def write(
        self, writes: Sequence[ProductWrite], parent_shop_id: str | None = None
    ) -> list[WriteOutcome]:
        """One outcome per write, in the order of ``writes``."""
        outcomes: dict[str, WriteOutcome] = {}
        stock: list[tuple[ProductWrite, dict[str, int]]] = []
        product_updates: list[tuple[ProductWrite, dict[str, Any]]] = []
        variant_updates: list[tuple[ProductWrite, dict[str, Any]]] = []
        features: list[ProductWrite] = []  # updated products whose custom fields are written
        for write in writes:
            parent = parent_shop_id or write.parent_shop_id
            if write.shop_id is None:
                outcomes[write.key] = (
                    self._create_variant(write, parent)
                    if _is_variant(write)
                    else self._create(write)
                )
                continue
            fields = write.fields
            if _is_variant(write):
                pid, _, vid = write.shop_id.partition("/")
                body = only_asked(variant_payload(write.draft), fields)
                if body:
                    variant_updates.append((write, {"id": int(vid), **body}))
                item = {"variant_id": int(vid)}
            else:
                try:
                    body = only_asked(self._payload(write.draft, fields), fields)
                except (RecordError, ConnectorError) as exc:
                    outcomes[write.key] = WriteOutcome(key=write.key, error=said(exc))
                    continue
                if body:
                    product_updates.append((write, {"id": int(write.shop_id), **body}))
                if (fields is None or "attributes" in fields) and custom_fields(write.draft):
                    features.append(write)
                item = {"product_id": int(write.shop_id)}
            if (
                (fields is None or fields & STOCK_FIELDS)
                and write.draft.manage_stock
                and write.draft.stock_quantity is not None
                and write.draft.kind != "variable"
            ):
                stock.append((write, item))
            outcomes[write.key] = WriteOutcome(key=write.key, shop_id=write.shop_id)
        self._batch(
            product_updates, "v3/catalog/products", PRODUCT_BATCH, outcomes, _product_updates
        )
        self._batch(
            variant_updates, "v3/catalog/variants", VARIANT_BATCH, outcomes, _variant_updates
        )
        self._stock(stock, outcomes)
        self._features(features, outcomes)
        self._images(writes, outcomes)
        if self.group_prices is not None:
            self.group_prices.write(writes, outcomes)
        for write in writes:
            outcome = outcomes[write.key]
            if outcome.ok:
                outcome.unsupported = product_unsupported(write)
        return [outcomes[w.key] for w in writes]

    def _features(self, writes: list[ProductWrite], outcomes: dict[str, WriteOutcome]) -> None:
        """An updated product's features, through its custom fields (``custom_fields``)."""
        for write in writes:
            if not outcomes[write.key].ok or outcomes[write.key].gone:
                continue
            try:
                sync_custom_fields(
                    self.client, str(write.shop_id), custom_fields(write.draft), write.draft.sku
                )
            except ConnectorError as exc:
                self._fail(outcomes, write.key, said(exc))

    def _images(self, writes: Sequence[ProductWrite], outcomes: dict[str, WriteOutcome]) -> None:
        """C7, once the records exist (``images``): a refused file is the record's error,
        the product keeping its shop id (created, it is found by SKU next time)."""
        for write in writes:
            outcome = outcomes[write.key]
            if not outcome.ok or outcome.gone or not outcome.shop_id or not writes_images(write):
                continue
            try:
                if "/" in outcome.shop_id:
                    media = sync_variant_image(
                        self.client, outcome.shop_id, write.draft.images, write.draft.sku
                    )
                elif write.draft.images or not outcome.created:
                    media = sync_product_images(
                        self.client, outcome.shop_id, write, created=outcome.created
                    )
                else:
                    continue
            except ImageError as exc:
                outcome.error = exc.said
                continue
            except ConnectorError as exc:
                outcome.error = said(exc)
                continue
            outcome.media_ids.update(media)

    def _fail(self, outcomes: dict[str, WriteOutcome], key: str, error: Text) -> None:
        outcomes[key] = WriteOutcome(key=key, error=error)

    def _send(
        self,
        path: str,
        items: list[tuple[ProductWrite, Any]],
        body: Callable[[list[Any]], Any],
        outcomes: dict[str, WriteOutcome],
        what: Text,
    ) -> None:
        """One batch request; refused for a target deleted in the store, those writes are
        gone and the others are sent again once."""
        try:
            self.client.put(path, body([b for _w, b in items]), what=what)
            return
        except ConnectorError as exc:
            error = exc
        if is_name_conflict(error):  # see ``names``: sent again with distinct names
            items = [
                (
                    w,
                    {**b, "name": distinct_name(b["name"], w.draft.sku)}
                    if isinstance(b, dict) and "name" in b
                    else b,
                )
                for w, b in items
            ]
            try:
                self.client.put(path, body([b for _w, b in items]), what=what)
                return
            except ConnectorError as exc:
                error = exc
        gone = (
            gone_keys(self.client, [w for w, _b in items])
            if error.status in GONE_STATUSES
            else set()
        )
        for write, _b in items:
            if write.key in gone:
                outcomes[write.key] = WriteOutcome(
                    key=write.key,
                    shop_id=write.shop_id,
                    gone=True,
                    error=M_(
                        "%(sku)s: the shop no longer has it (deleted there)", sku=write.draft.sku
                    ),
                )
        rest = [(w, b) for w, b in items if w.key not in gone]
        if not gone or not rest:
            for write, _b in rest:
                self._fail(outcomes, write.key, said(error))
            return
        try:
            self.client.put(path, body([b for _w, b in rest]), what=what)
        except ConnectorError as exc:
            for write, _b in rest:
                self._fail(outcomes, write.key, said(exc))

    def _batch(
        self,
        updates: list[tuple[ProductWrite, dict[str, Any]]],
        path: str,
        size: int,
        outcomes: dict[str, WriteOutcome],
        what: Callable[[int], Text],
    ) -> None:
        for chunk in chunks(updates, size):
            self._send(path, list(chunk), lambda bodies: bodies, outcomes, what(len(chunk)))

    def _stock(
        self, items: list[tuple[ProductWrite, dict[str, int]]], outcomes: dict[str, WriteOutcome]
    ) -> None:
        for chunk in chunks(items, INVENTORY_BATCH):
            lines = [
                (
                    w,
                    {
                        "location_id": LOCATION_ID,
                        **item,
                        "quantity": int(w.draft.stock_quantity or 0),
                    },
                )
                for w, item in chunk
                if not outcomes[w.key].gone
            ]
            if lines:
                self._send(
                    "v3/inventory/adjustments/absolute",
                    lines,
                    lambda bodies: {"reason": "passerelle stock update", "items": bodies},
                    outcomes,
                    Mn_("the stock of %(num)s item", "the stock of %(num)s items", len(lines)),
                )

    def _create(self, write: ProductWrite) -> WriteOutcome:
        try:
            body = self._payload(write.draft)
        except (RecordError, ConnectorError) as exc:
            return WriteOutcome(key=write.key, error=said(exc))
        if write.draft.manage_stock and write.draft.kind != "variable":
            body["inventory_level"] = int(write.draft.stock_quantity or 0)
        if custom_fields(write.draft):
            body["custom_fields"] = custom_fields(write.draft)
        what = M_("product %(sku)s", sku=write.draft.sku)
        try:
            try:
                answer = self.client.post("v3/catalog/products", body, what=what)
            except ConnectorError as exc:
                if not is_name_conflict(exc):
                    raise
                body["name"] = distinct_name(body["name"], write.draft.sku)
                answer = self.client.post("v3/catalog/products", body, what=what)
        except ConnectorError as exc:
            return WriteOutcome(key=write.key, error=said(exc))
        return WriteOutcome(key=write.key, shop_id=str(answer["data"]["id"]), created=True)

    def _create_variant(self, write: ProductWrite, parent: str | None) -> WriteOutcome:
        if not parent:
            return WriteOutcome(
                key=write.key,
                error=M_(
                    "variation %(sku)s has no parent product in the shop", sku=write.draft.sku
                ),
            )
        body = variant_payload(write.draft)
        body["option_values"] = [
            {"option_display_name": name, "label": value}
            for name, value in write.draft.variation_options
        ]
        if write.draft.manage_stock:
            body["inventory_level"] = int(write.draft.stock_quantity or 0)
        try:
            answer = self.client.post(
                f"v3/catalog/products/{segment(parent)}/variants",
                body,
                what=M_("variation %(sku)s", sku=write.draft.sku),
            )
        except ConnectorError as exc:
            return WriteOutcome(key=write.key, error=said(exc))
        return WriteOutcome(key=write.key, shop_id=f"{parent}/{answer['data']['id']}", created=True)


def _price(sent: Any) -> Decimal | None:
    return None if sent is None else Decimal(str(sent))


def _barcode(data: Mapping[str, Any]) -> Any:
    """The UPC, else the GTIN, as sent ("" when neither)."""
    return data.get("upc") or data.get("gtin") or ""


# A product's and a variant's own fields; categories, names and stock are rules.
_COMMON: FieldTable = {
    "sku": as_sent("sku"),
    "regular_price": value("price", _price),
    "weight": value("weight", _price),
    "barcode": _barcode,
}
_PRODUCT: FieldTable = {
    "shop_id": required("id", str),
    **_COMMON,
    "name": as_sent("name"),
    "description": as_sent("description"),
    "tax_class": text("tax_class_id"),
    "active": lambda data: bool(data.get("is_visible", True)),  # absent: visible
}
_VARIANT: FieldTable = {**_COMMON, "active": value("purchasing_disabled", lambda off: not off)}
_LEVEL: Reader = value("inventory_level", lambda sent: None if sent is None else int(sent))


def _read(
    table: FieldTable, data: Mapping[str, Any], record_id: str, counted: bool
) -> dict[str, Any]:
    """``table`` read from ``data``, with its stock when ``counted``; a refused field is
    the error of ``record_id``."""
    try:
        return read_fields(table, data) | {"stock_quantity": _LEVEL(data) if counted else None}
    except RecordError as exc:
        exc.record_id = exc.record_id or record_id
        raise


def shop_products(raw: dict[str, Any], names: dict[int, str]) -> list[ShopProduct]:
    """C21: a product and its variants (not the base variant of a product without options);
    a malformed field is the error of its product or variant, naming the field.

    Stock (R8): ``inventory_tracking`` "product" counts the product's
    ``inventory_level``, "variant" each variant's (the product's is then their
    sum), "none" nothing (products_catalog.v3 ``inventory_tracking``).
    """
    tracking = raw.get("inventory_tracking") or "none"
    product = ShopProduct(
        **_read(_PRODUCT, raw, str(raw.get("id")), tracking == "product"),
        category_names=tuple(names.get(c, "") for c in raw.get("categories") or []),
    )
    out = [product]
    for variant in raw.get("variants") or []:
        if not variant.get("option_values"):
            continue
        vid = f"{raw['id']}/{variant['id']}"
        out.append(
            ShopProduct(
                shop_id=vid,
                name=product.name,
                parent_sku=product.sku,
                **_read(_VARIANT, variant, vid, tracking == "variant"),
            )
        )
    return out
