"""Taxes, tax classes, payment gateways, shipping methods, system status, indexes.

Docs: woocommerce-rest-api-docs ``_taxes.md`` (rate as a string with four
decimals, ``class`` slug, ``priority``, ``compound``, ``shipping``; list
ordered by ``order`` ascending), ``_tax-classes.md`` (``slug``/``name``; the
standard class cannot be deleted), ``_payment-gateways.md``,
``_shipping-methods.md``, ``_system-status.md`` and the WordPress REST
namespace index (``GET /wp-json/wc/v3``), which needs no authentication.
"""

from __future__ import annotations

import copy
from decimal import Decimal, InvalidOperation
from typing import Any

from ..errors import ApiError, invalid_id, invalid_param, missing_param
from ..http import NAMESPACE, Request, Response, Router
from ..pagination import paginate
from ..params import Params
from .common import Shop, batch, created_response, links, order_and_sort, slugify
from .orders import CURRENCY, WC_VERSION

__all__ = ["SHIPPING_METHODS", "register"]

SHIPPING_METHODS = [
    {
        "id": "flat_rate",
        "title": "Flat rate",
        "description": "Lets you charge a fixed rate for shipping.",
    },
    {
        "id": "free_shipping",
        "title": "Free shipping",
        "description": "Free shipping is a special method which can be triggered with coupons "
        "and minimum spends.",
    },
    {
        "id": "local_pickup",
        "title": "Local pickup",
        "description": "Allow customers to pick up orders themselves. By default, when using "
        "local pickup store base taxes will apply regardless of customer address.",
    },
]


