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
    "APRON_COMBINATIONS",
    "APRON_ITEMS",
    "APRON_MASTER",
    "APRON_MISSING_COMBINATION",
    "ATTRIBUTES",
    "ATTRIBUTE_SET",
    "BLOCKED_ITEM",
    "CANDLE_ITEMS",
    "CANDLE_SCENTS",
    "CANDLE_TEMPLATE",
    "CATALOGUE_ITEMS",
    "CUSTOMER_CONTACTS",
    "CUSTOMER_PAYMENT_TERMS",
    "CUSTOMER_PRICE_LISTS",
    "CUSTOMER_WITHOUT_EMAIL",
    "DemoAttribute",
    "DemoPriceList",
    "INACTIVE_CUSTOMER",
    "ITEM_ATTRIBUTES",
    "ITEM_COST_PRICES",
    "ITEM_DIMENSIONS",
    "ITEM_DOCUMENTS",
    "ITEM_IMAGES",
    "ITEM_SUPPLIERS",
    "ITEM_TRANSLATIONS",
    "KIT_ITEM",
    "NEW_CATALOGUE_ITEMS",
    "PENDING_CUSTOMER",
    "PENDING_CUSTOMER_ORDER",
    "PLANNED_DELIVERY_DAYS",
    "PLANNED_SUPPLIER_DELIVERY",
    "PRICE_LISTS",
    "PROMOTION_PRICE_LIST",
    "TRANSLATION_LANGUAGE",
    "TSHIRT_COLOURS",
    "TSHIRT_ITEMS",
    "TSHIRT_MASTER",
    "UNPUBLISHED_ITEMS",
    "demo_document",
    "demo_png",
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
    # Several items with the same ``template`` are variants of one Tryton
    # template (its code); ``variant`` is the variant's code suffix.
    template: str = ""
    variant: str = ""
    # C13: a kit (Tryton product_kit) made of these (item code, quantity).
    components: tuple[tuple[str, Decimal], ...] = ()


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
    active: bool = True


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
    code="SHIPPING",
    name="Frais de port",
    category="KITCHEN",
    price=Decimal("0"),
    tax="VAT20",
    weight=Decimal("0"),
    barcode="",
    stock=(Decimal(0), Decimal(0)),
)
MISC_ITEM = DemoItem(
    code="MISC",
    name="Article divers",
    category="KITCHEN",
    price=Decimal("0"),
    tax="VAT20",
    weight=Decimal("0"),
    barcode="",
    stock=(Decimal(0), Decimal(0)),
)


def _special(code: str, name: str, tax: str = "VAT20") -> DemoItem:
    return DemoItem(
        code=code,
        name=name,
        category="KITCHEN",
        price=Decimal("0"),
        tax=tax,
        weight=Decimal("0"),
        barcode="",
        stock=(Decimal(0), Decimal(0)),
    )


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
    SHIPPING_ITEM,
    MISC_ITEM,
    GAP_ITEM,
    GIFT_WRAP_ITEM,
    GIFT_CARD_ITEM,
    ECOTAX_ITEM,
    SUBSTITUTE_ITEM,
    LOYALTY_DISCOUNT_ITEM,
    *{item.code: item for item in DISCOUNT_ITEMS.values()}.values(),
)

# An item withdrawn from sale (inactive in Tryton, still ordered in the shop):
# the substitute item replaces it on import (O8).
RETIRED_ITEM = DemoItem(
    code="OLD-001",
    name="Cocotte ancienne",
    category="COOKWARE",
    price=Decimal("39.00"),
    tax="VAT20",
    weight=Decimal("3.00"),
    barcode="376000099999",
    stock=(Decimal(0), Decimal(0)),
    active=False,
)

