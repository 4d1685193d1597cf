"""Catalog V3 products: create, update, bulk create/update, get, delete, query and search.

Sources (dev.wix.com/docs/api-reference/business-solutions/stores/catalog-v3):
- Products V3 "Create Product" (``POST /stores/v3/products``) and "Bulk Create Products"
  (``POST /stores/v3/bulk/products/create``): "Creates up to 100 products"; in one
  request at most 100 options, 100 modifiers, 100 info sections and 1000
  ``variantsInfo.variants`` in all; "Create Product With Inventory"
  (``/stores/v3/products-with-inventory``, bulk ``/stores/v3/bulk/products-with-inventory/create``);
  "Bulk Update Products" (``POST /stores/v3/bulk/products/update``): up to 100, same limits.
- "About the Products API": every product has at least one variant (``variantsInfo must not
  be empty``); price, SKU, barcode and weight are the variant's (``actualPrice``).
- "Query Products" (``POST /stores/v3/products/query``) "returns up to 100 products per
  request", cursor paging; "Search Products" (``POST /stores/v3/products/search``).
- Update Product: the current ``revision`` must be passed; another one is a 409 [verify: the
  code name ``REVISION_MISMATCH`` is Wix's usual one, not quoted on the page].
"""

from __future__ import annotations

from typing import Any

from .inventory_v3 import InventoryV3
from .query import matches, sorted_by
from .state import State, Table
from .wire import WixError, bulk_answer, cursor_page, decimal_of, invalid, not_found, required

__all__ = ["MAX_BULK", "MAX_BULK_VARIANTS", "ProductsV3"]

MAX_BULK = 100
MAX_BULK_OPTIONS = 100
MAX_BULK_VARIANTS = 1000
MAX_QUERY = 100
_TYPES = ("PHYSICAL", "DIGITAL")
# What Query and Search Products return only when ``fields`` asks for it ("RECIPE: Query
# Products from a Wix Store", dev.wix.com/docs/api-reference/business-solutions/stores/
# skills/query-products: the fields enum) [verify: Get Product's own defaults].
_ON_REQUEST = (
    ("PLAIN_DESCRIPTION", "plainDescription"),
    ("DIRECT_CATEGORIES_INFO", "directCategoriesInfo"),
    ("ALL_CATEGORIES_INFO", "allCategoriesInfo"),
)
# Read-only: what a caller sends of them is not kept ("Product Object").
_KEPT = (
    "id",
    "revision",
    "createdDate",
    "updatedDate",
    "inventory",
    "directCategoriesInfo",
    "allCategoriesInfo",
)


def _slug(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())


