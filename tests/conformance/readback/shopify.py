"""Shopify's Admin GraphQL read queries, sent raw: what a merchant's other tools see.

Customers: ``customers(query: "email:…")`` (queries/customers, objects/Customer): names,
e-mail, phone (as Shopify keeps it, in international form), note, tags (the group is
the one tag passerelle writes), addresses (the company on them), and the
``passerelle`` metafields (``metafield(namespace:, key:)``): account code, company
without an address, company number, credit limit, payment term. Shopify cannot
disable an account: ``active`` is absent.

Products: ``productVariants(query: "sku:…")`` (queries/productVariants, objects/
ProductVariant, Product, InventoryItem): a product with only its default variant is
``simple`` and named by the product's title; another variant is a ``variation``, named
by its option values. A variable product has no SKU in Shopify: it is found by the
``passerelle.sku`` product metafield (``products``, page by page). A promotion is
``price`` below ``compareAtPrice``; ``taxable`` reads as the tax class standard or
zero-rate; the purchase price is the inventory item's ``unitCost``, the weight its
measurement (in kilograms); the stock is the *available* quantity at the primary
location.

Images: the product's media (``Product.media``, objects/MediaImage) in the shop's order, or
a variation's own (``ProductVariant.media``), each ``image.url`` fetched raw, with no
transform ("the original image will be preserved", objects/Image): ``image_key`` is the
SHA-256 of the bytes served (Shopify does not re-encode the original). A media not READY
reads as its status, so a test sees it.
"""

from __future__ import annotations

import hashlib
import json
import ssl
import time
from decimal import Decimal
from typing import Any

import httpx

from passerelle.model import Address
from passerelle.sandbox.platforms import ShopSandbox

__all__ = ["graphql", "image_key", "read_customer", "read_product"]

_META = ("account_code", "company", "tax_identifier", "credit_limit", "payment_term")
_METAFIELDS = " ".join(
    f'{key}: metafield(namespace: "passerelle", key: "{key}") {{ value }}' for key in _META
)
_CUSTOMER = """query($q: String) { customers(first: 1, query: $q) { nodes {
  email firstName lastName phone note tags
  addresses(first: 10) { firstName lastName company address1 address2 city zip
    countryCodeV2 provinceCode phone }
  METAFIELDS } } }""".replace("METAFIELDS", _METAFIELDS)
_MEDIA = "nodes { status ... on MediaImage { image { url } } }"
_PRODUCT_FIELDS = """title descriptionHtml handle vendor status hasOnlyDefaultVariant
    seo { title description } collections(first: 20) { nodes { id } }
    documents: metafield(namespace: "passerelle", key: "documents") { value }
    media(first: 20) { MEDIA }""".replace("MEDIA", _MEDIA)
_PRODUCT = """query($q: String, $loc: ID!) { productVariants(first: 1, query: $q) { nodes {
  sku title price compareAtPrice barcode taxable selectedOptions { name value }
  media(first: 5) { MEDIA }
  inventoryItem { tracked unitCost { amount } measurement { weight { unit value } }
    inventoryLevel(locationId: $loc) { quantities(names: ["available"]) { quantity } } }
  product { FIELDS } } } }""".replace("FIELDS", _PRODUCT_FIELDS).replace("MEDIA", _MEDIA)
_LOCATIONS = "{ locations(first: 10) { nodes { id isPrimary } } }"
_KILOGRAMS = {
    "KILOGRAMS": Decimal(1),
    "GRAMS": Decimal("0.001"),
    "POUNDS": Decimal("0.45359237"),
    "OUNCES": Decimal("0.028349523125"),
}


def image_key(data: bytes) -> str:
    """The SHA-256 of an image's bytes: Shopify serves the original as it was given."""
    return hashlib.sha256(data).hexdigest()


def _verify(shop: ShopSandbox) -> ssl.SSLContext:
    profile = shop.profile_shop()
    return ssl.create_default_context(cafile=str(profile["http"]["ca_bundle"]))


def _images(shop: ShopSandbox, media: dict[str, Any]) -> tuple[str, ...]:
    """``image_key`` of each media's served bytes, in order (its status when not READY)."""
    out = []
    with httpx.Client(verify=_verify(shop), timeout=10) as client:
        for node in media["nodes"]:
            image = node.get("image")
            if node["status"] != "READY" or not image:
                out.append(str(node["status"]))
                continue
            answer = client.get(image["url"])
            answer.raise_for_status()
            out.append(image_key(answer.content))
    return tuple(out)