CUSTOMERS: tuple[DemoCustomer, ...] = (
    DemoCustomer(
        "C0001",
        "Jeanne",
        "Martin",
        "jeanne.martin@example.org",
        "12 rue des Lilas",
        "75011",
        "Paris",
    ),
    DemoCustomer(
        "C0002",
        "Louis",
        "Bernard",
        "louis.bernard@example.org",
        "4 place du Marché",
        "69002",
        "Lyon",
    ),
    DemoCustomer(
        "C0003",
        "Camille",
        "Dubois",
        "camille.dubois@example.org",
        "27 avenue Jean Jaurès",
        "31000",
        "Toulouse",
    ),
    DemoCustomer(
        "C0004",
        "Hugo",
        "Thomas",
        "hugo.thomas@example.org",
        "3 impasse des Vignes",
        "33000",
        "Bordeaux",
    ),
    DemoCustomer(
        "C0005", "Léa", "Robert", "lea.robert@example.org", "88 boulevard Carnot", "59000", "Lille"
    ),
    DemoCustomer(
        "C0006",
        "Nathan",
        "Richard",
        "nathan.richard@example.org",
        "15 quai de la Fosse",
        "44000",
        "Nantes",
    ),
    DemoCustomer(
        "C0007",
        "Chloé",
        "Petit",
        "chloe.petit@example.org",
        "6 rue Sainte-Catherine",
        "13001",
        "Marseille",
    ),
    DemoCustomer(
        "C0008",
        "Gabriel",
        "Durand",
        "gabriel.durand@example.org",
        "41 rue du Faubourg",
        "67000",
        "Strasbourg",
        company="Durand SARL",
    ),
    DemoCustomer(
        "C0009",
        "Manon",
        "Leroy",
        "",  # no e-mail: skipped by K1
        "9 allée des Pins",
        "06000",
        "Nice",
    ),
    DemoCustomer(
        "C0010",
        "Jules",
        "Moreau",
        "jules.moreau@example.org",
        "20 cours Victor Hugo",
        "35000",
        "Rennes",
    ),
)


# --------------------------------------------------------------------------
# Issue 4: catalogue and customer export (C1–C22, K1–K8).
# --------------------------------------------------------------------------

# One more customer, inactive in Tryton (K3: its shop account is disabled).
INACTIVE_CUSTOMER = DemoCustomer(
    "C0011",
    "Inès",
    "Fontaine",
    "ines.fontaine@example.org",
    "2 rue des Tanneurs",
    "21000",
    "Dijon",
    active=False,
)
CUSTOMER_WITHOUT_EMAIL = "C0009"  # already in CUSTOMERS

# K1: persons of a customer account with their own e-mail (Tryton: e-mail
# contact mechanisms with a name, besides the party's main e-mail).
CUSTOMER_CONTACTS: dict[str, tuple[tuple[str, str], ...]] = {
    "C0002": (
        ("Marie Bernard", "marie.bernard@example.org"),
        ("Paul Bernard", "paul.bernard@example.org"),
    ),
}
# Tryton sale.customer_payment_term of a few customers (DemoCustomer code → term name).
CUSTOMER_PAYMENT_TERMS: dict[str, str] = {"C0006": "30 jours", "C0010": "Comptant"}


@dataclass(frozen=True)
class DemoAttribute:
    """A custom field of items: a Tryton product.attribute of the "Web" attribute set."""

    name: str
    string: str  # the label
    type: str  # Tryton dict schema type: char, numeric, integer
    digits: int | None = None  # numeric only


ATTRIBUTE_SET = "Web"
ATTRIBUTES: tuple[DemoAttribute, ...] = (
    DemoAttribute("master", "Article maître", "char"),
    DemoAttribute("colour", "Couleur", "char"),
    DemoAttribute("size", "Taille", "char"),
    DemoAttribute("scent", "Parfum", "char"),
    DemoAttribute("brand", "Marque", "char"),
    DemoAttribute("material", "Matière", "char"),
    DemoAttribute("family", "Famille", "char"),
    DemoAttribute("subfamily", "Sous-famille", "char"),
    DemoAttribute("seo_title", "Titre SEO", "char"),
    DemoAttribute("seo_description", "Description SEO", "char"),
    DemoAttribute("keywords", "Mots-clés", "char"),
    DemoAttribute("gross_weight", "Poids brut (kg)", "numeric", 3),
    DemoAttribute("ecotax", "Éco-participation", "numeric", 2),
    DemoAttribute("min_qty", "Quantité minimale", "integer"),
    DemoAttribute("warranty", "Garantie", "char"),
    DemoAttribute("related", "Articles liés", "char"),
    DemoAttribute("extra_category", "Catégorie supplémentaire", "char"),
)

# C6: four simple items of one "master" article, one per colour, each its own stock.
TSHIRT_MASTER = "TSH-001"
TSHIRT_ITEMS: tuple[DemoItem, ...] = tuple(
    DemoItem(
        code=code,
        name="T-shirt coton",
        category="TEXTILE",
        price=Decimal("19.90"),
        tax="VAT20",
        weight=Decimal("0.20"),
        barcode=f"37600001{n:04d}",
        stock=stock,
        description=f"<p>T-shirt en coton bio, coloris {colour.lower()}.</p>",
    )
    for n, (code, colour, stock) in enumerate(
        (
            ("TSH-RED", "Rouge", (Decimal(12), Decimal(3))),
            ("TSH-GREEN", "Vert", (Decimal(5), Decimal(0))),
            ("TSH-YELLOW", "Jaune", (Decimal(0), Decimal(0))),
            ("TSH-BLUE", "Bleu", (Decimal(21), Decimal(4))),
        )
    )
)
TSHIRT_COLOURS: dict[str, str] = {
    "TSH-RED": "Rouge",
    "TSH-GREEN": "Vert",
    "TSH-YELLOW": "Jaune",
    "TSH-BLUE": "Bleu",
}

