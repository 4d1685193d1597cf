"""The demo's catalogue-export records (issue 4): variants, kit, custom fields, media, prices.

Called by :mod:`.demo_records` inside the demo build's transaction, once the
original catalogue, stock, customers and web shop exist. Everything comes
from :mod:`passerelle.demo_data`; each function creates one kind of record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from passerelle import demo_data
from passerelle.connectors.tryton.constants import EXTERNAL_KEY_SHOP

__all__ = ["create_new_items", "load_catalogue_extras"]


def _model_data_id(pool: Any, module: str, xml_id: str) -> int:
    return int(pool.get("ir.model.data").get_id(module, xml_id))


def create_new_items(
    pool: Any, categories: dict[str, Any], accounting: dict[str, Any]
) -> dict[str, Any]:
    """Templates of ``demo_data.NEW_CATALOGUE_ITEMS``: variants grouped, the kit as a kit.

    Items sharing ``template`` become the variants of one template (code
    prefix + variant suffix); the kit's components are added once every
    template exists. Returns the new variants by code.
    """
    from trytond.transaction import Transaction

    Template = pool.get("product.template")
    Product = pool.get("product.product")
    Uom = pool.get("product.uom")
    unit = Uom(_model_data_id(pool, "product", "uom_unit"))
    kilogram = Uom(_model_data_id(pool, "product", "uom_kilogram"))
    groups: dict[str, list[demo_data.DemoItem]] = {}
    for item in demo_data.NEW_CATALOGUE_ITEMS:
        groups.setdefault(item.template or item.code, []).append(item)
    values = []
    for code, items in groups.items():
        first = items[0]
        variants = [
            {
                "suffix_code": item.variant or None,
                "active": item.active,
                "description": item.description,
                "list_price": item.price if item.template else None,
                "identifiers": (
                    [("create", [{"type": None, "code": item.barcode}])] if item.barcode else []
                ),
            }
            for item in items
        ]
        values.append(
            {
                "name": first.name,
                "code": code,
                "type": "kit" if first.components else "goods",
                "default_uom": unit.id,
                "sale_uom": unit.id,
                "salable": first.salable,
                "active": first.active,
                "list_price": min(item.price for item in items),
                "account_category": accounting[first.tax].id,
                "categories": [("add", [categories[first.category].id])],
                "weight": float(first.weight),
                "weight_uom": kilogram.id,
                "products": [("create", variants)],
            }
        )
    templates = Template.create(values)
    with Transaction().set_context(active_test=False):
        products = Product.search([("template", "in", [t.id for t in templates])])
    return {p.code: p for p in products}


def load_catalogue_extras(
    pool: Any, company: Any, products: dict[str, Any], categories: dict[str, Any]
) -> None:
    """Everything else issue 4's flows read, on the items created before."""
    _create_kit_components(pool, products)
    _create_attributes(pool, products)
    _set_cost_prices_and_dimensions(pool, company, products)
    _create_images_and_documents(pool, products)
    _create_suppliers(pool, company, products)
    _create_price_lists(pool, company, categories)
    _set_customer_terms_and_contacts(pool, company)
    _create_translations(pool, products)
    _publish(pool, products)
    _create_pending_sale(pool, company, products)
    _create_planned_delivery(pool, company, products)


def _create_kit_components(pool: Any, products: dict[str, Any]) -> None:
    Component = pool.get("product.component")
    kit = demo_data.KIT_ITEM
    Component.create(
        [
            {
                "parent_template": products[kit.code].template.id,
                "product": products[code].id,
                "quantity": float(quantity),
                "unit": products[code].default_uom.id,
            }
            for code, quantity in kit.components
        ]
    )


def _create_attributes(pool: Any, products: dict[str, Any]) -> None:
    """The "Web" attribute set, its attributes, and their values on each variant."""
    Attribute = pool.get("product.attribute")
    AttributeSet = pool.get("product.attribute.set")
    Template = pool.get("product.template")
    Product = pool.get("product.product")
    attributes = Attribute.create(
        [
            {
                "name": a.name,
                "string": a.string,
                "type_": a.type,
                **({"digits": a.digits} if a.digits is not None else {}),
            }
            for a in demo_data.ATTRIBUTES
        ]
    )
    (web,) = AttributeSet.create(
        [{"name": demo_data.ATTRIBUTE_SET, "attributes": [("add", [a.id for a in attributes])]}]
    )
    catalogue = [products[item.code] for item in demo_data.CATALOGUE_ITEMS]
    Template.write(list({p.template for p in catalogue}), {"attribute_set": web.id})
    to_write: list[Any] = []
    for item in demo_data.CATALOGUE_ITEMS:
        values = demo_data.ITEM_ATTRIBUTES[item.code]
        if values:
            to_write += [[products[item.code]], {"attributes": dict(values)}]
    Product.write(*to_write)


