"""eCommerce Order Transactions: the payments recorded against each order.

Payments are not on the order: the Order Transactions API lists them. Sources
(dev.wix.com/docs/api-reference/business-solutions/e-commerce/orders/order-transactions):
- "List Transactions For Multiple Orders", ``POST /ecom/v1/payments/list-by-ids`` with
  ``orderIds`` (required), answering ``orderTransactions``, one ``{orderId, payments,
  refunds}`` per order; "List Transactions For Single Order",
  ``GET /ecom/v1/payments/orders/{orderId}`` answering ``orderTransactions``;
- "Order Transactions Object": a payment has ``id``, ``createdDate``, ``updatedDate``,
  ``amount`` (``{amount, formattedAmount}``), ``refundDisabled`` and either
  ``regularPaymentDetails`` (``paymentMethod``, ``providerTransactionId``,
  ``offlinePayment``, ``status``: ``APPROVED``, ``PENDING``, ``REFUNDED``…) or
  ``giftcardPaymentDetails`` (``giftCardPaymentId``, ``giftCardId``, ``appId``,
  ``voided``).
[verify] an offline payment's record while the order is ``NOT_PAID``: the sandbox keeps
it ``PENDING`` until the merchant marks the order paid, then ``APPROVED``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from .state import Table
from .wire import money, required

__all__ = ["Payment", "Transactions"]

#: The Wix Gift Cards app (the ``appId`` of a gift card payment) [verify: the id].
GIFT_CARDS_APP_ID = "d80111c5-a0f4-47a8-b63a-65b54d774a27"


class Payment:
    """A payment to record: how the buyer paid (method, the provider's transaction id)."""

    def __init__(self, method: str, transaction_id: str = "", *, offline: bool = False) -> None:
        self.method = method
        self.transaction_id = transaction_id
        self.offline = offline


class Transactions(Table):
    name = "transactions"

    @property
    def table(self) -> dict[str, Any]:
        # A state file written before payments were recorded has no such table.
        table: dict[str, Any] = self.state.data.setdefault(self.name, {})
        return table

    def _of(self, order_id: str) -> dict[str, Any]:
        return self.table.setdefault(order_id, {"orderId": order_id, "payments": [], "refunds": []})

    def record(
        self,
        order: dict[str, Any],
        payment: Payment,
        *,
        gift_cards: Sequence[tuple[str, Decimal]] = (),
        when: str | None = None,
    ) -> None:
        """The order's payments at checkout: the gift cards' (code, amount), then the rest
        by ``payment`` (``APPROVED`` when the order is paid, else ``PENDING``)."""
        created, currency = when or order["createdDate"], order["currency"]
        entry = self._of(order["id"])
        for code, amount in gift_cards:
            entry["payments"].append(
                {
                    "id": self.state.new_id("payment"),
                    "giftcardPaymentDetails": {
                        "giftCardPaymentId": self.state.new_id("giftcard-payment"),
                        "giftCardId": code,
                        "appId": GIFT_CARDS_APP_ID,
                        "voided": False,
                    },
                    "createdDate": created,
                    "updatedDate": created,
                    "amount": money(amount, currency),
                    "refundDisabled": False,
                }
            )
        entry["payments"].append(
            {
                "id": self.state.new_id("payment"),
                "regularPaymentDetails": {
                    "paymentMethod": payment.method,
                    "providerTransactionId": payment.transaction_id,
                    "offlinePayment": payment.offline,
                    "status": "APPROVED" if order["paymentStatus"] == "PAID" else "PENDING",
                },
                "createdDate": created,
                "updatedDate": created,
                "amount": order["priceSummary"]["total"],
                "refundDisabled": False,
            }
        )

    def approve(self, order_id: str, when: str) -> None:
        """The merchant marked the order paid: its pending payments are approved."""
        for payment in self._of(order_id)["payments"]:
            regular = payment.get("regularPaymentDetails")
            if regular and regular["status"] == "PENDING":
                regular["status"] = "APPROVED"
                payment["updatedDate"] = when

    # -- handlers -----------------------------------------------------------------------
    def list_by_ids(self, body: dict[str, Any]) -> dict[str, Any]:
        ids = required(body, "orderIds")
        return {"orderTransactions": [self._answer(str(i)) for i in ids]}

    def list_for_order(self, body: Any, order_id: str) -> dict[str, Any]:
        return {"orderTransactions": self._answer(order_id)}

    def _answer(self, order_id: str) -> dict[str, Any]:
        return self.table.get(order_id) or {"orderId": order_id, "payments": [], "refunds": []}