# C6: colour × size of master APR-100 with one combination missing (Bleu / M).
APRON_MASTER = "APR-100"
APRON_COMBINATIONS: dict[str, tuple[str, str]] = {  # code → (colour, size)
    "APR-100-RS": ("Rouge", "S"),
    "APR-100-RM": ("Rouge", "M"),
    "APR-100-BS": ("Bleu", "S"),
}
APRON_MISSING_COMBINATION = ("Bleu", "M")
APRON_ITEMS: tuple[DemoItem, ...] = tuple(
    DemoItem(
        code=code,
        name="Tablier de cuisine",
        category="TEXTILE",
        price=Decimal("22.50"),
        tax="VAT20",
        weight=Decimal("0.25"),
        barcode="",
        stock=(Decimal(4 + n * 3), Decimal(0)),
        description=f"<p>Tablier de cuisine {colour.lower()}, taille {size}.</p>",
    )
    for n, (code, (colour, size)) in enumerate(APRON_COMBINATIONS.items())
)

# C6: one Tryton template with three variants of its own (variant attribute "scent").
CANDLE_TEMPLATE = "CND-"
CANDLE_SCENTS: dict[str, str] = {"CND-LAV": "Lavande", "CND-VAN": "Vanille", "CND-FIG": "Figue"}
CANDLE_ITEMS: tuple[DemoItem, ...] = tuple(
    DemoItem(
        code=code,
        name="Bougie parfumée",
        category="TABLE",
        price=price,
        tax="VAT20",
        weight=Decimal("0.30"),
        barcode="",
        stock=(Decimal(6 + n * 4), Decimal(2)),
        description=f"<p>Bougie parfumée à la {scent.lower()}.</p>",
        template=CANDLE_TEMPLATE,
        variant=code.removeprefix(CANDLE_TEMPLATE),
    )
    for n, ((code, scent), price) in enumerate(
        zip(
            CANDLE_SCENTS.items(),
            (Decimal("12.50"), Decimal("12.50"), Decimal("14.90")),
            strict=True,
        )
    )
)

# C13: a kit of three items (Tryton product_kit; its stock follows its components').
KIT_ITEM = DemoItem(
    code="KIT-TEA",
    name="Coffret thé",
    category="TEA",
    price=Decimal("29.90"),
    tax="VAT55",
    weight=Decimal("0.50"),
    barcode="",
    stock=(Decimal(0), Decimal(0)),
    description="<p>Deux thés et deux tasses.</p>",
    components=(("TEA-001", Decimal(1)), ("TEA-002", Decimal(1)), ("CUP-001", Decimal(2))),
)

# C14: goods, active, but not salable (blocked).
BLOCKED_ITEM = DemoItem(
    code="BLK-001",
    name="Article bloqué",
    category="KITCHEN",
    price=Decimal("15.00"),
    tax="VAT20",
    weight=Decimal("0.50"),
    barcode="",
    stock=(Decimal(7), Decimal(0)),
    description="<p>Bloqué à la vente.</p>",
    salable=False,
)

# Every item of the catalogue besides the original ITEMS (special and retired
# items excluded): what the demo adds for the catalogue export.
NEW_CATALOGUE_ITEMS: tuple[DemoItem, ...] = (
    *TSHIRT_ITEMS,
    *APRON_ITEMS,
    *CANDLE_ITEMS,
    KIT_ITEM,
    BLOCKED_ITEM,
)
CATALOGUE_ITEMS: tuple[DemoItem, ...] = (*ITEMS, *NEW_CATALOGUE_ITEMS)

# C5: catalogue items NOT among the products of the web shop "passerelle";
# every other catalogue item is published, special and retired items are not.
UNPUBLISHED_ITEMS: tuple[str, ...] = ("GRD-006", "BOK-003")

