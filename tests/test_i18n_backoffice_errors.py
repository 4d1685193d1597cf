"""The back-office's, the orders file's and the runner's errors reach a French merchant in
French, their data (codes, file names, lines, the back-office's own words) kept as they are.

``str()`` of an error stays English, for logs; :func:`passerelle.i18n.messages.said` gives
the kept message a journal line, a problem or the console renders in the reader's language.
The last test keeps every error raised under these paths that way: each one a merchant can
read is a kept or translated message, the rest are marked ``# internal:`` with the reason.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rich.console import Console

from passerelle.connectors.errors import FatalError, RecordError
from passerelle.connectors.paths import numeric_id
from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.connectors.tryton.testing import (  # noqa: F401 - fixtures
    tryton_backoffice,
    tryton_demo,
    tryton_demo_template,
)
from passerelle.connectors.xmlfile import NAMESPACE, XmlFileShop
from passerelle.connectors.xmlfile.reader import read_orders_bytes
from passerelle.flows.stock_check import StockReport
from passerelle.i18n import using
from passerelle.i18n.messages import render, said
from passerelle.model import Item, ShopProduct
from passerelle.runner.execute import JobOutcome
from passerelle.runner.problems import dismiss_problems
from passerelle.runner.worker import Worker
from tests.test_customer_flows import World, world  # noqa: F401 - world is the fixture
from tests.test_xml_orders import order_xml, orders_file

# ------------------------------------------------------------------ Tryton


def test_an_unknown_warehouse_is_said_in_french_with_its_code(
    tryton_backoffice: TrytonBackOffice,  # noqa: F811 - the fixture
) -> None:
    with pytest.raises(RecordError) as caught:
        tryton_backoffice.stock_levels(warehouses=["NOWHERE"])
    assert str(caught.value) == ("unknown Tryton warehouse code: NOWHERE (Inventory › Locations)")
    assert render(said(caught.value), "fr") == (
        "code d'entrepôt inconnu dans Tryton : NOWHERE (Logistique › Emplacements)"
    )


def test_a_profile_naming_no_company_of_the_database_is_refused_in_french(
    tryton_backoffice: TrytonBackOffice,  # noqa: F811 - the fixture
) -> None:
    other = TrytonBackOffice.from_target(tryton_backoffice.target, company="Nulle Part SA")
    with pytest.raises(FatalError) as caught:
        other.list_taxes()
    file = tryton_backoffice.target.sqlite_file
    assert str(caught.value) == f"SQLite database {file} has no company 'Nulle Part SA'"
    assert render(said(caught.value), "fr") == (
        f"la base SQLite {file} n'a pas de société 'Nulle Part SA'"
    )


def test_a_profile_pointing_at_no_database_is_refused_in_french(tmp_path: Path) -> None:
    missing = TrytonBackOffice("absente", path=tmp_path)
    with pytest.raises(FatalError) as caught:
        missing.list_taxes()
    assert render(said(caught.value), "fr") == (
        f"la base SQLite {tmp_path / 'absente.sqlite'} n'existe pas"
    )


# ------------------------------------------------------------------ the orders file


def test_a_malformed_orders_file_is_said_in_french_with_its_line_and_order() -> None:
    text = (
        f'<orders xmlns="{NAMESPACE}" version="1" source="s">\n<order id="A-1">\n'
        "<status>pending</status\n</order></orders>"
    )
    with pytest.raises(FatalError) as caught:
        read_orders_bytes(text.encode(), name="export.xml")
    assert str(caught.value).startswith("export.xml line 4, in order A-1: not well-formed XML (")
    french = render(said(caught.value), "fr")
    assert french.startswith("export.xml ligne 4, dans la commande A-1 : XML mal formé (")
    assert french.endswith(" ; rien n'a été lu dans le fichier")


def test_an_orders_file_without_source_says_what_to_write_in_french() -> None:
    with pytest.raises(FatalError) as caught:
        read_orders_bytes(f'<orders xmlns="{NAMESPACE}" version="1"/>'.encode(), name="o.xml")
    assert render(said(caught.value), "fr").startswith(
        "o.xml ligne 1 : <orders> n'a pas d'attribut source ; nommez la boutique d'où "
        'viennent les commandes (source="ma-boutique")'
    )


def test_a_refused_order_names_the_file_and_the_order_in_french() -> None:
    text = (
        f'<orders xmlns="{NAMESPACE}" version="1" source="s">\n'
        '<order id="7"><status>pending</status><created>2024-05-01T09:00:00Z</created>'
        "<currency>EUR</currency></order>\n"
        '<order id="7"><status>pending</status><created>2024-05-01T09:00:00Z</created>'
        "<currency>EUR</currency></order>\n</orders>"
    )
    refused = read_orders_bytes(text.encode(), name="orders.xml").refused
    duplicate = [error for error in refused if "another order" in str(error)]
    assert render(said(duplicate[-1]), "fr") == (
        "orders.xml ligne 3, commande 7 : <order> : une autre commande du fichier a "
        "l'identifiant '7' (ligne 2) ; celle-ci n'est pas lue"
    )


def test_an_orders_values_problems_are_said_in_french_each_value_as_written() -> None:
    order = order_xml("9", "2024-05-01T09:00:00Z", total="ten").replace(
        "<currency>EUR</currency>", "<currency>eur</currency>"
    )
    (refused,) = read_orders_bytes(orders_file(order).encode(), name="o.xml").refused
    assert "o.xml line 3, order 9: <currency>: 'eur' is not an ISO 4217 currency code" in str(
        refused
    )
    french = render(said(refused), "fr")
    assert (
        "o.xml ligne 3, commande 9 : <currency> : 'eur' n'est pas un code de devise ISO 4217 "
        "en majuscules (comme EUR)" in french
    )
    assert (
        "<line id=\"1\">, <total> : 'ten' n'est pas un nombre : écrivez des chiffres avec un "
        "point pour les décimales" in french
    )


def test_a_date_that_does_not_exist_is_said_in_french() -> None:
    text = orders_file(order_xml("9", "2024-05-01T24:00:00Z"))  # the schema takes 24:00
    (refused,) = read_orders_bytes(text.encode(), name="o.xml").refused
    assert render(said(refused), "fr").startswith(
        "o.xml ligne 3, commande 9 : <created> : '2024-05-01T24:00:00Z' n'est pas une date "
        "et heure qui existe ("
    )


def test_a_catalogue_flow_pointed_at_an_orders_file_is_refused_in_french(
    tmp_path: Path,
) -> None:
    shop = XmlFileShop(tmp_path / "orders.xml")
    with pytest.raises(FatalError) as caught:
        shop.write_customers([])
    assert render(said(caught.value), "fr").startswith(
        "un fichier XML de commandes est en lecture seule : impossible d'écrire les clients "
        "dans orders.xml ; "
    )


def test_an_id_no_shop_can_have_is_said_in_french() -> None:
    with pytest.raises(RecordError) as caught:
        numeric_id("../7", "order")
    assert "order id '../7' is not an id the shop can have" in str(caught.value)
    assert render(said(caught.value), "fr").startswith(
        "l'identifiant '../7' (commande) n'est pas un identifiant possible dans la boutique"
    )


# ------------------------------------------------------------------ the stock check


def test_a_stock_check_refused_to_fix_reports_its_error_line_in_french(
    world: World,  # noqa: F811 - the fixture
) -> None:
    world.backoffice.items["1"] = Item("1", "MUG-01", "Mug", Decimal(5))
    world.backoffice.set_stock("1", "WH", Decimal(4))
    world.shop.products = [ShopProduct("90", "MUG-01", "Mug", Decimal(5), stock_quantity=9)]
    profile = world.profile(mode="test", catalogue={"stock": {"check_fix": True}})
    summary = world.run("stock-check", profile)
    lines = world.store.journal(summary.run_id)
    with using("fr"):
        french = StockReport.from_journal(lines)
    with using("en"):
        english = StockReport.from_journal(lines)
    assert [d.code for d in french.differences] == ["MUG-01"]
    assert english.errors == [
        "differences reported, not fixed: stock-check: fixing writes to the shop and profile "
        "'shop-fr' is in test mode; check without --fix (and with "
        'catalogue.stock.check_fix = false), or set mode = "production" in the profile.'
    ]
    assert french.errors == [
        "écarts signalés, non corrigés : stock-check : la correction écrit dans la boutique "
        "et le profil 'shop-fr' est en mode test ; vérifiez sans --fix (et avec "
        'catalogue.stock.check_fix = false), ou mettez mode = "production" dans le profil.'
    ]


# ------------------------------------------------------------------ the runner


def test_unknown_problem_ids_are_refused_in_french(world: World) -> None:  # noqa: F811
    with pytest.raises(LookupError) as caught:
        dismiss_problems(world.store, "shop-fr", [998, 999], by="ann")
    assert render(said(caught.value), "fr") == (
        "les problèmes 998, 999 ne sont pas mis de côté pour le profil shop-fr "
        "(voir `passerelle problems`)"
    )
    with using("fr"):
        assert dismiss_problems(world.store, "shop-fr", None, by="ann") == ["rien à écarter"]


def test_a_job_whose_profile_cannot_be_loaded_is_said_and_parked_in_french(
    world: World,  # noqa: F811 - the fixture
) -> None:
    job = world.store.queue.enqueue("ghost", "import-orders", lane="orders", payload={})
    worker = Worker(world.path, store=world.store, console=Console(quiet=True), schedules=False)
    try:
        outcome = worker.run_job(job.id, timeout=30)
    finally:
        worker.close()
    assert isinstance(outcome, JobOutcome) and outcome.status == "failed"
    assert outcome.message.startswith("profile 'ghost' cannot be loaded, fix it then retry: ")
    assert render(outcome.said, "fr").startswith(
        "le profil 'ghost' ne peut pas être chargé, corrigez-le puis relancez : "
    )
    (problem,) = world.store.parked("ghost", "import-orders", kind="job")
    assert problem.reason_in("fr").startswith("le profil 'ghost' ne peut pas être chargé")


# ------------------------------------------------------------------ connection tests


def test_the_tryton_connection_test_answers_in_the_askers_language(tmp_path: Path) -> None:
    missing = TrytonBackOffice("absente", path=tmp_path)
    with using("fr"):
        report = missing.test_connection()
    assert not report.ok
    assert report.message == (
        f"la base SQLite {tmp_path / 'absente.sqlite'} n'existe pas ou est injoignable"
    )


def test_the_orders_file_connection_test_answers_in_the_askers_language(
    tmp_path: Path,
) -> None:
    (tmp_path / "o.xml").write_text(f'<orders xmlns="{NAMESPACE}" version="1" source="s"/>')
    with using("fr"):
        report = XmlFileShop(tmp_path / "o.xml").test_connection()
        missing = XmlFileShop(tmp_path / "none.xml").test_connection()
    assert report.ok and report.message == "o.xml : 0 commande de la source 's'"
    assert not missing.ok
    assert missing.message == f"le fichier de commandes {tmp_path / 'none.xml'} n'existe pas"
