"""Which handler answers a ``/V1`` operation (method and path parts), as one table.

The paths and methods are those of the admin OpenAPI file (admin-schema-2.4.9.yaml);
each handler's module cites the docs of what it does. An operation not listed
answers 404 "Request does not match any route." as Magento's REST router does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import MagentoError, not_found
from .search import parse_criteria

if TYPE_CHECKING:
    from .server import MagentoSandbox

__all__ = ["route"]


def _stock_id(raw: str) -> int:
    if not raw.lstrip("-").isdigit():
        raise MagentoError(
            400,
            'The "%1" value\'s type is invalid. The "%2" type was expected. Verify and try again.',
            [raw, "int"],
        )
    return int(raw)


def route(
    shop: MagentoSandbox, method: str, parts: list[str], query: dict[str, list[str]], body: Any
) -> Any:
    """The synchronous ``/V1`` operations: catalogue, customers, orders read."""
    c, s, k = shop.catalog, shop.sales, shop.configurables
    body = body if isinstance(body, dict) else {}
    key = (method, *parts)
    match key:
        case ("GET", "store", "storeConfigs"):
            base = f"{shop.url}/"
            # The store views: the default one, and those the merchant added (a test
            # adds ``{"id", "code", "website_id"}`` rows to ``data["stores"]``).
            views = shop.data.get("stores") or [{"id": 1, "code": "default", "website_id": 1}]
            return [
                {
                    "id": view["id"],
                    "code": view["code"],
                    "website_id": view["website_id"],
                    "locale": "fr_FR",
                    "base_currency_code": "EUR",
                    "default_display_currency_code": "EUR",
                    "timezone": "Europe/Paris",
                    "weight_unit": "kgs",
                    **{
                        f"{scheme}base{kind}_url": f"{base}{path}"
                        for scheme in ("", "secure_")
                        for kind, path in (
                            ("", ""),
                            ("_link", ""),
                            ("_static", "static/"),
                            ("_media", "media/"),
                        )
                    },
                }
                for view in views
            ]
        case ("GET", "products"):
            return c.list_products(parse_criteria(query))
        case ("POST", "products"):
            return c.save_product(body)
        case ("GET", "products", sku):
            return c.get_product(sku)
        case ("PUT", "products", sku):
            return c.save_product(body, sku)
        case ("POST", "products", sku, "media"):
            return c.gallery.create(sku, body)
        case ("GET", "products", sku, "media"):
            return c.gallery.entries_of(sku)
        case ("GET", "products", sku, "media", entry_id):
            return c.gallery.get(sku, entry_id)
        case ("PUT", "products", sku, "media", entry_id):
            return c.gallery.update(sku, entry_id, body)
        case ("DELETE", "products", sku, "media", entry_id):
            return c.gallery.remove(sku, entry_id)
        case ("GET", "products", "attributes", code):
            return k.attribute(code)
        case ("POST", "products", "attributes", code, "options"):
            return k.add_value(code, body)
        case ("POST", "configurable-products", sku, "options"):
            return k.add_option(sku, body)
        case ("POST", "configurable-products", sku, "child"):
            return k.add_child(sku, body)
        case ("GET", "configurable-products", sku, "children"):
            return k.children(sku)
        case ("GET", "categories", "list"):
            return c.list_categories(parse_criteria(query))
        case ("POST", "categories"):
            return c.save_category(body)
        case ("PUT", "categories", cid):
            return c.save_category(body, cid)
        case ("POST", "inventory", "source-items"):
            return c.save_source_items(body)
        case ("GET", "inventory", "source-items"):
            return c.list_source_items(parse_criteria(query))
        case ("GET", "customers", "search"):
            return s.search_customers(parse_criteria(query))
        case ("POST", "customers"):
            return s.save_customer(body)
        case ("GET", "customers", cid) if cid.isdigit():
            return s.get_customer(cid)
        case ("PUT", "customers", cid) if cid.isdigit():
            return s.save_customer(body, cid)
        case ("GET", "customerGroups", "search"):
            return s.search_groups(parse_criteria(query))
        case ("POST", "customerGroups"):
            return s.save_group(body)
        case ("GET", "customerGroups", gid) if gid.isdigit():
            return s.get_group(gid)
        case ("PUT", "customerGroups", gid) if gid.isdigit():
            return s.update_group(gid, body)
        case ("GET", "orders"):
            return s.search_orders(parse_criteria(query))
        case ("GET", "orders", oid):
            return s.get_order(oid)
        case ("POST", "orders", oid, "comments"):
            return s.add_comment(oid, body)
        case ("GET", "bulk", bulk_uuid, "detailed-status"):
            return shop.bulk.status(bulk_uuid)
    return _route_sales(shop, method, parts, query, body)


def _route_sales(
    shop: MagentoSandbox,
    method: str,
    parts: list[str],
    query: dict[str, list[str]],
    body: dict[str, Any],
) -> Any:
    """Checkout, the merchant's order actions, MSI's quantities and tax classes."""
    a, inv, co = shop.actions, shop.inventory, shop.checkout
    match (method, *parts):
        case ("DELETE", "products", sku):
            return shop.catalog.delete_product(sku)
        case ("GET", "taxClasses", "search"):
            return shop.catalog.search_tax_classes(parse_criteria(query))
        case ("GET", "inventory", "get-product-salable-quantity", sku, stock):
            return inv.salable_quantity(sku, _stock_id(stock))
        case ("GET", "inventory", "is-product-salable", sku, stock):
            return inv.is_salable(sku, _stock_id(stock))
        case ("POST", "guest-carts"):
            return co.create_cart()
        case ("POST", "guest-carts", cart, "items"):
            return co.add_item(cart, body)
        case ("POST", "guest-carts", cart, "shipping-information"):
            return co.shipping_information(cart, body)
        case ("POST", "guest-carts", cart, "payment-information"):
            return co.place(cart, body)
        case ("POST", "order", oid, "invoice"):
            return a.invoice(oid, body)
        case ("POST", "order", oid, "ship"):
            return a.ship(oid, body)
        case ("POST", "order", oid, "refund"):
            return a.refund(oid, body)
        case ("POST", "orders", oid, "hold"):
            return a.hold(oid)
        case ("POST", "orders", oid, "unhold"):
            return a.unhold(oid)
        case ("POST", "orders", oid, "cancel"):
            return a.cancel(oid)
    raise not_found("route")
