"""What a profile holds (P1), validated with pydantic when it is loaded.

A profile is one back-office connection, one shop connection and the options
of every flow. Validation happens at load time so a mistake is reported once,
naming the field, before any flow touches either side. Secrets are never
stored here: only a reference (``env:NAME`` or ``keyring:SERVICE/USER``).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError

from passerelle.i18n.messages import M_, Message
from passerelle.mapping.templates import PLACEHOLDERS, check_template
from passerelle.model import DocumentType
from passerelle.platforms.refused import Spoken, refusal, refused
from passerelle.platforms.tryton import TrytonSettings
from passerelle.profiles.catalogue_options import CatalogueOptions, CustomerOptions
from passerelle.profiles.notification_settings import NotificationSettings
from passerelle.profiles.platform_settings import BackOfficeSettings
from passerelle.profiles.schedule_options import ScheduleOptions, WorkerOptions
from passerelle.profiles.shop_settings import (
    BigCommerceSettings,
    HttpSettings,
    MagentoSettings,
    PrestaShopSettings,
    SecretRef,
    ShopifySettings,
    ShopSettings,
    WooCommerceSettings,
)
from passerelle.profiles.webhook_settings import WebhookSettings

__all__ = [
    "BackOfficeSettings",
    "BigCommerceSettings",
    "MagentoSettings",
    "PrestaShopSettings",
    "ShopSettings",
    "ShopifySettings",
    "CatalogueOptions",
    "CustomerOptions",
    "HttpSettings",
    "OrderOptions",
    "AddressChoice",
    "GroupingOptions",
    "PaymentMapping",
    "Profile",
    "ShipmentOptions",
    "TaxZone",
    "SecretRef",
    "TaxMapping",
    "TrytonSettings",
    "WooCommerceSettings",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class TaxMapping(_Strict):
    """O10: a shop tax (by label and/or rate) → a back-office tax."""

    shop_label: str | None = None
    shop_rate: Decimal | None = None  # percent, e.g. 20 or 5.5
    tax: str  # back-office tax name

    @model_validator(mode="after")
    def _one_key(self) -> TaxMapping:
        if self.shop_label is None and self.shop_rate is None:
            raise refused(
                M_("give shop_label or shop_rate (or both) to say which shop tax this is")
            )
        return self


class PaymentMapping(_Strict):
    """O11: a shop payment method → a back-office payment journal.

    ``journals_by_currency`` picks another journal for orders paid in that
    currency; ``account`` puts every order paid this way on one customer
    account (all Amazon orders on ``WEBAMAZON``); ``aliases`` are the other
    names marketplaces give the same method.
    """

    journal: str
    create_payment: bool = True
    journals_by_currency: dict[str, str] = {}
    account: str | None = None
    receivable_account: str | None = None
    payment_term: str | None = None
    aliases: list[str] = []


class TaxZone(_Strict):
    """O9: where the goods go → the back-office tax rule (fiscal position).

    ``country`` empty is the default entry. ``with_tax`` applies to orders the
    shop taxed, ``without_tax`` to orders it did not (exports, reverse charge).
    """

    country: str = ""
    subdivision: str = ""
    with_tax: str | None = None
    without_tax: str | None = None


class GroupingOptions(_Strict):
    """O17: a day's orders become one document on one account, the next day."""

    mode: Literal["none", "all", "guests"] = "none"
    account: str | None = None

    @model_validator(mode="after")
    def _account(self) -> GroupingOptions:
        if self.mode != "none" and not self.account:
            raise refused(M_("grouping needs the account the day's document is written on"))
        return self


class AddressChoice(_Strict):
    """O13: which address a document uses for invoicing and for delivery."""

    invoice: Literal["shop_billing", "shop_shipping", "customer_billing", "customer_delivery"] = (
        "shop_billing"
    )
    shipment: Literal["shop_billing", "shop_shipping", "customer_billing", "customer_delivery"] = (
        "shop_shipping"
    )


class ShipmentOptions(_Strict):
    """O20: what goes back to the shop once the back-office has shipped."""

    status: str | None = "completed"
    notify_customer: bool = True
    carriers: dict[str, str] = {}  # back-office carrier name -> name shown to the buyer


