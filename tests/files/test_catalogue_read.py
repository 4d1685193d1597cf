"""Exported files → items, prices, stock and customers; each bad line is a problem, not the end."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from passerelle.connectors.files.catalogue import categories, read_items
from passerelle.connectors.files.columns import Column
from passerelle.connectors.files.customers_read import customer_groups, read_customers
from passerelle.connectors.files.prices_read import read_prices
from passerelle.connectors.files.stock_read import read_stock
from passerelle.connectors.files.tables import Table, TableError, TableFormat, read_table
from passerelle.model import Address, Category, CustomerGroup, Item, StockLevel, Tax

DATA = Path(__file__).parent.parent / "data" / "files"
TAXES = [Tax("TVA20", "TVA 20 %", Decimal("0.20")), Tax("TVA55", "TVA 5,5 %", Decimal("0.055"))]
COMMA = ("decimal_comma",)
#: The mapping of the Sage-like export under tests/data/files.
SAGE = {
    "code": Column(header="Référence"),
    "name": Column(header="Désignation"),
    "sale_price": Column(header="Prix de vente HT", transforms=COMMA),
    "tax": Column(header="Code TVA"),
    "category": Column(header="Famille"),
    "barcode": Column(header="Code barre"),
    "weight": Column(header="Poids (kg)", transforms=COMMA),
    "active": Column(header="Actif", transforms=("bool",)),
    "attr:marque": Column(header="Marque"),
}


def csv(name: str, text: str, spec: TableFormat | None = None) -> Table:
    return read_table(name, text.encode("cp1252"), spec or TableFormat())


def sage() -> Table:
    return read_table("articles_sage.csv", (DATA / "articles_sage.csv").read_bytes(), TableFormat())


def test_a_windows_1252_export_gives_its_good_lines_and_names_the_bad_one() -> None:
    read = read_items([sage()], SAGE, taxes=TAXES)
    by_code = {i.code: i for i in read.records}
    assert list(by_code) == ["TH-01", "CAS-24", "SUC-1"]
    teapot = by_code["TH-01"]
    assert teapot == Item(
        source_id="TH-01",
        code="TH-01",
        name="Théière fonte 1 L",
        sale_price=Decimal("34.90"),
        taxes=(TAXES[0],),
        category_ids=("Maison > Cuisine",),
        barcode="3760123450012",
        weight=Decimal("1.250"),
        attributes={"marque": "Vieux Fer"},
    )
    assert teapot.modified_at is None and teapot.variant_count == 1
    assert by_code["CAS-24"].name == "Casserole 24 cm"
    assert by_code["CAS-24"].sale_price == Decimal("12.50") and by_code["CAS-24"].barcode is None
    assert by_code["SUC-1"].sale_price == Decimal("1234.50")
    assert by_code["SUC-1"].active is False and by_code["SUC-1"].taxes == (TAXES[1],)
    assert by_code["SUC-1"].attributes == {}
    [problem] = read.problems
    assert problem.record_id == "BAD-1"
    assert str(problem) == (
        'articles_sage.csv, line 4, column "Prix de vente HT" (C): found "douze", '
        "expected a number with a decimal comma, like 1 234,50"
    )
    assert problem.said.render("fr").startswith(
        "articles_sage.csv, ligne 4, colonne « Prix de vente HT » (C) : trouvé « douze »"
    )


def test_categories_are_the_paths_items_name_parents_first() -> None:
    read = read_items([sage()], SAGE, taxes=TAXES)
    assert categories(read.records) == [
        Category("Maison", "Maison", None),
        Category("Maison > Cuisine", "Cuisine", "Maison"),
        Category("Maison > Cuisine > Casseroles", "Casseroles", "Maison > Cuisine"),
        Category("Épicerie", "Épicerie", None),
    ]


def test_unknown_tax_empty_code_empty_price_duplicate_and_undecodable_lines() -> None:
    data = (
        "Référence;Désignation;Prix de vente HT;Code TVA\n"
        "A;Un;1,00;TVA20\n"
        "B;Deux;2,00;TVA99\n"
        ";Sans code;3,00;\n"
        "C;Sans prix;;\n"
        "A;Encore un;4,00;\n"
    ).encode("cp1252") + b"D;Mauvais \x81;5,00;\n"
    mapping = {k: SAGE[k] for k in ("code", "name", "sale_price", "tax")}
    read = read_items([read_table("a.csv", data, TableFormat())], mapping, taxes=TAXES)
    assert [i.code for i in read.records] == ["A"]
    assert read.records[0].name == "Un"  # the first line of a code wins
    assert [p.record_id for p in read.problems] == ["B", None, "C", "A", "D"]
    unknown_tax, no_code, no_price, twice, undecodable = map(str, read.problems)
    assert unknown_tax == (
        'a.csv, line 3, column "Code TVA" (D): found "TVA99", '
        "expected one of the taxes TVA20, TVA55"
    )
    assert no_code.startswith('a.csv, line 4, column "Référence" (A): the cell is empty')
    assert no_price.startswith('a.csv, line 5, column "Prix de vente HT" (C): the cell is empty')
    assert twice == (
        "a.csv, line 6: the code A is already on line 2 of a.csv; "
        "this line is ignored, keep one line for it"
    )
    assert undecodable.startswith("a.csv, line 7: a character of this line cannot be read")


def test_a_code_in_two_files_is_refused_in_the_second() -> None:
    first = csv("maison.csv", "Référence;Désignation;Prix de vente HT\nA;Un;1\n")
    second = csv("jardin.csv", "Référence;Désignation;Prix de vente HT\nB;Deux;2\nA;Autre;3\n")
    mapping = {k: SAGE[k] for k in ("code", "name", "sale_price")}
    read = read_items([first, second], mapping)
    assert [i.code for i in read.records] == ["A", "B"]
    assert str(read.problems[0]).startswith(
        "jardin.csv, line 3: the code A is already on line 2 of maison.csv"
    )


def test_a_header_the_mapping_names_and_the_file_lacks_stops_the_file() -> None:
    table = csv("articles.csv", "Référence;Nom\nA;Un\n")
    with pytest.raises(
        TableError,
        match=r"the file articles\.csv has no column 'Désignation' \(its columns: Référence, Nom\)",
    ):
        read_items([table], {"code": SAGE["code"], "name": SAGE["name"]})


def workbook(rows: list[list[object]]) -> Table:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return read_table("catalogue.xlsx", out.getvalue(), TableFormat(format="xlsx"))


XLSX_HEADER = "Code;Libellé;Modèle;Taille;Couleur;Prix;Promo;Du;Au;Revendeur;Poids".split(";")
XLSX_FIELDS = "code name master axis:Taille axis:Couleur sale_price promotion_price".split()
XLSX_FIELDS += "promotion_start promotion_end price:Revendeurs weight".split()


def by_header(fields: list[str], headers: list[str]) -> dict[str, Column]:
    """Each field read from the column of the header at the same place."""
    return {f: Column(header=h) for f, h in zip(fields, headers, strict=True)}


XLSX_MAPPING = by_header(XLSX_FIELDS, XLSX_HEADER)


def apron_workbook() -> Table:
    dec1, dec31 = datetime(2026, 12, 1), datetime(2026, 12, 31)
    return workbook(
        [
            XLSX_HEADER,
            ["TAB-S-R", "Tablier S rouge", "TAB", "S", "Rouge", 19.9, 15, dec1, dec31, 12.5, 0.2],
            ["TAB-M-R", "Tablier M rouge", "TAB", "M", "Rouge", 19.9, 15, dec1, dec31, None, 0.25],
            ["TAB-M-B", "Tablier M bleu", "TAB", "M", "Bleu", 21, None, None, None, 13, 0.25],
            [
                "GANT",
                "Gant de cuisine",
                None,
                None,
                None,
                8,
                6,
                datetime(2027, 1, 2),
                None,
                None,
                1,
            ],
        ]
    )


def test_xlsx_numbers_and_variants_grouped_by_their_master_reference() -> None:
    read = read_items([apron_workbook()], XLSX_MAPPING, today=date(2026, 11, 30))
    assert read.problems == []
    aprons = [i for i in read.records if i.template_id == "TAB"]
    assert [(i.code, i.variant_count, dict(i.attributes)) for i in aprons] == [
        ("TAB-S-R", 3, {"Taille": "S", "Couleur": "Rouge"}),
        ("TAB-M-R", 3, {"Taille": "M", "Couleur": "Rouge"}),
        ("TAB-M-B", 3, {"Taille": "M", "Couleur": "Bleu"}),
    ]
    glove = read.records[-1]
    assert (glove.template_id, glove.variant_count, glove.weight) == ("", 1, Decimal(1))
    assert aprons[0].sale_price == Decimal("19.9") and aprons[0].weight == Decimal("0.2")
    assert aprons[2].sale_price == Decimal(21)
    assert aprons[0].group_prices == (("Revendeurs", Decimal("12.5")),)  # no promotion yet
    assert aprons[1].group_prices == ()


@pytest.mark.parametrize(
    ("today", "promoted"),
    [
        (date(2026, 11, 30), []),
        (date(2026, 12, 1), ["TAB-S-R", "TAB-M-R"]),  # its first day counts
        (date(2026, 12, 31), ["TAB-S-R", "TAB-M-R"]),  # and its last
        (date(2027, 1, 1), []),
        (date(2027, 1, 2), ["GANT"]),  # no end date: from its start on
    ],
)
def test_a_promotion_applies_only_within_its_dates(today: date, promoted: list[str]) -> None:
    read = read_items([apron_workbook()], XLSX_MAPPING, today=today, promotion_list="Soldes")
    prices = {i.code: dict(i.group_prices).get("Soldes") for i in read.records}
    assert [code for code, price in prices.items() if price is not None] == promoted
    assert all(prices[code] == (Decimal(6) if code == "GANT" else Decimal(15)) for code in promoted)


def test_promotion_dates_written_as_text() -> None:
    table = csv("p.csv", "Code;Prix;Promo;Du;Au\nA;10,00;8,00;01/12/2026;31/12/2026\n")
    mapping = {
        "code": Column(header="Code"),
        "sale_price": Column(header="Prix", transforms=COMMA),
        "promotion_price": Column(header="Promo", transforms=COMMA),
        "promotion_start": Column(header="Du", transforms=("date",), date_format="%d/%m/%Y"),
        "promotion_end": Column(header="Au", transforms=("date",), date_format="%d/%m/%Y"),
    }
    inside = read_items([table], mapping, today=date(2026, 12, 7))
    outside = read_items([table], mapping, today=date(2027, 1, 7))
    assert inside.records[0].group_prices == (("promotion", Decimal("8.00")),)
    assert outside.records[0].group_prices == ()


ITEMS = [
    Item(
        "A",
        "A",
        "Un",
        Decimal(1),
        group_prices=(("promotion", Decimal("0.5")), ("Pros", Decimal("0.9"))),
    ),
    Item("B", "B", "Deux", Decimal(2)),
    Item("C", "C", "Trois", Decimal(3)),
]


def test_prices_from_a_separate_file_are_merged_by_code() -> None:
    table = csv(
        "tarifs.csv",
        "Code;PV HT;Tarif revendeur;Promo;Fin\n"
        "B;2,50;2,10;;\nA;1,20;;0,99;30/11/2026\nZZ;9,00;;;\n",
    )
    mapping = {
        "code": Column(header="Code"),
        "sale_price": Column(header="PV HT", transforms=COMMA),
        "price:Revendeurs": Column(header="Tarif revendeur", transforms=COMMA),
        "promotion_price": Column(header="Promo", transforms=COMMA),
        "promotion_end": Column(header="Fin"),
    }
    read = read_prices([table], mapping, ITEMS, today=date(2026, 12, 7))
    a, b, c = read.records
    # A: its price list "Pros" is not in the file and stays; its ended promotion goes.
    assert (a.sale_price, a.group_prices) == (Decimal("1.20"), (("Pros", Decimal("0.9")),))
    assert (b.sale_price, b.group_prices) == (Decimal("2.50"), (("Revendeurs", Decimal("2.10")),))
    assert c == ITEMS[2]  # not in the file: as it was
    [unknown] = read.problems
    assert unknown.record_id == "ZZ"
    assert str(unknown) == (
        "tarifs.csv, line 4: no item has the code ZZ; this line is ignored "
        "(check the code, or add the item)"
    )


def test_stock_per_item_and_warehouse() -> None:
    table = csv(
        "stock.csv",
        "Article;Dépôt;Quantité\nA;Lyon;1 204,5\nA;Paris;0\nB;Lyon;3\n"
        "A;Lyon;7\nZZ;Lyon;1\nC;Lyon;\nB;Paris;trois\n",
    )
    mapping = {
        "code": Column(header="Article"),
        "warehouse": Column(header="Dépôt"),
        "quantity": Column(header="Quantité", transforms=COMMA),
    }
    read = read_stock([table], mapping, ITEMS)
    assert read.records == [
        StockLevel("A", "A", "Lyon", Decimal("1204.5")),
        StockLevel("A", "A", "Paris", Decimal(0)),
        StockLevel("B", "B", "Lyon", Decimal(3)),
    ]
    assert [p.record_id for p in read.problems] == ["A", "ZZ", "C", "B"]
    twice, unknown, empty, bad = map(str, read.problems)
    assert twice.startswith(
        "stock.csv, line 5: the code A in warehouse Lyon is already on line 2 of stock.csv"
    )
    assert unknown.startswith("stock.csv, line 6: no item has the code ZZ")
    assert empty.startswith('stock.csv, line 7, column "Quantité" (C): the cell is empty')
    assert bad.startswith('stock.csv, line 8, column "Quantité" (C): found "trois"')


def test_stock_of_one_warehouse_per_file_by_position_without_header() -> None:
    table = csv("stock_lyon.txt", "A\t2\nB\t5,25\n", TableFormat(delimiter="\t", header_row=0))
    mapping = {
        "code": Column(position=1),
        "quantity": Column(position=2, transforms=COMMA),
        "warehouse": Column(fixed="Lyon"),
    }
    read = read_stock([table], mapping, ITEMS)
    assert read.records == [
        StockLevel("A", "A", "Lyon", Decimal(2)),
        StockLevel("B", "B", "Lyon", Decimal("5.25")),
    ]


def test_items_by_position_in_a_file_without_header() -> None:
    table = csv("articles.txt", "A;Théière;12,50\nB;Bol;douze\n", TableFormat(header_row=0))
    mapping = {
        "code": Column(position=1),
        "name": Column(position=2),
        "sale_price": Column(position=3, transforms=COMMA),
    }
    read = read_items([table], mapping)
    assert [(i.code, i.name, i.sale_price) for i in read.records] == [
        ("A", "Théière", Decimal("12.50"))
    ]
    assert str(read.problems[0]).startswith('articles.txt, line 2, column C: found "douze"')


def test_customers_with_their_address_and_group() -> None:
    table = csv(
        "clients.csv",
        "N° compte;Raison sociale;Prénom;Nom;E-mail;Téléphone;Adresse;CP;Ville;Pays;Famille;"
        "N° TVA;Actif\n"
        "C001;Café Brûlé;;;contact@cafe.fr;04 78 00 00 00;3 rue de la Ré;69002;Lyon;fr;"
        "Revendeurs;FR12345678901;1\n"
        "C002;;Amélie;Poulain;amelie@example.fr;;;;;;;;0\n"
        "C001;Doublon;;;;;;;;;;;\n"
        "C003;Oui;;;;;;;;;;;peut-être\n",
    )
    fields = "code company first_name last_name email phone street postal_code city".split()
    fields += "country_code group tax_identifier active".split()
    mapping = by_header(fields, list(table.header))
    read = read_customers([table], mapping)
    cafe, amelie = read.records
    assert cafe.source_id == cafe.code == "C001"
    assert cafe.name == cafe.company == "Café Brûlé"  # an account's name: its company
    assert (cafe.email, cafe.group, cafe.tax_identifier, cafe.active) == (
        "contact@cafe.fr",
        "Revendeurs",
        "FR12345678901",
        True,
    )
    assert cafe.addresses == (
        Address(
            company="Café Brûlé",
            street="3 rue de la Ré",
            postal_code="69002",
            city="Lyon",
            country_code="FR",
            phone="04 78 00 00 00",
            email="contact@cafe.fr",
        ),
    )
    assert (amelie.name, amelie.addresses, amelie.active) == ("Amélie Poulain", (), False)
    assert [p.record_id for p in read.problems] == ["C001", "C003"]
    assert str(read.problems[1]).startswith(
        'clients.csv, line 5, column "Actif" (M): found "peut-être"'
    )
    assert customer_groups(read.records) == [CustomerGroup("Revendeurs", "Revendeurs")]
