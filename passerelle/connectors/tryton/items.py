"""C21: an item created or updated from the shop (the reverse catalogue import).

Functions over trytond's pool, called inside the connector's write
transaction. A new item is goods with one variant; an existing one (found by
its code, inactive ones included) gets its texts, price, weight and barcode,
and its tax and category only when the write names them.

An item is a Tryton variant (``product.product``). When its template holds
other variants too (the candle in three scents), the template's name, list
price, weight, taxes and categories are theirs as well: a shop variation
written there renamed and repriced every sibling, and the next product export
renamed the live shop product. So a variant of a shared template gets only what
Tryton keeps per variant: its description, barcode, active flag, and its own
list price (Tryton 8.2 has one per variant, ``product.product.list_price``;
sales and price lists use ``list_price_used``, which falls back to the
template's when the variant has none). The template is not written.
"""

from __future__ import annotations

from typing import Any

from passerelle.connectors.errors import RecordError
from passerelle.i18n.messages import M_, Message
from passerelle.model import ItemWrite

__all__ = ["upsert_item"]


def _model_data_id(pool: Any, module: str, xml_id: str) -> int:
    return int(pool.get("ir.model.data").get_id(module, xml_id))


def upsert_item(pool: Any, item: ItemWrite) -> Any:
    """The variant of ``item.code``, created or updated; RecordError naming what is missing."""
    from trytond.transaction import Transaction

    label = M_("item %(code)s", code=repr(item.code))
    if not item.code.strip():
        raise RecordError(M_("item without a code: Tryton needs one to find it again"))
    Product = pool.get("product.product")
    Template = pool.get("product.template")
    account_category = _account_category(pool, item.tax, label) if item.tax else None
    category = _category(pool, item.category, label) if item.category else None
    with Transaction().set_context(active_test=False):
        found = Product.search([("code", "=", item.code)], limit=1)
    if not found:
        return _create(pool, item, account_category, category)
    product = found[0]
    template = product.template
    if len(template.products) > 1:
        return _update_shared_variant(pool, product, item)
    template_values: dict[str, Any] = {"name": item.name}
    if item.sale_price is not None:
        template_values["list_price"] = item.sale_price
    if item.weight is not None:
        template_values["weight"] = float(item.weight)
        template_values["weight_uom"] = _model_data_id(pool, "product", "uom_kilogram")
    if account_category is not None:
        template_values["account_category"] = account_category.id
    if category is not None:
        template_values["categories"] = [("add", [category.id])]
    if template.products and len(template.products) == 1:
        template_values["active"] = item.active
    Template.write([template], template_values)
    product_values: dict[str, Any] = {
        "description": item.description or None,
        "active": item.active,
    }
    if item.sale_price is not None and product.list_price is not None:
        product_values["list_price"] = item.sale_price  # the variant's own price wins
    Product.write([product], product_values)
    _set_barcode(pool, Product(product.id), item.barcode)
    return Product(product.id)


def _update_shared_variant(pool: Any, product: Any, item: ItemWrite) -> Any:
    """A variant whose template has siblings: the variant's own fields only (see above).

    Its price is written as its own list price only when it changes what the
    variant sells at: a variant that follows its template's price keeps doing so
    while the shop agrees with it.
    """
    Product = pool.get("product.product")
    values: dict[str, Any] = {"description": item.description or None, "active": item.active}
    if item.sale_price is not None and item.sale_price != product.list_price_used:
        values["list_price"] = item.sale_price
    Product.write([product], values)
    _set_barcode(pool, Product(product.id), item.barcode)
    return Product(product.id)


def _create(pool: Any, item: ItemWrite, account_category: Any, category: Any) -> Any:
    from trytond.transaction import Transaction

    Template = pool.get("product.template")
    Product = pool.get("product.product")
    unit = _model_data_id(pool, "product", "uom_unit")
    values: dict[str, Any] = {
        "name": item.name,
        "code": item.code,
        "type": "goods",
        "default_uom": unit,
        "sale_uom": unit,
        "salable": True,
        "active": item.active,
        "list_price": item.sale_price or 0,
        "account_category": account_category.id if account_category is not None else None,
        "categories": [("add", [category.id])] if category is not None else [],
        "products": [
            ("create", [{"description": item.description or None, "active": item.active}])
        ],
    }
    if item.weight is not None:
        values["weight"] = float(item.weight)
        values["weight_uom"] = _model_data_id(pool, "product", "uom_kilogram")
    (template,) = Template.create([values])
    with Transaction().set_context(active_test=False):
        (product,) = Product.search([("template", "=", template.id)], limit=1)
    _set_barcode(pool, product, item.barcode)
    return Product(product.id)


def _set_barcode(pool: Any, product: Any, barcode: str) -> None:
    """The EAN identifier (untyped when its check digit is wrong), replacing the old barcode."""
    barcode = barcode.strip()
    if not barcode:
        return
    from stdnum import ean

    Identifier = pool.get("product.identifier")
    kind = "ean" if ean.is_valid(barcode) else None
    current = [i for i in product.identifiers if i.type in ("ean", None)]
    if current and current[0].code == barcode:
        return
    if current:
        Identifier.write([current[0]], {"code": barcode, "type": kind})
    else:
        Identifier.create([{"product": product.id, "type": kind, "code": barcode}])


def _account_category(pool: Any, tax_name: str, label: Message) -> Any:
    """The accounting category whose customer taxes include the tax named ``tax_name``."""
    Tax = pool.get("account.tax")
    Category = pool.get("product.category")
    taxes = Tax.search([("name", "=", tax_name)])
    if not taxes:
        raise RecordError(
            M_(
                "%(item)s: tax %(tax)s does not exist in Tryton (Accounting › Taxes); "
                "map the shop's tax class to an existing tax",
                item=label,
                tax=repr(tax_name),
            )
        )
    categories = Category.search(
        [("accounting", "=", True), ("customer_taxes", "in", [t.id for t in taxes])],
        order=[("id", "ASC")],
    )
    if not categories:
        raise RecordError(
            M_(
                "%(item)s: no accounting product category has the customer tax %(tax)s "
                "in Tryton (Product › Categories, accounting); create one or map another tax",
                item=label,
                tax=repr(tax_name),
            )
        )
    return categories[0]


def _category(pool: Any, name: str, label: Message) -> Any:
    Category = pool.get("product.category")
    found = Category.search(
        [("name", "=", name), ("accounting", "=", False)], order=[("id", "ASC")], limit=1
    )
    if not found:
        raise RecordError(
            M_(
                "%(item)s: category %(category)s does not exist in Tryton "
                "(Product › Categories); create it or map the shop category to an existing one",
                item=label,
                category=repr(name),
            )
        )
    return found[0]