class OrderOptions(_Strict):
    """O1–O28 options of the order flows (docs/orders.md explains each)."""

    # O1, O2, O3, O22, O27: which orders
    period_days: int = Field(30, ge=1, le=3650)
    include_transferred: bool = False
    include_archived: bool = False
    # X3: once an import has written sales, send the stock of their items at once
    update_stock_after_import: bool = False
    statuses: dict[str, DocumentType] = {
        "processing": DocumentType.ORDER,
        "completed": DocumentType.ORDER,
    }
    awaiting_payment_statuses: list[str] = ["pending", "on-hold"]
    recheck_minutes: int = Field(60, ge=1, le=7 * 24 * 60)
    stores: list[str] = []  # empty = every store
    # O21: staging grid
    auto_validate: bool = True
    # K7, O4, O5, O6: customers
    customer_matching: Literal["email", "number", "none"] = "email"
    account_mode: Literal["per_customer", "single"] = "per_customer"
    single_account: str | None = None
    account_prefix: str = "WEB"
    account_length: int = Field(9, ge=1, le=30)
    guest_account: str = "WEBGUEST"
    receivable_mode: Literal["default", "single", "per_customer"] = "default"
    receivable_account: str | None = None
    receivable_prefix: str = "411W"
    receivable_length: int = Field(10, ge=1, le=30)
    new_customer_category: str | None = None
    new_customer_representative: str | None = None
    update_addresses: bool = True
    strip_accents: bool = False
    uppercase_names: bool = False
    uppercase_addresses: bool = False
    # O7: header
    date_source: Literal["order", "invoice", "today"] = "order"
    warehouse: str | None = None
    reference_template: str = "%ON"
    description_template: str = "Web %OI - %CF %CL"
    comment_template: str = "%NOTE"
    # O8
    misc_item: str
    substitute_item: str | None = None
    substitute_when: list[Literal["inactive", "out_of_stock"]] = []
    keep_shop_number: bool = False
    backoffice_labels: bool = False
    prices_from: Literal["net", "gross"] = "net"
    shipping_mode: Literal["line", "shipment_cost"] = "line"
    no_payment_method: bool = False
    discount_mode: Literal["per_vat", "net_prices"] = "per_vat"
    accept_total_difference: bool = False
    # O9, O10, O11, O12, O26: mappings
    tax_zones: list[TaxZone] = []
    taxes: list[TaxMapping] = []
    default_tax: str | None = None
    payments: dict[str, PaymentMapping] = {}  # shop payment method id -> mapping
    currencies: dict[str, str] = {}  # shop currency -> back-office currency (default: same)
    carriers: dict[str, str] = {}  # shop shipping method id -> back-office carrier
    # O13
    addresses: AddressChoice = AddressChoice()
    addresses_by_type: dict[DocumentType, AddressChoice] = {}
    # O14, O25: special items
    shipping_item: str
    gift_wrap_item: str
    gap_item: str
    gift_card_item: str | None = None
    ecotax_item: str | None = None
    discount_items: dict[str, str] = {}  # back-office tax name -> discount item
    # Items a coupon's description may name ("[CODE]"): checked before an
    # import, and never sent to the shop as products.
    coupon_items: list[str] = []
    gift_wrap_fee_names: list[str] = ["Gift wrap", "Gift wrapping", "Emballage cadeau"]
    zero_amount_lines: bool = False
    # O15: payments
    payment_amount: Literal["total", "paid"] = "total"
    payment_date: Literal["order", "payment", "today"] = "payment"
    payment_label_template: str = "%CF %CL - %ON"
    validate_before_paying: bool = False
    copy_reference_to_payment: bool = True
    # What may go on the gap item: per-line tax rounding of discount lines
    # written per VAT code differs from the shop's by a cent or two.
    total_tolerance: Decimal = Field(Decimal("0.05"), ge=0, le=Decimal("1"))
    # O16: reading
    messages: list[Literal["customer_note", "customer_messages", "private_notes"]] = [
        "customer_note"
    ]
    address_name: Literal["contact", "company_else_contact"] = "contact"
    unit_price_decimals: int = Field(4, ge=0, le=6)
    ecotax_mode: Literal["in_price", "separate_line"] = "in_price"
    # O17, O23, O28
    grouping: GroupingOptions = GroupingOptions()
    split_by_address: bool = True
    refunds: Literal["credit_note", "ignore"] = "credit_note"
    # O20: back to the shop
    status_after_import: str | None = None
    shipments: ShipmentOptions = ShipmentOptions()
    cancel_on_shop_cancellation: bool = True

    @field_validator(
        "reference_template",
        "description_template",
        "comment_template",
        "payment_label_template",
    )
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        unknown = check_template(value)
        if unknown:
            known = ", ".join(f"%{name}" for name in PLACEHOLDERS)
            raise refused(
                M_(
                    "unknown placeholder(s) %(unknown)s; known: %(known)s",
                    unknown=["%" + name for name in unknown],
                    known=known,
                )
            )
        return value

    @model_validator(mode="wrap")
    @classmethod
    def _every_missing_entry(
        cls, data: Any, handler: ModelWrapValidatorHandler[OrderOptions]
    ) -> OrderOptions:
        """O14: every missing entry in one report, one line each.

        Pydantic stops at the fields when one is missing; the entries the
        options call for (a discount item per mapped tax…) are checked on the
        raw data too, so a merchant fixes the profile once, not line by line.
        """
        problems: list[InitErrorDetails] = []
        try:
            options = handler(data)
        except ValidationError as exc:
            if not isinstance(data, Mapping):
                raise
            problems = [_init_details(error) for error in exc.errors()]
            values: Mapping[str, Any] = data
        else:
            values = options.__dict__
        for field, message in _missing_entries(values):
            # The English under "message" (the console's profile editor reads it and says
            # it in its own words), the kept message under "said" (the CLI, a job's problem).
            context = {"message": message.english, "said": Spoken(message)}
            problems.append(
                {
                    "type": PydanticCustomError("missing_entry", "{message}", context),
                    "loc": (field,),
                    "input": values.get(field),
                }
            )
        if problems:
            raise ValidationError.from_exception_data(cls.__name__, problems)
        return options

    def mapped_tax_names(self) -> list[str]:
        """Every back-office tax the order mappings can produce, sorted."""
        names = {entry.tax for entry in self.taxes}
        if self.default_tax:
            names.add(self.default_tax)
        return sorted(names)

    def special_items(self) -> dict[str, str]:
        """Option name → item code of every special item configured (O14)."""
        items = {
            "misc_item": self.misc_item,
            "shipping_item": self.shipping_item,
            "gift_wrap_item": self.gift_wrap_item,
            "gap_item": self.gap_item,
        }
        for name in ("gift_card_item", "ecotax_item", "substitute_item"):
            value = getattr(self, name)
            if value:
                items[name] = value
        for tax, item in sorted(self.discount_items.items()):
            items[f"discount_items.{tax!r}"] = item
        for index, item in enumerate(self.coupon_items):
            items[f"coupon_items[{index}]"] = item
        return items

    def addresses_for(self, document_type: DocumentType) -> AddressChoice:
        return self.addresses_by_type.get(document_type, self.addresses)