def _set_cost_prices_and_dimensions(pool: Any, company: Any, products: dict[str, Any]) -> None:
    Product = pool.get("product.product")
    Template = pool.get("product.template")
    costs: list[Any] = []
    for code, price in demo_data.ITEM_COST_PRICES.items():
        costs += [[products[code]], {"cost_price": price}]  # the company's value (MultiValue)
    Product.write(*costs)
    Uom = pool.get("product.uom")
    centimetre = Uom(_model_data_id(pool, "product", "uom_centimeter"))
    to_write: list[Any] = []
    for code, (length, width, height) in demo_data.ITEM_DIMENSIONS.items():
        to_write += [
            [products[code].template],
            {
                "length": float(length),
                "width": float(width),
                "height": float(height),
                "length_uom": centimetre.id,
                "width_uom": centimetre.id,
                "height_uom": centimetre.id,
            },
        ]
    Template.write(*to_write)


def _create_images_and_documents(pool: Any, products: dict[str, Any]) -> None:
    """Images on the variant's template (product_image), documents as template attachments."""
    Image = pool.get("product.image")
    Attachment = pool.get("ir.attachment")
    Image.create(
        [
            {
                "template": products[code].template.id,
                "product": products[code].id,
                "image": demo_data.demo_png(colour),
                "description": f"{code}-{index}.jpg",
                "sequence": index,
            }
            for code, colours in demo_data.ITEM_IMAGES.items()
            for index, colour in enumerate(colours, start=1)
        ]
    )
    files = [
        (code, name, demo_data.demo_document(name))
        for code, names in demo_data.ITEM_DOCUMENTS.items()
        for name in names
    ]
    attachments = Attachment.create(
        [
            {"name": name, "type": "data", "resource": str(products[code].template)}
            for code, name, _ in files
        ]
    )
    # Tryton writes attachment data to its filestore (files beside the
    # database), which a copy of the demo database would not carry; data in
    # the table's own column (no file id) is read the same way by Tryton.
    from trytond.transaction import Transaction

    table = Attachment.__table__()
    cursor = Transaction().connection.cursor()
    for attachment, (_, _, data) in zip(attachments, files, strict=True):
        cursor.execute(*table.update([table.data], [data], where=table.id == attachment.id))


def _create_suppliers(pool: Any, company: Any, products: dict[str, Any]) -> None:
    Party = pool.get("party.party")
    Supplier = pool.get("purchase.product_supplier")
    names = sorted({name for name, _ in demo_data.ITEM_SUPPLIERS.values()})
    parties = {p.name: p for p in Party.create([{"name": name} for name in names])}
    Supplier.create(
        [
            {
                "template": products[code].template.id,
                "product": products[code].id,
                "party": parties[name].id,
                "code": reference,
                "company": company.id,
                "currency": company.currency.id,
            }
            for code, (name, reference) in demo_data.ITEM_SUPPLIERS.items()
        ]
    )


def _create_price_lists(pool: Any, company: Any, categories: dict[str, Any]) -> None:
    """One price list per demo list; the customers' lists (K1 groups) set on their party."""
    PriceList = pool.get("product.price_list")
    Party = pool.get("party.party")
    lists = PriceList.create(
        [
            {
                "name": demo.name,
                "company": company.id,
                "price": "list_price",
                "tax_included": False,
                "lines": [
                    (
                        "create",
                        [
                            {
                                "category": categories[demo.category].id if demo.category else None,
                                "formula": f"unit_price * (1 - Decimal('{demo.discount}'))",
                            }
                        ],
                    )
                ],
            }
            for demo in demo_data.PRICE_LISTS
        ]
    )
    by_name = {p.name: p for p in lists}
    for code, name in demo_data.CUSTOMER_PRICE_LISTS.items():
        (party,) = Party.search([("code", "=", code)])
        party.sale_price_list = by_name[name]
        party.save()


