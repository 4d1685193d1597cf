"""A buyer's checkout and the merchant's clicks, as ``ShopSandbox`` test hooks.

Each goes through the sandbox's own GraphQL resolvers (``ShopifySandbox.admin``), so
the stock rules of :mod:`.order_writes` apply as they do to API calls:

- a checkout is ``orderCreate`` with ``inventoryBehaviour: DECREMENT_OBEYING_POLICY``
  (the storefront claims stock: available → committed), the VAT of the product (20 %,
  or the tax override of a collection it is in) and the Colissimo rate of the demo shop;
  on a shop whose prices include tax (``Shop.taxesIncluded``, Settings › Taxes and
  duties › "Include sales tax in product price and shipping rate") the variant's price
  and the shipping rate already hold the tax, which is Tax = (Rate × Price) / (1 + Rate)
  (help.shopify.com/en/manual/taxes/include-exclude-taxes): the order total is the sum of
  the prices, and the order says ``taxesIncluded``;
  a variant's inventory policy is DENY (Shopify's default), so a checkout of more than
  is available is refused;
- ``pending``: financial status PENDING (bank transfer); ``on_hold``: PENDING with a
  fulfillment hold ``AWAITING_PAYMENT``; ``paid``: PAID by card;
- ``paid`` later: ``orderMarkAsPaid`` (and the awaiting-payment hold released);
  ``on_hold``: ``fulfillmentOrderHold`` (OTHER); ``shipped``: holds released then
  ``fulfillmentCreate``; ``cancelled``: ``orderCancel`` with restock; ``refunded``:
  ``refundCreate`` of every line with restock (CANCEL what was not shipped, RETURN what
  was) and the whole amount;
- a product deleted: ``productDelete``, or ``productVariantsBulkDelete`` for one variant
  of several.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .ids import gid
from .server import ShopifySandbox

__all__ = ["Merchant"]

_VAT = Decimal("0.20")
_SHIPPING = Decimal("5.90")
_GATEWAYS = {"paid": "stripe", "pending": "bacs", "on_hold": "bacs"}

_VARIANT = """query($q: String) { productVariants(first: 1, query: $q) { nodes {
  id sku price inventoryItem { tracked inventoryLevel(locationId: "%s") {
    quantities(names: ["available"]) { name quantity } } }
  product { id variants(first: 100) { nodes { id } } collections(first: 20) { nodes { id } } }
  } } }"""
_ORDER = """query($id: ID!) { order(id: $id) { id totalPriceSet { shopMoney { amount } }
  paymentGatewayNames
  lineItems(first: 100) { nodes { id currentQuantity unfulfilledQuantity } }
  fulfillmentOrders(first: 10) { nodes { id status fulfillmentHolds { reason } } } } }"""


def _money(amount: Decimal) -> dict[str, Any]:
    return {"shopMoney": {"amount": str(amount), "currencyCode": "EUR"}}


def _tax(
    amount: Decimal, title: str = "TVA 20 %", rate: Decimal = _VAT, *, included: bool = False
) -> list[dict[str, Any]]:
    """One tax line: on ``amount`` when prices exclude tax, within it when they include it
    (Tax = (Rate × Price) / (1 + Rate), help.shopify.com/en/manual/taxes/include-exclude-taxes)."""
    tax = (
        (amount * rate / (1 + rate)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        if included
        else (amount * rate).quantize(Decimal("0.01"))
    )
    return [{"title": title, "rate": str(rate), "priceSet": _money(tax)}]


class Merchant:
    def __init__(self, sandbox: ShopifySandbox) -> None:
        self.sandbox = sandbox

    def _run(self, document: str, variables: dict[str, Any], root: str) -> dict[str, Any]:
        """The mutation's payload; ValueError with the shop's user errors."""
        payload = self.sandbox.admin(document, variables)[root]
        errors = payload.get("userErrors") or payload.get("orderCancelUserErrors") or []
        if errors:
            raise ValueError("; ".join(e["message"] for e in errors))
        return dict(payload)

    def _variant(self, sku: str) -> dict[str, Any]:
        location = gid("Location", next(iter(self.sandbox.state["locations"])))
        nodes = self.sandbox.admin(_VARIANT % location, {"q": f"sku:{sku}"})["productVariants"][
            "nodes"
        ]
        if not nodes or nodes[0]["sku"] != sku:
            raise ValueError(f"the shop has no product {sku}")
        return dict(nodes[0])

    def place_order(self, lines: Mapping[str, int], state: str = "paid") -> str:
        if state not in _GATEWAYS:
            raise ValueError(f"a checkout ends paid, pending or on_hold, not {state!r}")
        included = self.sandbox.taxes_included  # the storefront prices as the shop says
        items, net, tax = [], Decimal(0), Decimal(0)
        for sku, qty in lines.items():
            variant = self._variant(sku)
            level = variant["inventoryItem"]["inventoryLevel"]
            if (
                variant["inventoryItem"]["tracked"]
                and level is not None
                and level["quantities"][0]["quantity"] < qty
            ):
                raise ValueError(
                    f"only {level['quantities'][0]['quantity']} of {sku} left: "
                    "the checkout refuses more"
                )
            amount = Decimal(variant["price"]) * qty
            net += amount
            items.append(
                {
                    "variantId": variant["id"],
                    "quantity": qty,
                    "taxLines": _tax(amount, *self._rate(variant), included=included),
                }
            )
            tax += Decimal(items[-1]["taxLines"][0]["priceSet"]["shopMoney"]["amount"])
        customer = next(
            iter(sorted(self.sandbox.state["customers"].values(), key=lambda c: c["id"])), None
        )
        total = net + _SHIPPING if included else net + tax + _SHIPPING * (1 + _VAT)
        order = {
            "taxesIncluded": included,
            "lineItems": items,
            "currency": "EUR",
            "financialStatus": "PAID" if state == "paid" else "PENDING",
            "email": customer["email"] if customer else None,
            "customer": {"toAssociate": {"id": gid("Customer", customer["id"])}}
            if customer
            else None,
            "billingAddress": self._address(customer),
            "shippingAddress": self._address(customer),
            "shippingLines": [
                {
                    "title": "Colissimo",
                    "code": "flat_rate",
                    "priceSet": _money(_SHIPPING),
                    "taxLines": _tax(_SHIPPING, included=included),
                }
            ],
            "transactions": [
                {
                    "kind": "SALE",
                    "gateway": _GATEWAYS[state],
                    "status": "SUCCESS" if state == "paid" else "PENDING",
                    "amountSet": _money(total.quantize(Decimal("0.01"))),
                }
            ],
        }
        created = self._run(
            """mutation($order: OrderCreateOrderInput!,
            $options: OrderCreateOptionsInput) { orderCreate(order: $order, options: $options) {
            order { id } userErrors { field message code } } }""",
            {"order": order, "options": {"inventoryBehaviour": "DECREMENT_OBEYING_POLICY"}},
            "orderCreate",
        )
        order_id = str(created["order"]["id"]).rsplit("/", 1)[1]
        if state == "on_hold":
            self._hold(order_id, "AWAITING_PAYMENT")
        return order_id

    def _rate(self, variant: dict[str, Any]) -> tuple[str, Decimal]:
        """The VAT the checkout charges: a collection's tax override when the product is
        in one (the storefront's own computation, not in the Admin API), else 20 %."""
        collections = self.sandbox.state["collections"]
        for node in variant["product"]["collections"]["nodes"]:
            override = collections.get(str(node["id"]).rsplit("/", 1)[1], {}).get("taxOverride")
            if override:
                rate = Decimal(override["rate"]).normalize()
                return f"TVA {str(rate).replace('.', ',')} %", rate / 100
        return "TVA 20 %", _VAT

    @staticmethod
    def _address(customer: dict[str, Any] | None) -> dict[str, Any] | None:
        if not customer or not customer.get("addresses"):
            return None
        a = customer["addresses"][0]
        return {
            **{
                k: a.get(k)
                for k in (
                    "firstName",
                    "lastName",
                    "company",
                    "address1",
                    "address2",
                    "city",
                    "zip",
                    "provinceCode",
                    "phone",
                )
            },
            "countryCode": a.get("countryCodeV2"),
        }

    # ------------------------------------------------------------------ merchant
    def _order(self, order_id: str) -> dict[str, Any]:
        order = self.sandbox.admin(_ORDER, {"id": gid("Order", order_id)})["order"]
        if order is None:
            raise ValueError(f"the shop has no order {order_id}")
        return dict(order)

    def _hold(self, order_id: str, reason: str) -> None:
        for fo in self._order(order_id)["fulfillmentOrders"]["nodes"]:
            if fo["status"] in ("OPEN", "IN_PROGRESS"):
                self._run(
                    """mutation($id: ID!, $hold: FulfillmentOrderHoldInput!) {
                    fulfillmentOrderHold(id: $id, fulfillmentHold: $hold) {
                    userErrors { message } } }""",
                    {"id": fo["id"], "hold": {"reason": reason}},
                    "fulfillmentOrderHold",
                )

    def _release(self, order_id: str, only: str | None = None) -> None:
        for fo in self._order(order_id)["fulfillmentOrders"]["nodes"]:
            if fo["status"] == "ON_HOLD" and (
                only is None or any(h["reason"] == only for h in fo["fulfillmentHolds"])
            ):
                self._run(
                    """mutation($id: ID!) { fulfillmentOrderReleaseHold(id: $id) {
                    userErrors { message } } }""",
                    {"id": fo["id"]},
                    "fulfillmentOrderReleaseHold",
                )

    def set_order_state(self, order_id: str, state: str) -> None:
        order_gid = gid("Order", order_id)
        if state == "paid":
            self._run(
                """mutation($input: OrderMarkAsPaidInput!) { orderMarkAsPaid(
                input: $input) { userErrors { message } } }""",
                {"input": {"id": order_gid}},
                "orderMarkAsPaid",
            )
            self._release(order_id, "AWAITING_PAYMENT")
        elif state == "on_hold":
            self._hold(order_id, "OTHER")
        elif state == "shipped":
            self._release(order_id)
            open_ids = [
                fo["id"]
                for fo in self._order(order_id)["fulfillmentOrders"]["nodes"]
                if fo["status"] in ("OPEN", "IN_PROGRESS")
            ]
            if open_ids:
                self._run(
                    """mutation($f: FulfillmentInput!) { fulfillmentCreate(
                    fulfillment: $f) { userErrors { message } } }""",
                    {
                        "f": {
                            "lineItemsByFulfillmentOrder": [
                                {"fulfillmentOrderId": i} for i in open_ids
                            ]
                        }
                    },
                    "fulfillmentCreate",
                )
        elif state == "cancelled":
            self._run(
                """mutation($id: ID!) { orderCancel(orderId: $id, reason: CUSTOMER,
                restock: true, refund: true) { orderCancelUserErrors { message } } }""",
                {"id": order_gid},
                "orderCancel",
            )
        elif state == "refunded":
            self._refund(order_id)
        else:
            raise ValueError(f"unknown order state {state!r}")

    def _refund(self, order_id: str) -> None:
        order = self._order(order_id)
        lines = []
        for li in order["lineItems"]["nodes"]:
            shipped = li["currentQuantity"] - li["unfulfilledQuantity"]
            lines += [
                {"lineItemId": li["id"], "quantity": n, "restockType": kind}
                for n, kind in ((li["unfulfilledQuantity"], "CANCEL"), (shipped, "RETURN"))
                if n > 0
            ]
        gateways = order["paymentGatewayNames"] or ["manual"]
        self._run(
            """mutation($input: RefundInput!) { refundCreate(input: $input) {
            userErrors { message } } }""",
            {
                "input": {
                    "orderId": order["id"],
                    "refundLineItems": lines,
                    "transactions": [
                        {
                            "orderId": order["id"],
                            "kind": "REFUND",
                            "gateway": gateways[0],
                            "amount": order["totalPriceSet"]["shopMoney"]["amount"],
                        }
                    ],
                }
            },
            "refundCreate",
        )

    def delete_product(self, sku: str) -> None:
        variant = self._variant(sku)
        siblings = variant["product"]["variants"]["nodes"]
        if len(siblings) <= 1:
            self._run(
                """mutation($input: ProductDeleteInput!) { productDelete(input: $input) {
                deletedProductId userErrors { message } } }""",
                {"input": {"id": variant["product"]["id"]}},
                "productDelete",
            )
        else:
            self._run(
                """mutation($p: ID!, $v: [ID!]!) { productVariantsBulkDelete(
                productId: $p, variantsIds: $v) { userErrors { message code } } }""",
                {"p": variant["product"]["id"], "v": [variant["id"]]},
                "productVariantsBulkDelete",
            )