def _init_details(error: ErrorDetails) -> InitErrorDetails:
    context = error.get("ctx")
    if refusal(context) is not None:  # a kept message: rebuilt, pydantic has no such type
        return {
            "type": PydanticCustomError(error["type"], "{message}", context),
            "loc": error["loc"],
            "input": error["input"],
        }
    details: InitErrorDetails = {
        "type": error["type"],
        "loc": error["loc"],
        "input": error["input"],
    }
    if context is not None:
        details["ctx"] = context
    return details


def _missing_entries(values: Mapping[str, Any]) -> list[tuple[str, Message]]:
    """(option, what is missing) for every entry the options call for but lack.

    Works on raw profile data as well as on validated options, so it can
    speak even when other fields failed.
    """

    def get(name: str) -> Any:
        value = values.get(name)
        return (
            OrderOptions.model_fields[name].default
            if value is None and name not in values
            else value
        )

    missing: list[tuple[str, Message]] = []
    if get("discount_mode") == "per_vat":
        names = set()
        for entry in get("taxes") or []:
            tax = entry.get("tax") if isinstance(entry, Mapping) else getattr(entry, "tax", None)
            if isinstance(tax, str):
                names.add(tax)
        if isinstance(get("default_tax"), str):
            names.add(get("default_tax"))
        items = get("discount_items") or {}
        for name in sorted(names):
            if name not in items:
                missing.append(
                    (
                        "discount_items",
                        M_(
                            "no discount item for back-office tax %(tax)r "
                            '(add "%(tax)s" = "<item code>")',
                            tax=name,
                        ),
                    )
                )
    if get("account_mode") == "single" and not get("single_account"):
        missing.append(("single_account", M_('account_mode = "single" needs the account code')))
    if get("receivable_mode") == "single" and not get("receivable_account"):
        missing.append(
            ("receivable_account", M_('receivable_mode = "single" needs the account code'))
        )
    if get("substitute_when") and not get("substitute_item"):
        missing.append(("substitute_item", M_("substitute_when is set but no substitute item is")))
    if get("ecotax_mode") == "separate_line" and not get("ecotax_item"):
        missing.append(("ecotax_item", M_('ecotax_mode = "separate_line" needs the eco-tax item')))
    return missing


class Profile(_Strict):
    """One back-office linked to one shop, with every option."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    mode: Literal["test", "production"] = "production"
    backoffice: BackOfficeSettings
    shop: ShopSettings
    catalogue: CatalogueOptions = CatalogueOptions()
    customers: CustomerOptions = CustomerOptions()
    orders: OrderOptions
    webhooks: WebhookSettings = Field(default_factory=WebhookSettings)
    schedules: ScheduleOptions = ScheduleOptions()
    worker: WorkerOptions = WorkerOptions()
    notifications: NotificationSettings = Field(default_factory=NotificationSettings)
