"""The store's own names a profile refers to: tax classes (and what REST cannot list).

Docs (admin-schema-2.4.9.yaml): ``GET /V1/taxClasses/search``
(``tax-data-tax-class-search-results-interface``: ``class_id``, ``class_name``,
``class_type`` ``PRODUCT`` or ``CUSTOMER``); a product carries its class as the
``tax_class_id`` custom attribute.

Payment methods, order statuses and carriers are store configuration
(``payment/*``, ``sales_order_status``, ``carriers/*``) that the admin REST API
does not list: ``/V1/carts/{cartId}/payment-methods`` and
``estimate-shipping-methods`` answer for one cart only (an empty cart offers only
the zero-total method), and ``/V1/orders/{id}/statuses`` gives one order's status.
Those kinds cannot be checked through the API: none of them is reported missing.

The profile's store view (``store_code``) decides where new products and customers
land: its website (``GET /V1/store/storeConfigs``: ``id``, ``code``, ``website_id``)
goes in a new product's ``extension_attributes.website_ids`` and a customer's
``website_id``/``store_id``. The store view ``default`` is id 1 of website 1 in every
install (``Magento/Store/Setup/Patch/Schema/InitializeStoresAndWebsites.php``), so it
costs no request; ``all`` is the admin scope, where Magento gives a new product every
website itself (``ProductRepository::assignProductToWebsites``) and a customer goes to
the default store view.
"""

from __future__ import annotations

from collections.abc import Iterable

from passerelle.connectors.errors import RecordError
from passerelle.connectors.magento.client import MagentoClient
from passerelle.i18n.messages import M_

__all__ = ["DEFAULT_STORE_VIEW", "DEFAULT_TAX_CLASS_ID", "StoreReferences", "StoreView"]

# The product attribute ``tax_class_id``'s default, "Taxable Goods"
# (``Magento/Tax/Setup/Patch/Data/AddTaxAttributeAndTaxClasses.php``): the class a new
# product takes, and the standard rate a profile names "" in ``catalogue.tax_classes``.
DEFAULT_TAX_CLASS_ID = "2"

# (store view id, website id) of the store view ``default``, as Magento installs it.
DEFAULT_STORE_VIEW = (1, 1)
StoreView = tuple[int, int]

_CHECKABLE = frozenset({"tax_class"})
_NOT_LISTED = frozenset({"payment_method", "order_status", "shipping_method"})


class StoreReferences:
    def __init__(self, client: MagentoClient) -> None:
        self.client = client
        self._tax_classes: dict[str, str] | None = None
        self._store_view: StoreView | None = None

    @property
    def admin_scope(self) -> bool:
        """``/rest/all``: writes in the admin scope (a new product joins every website)."""
        return self.client.store_code == "all"

    def store_view(self) -> StoreView:
        """(store view id, website id) of the profile's store view, looked up once."""
        code = self.client.store_code or "default"
        if code in ("default", "all"):
            return DEFAULT_STORE_VIEW
        if self._store_view is None:
            views = self.client.call("GET", "store/storeConfigs", what=M_("the store views"))
            found = next((v for v in views or [] if v.get("code") == code), None)
            if found is None:
                raise RecordError(
                    M_(
                        "the shop has no store view with the code %(code)s (store_code of "
                        "the profile): Stores > All Stores lists them",
                        code=repr(code),
                    )
                )
            self._store_view = (int(found["id"]), int(found["website_id"]))
        return self._store_view

    def tax_classes(self) -> dict[str, str]:
        """Product tax class name → id, read once."""
        if self._tax_classes is None:
            self._tax_classes = {
                str(c["class_name"]): str(c["class_id"])
                for c in self.client.search(
                    "taxClasses/search",
                    [[("class_type", "PRODUCT", "eq")]],
                    what=M_("the tax classes"),
                )
            }
        return self._tax_classes

    def tax_class_id(self, name: str) -> str:
        found = self.tax_classes().get(name)
        if found is None:
            raise RecordError(
                M_(
                    "the shop has no product tax class named %(name)s: create it "
                    "in Stores > Tax Zones and Rates > Tax Rules, or change "
                    "catalogue.tax_classes",
                    name=repr(name),
                )
            )
        return found

    def missing(self, kind: str, names: Iterable[str]) -> set[str]:
        if kind in _NOT_LISTED:  # "not checked" beats a silent "none missing"
            raise NotImplementedError(  # internal: missing_in_shop turns it into "not checked"
                f"Magento's REST API lists no {kind.replace('_', ' ')}s store-wide"
            )
        if kind not in _CHECKABLE:
            raise ValueError(  # internal: the flows ask only SHOP_REFERENCE_KINDS, the code's
                f"unknown shop reference kind {kind!r}"
            )
        return {n for n in names if n and n not in self.tax_classes()}