def _set_customer_terms_and_contacts(pool: Any, company: Any) -> None:
    Party = pool.get("party.party")
    Term = pool.get("account.invoice.payment_term")
    Mechanism = pool.get("party.contact_mechanism")
    terms = {t.name: t for t in Term.search([])}
    for code, name in demo_data.CUSTOMER_PAYMENT_TERMS.items():
        (party,) = Party.search([("code", "=", code)])
        party.customer_payment_term = terms[name]
        party.save()
    values = []
    for code, contacts in demo_data.CUSTOMER_CONTACTS.items():
        (party,) = Party.search([("code", "=", code)])
        values += [
            {"party": party.id, "type": "email", "value": email, "name": name}
            for name, email in contacts
        ]
    Mechanism.create(values)


def _create_translations(pool: Any, products: dict[str, Any]) -> None:
    """C20: the other language made translatable, a few items' name and description in it."""
    from trytond.transaction import Transaction

    Lang = pool.get("ir.lang")
    Template = pool.get("product.template")
    Product = pool.get("product.product")
    (language,) = Lang.search([("code", "=", demo_data.TRANSLATION_LANGUAGE)])
    Lang.write([language], {"translatable": True})
    with Transaction().set_context(language=demo_data.TRANSLATION_LANGUAGE):
        for code, (name, description) in demo_data.ITEM_TRANSLATIONS.items():
            product = Product(products[code].id)
            Template.write([product.template], {"name": name})
            Product.write([product], {"description": description})


def _publish(pool: Any, products: dict[str, Any]) -> None:
    """C5: salable catalogue items but the unpublished ones are products of the web shop."""
    Shop = pool.get("web.shop")
    (shop,) = Shop.search([("name", "=", EXTERNAL_KEY_SHOP)])
    published = [
        products[item.code].id
        for item in demo_data.CATALOGUE_ITEMS
        if item.salable and item.code not in demo_data.UNPUBLISHED_ITEMS
    ]
    Shop.write([shop], {"products": [("add", published)]})


def _create_pending_sale(pool: Any, company: Any, products: dict[str, Any]) -> None:
    """C9: a confirmed, processed sale whose goods have not left (available < on hand).

    Not a web order (no web shop key), so the order import never meets it.
    """
    Sale = pool.get("sale.sale")
    Party = pool.get("party.party")
    (party,) = Party.search([("code", "=", demo_data.PENDING_CUSTOMER)])
    sale = Sale(**Sale.default_get(list(Sale._fields), with_rec_name=False))
    sale.party = party
    sale.on_change_party()
    sale.company = company
    sale.currency = company.currency
    sale.sale_date = dt.date.today()
    (sale.warehouse,) = pool.get("stock.location").search([("code", "=", demo_data.WAREHOUSES[0])])
    sale.description = "Commande téléphonique (démo)"
    Line = pool.get("sale.line")
    lines = []
    for code, quantity in demo_data.PENDING_CUSTOMER_ORDER:
        product = products[code]
        lines.append(
            Line(
                type="line",
                product=product,
                description=product.rec_name,
                quantity=float(quantity),
                unit=product.sale_uom,
                unit_price=product.list_price_used,
                taxes=list(product.customer_taxes_used),
            )
        )
    sale.lines = lines
    sale.save()
    Sale.quote([sale])
    Sale.confirm([sale])
    Sale.process([Sale(sale.id)])


def _create_planned_delivery(pool: Any, company: Any, products: dict[str, Any]) -> None:
    """C9: a draft supplier move planned in a week (forecast > on hand)."""
    Move = pool.get("stock.move")
    Location = pool.get("stock.location")
    (supplier,) = Location.search([("type", "=", "supplier")], limit=1)
    (warehouse,) = Location.search([("code", "=", demo_data.WAREHOUSES[0])])
    code, quantity = demo_data.PLANNED_SUPPLIER_DELIVERY
    product = products[code]
    Move.create(
        [
            {
                "product": product.id,
                "unit": product.default_uom.id,
                "quantity": float(quantity),
                "from_location": supplier.id,
                "to_location": warehouse.storage_location.id,
                "planned_date": dt.date.today()
                + dt.timedelta(days=demo_data.PLANNED_DELIVERY_DAYS),
                "company": company.id,
                "unit_price": demo_data.ITEM_COST_PRICES[code],
                "currency": company.currency.id,
            }
        ]
    )