_BRANDS = {
    "COOKWARE": "Cristel",
    "TABLE": "Revol",
    "GROCERY": "Maison Passerelle",
    "TEA": "Maison Passerelle",
    "BOOKS": "Éditions du Marché",
    "TEXTILE": "Linge Particulier",
    "GARDEN": "Jardin d'Ulysse",
    "KITCHEN": "Peugeot",
}
_MATERIALS = {
    "POT": "Inox",
    "PAN": "Aluminium",
    "KNF": "Acier",
    "UTN": "Hêtre",
    "PLT": "Grès",
    "GLS": "Verre",
    "CUP": "Porcelaine",
    "NPK": "Lin",
    "TWL": "Coton",
    "APR": "Lin",
    "TBL": "Coton",
    "TSH": "Coton",
    "CND": "Cire de soja",
    "KIT": "Hêtre",
}
_CATEGORY_NAMES = {c.code: c for c in CATEGORIES}
# Items without brand, material, family or SEO texts ("most" items have them).
_BARE_ITEMS = frozenset({"GRD-002", "GRD-003", "BLK-001"})
_ECOTAX = {
    "POT-001": "0.20",
    "POT-002": "0.20",
    "POT-003": "0.50",
    "KIT-002": "0.30",
    "GRD-007": "0.10",
}
_MIN_QTY = {"GLS-001": 6, "GLS-002": 6, "PLT-001": 4, "PLT-002": 4, "CUP-001": 2}
_WARRANTY = {
    "POT-001": "2 ans",
    "POT-002": "2 ans",
    "POT-003": "10 ans",
    "PAN-001": "2 ans",
    "PAN-002": "2 ans",
    "KNF-001": "5 ans",
    "KNF-002": "5 ans",
    "KIT-002": "1 an",
}
_RELATED = {
    "POT-001": "POT-002,POT-003",
    "TEA-001": "TEA-002,CUP-001",
    "KNF-002": "KNF-001",
    "TSH-RED": "APR-001",
}
_EXTRA_CATEGORY = {
    "CUP-001": "Thés et cafés",
    "BOK-002": "Thés et cafés",
    "TBL-001": "Arts de la table",
}


def _attributes_of(item: DemoItem) -> dict[str, object]:
    """The custom field values of a catalogue item (see ITEM_ATTRIBUTES)."""
    values: dict[str, object] = {}
    if item.code not in _BARE_ITEMS:
        category = _CATEGORY_NAMES[item.category]
        parent = _CATEGORY_NAMES[category.parent] if category.parent else category
        values |= {
            "brand": _BRANDS[item.category],
            "family": parent.name,
            "subfamily": category.name,
            "seo_title": f"{item.name} | {COMPANY}",
            "seo_description": f"{item.name} : livraison en 48 h, retours gratuits.",
            "keywords": f"{category.name.lower()}, {item.name.lower()}",
        }
        if material := _MATERIALS.get(item.code[:3]):
            values["material"] = material
    if not item.components:
        values["gross_weight"] = (item.weight * Decimal("1.1") + Decimal("0.05")).quantize(
            Decimal("0.001")
        )
    for name, table in (
        ("ecotax", _ECOTAX),
        ("warranty", _WARRANTY),
        ("related", _RELATED),
        ("extra_category", _EXTRA_CATEGORY),
    ):
        if item.code in table:
            values[name] = Decimal(table[item.code]) if name == "ecotax" else table[item.code]
    if item.code in _MIN_QTY:
        values["min_qty"] = _MIN_QTY[item.code]
    if item.code in TSHIRT_COLOURS:
        values |= {"master": TSHIRT_MASTER, "colour": TSHIRT_COLOURS[item.code]}
    if item.code in APRON_COMBINATIONS:
        colour, size = APRON_COMBINATIONS[item.code]
        values |= {"master": APRON_MASTER, "colour": colour, "size": size}
    if item.code in CANDLE_SCENTS:
        values["scent"] = CANDLE_SCENTS[item.code]
    return values


# Custom field values per item code (attribute name → str, Decimal or int):
# what Item.attributes holds for each catalogue item.
ITEM_ATTRIBUTES: dict[str, dict[str, object]] = {
    item.code: _attributes_of(item) for item in CATALOGUE_ITEMS
}

# Tryton cost price of every catalogue goods item (kits: Tryton sums its components').
ITEM_COST_PRICES: dict[str, Decimal] = {
    item.code: (item.price * Decimal("0.45")).quantize(Decimal("0.01"))
    for item in CATALOGUE_ITEMS
    if not item.components
}

