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
"""

from __future__ import annotations

from collections.abc import Iterable

from passerelle.connectors.errors import RecordError
from passerelle.connectors.magento.client import MagentoClient
from passerelle.i18n.messages import M_

__all__ = ["DEFAULT_TAX_CLASS_ID", "StoreReferences"]

# The product attribute ``tax_class_id``'s default, "Taxable Goods"
# (``Magento/Tax/Setup/Patch/Data/AddTaxAttributeAndTaxClasses.php``): the class a new
# product takes, and the standard rate a profile names "" in ``catalogue.tax_classes``.
DEFAULT_TAX_CLASS_ID = "2"

_CHECKABLE = frozenset({"tax_class"})
_NOT_LISTED = frozenset({"payment_method", "order_status", "shipping_method"})


class StoreReferences:
    def __init__(self, client: MagentoClient) -> None:
        self.client = client
        self._tax_classes: dict[str, str] | None = None

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