class ProductsV3(Table):
    name = "products"

    def __init__(self, state: State, inventory: InventoryV3) -> None:
        super().__init__(state)
        self.inventory = inventory

    # -- shaping ------------------------------------------------------------------------
    def _options(self, raw: list[dict[str, Any]], field: str) -> list[dict[str, Any]]:
        options = []
        for index, option in enumerate(raw or []):
            name = required(option, "name") if isinstance(option, dict) else None
            choices = (option.get("choicesSettings") or {}).get("choices") or []
            if not choices:
                raise invalid(f"{field}[{index}].choicesSettings.choices", "must not be empty")
            options.append(
                {
                    "id": option.get("id") or self.state.new_id("option"),
                    "name": name,
                    "optionRenderType": option.get("optionRenderType", "TEXT_CHOICES"),
                    "choicesSettings": {
                        "choices": [
                            {
                                "choiceId": c.get("choiceId") or self.state.new_id("choice"),
                                "choiceType": c.get("choiceType", "CHOICE_TEXT"),
                                "name": required(c, "name"),
                            }
                            for c in choices
                        ]
                    },
                }
            )
        return options

    def _choice(self, options: list[dict[str, Any]], given: dict[str, Any], field: str) -> Any:
        ids, names = given.get("optionChoiceIds") or {}, given.get("optionChoiceNames") or {}
        for option in options:
            if option["id"] != ids.get("optionId") and option["name"] != names.get("optionName"):
                continue
            for choice in option["choicesSettings"]["choices"]:
                if choice["choiceId"] == ids.get("choiceId") or choice["name"] == names.get(
                    "choiceName"
                ):
                    return {
                        "optionChoiceIds": {
                            "optionId": option["id"],
                            "choiceId": choice["choiceId"],
                        },
                        "optionChoiceNames": {
                            "optionName": option["name"],
                            "choiceName": choice["name"],
                            "renderType": option["optionRenderType"],
                        },
                    }
        raise invalid(field, "names an option choice the product does not have")

    def _variants(self, product: dict[str, Any], field: str) -> list[dict[str, Any]]:
        raw = (product.get("variantsInfo") or {}).get("variants") or []
        if not raw:
            raise invalid(f"{field}.variantsInfo", "must not be empty", "REQUIRED_FIELD")
        variants = []
        for index, given in enumerate(raw):
            where = f"{field}.variantsInfo.variants[{index}]"
            price = required(given, "price", "actualPrice", "amount")
            choices = [
                self._choice(product["options"], c, f"{where}.choices")
                for c in given.get("choices") or []
            ]
            if len(choices) != len(product["options"]):
                raise invalid(f"{where}.choices", "must name one choice of every option")
            variants.append(
                {
                    "id": given.get("id") or self.state.new_id("variant"),
                    "visible": given.get("visible", True),
                    "sku": given.get("sku", ""),
                    "barcode": given.get("barcode", ""),
                    "price": {
                        "actualPrice": {"amount": str(decimal_of(price, f"{where}.price"))},
                        **(
                            {"compareAtPrice": given["price"]["compareAtPrice"]}
                            if given["price"].get("compareAtPrice")
                            else {}
                        ),
                    },
                    "choices": choices,
                    "physicalProperties": given.get("physicalProperties") or {},
                    **(
                        {"inventoryItem": given["inventoryItem"]}
                        if "inventoryItem" in given
                        else {}
                    ),
                }
            )
        return variants

    def _shaped(self, given: dict[str, Any], field: str, current: dict[str, Any]) -> dict[str, Any]:
        product = {**current, **{k: v for k, v in given.items() if k not in _KEPT}}
        name = required(product, "name")
        if not isinstance(name, str) or len(name) > 80:
            raise invalid(
                f"{field}.name", "must be a string of at most 80 characters", "MAX_LENGTH"
            )
        if product.get("productType") not in _TYPES:
            raise invalid(f"{field}.productType", f"must be one of {', '.join(_TYPES)}")
        if product["productType"] == "PHYSICAL" and "physicalProperties" not in product:
            raise invalid(f"{field}.physicalProperties", "is required for a physical product")
        if "options" in given or "options" not in current:
            product["options"] = self._options(given.get("options") or [], f"{field}.options")
        if "variantsInfo" in given or not current:
            product["variantsInfo"] = {"variants": self._variants(product, field)}
        product.setdefault("slug", _slug(name))
        product.setdefault("visible", True)
        return product

    # -- handlers -----------------------------------------------------------------------
    def _insert(self, given: dict[str, Any], field: str) -> dict[str, Any]:
        product = self._shaped(given, field, {})
        now = self.state.now()
        product.update(
            id=self.state.new_id("product"), revision="1", createdDate=now, updatedDate=now
        )
        stocks = [v.pop("inventoryItem", None) for v in product["variantsInfo"]["variants"]]
        self.table[product["id"]] = product
        for variant, stock in zip(product["variantsInfo"]["variants"], stocks, strict=True):
            if stock is not None:
                self.inventory.insert(product["id"], variant["id"], stock)
        return self.render(product)

    def render(self, product: dict[str, Any]) -> dict[str, Any]:
        """The product as answers show it, with its read-only ``inventory`` from the
        default location ("About the Products API": aggregated inventory status) and its
        read-only categories: those it was added to (``directCategoriesInfo``) and with
        their ancestors (``allCategoriesInfo``) [verify: the ancestors' order]."""
        status = self.inventory.availability(product["id"])
        categories = self.state.data["categories"]
        direct = [c["id"] for c in categories.values() if product["id"] in c["items"]]
        every: list[str] = []
        for category_id in direct:
            while category_id and category_id not in every:
                every.append(category_id)
                category_id = (categories[category_id].get("parentCategory") or {}).get("id")
        return {
            **product,
            "inventory": {"availabilityStatus": status},
            "directCategoriesInfo": {"categories": [{"id": c} for c in direct]},
            "allCategoriesInfo": {"categories": [{"id": c} for c in every]},
        }

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"product": self._insert(required(body, "product"), "product")}

    @staticmethod
    def _bounded(products: list[dict[str, Any]], inner: str) -> None:
        """The documented limits of one bulk request: 100 products, and in all of them
        1000 variants and 100 options ("Bulk Create Products", "Bulk Update Products")."""
        if len(products) > MAX_BULK:
            raise invalid("products", f"must contain at most {MAX_BULK} items", "MAX_SIZE")
        given = [(p.get(inner) if inner else p) or {} for p in products]
        variants = sum(len((p.get("variantsInfo") or {}).get("variants") or []) for p in given)
        options = sum(len(p.get("options") or []) for p in given)
        if variants > MAX_BULK_VARIANTS:
            raise invalid("products.variantsInfo.variants", f"at most {MAX_BULK_VARIANTS} in all")
        if options > MAX_BULK_OPTIONS:
            raise invalid("products.options", f"at most {MAX_BULK_OPTIONS} in all", "MAX_SIZE")

    def bulk_create(self, body: dict[str, Any]) -> dict[str, Any]:
        products = required(body, "products")
        self._bounded(products, "")
        results = []
        for index, given in enumerate(products):
            try:
                item = self._insert(given, f"products[{index}]")
                results.append(self._result(index, item, body))
            except WixError as error:
                results.append(self._failure(index, "", error))
        return bulk_answer(results)

    def bulk_update(self, body: dict[str, Any]) -> dict[str, Any]:
        products = required(body, "products")
        self._bounded(products, "product")
        results = []
        for index, masked in enumerate(products):
            given = (masked or {}).get("product") or {}
            try:
                item = self._update(str(given.get("id", "")), given, f"products[{index}].product")
                results.append(self._result(index, item, body))
            except WixError as error:
                results.append(self._failure(index, str(given.get("id", "")), error))
        return bulk_answer(results)

    @staticmethod
    def _result(index: int, item: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        meta = {"id": item["id"], "originalIndex": index, "success": True}
        return {"itemMetadata": meta, **({"item": item} if body.get("returnEntity") else {})}

    @staticmethod
    def _failure(index: int, ident: str, error: WixError) -> dict[str, Any]:
        return {
            "itemMetadata": {
                "id": ident,
                "originalIndex": index,
                "success": False,
                "error": {"code": error.code, "description": error.message},
            }
        }

    def _update(self, product_id: str, given: dict[str, Any], field: str) -> dict[str, Any]:
        current = self.table.get(product_id)
        if current is None:
            raise not_found("Product", product_id)
        revision = required(given, "revision")
        if str(revision) != current["revision"]:
            raise WixError(
                409,
                "revision mismatch",
                "REVISION_MISMATCH",
                f"the product is at revision {current['revision']}",
            )
        product = self._shaped(given, field, current)
        product["revision"] = str(int(current["revision"]) + 1)
        product["updatedDate"] = self.state.now()
        self.table[product_id] = product
        # A variant the update leaves out is gone, and its inventory items with it.
        variants = frozenset(v["id"] for v in product["variantsInfo"]["variants"])
        self.inventory.forget_product(product_id, keep=variants)
        return self.render(product)

    def update(self, body: dict[str, Any], product_id: str) -> dict[str, Any]:
        return {"product": self._update(product_id, required(body, "product"), "product")}

    def get(self, body: Any, product_id: str) -> dict[str, Any]:
        if product_id not in self.table:
            raise not_found("Product", product_id)
        return {"product": self.render(self.table[product_id])}

    def delete(self, body: Any, product_id: str) -> dict[str, Any]:
        if self.table.pop(product_id, None) is None:
            raise not_found("Product", product_id)
        self.inventory.forget_product(product_id)
        return {}

    def query(self, body: dict[str, Any]) -> dict[str, Any]:
        return self._listed((body or {}).get("query") or {}, fields=(body or {}).get("fields"))

    def search(self, body: dict[str, Any]) -> dict[str, Any]:
        search = (body or {}).get("search") or {}
        expression = str((search.get("search") or {}).get("expression") or "")
        return self._listed(search, expression, fields=(body or {}).get("fields"))

    def _listed(
        self, spec: dict[str, Any], expression: str = "", *, fields: Any = None
    ) -> dict[str, Any]:
        """A page of products; the fields Query and Search return only when asked for
        (``fields``: PLAIN_DESCRIPTION, DIRECT_CATEGORIES_INFO, ALL_CATEGORIES_INFO…,
        the Query Products recipe) are left out otherwise."""
        items = [
            p
            for p in self.table.values()
            if matches(p, spec.get("filter")) and expression.lower() in p["name"].lower()
        ]
        items = sorted_by(sorted(items, key=lambda p: p["createdDate"]), spec.get("sort"))
        page, meta = cursor_page(
            items, spec.get("cursorPaging"), maximum=MAX_QUERY, default=MAX_QUERY
        )
        asked = set(fields or ())
        hidden = [key for flag, key in _ON_REQUEST if flag not in asked]
        shown = [self.render(p) for p in page]
        return {
            "products": [{k: v for k, v in p.items() if k not in hidden} for p in shown],
            "pagingMetadata": meta,
        }