def _post(shop: ShopSandbox, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    profile = shop.profile_shop()
    token = shop.secrets()[str(profile["access_token"]).removeprefix("env:")]
    verify = ssl.create_default_context(cafile=str(profile["http"]["ca_bundle"]))
    with httpx.Client(verify=verify, timeout=10) as client:
        for _attempt in range(20):
            answer = client.post(
                f"{shop.url}/admin/api/{profile.get('api_version', '2026-01')}/graphql.json",
                json={"query": query, "variables": variables},
                headers={"X-Shopify-Access-Token": token},
            )
            answer.raise_for_status()
            body = answer.json()
            # A THROTTLED answer (the flows just spent the bucket) is retried once the
            # bucket has refilled (api/usage/limits: restore rate per second).
            if not any(
                (e.get("extensions") or {}).get("code") == "THROTTLED"
                for e in body.get("errors") or []
            ):
                break
            time.sleep(1)
    assert not body.get("errors"), body["errors"]
    return dict(body["data"])


def graphql(
    shop: ShopSandbox, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """One raw Admin GraphQL document sent to the shop, as another app (or the merchant's
    admin) would: its ``data`` (GraphQL errors fail the test)."""
    return _post(shop, query, variables or {})


def read_customer(shop: ShopSandbox, email: str) -> dict[str, object]:
    nodes = _post(shop, _CUSTOMER, {"q": f"email:{email}"})["customers"]["nodes"]
    if not nodes:
        return {}
    c = nodes[0]
    meta = {key: (c.get(key) or {}).get("value") for key in _META}
    addresses = tuple(
        Address(
            first_name=a.get("firstName") or "",
            last_name=a.get("lastName") or "",
            company=a.get("company") or "",
            street=a.get("address1") or "",
            street2=a.get("address2") or "",
            postal_code=a.get("zip") or "",
            city=a.get("city") or "",
            country_code=a.get("countryCodeV2") or "",
            subdivision=a.get("provinceCode") or "",
            phone=a.get("phone") or "",
        )
        for a in c["addresses"]
    )
    out: dict[str, object] = {
        "email": c.get("email") or "",
        "first_name": c.get("firstName") or "",
        "last_name": c.get("lastName") or "",
        "phone": c.get("phone") or "",
        "notes": c.get("note") or "",
        "group": c["tags"][0] if c["tags"] else "",
        "addresses": addresses,
        "code": meta["account_code"] or "",
        "company": next((a.company for a in addresses if a.company), "") or meta["company"] or "",
        "tax_identifier": meta["tax_identifier"] or "",
        "payment_term": meta["payment_term"] or "",
        "credit_limit": None if meta["credit_limit"] is None else Decimal(meta["credit_limit"]),
    }
    return out


def _location(shop: ShopSandbox) -> str:
    nodes = _post(shop, _LOCATIONS, {})["locations"]["nodes"]
    return str(next(n["id"] for n in nodes if n["isPrimary"]))


_PARENTS = """query($after: String) { products(first: 10, after: $after) { nodes {
  FIELDS sku: metafield(namespace: "passerelle", key: "sku") { value } }
  pageInfo { hasNextPage endCursor } } }""".replace("FIELDS", _PRODUCT_FIELDS)


def _documents(product: dict[str, Any]) -> dict[str, object]:
    """The files listed in the ``passerelle.documents`` json metafield (Shopify has no
    place for a product's files), each fetched at its address as a visitor would."""
    listed = product.get("documents")
    if not listed:
        return {}
    with httpx.Client(timeout=10) as client:
        served = [client.get(str(d["url"])) for d in json.loads(listed["value"])]
    return {
        "documents": tuple(hashlib.sha256(a.raise_for_status().content).hexdigest() for a in served)
    }


def _product_fields(product: dict[str, Any]) -> dict[str, object]:
    seo = product.get("seo") or {}
    return {
        **_documents(product),
        "description": product["descriptionHtml"],
        "active": product["status"] == "ACTIVE",
        "slug": product["handle"],
        "brand": product["vendor"] or "",
        "seo_title": seo.get("title") or "",
        "seo_description": seo.get("description") or "",
        "category_ids": tuple(
            str(c["id"]).rsplit("/", 1)[1] for c in product["collections"]["nodes"]
        ),
    }


def _parent(shop: ShopSandbox, sku: str) -> dict[str, object]:
    """A variable product by the SKU kept in its ``passerelle.sku`` metafield."""
    after = None
    while True:
        page = _post(shop, _PARENTS, {"after": after})["products"]
        for p in page["nodes"]:
            if (p.get("sku") or {}).get("value") == sku:
                return {
                    "sku": sku,
                    "name": p["title"],
                    "kind": "variable",
                    **_product_fields(p),
                    "images": _images(shop, p["media"]),
                }
        if not page["pageInfo"]["hasNextPage"]:
            return {}
        after = page["pageInfo"]["endCursor"]


def read_product(shop: ShopSandbox, sku: str) -> dict[str, object]:
    nodes = _post(shop, _PRODUCT, {"q": f"sku:{sku}", "loc": _location(shop)})["productVariants"][
        "nodes"
    ]
    if not nodes:
        return _parent(shop, sku)
    v = nodes[0]
    item, product = v["inventoryItem"], v["product"]
    simple = product["hasOnlyDefaultVariant"]
    promoted = v.get("compareAtPrice") is not None
    level = item.get("inventoryLevel")
    weight = (item.get("measurement") or {}).get("weight")
    out: dict[str, object] = {
        "sku": v.get("sku") or "",
        "name": product["title"] if simple else v["title"],
        "kind": "simple" if simple else "variation",
        "regular_price": Decimal(v["compareAtPrice"] if promoted else v["price"]),
        "sale_price": Decimal(v["price"]) if promoted else None,
        "barcode": v.get("barcode") or "",
        "tax_class": "standard" if v["taxable"] else "zero-rate",
        "manage_stock": bool(item["tracked"]),
        "stock_quantity": None
        if level is None or not item["tracked"]
        else int(level["quantities"][0]["quantity"]),
        **_product_fields(product),
        "cost_price": None
        if item.get("unitCost") is None
        else Decimal(str(item["unitCost"]["amount"])),
        "weight": None
        if weight is None
        else (Decimal(str(weight["value"])) * _KILOGRAMS[weight["unit"]]).normalize(),
        "images": _images(shop, product["media"] if simple else v["media"]),
    }
    if not simple:
        out["variation_options"] = tuple((o["name"], o["value"]) for o in v["selectedOptions"])
    return out
