"""The Magento sandbox behind the platform-neutral contract (``sandbox/platforms.py``)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from passerelle.connectors.magento.translate import NUMBER_PREFIX
from passerelle.sandbox.platforms import ViewCustomer, ViewOrder, ViewProduct

from .server import ACCOUNT_ATTRIBUTE, MagentoSandbox

__all__ = ["MagentoPlatform", "MagentoView", "start"]

TOKEN = "demo-integration-token"
TOKEN_ENV = "PASSERELLE_DEMO_MAGENTO_TOKEN"
_PAID_STATES = frozenset({"processing", "complete"})


def _custom(record: dict[str, Any], code: str) -> str:
    return next((str(a.get("value") or "") for a in record.get("custom_attributes") or []
                 if a.get("attribute_code") == code), "")


class MagentoView:
    def __init__(self, sandbox: MagentoSandbox) -> None:
        self.sandbox = sandbox

    def products(self) -> dict[str, ViewProduct]:
        data = self.sandbox.data
        parents = {child: parent for parent, kids in data["children"].items() for child in kids}
        names = {str(c["id"]): c["name"] for c in data["categories"].values()}
        out = {}
        for sku, product in data["products"].items():
            rendered = self.sandbox.catalog.render(product)
            stock_item = rendered["extension_attributes"].get("stock_item") or {}
            # Every answer carries a full stock item (the OpenAPI file requires it): a
            # stock is "known" when a quantity was saved, on the product or as a source item.
            saved = product["extension_attributes"].get("stock_item") or {}
            source = f"{self.sandbox.catalog.source_code}|{sku}"
            managed = stock_item.get("manage_stock", True) and (
                "qty" in saved or source in data["source_items"])
            price = product.get("price")
            out[sku] = ViewProduct(
                sku=sku, name=product.get("name", ""),
                price=Decimal(str(price)) if price is not None else None,
                stock=int(stock_item["qty"]) if managed else None,
                active=product.get("status") == 1, parent_sku=parents.get(sku, ""),
                category_names=tuple(names.get(str(link["category_id"]), "") for link in
                                     product["extension_attributes"].get("category_links", [])))
        return out

    def category_names(self) -> set[str]:
        return {c["name"] for c in self.sandbox.data["categories"].values()}

    def customers(self) -> dict[str, ViewCustomer]:
        return {c["email"].lower(): ViewCustomer(
            email=c["email"], first_name=c["firstname"], last_name=c["lastname"],
            account_code=_custom(c, ACCOUNT_ATTRIBUTE))
            for c in self.sandbox.data["customers"].values()}

    def orders(self) -> dict[str, ViewOrder]:
        out = {}
        for order in self.sandbox.data["orders"].values():
            number = next((h["comment"][len(NUMBER_PREFIX):].strip()
                           for h in order["status_histories"]
                           if h["comment"].startswith(NUMBER_PREFIX)), "")
            out[str(order["entity_id"])] = ViewOrder(
                order_id=str(order["entity_id"]), total=Decimal(str(order["grand_total"])),
                currency=order["order_currency_code"], paid=order["state"] in _PAID_STATES,
                document_number=number)
        return out


class MagentoPlatform:
    kind = "magento"

    def __init__(self, sandbox: MagentoSandbox) -> None:
        self.sandbox = sandbox
        self.view = MagentoView(sandbox)

    @property
    def url(self) -> str:
        return self.sandbox.url

    @property
    def requests(self) -> list[tuple[str, str]]:
        return self.sandbox.requests

    def reset_requests(self) -> None:
        self.sandbox.reset_requests()

    def stop(self) -> None:
        self.sandbox.stop()

    def profile_shop(self) -> dict[str, Any]:
        return {"kind": "magento", "url": self.sandbox.url, "access_token": f"env:{TOKEN_ENV}",
                "http": {"ca_bundle": str(self.sandbox.ca_bundle), "timeout": 10}}

    def secrets(self) -> dict[str, str]:
        return {TOKEN_ENV: TOKEN}

    def profile_orders(self) -> dict[str, Any]:
        """Magento's statuses, payment codes and shipping method for the demo's mappings."""
        return {
            "statuses": {"processing": "order", "complete": "order", "holded": "quotation"},
            "awaiting_payment_statuses": ["pending", "pending_payment"],
            "carriers": {"flatrate_flatrate": "Colissimo"},
            "payments": {
                "banktransfer": {"journal": "WEB-TRANSFER"},
                "checkmo": {"journal": "WEB-TRANSFER"},
                "paypal_express": {"journal": "WEB-PAYPAL"},
                "cashondelivery": {"journal": "WEB-COD"},
                "stripe_payments": {"journal": "WEB-CARD",
                                    "journals_by_currency": {"USD": "WEB-CARD-USD",
                                                             "CAD": "WEB-CARD-CAD"}},
                "amazon": {"journal": "WEB-CARD", "account": "WEBAMAZON",
                           "aliases": ["amazon_payment_v2"]},
            },
        }


def start(state_dir: Path, *, port: int = 0, **options: Any) -> MagentoPlatform:
    state_dir.mkdir(parents=True, exist_ok=True)
    sandbox = MagentoSandbox(state_dir / "magento.json", token=TOKEN, port=port,
                             cert_dir=state_dir / "tls", **options)
    return MagentoPlatform(sandbox.start())
