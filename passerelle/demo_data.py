"""The demo merchant, described once for both sides.

The Tryton demo database is built from this catalogue, and the WooCommerce
sandbox seeds its orders with references taken from it, so the demo shows a
real round trip: items go out to the shop, orders for those items come back.
Plain data only; each side's builder turns it into its own records.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "CARRIERS",
    "CATEGORIES",
    "CUSTOMER_CATEGORIES",
    "DISCOUNT_ITEMS",
    "FOREIGN_CURRENCIES",
    "ORDER_TAXES",
    "PAYMENT_TERMS",
    "REPRESENTATIVES",
    "RETIRED_ITEM",
    "SPECIAL_ITEMS",
    "TAX_RULES",
    "COMPANY",
    "CUSTOMERS",
    "DemoCategory",
    "DemoCustomer",
    "DemoItem",
    "ITEMS",
    "SHIPPING_ITEM",
    "MISC_ITEM",
    "TAXES",
    "WAREHOUSES",
]


@dataclass(frozen=True)
class DemoTax:
    code: str  # stable name used by both sides' mappings
    name: str
    rate: Decimal  # fraction
    # O24: taxes after this one are computed on the price plus this tax
    # (Tryton's "update unit price"), which is how a compound tax is built.
    base_of_compound: bool = False


@dataclass(frozen=True)
class DemoCategory:
    code: str
    name: str
    parent: str | None = None


@dataclass(frozen=True)
class DemoItem:
    code: str
    name: str
    category: str
    price: Decimal  # excluding tax
    tax: str  # DemoTax.code
    weight: Decimal  # kg
    barcode: str
    stock: tuple[Decimal, Decimal]  # (main warehouse, second warehouse)
    description: str = ""
    salable: bool = True
    active: bool = True


@dataclass(frozen=True)
class DemoCustomer:
    code: str
    first_name: str
    last_name: str
    email: str
    street: str
    postal_code: str
    city: str
    country: str = "FR"
    company: str = ""


COMPANY = "Maison Passerelle"
CURRENCY = "EUR"

TAXES: tuple[DemoTax, ...] = (
    DemoTax("VAT20", "TVA 20 %", Decimal("0.20")),
    DemoTax("VAT10", "TVA 10 %", Decimal("0.10")),
    DemoTax("VAT55", "TVA 5,5 %", Decimal("0.055")),
)

# Taxes only orders use: never on a catalogue item, so never sent to the shop.
# GST + PST reproduce a compound tax (O24): PST is computed on price + GST.
# The 0 % ones are what the tax rules of O9 put in place of French VAT.
ORDER_TAXES: tuple[DemoTax, ...] = (
    DemoTax("GST5", "GST 5 %", Decimal("0.05"), base_of_compound=True),
    DemoTax("PST8", "PST 8 % (compound)", Decimal("0.08")),
    DemoTax("VAT0EXP", "TVA 0 % export", Decimal("0")),
    DemoTax("VAT0EU", "TVA 0 % intracommunautaire", Decimal("0")),
)


@dataclass(frozen=True)
class DemoTaxRule:
    """O9: a Tryton tax rule: every listed origin tax is replaced by ``target``."""

    name: str
    origins: tuple[str, ...]  # DemoTax codes
    target: str  # DemoTax code


TAX_RULES: tuple[DemoTaxRule, ...] = (
    DemoTaxRule("Export hors UE", ("VAT20", "VAT10", "VAT55"), "VAT0EXP"),
    DemoTaxRule("Autoliquidation UE", ("VAT20", "VAT10", "VAT55"), "VAT0EU"),
)

# O12: currencies besides the company's, with their rate against EUR.
FOREIGN_CURRENCIES: tuple[tuple[str, str, Decimal], ...] = (
    ("USD", "US Dollar", Decimal("1.08")),
    ("CAD", "Canadian Dollar", Decimal("1.50")),
)

# O26: carriers (Tryton carrier = party + the SHIPPING service item).
CARRIERS: tuple[str, ...] = ("Colissimo", "Chronopost")

# O6: customer families (party categories) and sales representatives.
CUSTOMER_CATEGORIES: tuple[str, ...] = ("Clients web", "Clients pro")
REPRESENTATIVES: tuple[str, ...] = ("Sophie Laurent",)

# O8: payment terms a payment mapping may name.
PAYMENT_TERMS: tuple[str, ...] = ("Comptant", "30 jours")

WAREHOUSES: tuple[str, ...] = ("WH", "WH2")  # codes of the two demo warehouses

CATEGORIES: tuple[DemoCategory, ...] = (
    DemoCategory("KITCHEN", "Cuisine"),
    DemoCategory("COOKWARE", "Ustensiles", "KITCHEN"),
    DemoCategory("TABLE", "Arts de la table", "KITCHEN"),
    DemoCategory("GROCERY", "Épicerie fine"),
    DemoCategory("TEA", "Thés et cafés", "GROCERY"),
    DemoCategory("BOOKS", "Livres"),
    DemoCategory("TEXTILE", "Linge de maison"),
    DemoCategory("GARDEN", "Jardin"),
)

_ITEM_ROWS: tuple[tuple[str, str, str, str, str, str], ...] = (
    # code, name, category, price excl. tax, tax, weight
    ("POT-001", "Casserole inox 16 cm", "COOKWARE", "24.90", "VAT20", "0.90"),
    ("POT-002", "Casserole inox 20 cm", "COOKWARE", "32.50", "VAT20", "1.20"),
    ("POT-003", "Faitout fonte 24 cm", "COOKWARE", "79.00", "VAT20", "4.50"),
    ("PAN-001", "Poêle 24 cm", "COOKWARE", "29.95", "VAT20", "1.10"),
    ("PAN-002", "Poêle 28 cm", "COOKWARE", "36.40", "VAT20", "1.40"),
    ("KNF-001", "Couteau d'office", "COOKWARE", "14.99", "VAT20", "0.10"),
    ("KNF-002", "Couteau de chef", "COOKWARE", "49.00", "VAT20", "0.25"),
    ("UTN-001", "Spatule bois", "COOKWARE", "4.15", "VAT20", "0.05"),
    ("PLT-001", "Assiette plate grès", "TABLE", "9.90", "VAT20", "0.60"),
    ("PLT-002", "Assiette creuse grès", "TABLE", "10.90", "VAT20", "0.55"),
    ("GLS-001", "Verre à eau 25 cl", "TABLE", "3.35", "VAT20", "0.20"),
    ("GLS-002", "Verre à vin 35 cl", "TABLE", "5.85", "VAT20", "0.22"),
    ("CUP-001", "Tasse à café", "TABLE", "6.45", "VAT20", "0.15"),
    ("CUP-002", "Mug 40 cl", "TABLE", "8.30", "VAT20", "0.35"),
    ("NPK-001", "Serviette lin", "TEXTILE", "11.65", "VAT20", "0.08"),
    ("OIL-001", "Huile d'olive 50 cl", "GROCERY", "12.80", "VAT55", "0.95"),
    ("OIL-002", "Huile de noix 25 cl", "GROCERY", "9.47", "VAT55", "0.50"),
    ("VIN-001", "Vinaigre balsamique", "GROCERY", "7.63", "VAT55", "0.60"),
    ("SAL-001", "Fleur de sel 125 g", "GROCERY", "5.21", "VAT55", "0.15"),
    ("HNY-001", "Miel de lavande 250 g", "GROCERY", "8.91", "VAT55", "0.35"),
    ("JAM-001", "Confiture abricot", "GROCERY", "4.74", "VAT55", "0.40"),
    ("JAM-002", "Confiture fraise", "GROCERY", "4.74", "VAT55", "0.40"),
    ("CHO-001", "Chocolat noir 70 %", "GROCERY", "3.79", "VAT55", "0.10"),
    ("TEA-001", "Thé vert sencha", "TEA", "11.37", "VAT55", "0.10"),
    ("TEA-002", "Thé noir Assam", "TEA", "9.95", "VAT55", "0.10"),
    ("TEA-003", "Infusion verveine", "TEA", "6.16", "VAT55", "0.05"),
    ("COF-001", "Café grains 1 kg", "TEA", "23.70", "VAT55", "1.00"),
    ("COF-002", "Café moulu 250 g", "TEA", "6.64", "VAT55", "0.25"),
    ("BOK-001", "Cuisine du marché", "BOOKS", "27.49", "VAT55", "0.80"),
    ("BOK-002", "L'art du thé", "BOOKS", "18.96", "VAT55", "0.45"),
    ("BOK-003", "Pâtisserie facile", "BOOKS", "22.75", "VAT55", "0.70"),
    ("TWL-001", "Torchon coton", "TEXTILE", "6.58", "VAT20", "0.10"),
    ("TWL-002", "Essuie-mains", "TEXTILE", "9.13", "VAT20", "0.18"),
    ("APR-001", "Tablier lin", "TEXTILE", "24.13", "VAT20", "0.30"),
    ("TBL-001", "Nappe 150x250", "TEXTILE", "45.75", "VAT20", "0.90"),
    ("GRD-001", "Terreau 20 L", "GARDEN", "8.25", "VAT10", "20.00"),
    ("GRD-002", "Graines de basilic", "GARDEN", "2.73", "VAT10", "0.02"),
    ("GRD-003", "Graines de tomate", "GARDEN", "2.73", "VAT10", "0.02"),
    ("GRD-004", "Bulbes de tulipe x10", "GARDEN", "7.18", "VAT10", "0.30"),
    ("GRD-005", "Rosier grimpant", "GARDEN", "19.09", "VAT10", "2.50"),
    ("GRD-006", "Plant d'olivier", "GARDEN", "41.82", "VAT10", "6.00"),
    ("GRD-007", "Arrosoir 10 L", "GARDEN", "21.58", "VAT20", "1.10"),
    ("GRD-008", "Sécateur", "GARDEN", "27.42", "VAT20", "0.30"),
    ("GRD-009", "Gants de jardin", "GARDEN", "9.96", "VAT20", "0.12"),
    ("GRD-010", "Pot terre cuite 30 cm", "GARDEN", "14.13", "VAT20", "3.20"),
    ("KIT-001", "Planche à découper", "KITCHEN", "19.91", "VAT20", "1.30"),
    ("KIT-002", "Balance de cuisine", "KITCHEN", "26.63", "VAT20", "0.90"),
    ("KIT-003", "Minuteur", "KITCHEN", "9.12", "VAT20", "0.12"),
    ("KIT-004", "Moulin à poivre", "KITCHEN", "29.08", "VAT20", "0.40"),
    ("KIT-005", "Tire-bouchon", "KITCHEN", "16.58", "VAT20", "0.20"),
)


def _stock_for(index: int) -> tuple[Decimal, Decimal]:
    """Deterministic, varied stock: a few items out of stock, one negative."""
    if index % 17 == 5:
        return (Decimal(0), Decimal(0))
    if index == 13:
        return (Decimal(-2), Decimal(0))
    return (Decimal((index * 7) % 40 + 3), Decimal((index * 3) % 11))


ITEMS: tuple[DemoItem, ...] = tuple(
    DemoItem(
        code=code,
        name=name,
        category=category,
        price=Decimal(price),
        tax=tax,
        weight=Decimal(weight),
        barcode=f"3760000{index:05d}",
        stock=_stock_for(index),
        description=f"<p>{name} — sélection {category.lower()}.</p>",
    )
    for index, (code, name, category, price, tax, weight) in enumerate(_ITEM_ROWS)
)

# Special items the order import needs (O8 misc item, O14 shipping item).
SHIPPING_ITEM = DemoItem(
    code="SHIPPING", name="Frais de port", category="KITCHEN", price=Decimal("0"),
    tax="VAT20", weight=Decimal("0"), barcode="", stock=(Decimal(0), Decimal(0)),
)
MISC_ITEM = DemoItem(
    code="MISC", name="Article divers", category="KITCHEN", price=Decimal("0"),
    tax="VAT20", weight=Decimal("0"), barcode="", stock=(Decimal(0), Decimal(0)),
)


def _special(code: str, name: str, tax: str = "VAT20") -> DemoItem:
    return DemoItem(code=code, name=name, category="KITCHEN", price=Decimal("0"), tax=tax,
                    weight=Decimal("0"), barcode="", stock=(Decimal(0), Decimal(0)))


# The other special items of the order import (O8, O14, O16, O25): Tryton
# services, never sent to the shop. One discount item per VAT code.
GAP_ITEM = _special("GAP", "Écart d'arrondi")
GIFT_WRAP_ITEM = _special("GIFTWRAP", "Emballage cadeau")
GIFT_CARD_ITEM = _special("GIFTCARD", "Carte cadeau")
ECOTAX_ITEM = _special("ECOTAX", "Éco-participation")
SUBSTITUTE_ITEM = _special("SUBST", "Article de remplacement")
DISCOUNT_ITEMS: dict[str, DemoItem] = {
    "VAT20": _special("DISC20", "Remise TVA 20 %", "VAT20"),
    "VAT10": _special("DISC10", "Remise TVA 10 %", "VAT10"),
    "VAT55": _special("DISC55", "Remise TVA 5,5 %", "VAT55"),
    "GST5": _special("DISC-CA", "Remise GST/PST", "VAT20"),
    "PST8": _special("DISC-CA", "Remise GST/PST", "VAT20"),
}
# A coupon whose description says "[DISC-FID]" has its discount lines on this item.
LOYALTY_DISCOUNT_ITEM = _special("DISC-FID", "Remise fidélité")
SPECIAL_ITEMS: tuple[DemoItem, ...] = (
    SHIPPING_ITEM, MISC_ITEM, GAP_ITEM, GIFT_WRAP_ITEM, GIFT_CARD_ITEM, ECOTAX_ITEM,
    SUBSTITUTE_ITEM, LOYALTY_DISCOUNT_ITEM,
    *{item.code: item for item in DISCOUNT_ITEMS.values()}.values(),
)

# An item withdrawn from sale (inactive in Tryton, still ordered in the shop):
# the substitute item replaces it on import (O8).
RETIRED_ITEM = DemoItem(
    code="OLD-001", name="Cocotte ancienne", category="COOKWARE", price=Decimal("39.00"),
    tax="VAT20", weight=Decimal("3.00"), barcode="376000099999",
    stock=(Decimal(0), Decimal(0)), active=False,
)

CUSTOMERS: tuple[DemoCustomer, ...] = (
    DemoCustomer("C0001", "Jeanne", "Martin", "jeanne.martin@example.org",
                 "12 rue des Lilas", "75011", "Paris"),
    DemoCustomer("C0002", "Louis", "Bernard", "louis.bernard@example.org",
                 "4 place du Marché", "69002", "Lyon"),
    DemoCustomer("C0003", "Camille", "Dubois", "camille.dubois@example.org",
                 "27 avenue Jean Jaurès", "31000", "Toulouse"),
    DemoCustomer("C0004", "Hugo", "Thomas", "hugo.thomas@example.org",
                 "3 impasse des Vignes", "33000", "Bordeaux"),
    DemoCustomer("C0005", "Léa", "Robert", "lea.robert@example.org",
                 "88 boulevard Carnot", "59000", "Lille"),
    DemoCustomer("C0006", "Nathan", "Richard", "nathan.richard@example.org",
                 "15 quai de la Fosse", "44000", "Nantes"),
    DemoCustomer("C0007", "Chloé", "Petit", "chloe.petit@example.org",
                 "6 rue Sainte-Catherine", "13001", "Marseille"),
    DemoCustomer("C0008", "Gabriel", "Durand", "gabriel.durand@example.org",
                 "41 rue du Faubourg", "67000", "Strasbourg", company="Durand SARL"),
    DemoCustomer("C0009", "Manon", "Leroy", "",  # no e-mail: skipped by K1
                 "9 allée des Pins", "06000", "Nice"),
    DemoCustomer("C0010", "Jules", "Moreau", "jules.moreau@example.org",
                 "20 cours Victor Hugo", "35000", "Rennes"),
)