def register(router: Router, shop: Shop, site_name: str) -> None:
    lock = shop.store.lock
    ns = f"/{NAMESPACE}"

    # -- taxes ------------------------------------------------------------------
    def get_tax(tax_id: int) -> dict[str, Any]:
        rate = shop.data.taxes.get(tax_id)
        if rate is None:
            raise invalid_id("woocommerce_rest_invalid_id", "Invalid resource ID.")
        return rate

    def render_tax(req: Request, rate: dict[str, Any]) -> dict[str, Any]:
        out = copy.deepcopy(rate)
        out["_links"] = links(req, "taxes", rate["id"])
        return out

    def write_tax(rate: dict[str, Any], body: dict[str, Any]) -> None:
        p = Params({}, body, {})
        for key in ("country", "state", "name"):
            if key in body:
                rate[key] = (
                    (p.string(key) or "").upper() if key != "name" else (p.string(key) or "")
                )
        for key in ("postcode", "city"):
            if key in body:
                value = p.string(key) or ""
                rate[f"{key}s"] = [value.upper()] if value else []
                rate[key] = value.upper()
        for key in ("postcodes", "cities"):
            if key in body:
                rate[key] = [v.upper() for v in p.string_list(key) or []]
                rate[key[:-1] if key == "postcodes" else "city"] = rate[key][0] if rate[key] else ""
        if "rate" in body:
            try:
                rate["rate"] = f"{Decimal(str(body['rate'])):.4f}"
            except InvalidOperation as exc:
                raise invalid_param({"rate": "rate is not of type string."}) from exc
        if "priority" in body:
            rate["priority"] = p.integer("priority", 1)
        if "order" in body:
            rate["order"] = p.integer("order", 0)
        for key in ("compound", "shipping"):
            if key in body:
                rate[key] = p.boolean(key)
        if "class" in body:
            slug = p.string("class") or "standard"
            if slug not in {c["slug"] for c in shop.data.tax_classes}:
                raise invalid_param(
                    {
                        "class": f"class is not one of "
                        f"{', '.join(c['slug'] for c in shop.data.tax_classes)}."
                    }
                )
            rate["class"] = slug

    def create_tax(body: dict[str, Any]) -> dict[str, Any]:
        rate = {
            "id": 0,
            "country": "",
            "state": "",
            "postcode": "",
            "city": "",
            "postcodes": [],
            "cities": [],
            "rate": "0.0000",
            "name": "",
            "priority": 1,
            "compound": False,
            "shipping": True,
            "order": 0,
            "class": "standard",
        }
        write_tax(rate, body)
        rate["id"] = shop.store.next_id("tax_rate")
        shop.data.taxes[rate["id"]] = rate
        shop.store.mark_dirty()
        return rate

    def update_tax(tax_id: int, body: dict[str, Any]) -> dict[str, Any]:
        rate = get_tax(tax_id)
        write_tax(rate, body)
        shop.store.mark_dirty()
        return rate

    def delete_tax(tax_id: int, force: bool) -> dict[str, Any]:
        rate = get_tax(tax_id)
        if not force:
            raise ApiError(
                501, "woocommerce_rest_trash_not_supported", "Taxes do not support trashing."
            )
        del shop.data.taxes[tax_id]
        shop.store.mark_dirty()
        return rate

    def list_taxes(req: Request) -> Response:
        p = req.params
        with lock:
            items = list(shop.data.taxes.values())
            tax_class = p.string("class")
            if tax_class:
                items = [r for r in items if r["class"] == tax_class]
            items = order_and_sort(
                items,
                p,
                {
                    "order": lambda r: r["order"],
                    "id": lambda r: r["id"],
                    "priority": lambda r: r["priority"],
                },
                default_orderby="order",
                default_order="asc",
            )
            page, headers = paginate(
                items, p, collection_url=req.url(f"{ns}/taxes"), query=req.query
            )
            return Response([render_tax(req, r) for r in page], headers=headers)

    def tax_route(action: str):  # noqa: ANN202 - small local factory
        def handler(req: Request) -> Response:
            with lock:
                if action == "create":
                    return created_response(
                        req, render_tax(req, create_tax(req.params.body)), "taxes"
                    )
                tax_id = int(req.params.url["id"])
                if action == "get":
                    return Response(render_tax(req, get_tax(tax_id)))
                if action == "update":
                    return Response(render_tax(req, update_tax(tax_id, req.params.body)))
                return Response(render_tax(req, delete_tax(tax_id, req.params.boolean("force"))))

        return handler

    def batch_taxes(req: Request) -> Response:
        with lock:
            return batch(
                req,
                create=lambda b: render_tax(req, create_tax(b)),
                update=lambda i, b: render_tax(req, update_tax(i, b)),
                delete=lambda i: render_tax(req, delete_tax(i, True)),
            )

    # -- tax classes --------------------------------------------------------------------
    def render_class(req: Request, tax_class: dict[str, str]) -> dict[str, Any]:
        return {**tax_class, "_links": {"collection": [{"href": req.url(f"{ns}/taxes/classes")}]}}

    def list_classes(req: Request) -> Response:
        with lock:
            return Response([render_class(req, c) for c in shop.data.tax_classes])

    def create_class(req: Request) -> Response:
        with lock:
            name = (req.params.string("name") or "").strip()
            if not name:
                raise missing_param(["name"])
            slug = slugify(name)
            if any(c["slug"] == slug for c in shop.data.tax_classes):
                raise ApiError(
                    400, "woocommerce_rest_tax_class_exists", "Tax class already exists."
                )
            tax_class = {"slug": slug, "name": name}
            shop.data.tax_classes.append(tax_class)
            shop.store.mark_dirty()
            return Response(render_class(req, tax_class), 201)

    def class_by_slug(req: Request) -> Response:
        with lock:
            slug = req.params.url["slug"]
            found = next((c for c in shop.data.tax_classes if c["slug"] == slug), None)
            if req.method == "GET":
                rates = [r for r in shop.data.taxes.values() if r["class"] == slug]
                if found is None:
                    raise invalid_id(
                        "woocommerce_rest_tax_class_invalid_slug", "Invalid tax class slug."
                    )
                return Response([render_tax(req, r) for r in rates])
            if found is None or slug == "standard":
                raise invalid_id(
                    "woocommerce_rest_tax_class_invalid_slug", "Invalid tax class slug."
                )
            if not req.params.boolean("force"):
                raise ApiError(
                    501, "woocommerce_rest_trash_not_supported", "Taxes do not support trashing."
                )
            shop.data.tax_classes.remove(found)
            for rate_id in [i for i, r in shop.data.taxes.items() if r["class"] == slug]:
                del shop.data.taxes[rate_id]
            shop.store.mark_dirty()
            return Response(render_class(req, found))

    # -- payment gateways & shipping methods -----------------------------------------------
    def render_gateway(req: Request, gateway: dict[str, Any]) -> dict[str, Any]:
        out = copy.deepcopy(gateway)
        out["_links"] = links(req, "payment_gateways", gateway["id"])
        return out

    def list_gateways(req: Request) -> Response:
        with lock:
            return Response(
                [
                    render_gateway(req, g)
                    for g in sorted(shop.data.payment_gateways, key=lambda g: g["order"])
                ]
            )

    def gateway_route(req: Request) -> Response:
        with lock:
            gateway = next(
                (g for g in shop.data.payment_gateways if g["id"] == req.params.url["gateway"]),
                None,
            )
            if gateway is None:
                raise invalid_id(
                    "woocommerce_rest_payment_gateway_invalid", "Invalid payment gateway ID."
                )
            if req.method != "GET":
                p = req.params
                for key in ("title", "description"):
                    if key in p.body:
                        gateway[key] = p.string(key) or ""
                if "enabled" in p.body:
                    gateway["enabled"] = p.boolean("enabled")
                if "order" in p.body:
                    gateway["order"] = p.integer("order", 0)
                shop.store.mark_dirty()
            return Response(render_gateway(req, gateway))

    def list_shipping_methods(req: Request) -> Response:
        return Response(
            [{**m, "_links": links(req, "shipping_methods", m["id"])} for m in SHIPPING_METHODS]
        )

    def shipping_method(req: Request) -> Response:
        found = next((m for m in SHIPPING_METHODS if m["id"] == req.params.url["method"]), None)
        if found is None:
            raise invalid_id("woocommerce_rest_shipping_method_invalid", "Resource does not exist.")
        return Response({**found, "_links": links(req, "shipping_methods", found["id"])})

    # -- indexes and system status -------------------------------------------------------------
    def namespace_index(req: Request) -> Response:
        routes: dict[str, Any] = {}
        for template, methods in router.templates().items():
            path = template
            for name in ("product_id", "order_id", "refund_id", "id"):
                path = path.replace(f"<{name}>", f"(?P<{name}>[\\d]+)")
            for name in ("slug", "gateway", "method"):
                path = path.replace(f"<{name}>", f"(?P<{name}>[\\w-]+)")
            ordered = sorted(methods)
            routes[path] = {
                "namespace": NAMESPACE,
                "methods": ordered,
                "endpoints": [{"methods": [m], "args": {}} for m in ordered],
            }
            if "<" not in template:
                routes[path]["_links"] = {"self": [{"href": req.url(template)}]}
        return Response(
            {
                "namespace": NAMESPACE,
                "routes": routes,
                "_links": {"up": [{"href": req.api_root + "/"}]},
            }
        )

    def site_index(req: Request) -> Response:
        return Response(
            {
                "name": site_name,
                "description": "",
                "url": req.site_url,
                "home": req.site_url,
                "gmt_offset": "1",
                "timezone_string": "Europe/Paris",
                "namespaces": ["oembed/1.0", "wc/v1", "wc/v2", "wc/v3", "wc/store/v1", "wp/v2"],
                "authentication": [],
                "routes": {},
            }
        )

    def system_status(req: Request) -> Response:
        with lock:
            counts: dict[str, int] = {}
            for order in shop.data.orders.values():
                counts[order["status"]] = counts.get(order["status"], 0) + 1
            return Response(
                {
                    "environment": {
                        "home_url": req.site_url,
                        "site_url": req.site_url,
                        "version": WC_VERSION,
                        "log_directory": "/var/www/html/wp-content/uploads/wc-logs/",
                        "log_directory_writable": True,
                        "wp_version": "6.7.1",
                        "wp_multisite": False,
                        "wp_memory_limit": 268435456,
                        "wp_debug_mode": False,
                        "wp_cron": True,
                        "language": "fr_FR",
                        "external_object_cache": None,
                        "server_info": "passerelle sandbox",
                        "php_version": "8.2.0",
                        "php_post_max_size": 67108864,
                        "php_max_execution_time": 30,
                        "php_max_input_vars": 1000,
                        "curl_version": "",
                        "suhosin_installed": False,
                        "max_upload_size": 67108864,
                        "mysql_version": "8.0.0",
                        "mysql_version_string": "8.0.0",
                        "default_timezone": "UTC",
                        "fsockopen_or_curl_enabled": True,
                        "soapclient_enabled": False,
                        "domdocument_enabled": True,
                        "gzip_enabled": True,
                        "mbstring_enabled": True,
                        "remote_post_successful": True,
                        "remote_post_response": 200,
                        "remote_get_successful": True,
                        "remote_get_response": 200,
                    },
                    "database": {
                        "wc_database_version": WC_VERSION,
                        "database_prefix": "wp_",
                        "maxmind_geoip_database": "",
                        "database_tables": {},
                    },
                    "active_plugins": [
                        {
                            "plugin": "woocommerce/woocommerce.php",
                            "name": "WooCommerce",
                            "version": WC_VERSION,
                            "version_latest": WC_VERSION,
                            "url": "https://woocommerce.com/",
                            "author_name": "Automattic",
                            "author_url": "https://woocommerce.com",
                            "network_activated": False,
                        }
                    ],
                    "inactive_plugins": [],
                    "dropins_mu_plugins": {"dropins": [], "mu_plugins": []},
                    "theme": {
                        "name": "Storefront",
                        "version": "4.6.0",
                        "version_latest": "4.6.0",
                        "author_url": "https://woocommerce.com/",
                        "is_child_theme": False,
                        "has_woocommerce_support": True,
                        "has_woocommerce_file": False,
                        "has_outdated_templates": False,
                        "overrides": [],
                        "parent_name": "",
                        "parent_version": "",
                        "parent_author_url": "",
                    },
                    "settings": {
                        "api_enabled": True,
                        "force_ssl": True,
                        "currency": CURRENCY,
                        "currency_symbol": "€",
                        "currency_position": "right_space",
                        "thousand_separator": " ",
                        "decimal_separator": ",",
                        "number_of_decimals": 2,
                        "geolocation_enabled": False,
                        "taxonomies": {
                            "external": "external",
                            "grouped": "grouped",
                            "simple": "simple",
                            "variable": "variable",
                        },
                        "product_visibility_terms": {
                            "exclude-from-catalog": "exclude-from-catalog",
                            "exclude-from-search": "exclude-from-search",
                            "featured": "featured",
                            "outofstock": "outofstock",
                        },
                    },
                    "security": {"secure_connection": True, "hide_errors": True},
                    "pages": [],
                    "post_type_counts": [
                        {"type": "product", "count": str(len(shop.data.products))},
                        {"type": "shop_order", "count": str(len(shop.data.orders))},
                    ],
                }
            )

    router.add("/", "GET", site_index, public=True)
    router.add(ns, "GET", namespace_index, public=True)
    router.add(f"{ns}/system_status", "GET", system_status, collection=True)
    router.add(f"{ns}/taxes/batch", "POST PUT PATCH", batch_taxes, batch=True)
    router.add(f"{ns}/taxes/classes", "GET", list_classes, collection=True)
    router.add(f"{ns}/taxes/classes", "POST", create_class, collection=True)
    router.add(f"{ns}/taxes/classes/<slug>", "GET DELETE", class_by_slug)
    router.add(f"{ns}/taxes", "GET", list_taxes, collection=True)
    router.add(f"{ns}/taxes", "POST", tax_route("create"), collection=True)
    router.add(f"{ns}/taxes/<id>", "GET", tax_route("get"))
    router.add(f"{ns}/taxes/<id>", "PUT PATCH POST", tax_route("update"))
    router.add(f"{ns}/taxes/<id>", "DELETE", tax_route("delete"))
    router.add(f"{ns}/payment_gateways", "GET", list_gateways, collection=True)
    router.add(f"{ns}/payment_gateways/<gateway>", "GET PUT PATCH POST", gateway_route)
    router.add(f"{ns}/shipping_methods", "GET", list_shipping_methods, collection=True)
    router.add(f"{ns}/shipping_methods/<method>", "GET", shipping_method)
