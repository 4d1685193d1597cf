"""What a profile holds (P1), validated with pydantic when it is loaded.

A profile is one back-office connection, one shop connection and the options
of every flow. Validation happens at load time so a mistake is reported once,
naming the field, before any flow touches either side. Secrets are never
stored here: only a reference (``env:NAME`` or ``keyring:SERVICE/USER``).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from passerelle.mapping.templates import PLACEHOLDERS, check_template
from passerelle.model import DocumentType

__all__ = [
    "CatalogueOptions",
    "CustomerOptions",
    "HttpSettings",
    "OrderOptions",
    "PaymentMapping",
    "Profile",
    "SecretRef",
    "TaxMapping",
    "TrytonSettings",
    "WooCommerceSettings",
]

_SECRET_REF = re.compile(r"^(env:[A-Za-z_][A-Za-z0-9_]*|keyring:[^/\s]+/[^/\s]+)$")


def _check_secret_ref(value: str) -> str:
    if not _SECRET_REF.match(value):
        raise ValueError(
            "must name where the secret is kept, as env:VARIABLE or keyring:SERVICE/USER "
            "(the secret itself is never written in a profile)"
        )
    return value


SecretRef = Annotated[str, Field(description="env:VARIABLE or keyring:SERVICE/USER")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class HttpSettings(_Strict):
    """P5: HTTP options of the shop connection."""

    timeout: float = Field(30.0, gt=0, le=600)
    max_tries: int = Field(3, ge=1, le=20)
    delay_between_requests: float = Field(0.0, ge=0, le=60)
    user_agent: str = "passerelle"
    verify_tls: bool = True
    ca_bundle: Path | None = None
    proxy: str | None = None


class TrytonSettings(_Strict):
    """The Tryton back-office: embedded trytond on SQLite (default) or PostgreSQL."""

    kind: Literal["tryton"] = "tryton"
    database: str = Field(min_length=1)
    uri: str = "sqlite://"
    path: Path | None = None  # directory of SQLite files; default: <data dir>/tryton
    company: str | None = None

    @field_validator("uri")
    @classmethod
    def _uri_scheme(cls, value: str) -> str:
        if not (value.startswith("sqlite://") or value.startswith("postgresql://")):
            raise ValueError("must start with sqlite:// or postgresql://")
        return value


class WooCommerceSettings(_Strict):
    """A WooCommerce shop (REST API v3)."""

    kind: Literal["woocommerce"] = "woocommerce"
    url: str
    consumer_key: SecretRef
    consumer_secret: SecretRef
    query_string_auth: bool = False
    http: HttpSettings = HttpSettings()

    @field_validator("url")
    @classmethod
    def _https(cls, value: str) -> str:
        if not re.match(r"^https://[^/\s]+", value):
            raise ValueError(
                "must be the shop's https:// address (WooCommerce accepts API keys over HTTPS only)"
            )
        return value.rstrip("/")

    @field_validator("consumer_key", "consumer_secret")
    @classmethod
    def _secret(cls, value: str) -> str:
        return _check_secret_ref(value)


class CatalogueOptions(_Strict):
    """C1–C15 options of the catalogue flows."""

    only_changed: bool = True  # C5: only items changed since the last transfer
    only_salable: bool = True
    tax_classes: dict[str, str] = {}  # C4: back-office tax name -> shop tax class
    default_tax_class: str | None = None  # C4 default; None = a missing entry is an error
    price_decimals: int = Field(2, ge=0, le=6)  # C10
    warehouses: list[str] = []  # C9: warehouse codes summed; empty = all
    negative_stock_as_zero: bool = True  # C9
    new_products_active: bool = True  # C16
    update_policy: dict[
        Literal["name", "description", "price", "stock", "categories", "weight", "barcode"],
        Literal["overwrite", "keep"],
    ] = {}  # C15: on update; every field is written on creation


class CustomerOptions(_Strict):
    """K1 options."""

    skip_without_email: bool = True
    skip_inactive: bool = True


class TaxMapping(_Strict):
    """O10: a shop tax (by label and/or rate) → a back-office tax."""

    shop_label: str | None = None
    shop_rate: Decimal | None = None  # percent, e.g. 20 or 5.5
    tax: str  # back-office tax name

    @model_validator(mode="after")
    def _one_key(self) -> TaxMapping:
        if self.shop_label is None and self.shop_rate is None:
            raise ValueError("give shop_label or shop_rate (or both) to say which shop tax this is")
        return self


class PaymentMapping(_Strict):
    """O11: a shop payment method → a back-office payment journal."""

    journal: str
    create_payment: bool = True


class OrderOptions(_Strict):
    """O1–O20 options of the order flows."""

    period_days: int = Field(30, ge=1, le=3650)  # O1 default period
    include_transferred: bool = False  # O1
    statuses: dict[str, DocumentType] = {
        "processing": DocumentType.ORDER,
        "completed": DocumentType.ORDER,
    }  # O2
    awaiting_payment_statuses: list[str] = ["pending", "on-hold"]  # O22: parked, retried
    account_prefix: str = "WEB"  # O4
    account_length: int = Field(9, ge=1, le=30)
    guest_account: str = "WEBGUEST"
    reference_template: str = "%ON"  # O7
    description_template: str = "Web %OI - %CF %CL"
    comment_template: str = "%NOTE"
    misc_item: str | None = None  # O8
    shipping_item: str  # O14
    taxes: list[TaxMapping] = []  # O10
    default_tax: str | None = None
    payments: dict[str, PaymentMapping] = {}  # O11: shop payment method id -> mapping
    total_tolerance: Decimal = Field(Decimal("0.00"), ge=0, le=Decimal("1"))
    status_after_import: str | None = None  # O20: shop status written back, if any
    warehouse: str | None = None

    @field_validator("reference_template", "description_template", "comment_template")
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        unknown = check_template(value)
        if unknown:
            known = ", ".join(f"%{name}" for name in PLACEHOLDERS)
            raise ValueError(
                f"unknown placeholder(s) {', '.join('%' + u for u in unknown)}; known: {known}"
            )
        return value


class Profile(_Strict):
    """One back-office linked to one shop, with every option."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    mode: Literal["test", "production"] = "production"
    backoffice: TrytonSettings
    shop: WooCommerceSettings
    catalogue: CatalogueOptions = CatalogueOptions()
    customers: CustomerOptions = CustomerOptions()
    orders: OrderOptions