# Dimensions in cm (length, width, height), Tryton product_measurements.
ITEM_DIMENSIONS: dict[str, tuple[Decimal, Decimal, Decimal]] = {
    code: (Decimal(length), Decimal(width), Decimal(height))
    for code, (length, width, height) in {
        "POT-001": ("30", "17", "10"),
        "POT-003": ("35", "28", "15"),
        "KIT-001": ("40", "25", "2"),
        "BOK-001": ("28", "21", "2.5"),
        "TBL-001": ("30", "20", "3"),
    }.items()
}

# Main supplier of a few items (Tryton purchase.product_supplier): (party name, their reference).
ITEM_SUPPLIERS: dict[str, tuple[str, str]] = {
    "POT-003": ("Fonderie du Nord", "FDN-1234"),
    "TEA-001": ("Thés du Monde", "TDM-SEN-01"),
}

# Images (Tryton product_image) per item: their colours (one image each).
ITEM_IMAGES: dict[str, tuple[tuple[int, int, int], ...]] = {
    "POT-001": ((192, 192, 200), (120, 120, 130)),
    "TSH-RED": ((200, 30, 30),),
    "TSH-GREEN": ((30, 160, 60),),
    "TSH-YELLOW": ((230, 200, 40),),
    "TSH-BLUE": ((30, 60, 200),),
}
# Documents (Tryton ir.attachment on the item's template): item code → file names.
ITEM_DOCUMENTS: dict[str, tuple[str, ...]] = {
    "POT-003": ("notice-POT-003.pdf",),
    "KNF-002": ("fiche-technique-KNF-002.docx",),
}


def demo_png(colour: tuple[int, int, int], size: int = 8) -> bytes:
    """A small plain-colour PNG, the same bytes every time (no imaging library)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    row = b"\x00" + bytes(colour) * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * size, 9))
        + chunk(b"IEND", b"")
    )


def demo_document(name: str) -> bytes:
    """The bytes of a demo document: a tiny PDF, or a minimal .docx (a zip)."""
    if name.endswith(".pdf"):
        return (
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
            + f"% {name}\n".encode()
            + b"trailer << /Root 1 0 R >>\n%%EOF\n"
        )
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("word/document.xml", date_time=(2024, 1, 1, 0, 0, 0))
        archive.writestr(info, f"<w:document><w:body>{name}</w:body></w:document>")
    return buffer.getvalue()


@dataclass(frozen=True)
class DemoPriceList:
    """A Tryton price list (sale_price_list: a customer group, K1; C10 group prices).

    The price is the list price less ``discount`` (a fraction), on the items
    of ``category`` only when given (then no price for the other items).
    """

    name: str
    discount: Decimal
    category: str | None = None  # DemoCategory code
    promotion: bool = False


PRICE_LISTS: tuple[DemoPriceList, ...] = (
    DemoPriceList("Professionnels", Decimal("0.10")),
    DemoPriceList("Revendeurs", Decimal("0.20")),
    DemoPriceList("Soldes", Decimal("0.15"), category="TEXTILE", promotion=True),
)
PROMOTION_PRICE_LIST = "Soldes"
# K1: customer code → its price list (customer group).
CUSTOMER_PRICE_LISTS: dict[str, str] = {"C0003": "Professionnels", "C0008": "Revendeurs"}

# C20: the demo's texts are French, in the database's default language
# ("en", Tryton's code); this language is made translatable and holds the
# translations below (item code → (name, description)).
TRANSLATION_LANGUAGE = "de"
ITEM_TRANSLATIONS: dict[str, tuple[str, str]] = {
    "POT-001": ("Edelstahl-Kochtopf 16 cm", "<p>Kochtopf aus Edelstahl, 16 cm.</p>"),
    "TEA-001": ("Grüner Tee Sencha", "<p>Japanischer grüner Tee.</p>"),
    "TSH-RED": ("Baumwoll-T-Shirt", "<p>T-Shirt aus Bio-Baumwolle, rot.</p>"),
}

# C9 stock kinds. A confirmed customer sale (not from the web shop) whose
# goods have not left the main warehouse: available = on hand − these.
PENDING_CUSTOMER = "C0004"
PENDING_CUSTOMER_ORDER: tuple[tuple[str, Decimal], ...] = (
    ("POT-002", Decimal(2)),
    ("TEA-002", Decimal(3)),
)
# A supplier delivery planned for the main warehouse in a week:
# forecast = on hand − pending order + this.
PLANNED_SUPPLIER_DELIVERY: tuple[str, Decimal] = ("CUP-002", Decimal(24))
PLANNED_DELIVERY_DAYS = 7
