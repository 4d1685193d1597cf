"""O19: orders from an XML file — the format, its reader, the file shop and the sandbox export.

The round trip reads the sandbox's state (WooCommerce wire JSON) three ways
that share no code: the exporter writes it as XML, the reader reads the
XML, and this test reads the JSON itself as the oracle.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from passerelle.connectors.base import Shop
from passerelle.connectors.errors import FatalError, NotFoundError, RecordError
from passerelle.connectors.xmlfile import (
    NAMESPACE,
    XmlFileShop,
    orders_schema,
    read_orders,
    read_source,
)
from passerelle.model import Address, Order, OrderStatus
from passerelle.sandbox.xml_export import export_orders_xml

DOCS = Path(__file__).resolve().parent.parent / "docs" / "orders-xml.md"
CENT = Decimal("0.01")

# A file written by hand, every element of the format used at least once.
EXAMPLE = f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- exported by hand for the test -->
<orders xmlns="{NAMESPACE}" version="1" source="maison-passerelle"
        generated="2024-05-03T08:00:00Z">
  <order id="1187" number="WEB-1187">
    <status shop="wc-processing">processing</status>
    <created>2024-05-01T14:30:00+02:00</created>
    <modified>2024-05-02T09:00:00+02:00</modified>
    <paid>2024-05-01T14:31:10+02:00</paid>
    <completed>2024-05-02T08:00:00Z</completed>
    <invoiced>2024-05-02T08:05:00Z</invoiced>
    <currency>EUR</currency>
    <store>pos</store>
    <prices-include-tax>false</prices-include-tax>
    <customer id="531">
      <tax-identifier>FR40303265045</tax-identifier>
    </customer>
    <billing>
      <first-name>Jeanne</first-name>
      <last-name>Martin</last-name>
      <company>Atelier Martin</company>
      <street>12 rue des Lilas</street>
      <street2>Bâtiment B</street2>
      <postal-code>69003</postal-code>
      <city>Lyon</city>
      <subdivision>ARA</subdivision>
      <country>FR</country>
      <phone>06 12 34 56 78</phone>
      <email>jeanne.martin@example.com</email>
    </billing>
    <shipping>
      <first-name>Jeanne</first-name>
      <last-name>Martin</last-name>
      <street>12 rue des Lilas</street>
      <postal-code>69003</postal-code>
      <city>Lyon</city>
      <country>FR</country>
    </shipping>
    <lines>
      <line id="11" product-id="88">
        <reference>POT-001</reference>
        <name>Pot en grès 20 cm</name>
        <quantity>2</quantity>
        <subtotal>50.00</subtotal>
        <total>45.00</total>
        <total-tax>9.00</total-tax>
        <ecotax>0.50</ecotax>
        <taxes>
          <tax id="1">
            <label>TVA 20 %</label>
            <percent>20</percent>
            <amount>9.00</amount>
          </tax>
        </taxes>
      </line>
      <line id="12">
        <reference>TEA-001</reference>
        <name>Thé vert 100 g</name>
        <quantity>1.5</quantity>
        <subtotal>12.00</subtotal>
        <total>10.80</total>
        <total-tax>1.42</total-tax>
        <taxes>
          <tax id="4"><label>GST</label><percent>5</percent><amount>0.54</amount></tax>
          <tax id="5" compound="true">
            <label>PST</label><percent>7.5</percent><amount>0.88</amount>
          </tax>
        </taxes>
        <ship-to>
          <first-name>Paul</first-name>
          <last-name>Martin</last-name>
          <street>3 place Bellecour</street>
          <postal-code>69002</postal-code>
          <city>Lyon</city>
          <country>FR</country>
        </ship-to>
      </line>
    </lines>
    <shipping-lines>
      <shipping-line id="13" method="flat_rate">
        <title>Colissimo</title>
        <total>5.90</total>
        <total-tax>1.18</total-tax>
        <taxes>
          <tax id="1"><label>TVA 20 %</label><percent>20</percent><amount>1.18</amount></tax>
        </taxes>
        <ship-to><city>Lyon</city><country>FR</country></ship-to>
      </shipping-line>
    </shipping-lines>
    <fees>
      <fee id="14">
        <name>Emballage cadeau</name>
        <total>3.00</total>
        <total-tax>0.60</total-tax>
        <taxes>
          <tax><label>TVA 20 %</label><amount>0.60</amount></tax>
        </taxes>
      </fee>
    </fees>
    <coupons>
      <coupon>
        <code>bienvenue10</code>
        <description>Welcome offer [DISC-FID]</description>
        <discount>6.20</discount>
        <discount-tax>1.07</discount-tax>
      </coupon>
    </coupons>
    <discount-total>6.20</discount-total>
    <total-tax>12.20</total-tax>
    <total>66.90</total>
    <payment-method id="stripe">Carte bancaire</payment-method>
    <transaction-id>ch_3PexampleA1187</transaction-id>
    <payments>
      <payment>
        <method>stripe</method>
        <title>Carte bancaire</title>
        <amount>46.90</amount>
        <paid>2024-05-01T14:31:10+02:00</paid>
        <transaction-id>ch_3PexampleA1187</transaction-id>
        <currency>EUR</currency>
      </payment>
      <payment>
        <method>bacs</method>
        <amount>20.00</amount>
      </payment>
    </payments>
    <gift-cards>
      <gift-card>
        <code>GC-2024-0042</code>
        <amount>10.00</amount>
      </gift-card>
    </gift-cards>
    <customer-note>Merci de livrer après 18 h.</customer-note>
    <notes>
      <note private="true">
        <created>2024-05-01T14:31:10+02:00</created>
        <text>Order status changed from Pending payment to Processing.</text>
      </note>
      <note from-customer="true">
        <text>Can the tea come in a separate parcel?</text>
      </note>
    </notes>
    <refunds>
      <refund id="1190">
        <created>2024-05-02T09:00:00+02:00</created>
        <amount>33.08</amount>
        <reason>Pot cassé à la livraison</reason>
        <shipping-total>5.90</shipping-total>
        <shipping-tax>1.18</shipping-tax>
        <lines>
          <line line-id="11">
            <reference>POT-001</reference>
            <name>Pot en grès 20 cm</name>
            <quantity>1</quantity>
            <total>22.50</total>
            <total-tax>4.50</total-tax>
            <taxes>
              <tax id="1"><label>TVA 20 %</label><percent>20</percent><amount>4.50</amount></tax>
            </taxes>
          </line>
        </lines>
      </refund>
    </refunds>
  </order>
  <order id="1188" archived="true">
    <status shop="wc-trash">other</status>
    <created>2024-05-02T10:00:00Z</created>
    <currency>USD</currency>
    <billing><email>guest@example.net</email></billing>
    <lines/>
    <total-tax>0</total-tax>
    <total>0.00</total>
  </order>
</orders>
"""


def d(text: str) -> Decimal:
    return Decimal(text)


def line_of(text: str, needle: str, start: int = 0) -> int:
    """1-based line number of the first ``needle`` at or after ``start``."""
    return text.count("\n", 0, text.index(needle, start)) + 1


def write(tmp_path: Path, text: str, name: str = "orders.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def order_xml(
    order_id: str,
    created: str,
    *,
    status: str = "processing",
    shop: str = "",
    modified: str = "",
    archived: bool = False,
    total: str = "10.00",
) -> str:
    """A minimal valid order."""
    shop_attr = f' shop="{shop}"' if shop else ""
    archived_attr = ' archived="true"' if archived else ""
    modified_el = f"<modified>{modified}</modified>" if modified else ""
    return (
        f'<order id="{order_id}"{archived_attr}>'
        f"<status{shop_attr}>{status}</status><created>{created}</created>{modified_el}"
        "<currency>EUR</currency><billing><email>b@example.net</email></billing>"
        '<lines><line id="1"><reference>POT-001</reference><name>Pot</name>'
        f"<quantity>1</quantity><subtotal>{total}</subtotal><total>{total}</total>"
        "<total-tax>0</total-tax></line></lines>"
        f"<total-tax>0</total-tax><total>{total}</total></order>\n"
    )


def orders_file(*orders: str, source: str = "test-shop") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<orders xmlns="{NAMESPACE}" version="1" source="{source}">\n'
        + "".join(orders)
        + "</orders>\n"
    )


# ============================================================== the format, read by hand


def test_example_file_is_read_field_by_field(tmp_path: Path) -> None:
    content = read_orders(write(tmp_path, EXAMPLE))
    assert content.source == "maison-passerelle"
    assert content.refused == ()
    order, archived = content.orders
    paris = timezone(timedelta(hours=2))

    assert order.source_id == "1187"
    assert order.number == "WEB-1187"
    assert order.status is OrderStatus.PROCESSING
    assert order.shop_status == "wc-processing"
    assert order.created_at == datetime(2024, 5, 1, 14, 30, tzinfo=paris)
    assert order.created_at == datetime(2024, 5, 1, 12, 30, tzinfo=UTC)
    assert order.modified_at == datetime(2024, 5, 2, 7, 0, tzinfo=UTC)
    assert order.paid_at == datetime(2024, 5, 1, 12, 31, 10, tzinfo=UTC)
    assert order.completed_at == datetime(2024, 5, 2, 8, 0, tzinfo=UTC)
    assert order.invoiced_at == datetime(2024, 5, 2, 8, 5, tzinfo=UTC)
    assert order.currency == "EUR"
    assert order.store == "pos"
    assert order.prices_include_tax is False
    assert order.customer_id == "531"
    assert not order.is_guest
    assert order.customer_tax_identifier == "FR40303265045"
    assert order.billing == Address(
        first_name="Jeanne",
        last_name="Martin",
        company="Atelier Martin",
        street="12 rue des Lilas",
        street2="Bâtiment B",
        postal_code="69003",
        city="Lyon",
        country_code="FR",
        subdivision="ARA",
        phone="06 12 34 56 78",
        email="jeanne.martin@example.com",
    )
    assert order.email == "jeanne.martin@example.com"
    assert order.shipping == Address(
        first_name="Jeanne",
        last_name="Martin",
        street="12 rue des Lilas",
        postal_code="69003",
        city="Lyon",
        country_code="FR",
    )

    pot, tea = order.lines
    assert (pot.source_id, pot.reference, pot.name, pot.product_id) == (
        "11",
        "POT-001",
        "Pot en grès 20 cm",
        "88",
    )
    assert (pot.quantity, pot.subtotal, pot.total, pot.total_tax, pot.ecotax) == (
        d("2"),
        d("50.00"),
        d("45.00"),
        d("9.00"),
        d("0.50"),
    )
    (vat,) = pot.taxes
    assert (vat.shop_tax_id, vat.label, vat.rate, vat.amount, vat.compound) == (
        "1",
        "TVA 20 %",
        d("0.2"),
        d("9.00"),
        False,
    )
    assert pot.ship_to is None
    assert tea.quantity == d("1.5")
    assert tea.product_id == ""
    assert tea.ecotax == Decimal("0")
    gst, pst = tea.taxes
    assert (gst.label, gst.rate, gst.amount, gst.compound) == ("GST", d("0.05"), d("0.54"), False)
    assert (pst.label, pst.rate, pst.amount, pst.compound) == ("PST", d("0.075"), d("0.88"), True)
    assert tea.ship_to == Address(
        first_name="Paul",
        last_name="Martin",
        street="3 place Bellecour",
        postal_code="69002",
        city="Lyon",
        country_code="FR",
    )

    (ship,) = order.shipping_lines
    assert (ship.source_id, ship.method_id, ship.title, ship.total, ship.total_tax) == (
        "13",
        "flat_rate",
        "Colissimo",
        d("5.90"),
        d("1.18"),
    )
    assert ship.taxes[0].amount == d("1.18")
    assert ship.ship_to == Address(city="Lyon", country_code="FR")
    (fee,) = order.fee_lines
    assert (fee.source_id, fee.name, fee.total, fee.total_tax) == (
        "14",
        "Emballage cadeau",
        d("3.00"),
        d("0.60"),
    )
    assert (fee.taxes[0].shop_tax_id, fee.taxes[0].rate) == ("", None)
    (coupon,) = order.coupons
    assert (coupon.code, coupon.description, coupon.discount, coupon.discount_tax) == (
        "bienvenue10",
        "Welcome offer [DISC-FID]",
        d("6.20"),
        d("1.07"),
    )
    assert order.discount_total == d("6.20")
    assert order.total_tax == d("12.20")
    assert order.total == d("66.90")

    assert (order.payment_method, order.payment_method_title, order.transaction_id) == (
        "stripe",
        "Carte bancaire",
        "ch_3PexampleA1187",
    )
    card, transfer = order.payments
    assert (card.method, card.method_title, card.amount, card.transaction_id, card.currency) == (
        "stripe",
        "Carte bancaire",
        d("46.90"),
        "ch_3PexampleA1187",
        "EUR",
    )
    assert card.paid_at == datetime(2024, 5, 1, 12, 31, 10, tzinfo=UTC)
    assert (transfer.method, transfer.method_title, transfer.amount, transfer.paid_at) == (
        "bacs",
        "",
        d("20.00"),
        None,
    )
    (gift,) = order.gift_cards
    assert (gift.code, gift.amount) == ("GC-2024-0042", d("10.00"))
    assert order.customer_note == "Merci de livrer après 18 h."
    system, buyer = order.notes
    assert (system.private, system.from_customer) == (True, False)
    assert system.created_at == datetime(2024, 5, 1, 12, 31, 10, tzinfo=UTC)
    assert system.text == "Order status changed from Pending payment to Processing."
    assert (buyer.private, buyer.from_customer, buyer.created_at) == (False, True, None)

    (refund,) = order.refunds
    assert (refund.source_id, refund.amount, refund.reason) == (
        "1190",
        d("33.08"),
        "Pot cassé à la livraison",
    )
    assert refund.created_at == datetime(2024, 5, 2, 7, 0, tzinfo=UTC)
    assert (refund.shipping_total, refund.shipping_tax) == (d("5.90"), d("1.18"))
    (returned,) = refund.lines
    assert (
        returned.line_id,
        returned.reference,
        returned.name,
        returned.quantity,
        returned.total,
        returned.total_tax,
    ) == ("11", "POT-001", "Pot en grès 20 cm", d("1"), d("22.50"), d("4.50"))
    assert returned.taxes[0].rate == d("0.2")
    assert order.archived is False

    # The second order: every optional part left out reads as empty or zero.
    assert archived.archived is True
    assert archived.status is OrderStatus.OTHER
    assert archived.shop_status == "wc-trash"
    assert archived.number == "1188"
    assert archived.customer_id is None and archived.is_guest
    assert archived.shipping == Address()
    assert archived.lines == ()
    assert archived.discount_total == Decimal("0")
    assert (
        archived.shipping_lines,
        archived.fee_lines,
        archived.coupons,
        archived.payments,
        archived.gift_cards,
        archived.notes,
        archived.refunds,
    ) == ((),) * 7
    assert (archived.payment_method, archived.customer_note, archived.store) == ("", "", "")
    assert archived.paid_at is None and archived.modified_at is None


def test_the_example_in_the_docs_is_a_valid_file() -> None:
    text = DOCS.read_text(encoding="utf-8")
    example = re.search(r"```xml\n(.*?)```", text, re.S)
    assert example is not None
    root = etree.fromstring(example.group(1).encode())
    orders_schema().assertValid(root)
    from passerelle.connectors.xmlfile.reader import read_orders_bytes

    content = read_orders_bytes(example.group(1).encode(), name="doc.xml")
    (order,) = content.orders
    lines = sum((line.total for line in order.lines), Decimal(0))
    shipping = sum((s.total for s in order.shipping_lines), Decimal(0))
    fees = sum((f.total for f in order.fee_lines), Decimal(0))
    cards = sum((g.amount for g in order.gift_cards), Decimal(0))
    assert lines + shipping + fees + order.total_tax - cards == order.total


def test_the_schema_ships_with_the_package_and_has_a_versioned_namespace() -> None:
    from passerelle.connectors.xmlfile.schema import schema_text

    xsd = etree.fromstring(schema_text())
    assert xsd.get("targetNamespace") == NAMESPACE == "https://passerelle.dev/ns/orders/1"
    assert xsd.get("version") == "1"
    assert orders_schema() is orders_schema()  # compiled once


# ============================================================== wrong files


def _refusal(tmp_path: Path, text: str) -> RecordError:
    content = read_orders(write(tmp_path, text))
    assert content.orders == ()
    (error,) = content.refused
    return error


@pytest.mark.parametrize(
    ("replace", "by", "element", "expected"),
    [
        (
            "<total>66.90</total>",
            "",
            "<payment-method",
            "<payment-method> is not expected at this place (expected here: <total>)",
        ),
        (
            "<text>Can the tea come in a separate parcel?</text>",
            "",
            '<note from-customer="true"',
            "<note> is incomplete: expected one of <created>, <text> here",
        ),
        (
            "<discount-tax>1.07</discount-tax>",
            "",
            "<coupon>",
            "<coupon> is incomplete: <discount-tax> is missing",
        ),
        (
            "<subtotal>12.00</subtotal>",
            "<subtotal>12,00</subtotal>",
            "<subtotal>12,00",
            "<line id=\"12\">, <subtotal>: '12,00' is not a number",
        ),
        (
            "<total>45.00</total>",
            "<total>1 045.00</total>",
            "<total>1 045",
            "<line id=\"11\">, <total>: '1 045.00' is not a number",
        ),
        (
            "<discount>6.20</discount>",
            "<discount>6.2e0</discount>",
            "<discount>6.2e0",
            "<discount>: '6.2e0' is not a number",
        ),
        (
            '<status shop="wc-processing">processing</status>',
            "<status>shipped</status>",
            "<status>shipped",
            "<status>: 'shipped' is not a status passerelle knows",
        ),
        (
            "<created>2024-05-01T14:30:00+02:00</created>",
            "<created>2024-05-01T14:30:00</created>",
            "<created>2024-05-01T14:30:00<",
            "<created>: '2024-05-01T14:30:00' is not a date and time in ISO 8601 with its zone",
        ),
        (
            "<currency>EUR</currency>",
            "<currency>€</currency>",
            "<currency>€",
            "<currency>: '€' is not an ISO 4217 currency code",
        ),
        (
            "<country>FR</country>\n      <phone>",
            "<country>France</country>\n      <phone>",
            "<country>France",
            "<country>: 'France' is not an ISO 3166 country code",
        ),
        (
            "<amount>33.08</amount>",
            "<amount>-33.08</amount>",
            "<amount>-33.08",
            "<refund id=\"1190\">, <amount>: '-33.08' is not a positive number",
        ),
        (
            '<line id="12">',
            '<line id="11">',
            '<line id="11">\n        <reference>TEA',
            "another line of this order has the id '11'",
        ),
        (
            "<quantity>2</quantity>",
            "<quantity>2</quantity><colour>red</colour>",
            "<colour>",
            "<colour> is not expected at this place (expected here: <subtotal>)",
        ),
        (
            '<order id="1187" number="WEB-1187">',
            '<order id="1187" archived="yes">',
            '<order id="1187" archived',
            "attribute archived of <order>: 'yes' is not true or false",
        ),
    ],
)
def test_an_invalid_order_is_refused_naming_file_line_order_and_element(
    tmp_path: Path, replace: str, by: str, element: str, expected: str
) -> None:
    first_order_only = EXAMPLE[: EXAMPLE.index('  <order id="1188"')] + "</orders>\n"
    assert replace in first_order_only
    text = first_order_only.replace(replace, by, 1)
    error = _refusal(tmp_path, text)
    line = line_of(text, element)
    assert error.record_id == "1187"
    assert f"orders.xml line {line}, order 1187: " in error.message
    assert expected in error.message
    assert "{" not in error.message  # no namespace noise


def test_every_problem_of_an_order_is_listed_and_the_other_orders_are_read(tmp_path: Path) -> None:
    bad = (
        order_xml("B-2", "2024-05-01T10:00:00Z")
        .replace("<total>10.00</total><total-tax>", "<total>ten</total><total-tax>")
        .replace("<currency>EUR</currency>", "<currency>eur</currency>")
    )
    text = orders_file(
        order_xml("A-1", "2024-05-01T09:00:00Z"), bad, order_xml("C-3", "2024-05-01T11:00:00Z")
    )
    content = read_orders(write(tmp_path, text))
    assert [o.source_id for o in content.orders] == ["A-1", "C-3"]
    (error,) = content.refused
    assert error.record_id == "B-2"
    assert "<currency>: 'eur'" in error.message
    assert "<line id=\"1\">, <total>: 'ten' is not a number" in error.message
    assert error.message.count("orders.xml line 4, order B-2") == 2


def test_an_order_id_met_again_refuses_the_second_order(tmp_path: Path) -> None:
    """The file is streamed: the first order 7 was handed over when the second is met."""
    text = orders_file(
        order_xml("7", "2024-05-01T09:00:00Z"),
        order_xml("7", "2024-05-02T09:00:00Z"),
        order_xml("8", "2024-05-03T09:00:00Z"),
    )
    content = read_orders(write(tmp_path, text))
    assert [o.source_id for o in content.orders] == ["7", "8"]
    assert content.orders[0].created_at == datetime(2024, 5, 1, 9, tzinfo=UTC)
    (error,) = content.refused
    assert error.record_id == "7"
    assert (
        "orders.xml line 4, order 7: <order>: another order of the file has the id '7' "
        "(line 3); this one is not read" in error.message
    )


def test_an_order_without_id_is_refused_without_record_id(tmp_path: Path) -> None:
    text = orders_file(order_xml("9", "2024-05-01T09:00:00Z").replace(' id="9"', ""))
    error = _refusal(tmp_path, text)
    assert error.record_id is None
    assert (
        "orders.xml line 3, an order without id: <order> lacks its required attribute id"
        in error.message
    )


def test_a_date_that_does_not_exist_is_refused_by_name(tmp_path: Path) -> None:
    text = orders_file(order_xml("9", "2024-02-30T09:00:00Z"))
    error = _refusal(tmp_path, text)
    assert "orders.xml line 3, order 9: <created>: '2024-02-30T09:00:00Z'" in error.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            f'<orders xmlns="{NAMESPACE}" version="1" source="s">\n<order id="A-1">\n'
            "<status>pending</status\n</order></orders>",
            "orders.xml line 4, in order A-1: not well-formed XML",
        ),
        (
            '<orders version="1" source="s"/>',
            f'orders.xml line 1: <orders> is in no namespace; write <orders xmlns="{NAMESPACE}"',
        ),
        (
            '<orders xmlns="https://passerelle.dev/ns/orders/2" version="2" source="s"/>',
            "orders.xml is in version 2 of the orders format; this passerelle reads version 1",
        ),
        (
            f'<orders xmlns="{NAMESPACE}" version="1"/>',
            "orders.xml line 1: <orders> has no source attribute",
        ),
        (
            f'<orders xmlns="{NAMESPACE}" version="1" source="my shop"/>',
            'source="my shop" is not a source name',
        ),
        (f'<orders xmlns="{NAMESPACE}" source="s"/>', "<orders> has no version attribute"),
        (f'<order xmlns="{NAMESPACE}"/>', "orders.xml line 1: the root element is <order>"),
        ("", "orders.xml is empty"),
        (
            f'<orders xmlns="{NAMESPACE}" version="1" source="s">\n<refund/>\n</orders>',
            "orders.xml line 2: <refund> is not expected at this place (expected here: <order>)",
        ),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE orders [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
            f'<orders xmlns="{NAMESPACE}" version="1" source="s"/>',
            "orders.xml: the file declares a DOCTYPE",
        ),
    ],
)
def test_a_file_that_cannot_be_read_at_all_stops_with_what_to_fix(
    tmp_path: Path, text: str, expected: str
) -> None:
    with pytest.raises(FatalError) as caught:
        read_orders(write(tmp_path, text))
    assert expected in caught.value.message


def test_a_missing_file_is_fatal(tmp_path: Path) -> None:
    with pytest.raises(FatalError, match="does not exist"):
        read_orders(tmp_path / "nowhere.xml")
    with pytest.raises(FatalError, match="does not exist"):
        read_source(tmp_path / "nowhere.xml")


# ============================================================== the sandbox, exported and read


@pytest.fixture(scope="module")
def sandbox_state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A freshly seeded WooCommerce sandbox state file, the HTTP server never started."""
    from passerelle.sandbox.woocommerce import WooSandbox

    base = tmp_path_factory.mktemp("woo-xml")
    state = base / "shop.json"
    sandbox = WooSandbox(state, cert_dir=base / "certs")
    sandbox.store.flush()
    assert state.exists()
    return state


@pytest.fixture(scope="module")
def wire(sandbox_state: Path) -> dict[str, Any]:
    return json.loads(sandbox_state.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def exported(sandbox_state: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("woo-xml-out") / "woocommerce-orders.xml"
    count = export_orders_xml(sandbox_state, out)
    assert count > 0
    return out


def _wire_orders(wire: dict[str, Any]) -> list[dict[str, Any]]:
    return list(wire["orders"].values())


def _gmt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value).replace(tzinfo=UTC) if value else None


def _meta(record: dict[str, Any], key: str) -> Any:
    return next((m["value"] for m in record.get("meta_data") or [] if m["key"] == key), None)


def _sku(wire: dict[str, Any], item: dict[str, Any]) -> str:
    product = wire.get("products", {}).get(str(item.get("product_id")))
    if product and product.get("sku"):
        return product["sku"]
    return item.get("_sku") or item.get("sku") or ""


def _check_taxes(
    read: tuple, taxes: list[dict[str, Any]], order: dict[str, Any], where: str
) -> None:
    rates = {str(t["rate_id"]): t for t in order["tax_lines"]}
    taxes = [t for t in taxes if t.get("total") not in ("", None)]
    assert len(read) == len(taxes), where
    for got, tax in zip(read, taxes, strict=True):
        rate = rates[str(tax["id"])]
        assert got.shop_tax_id == str(tax["id"]), where
        assert got.amount == Decimal(tax["total"]), where
        assert got.label == rate["label"], where
        assert got.rate == Decimal(str(rate["rate_percent"])) / 100, where
        assert got.compound is bool(rate["compound"]), where


def test_the_export_is_valid_against_the_schema(exported: Path) -> None:
    orders_schema().assertValid(etree.parse(str(exported)))


def test_every_sandbox_order_reads_back_equal_to_the_wire_to_the_cent(
    exported: Path, wire: dict[str, Any]
) -> None:
    content = read_orders(exported)
    assert content.refused == ()
    assert content.source == "woocommerce-sandbox"
    by_id = {o.source_id: o for o in content.orders}
    wire_orders = _wire_orders(wire)
    assert sorted(by_id) == sorted(str(o["id"]) for o in wire_orders)
    refunds = [r for r in wire.get("refunds", {}).values()]
    notes = list(wire.get("order_notes", {}).values())
    for raw in wire_orders:
        order = by_id[str(raw["id"])]
        where = f"order {raw['id']}"
        assert order.total == Decimal(raw["total"]), where
        assert order.total_tax == Decimal(raw["total_tax"]), where
        assert order.discount_total == Decimal(raw["discount_total"]), where
        assert order.currency == raw["currency"], where
        assert order.created_at == _gmt(raw["date_created_gmt"]), where
        assert order.modified_at == _gmt(raw["date_modified_gmt"]), where
        assert order.paid_at == _gmt(raw["date_paid_gmt"]), where
        assert order.prices_include_tax is bool(raw["prices_include_tax"]), where
        assert order.customer_id == (str(raw["customer_id"]) if raw["customer_id"] else None)
        assert order.billing.email == raw["billing"]["email"], where
        assert order.billing.city == raw["billing"]["city"], where
        assert order.payment_method == raw["payment_method"], where
        assert order.transaction_id == raw["transaction_id"], where
        assert order.customer_note == raw["customer_note"], where
        assert order.store == raw["created_via"], where
        if raw["status"] == "trash":
            assert order.archived and order.shop_status == "trash", where
        else:
            assert not order.archived, where
            assert order.status.value == raw["status"] == order.shop_status, where

        assert len(order.lines) == len(raw["line_items"]), where
        for line, item in zip(order.lines, raw["line_items"], strict=True):
            at = f"{where} line {item['id']}"
            assert line.source_id == str(item["id"]), at
            assert line.reference == _sku(wire, item), at
            assert line.name == item["name"], at
            assert line.quantity == Decimal(item["quantity"]), at
            assert line.subtotal == Decimal(item["subtotal"]), at
            assert line.total == Decimal(item["total"]), at
            assert line.total_tax == Decimal(item["total_tax"]), at
            assert line.ecotax == Decimal(_meta(item, "_ecotax") or "0"), at
            _check_taxes(line.taxes, item["taxes"], raw, at)
        for ship, item in zip(order.shipping_lines, raw["shipping_lines"], strict=True):
            at = f"{where} shipping {item['id']}"
            assert (ship.source_id, ship.method_id, ship.title) == (
                str(item["id"]),
                item["method_id"],
                item["method_title"],
            ), at
            assert (ship.total, ship.total_tax) == (
                Decimal(item["total"]),
                Decimal(item["total_tax"]),
            ), at
            _check_taxes(ship.taxes, item["taxes"], raw, at)
        assert len(order.shipping_lines) == len(raw["shipping_lines"]), where
        assert len(order.fee_lines) == len(raw["fee_lines"]), where
        for fee, item in zip(order.fee_lines, raw["fee_lines"], strict=True):
            assert (fee.name, fee.total, fee.total_tax) == (
                item["name"],
                Decimal(item["total"]),
                Decimal(item["total_tax"]),
            ), where
            _check_taxes(fee.taxes, item["taxes"], raw, where)
        assert [(c.code, c.discount, c.discount_tax) for c in order.coupons] == [
            (c["code"], Decimal(c["discount"]), Decimal(c["discount_tax"]))
            for c in raw["coupon_lines"]
        ], where
        assert [(g.code, g.amount) for g in order.gift_cards] == [
            (g["code"], Decimal(g["amount"])) for g in raw.get("gift_cards") or []
        ], where

        # The order is whole: lines, fees, shipping and taxes, less gift cards, make its total.
        parts = (
            sum((x.total for x in order.lines), Decimal(0))
            + sum((x.total for x in order.fee_lines), Decimal(0))
            + sum((x.total for x in order.shipping_lines), Decimal(0))
            + order.total_tax
            - sum((g.amount for g in order.gift_cards), Decimal(0))
        )
        assert parts.quantize(CENT) == order.total, where

        own_refunds = sorted(
            (r for r in refunds if r["order_id"] == raw["id"]),
            key=lambda r: (r["date_created_gmt"], r["id"]),
        )
        assert [(r.source_id, r.amount, r.reason, r.created_at) for r in order.refunds] == [
            (str(r["id"]), Decimal(r["amount"]), r["reason"], _gmt(r["date_created_gmt"]))
            for r in own_refunds
        ], where
        for refund, wire_refund in zip(order.refunds, own_refunds, strict=True):
            assert [(x.line_id, x.quantity, x.total, x.total_tax) for x in refund.lines] == [
                (
                    _meta(x, "_refunded_item_id"),
                    abs(Decimal(x["quantity"])),
                    abs(Decimal(x["total"])),
                    abs(Decimal(x["total_tax"])),
                )
                for x in wire_refund["line_items"]
            ], where
        own_notes = [n for n in notes if n["order_id"] == raw["id"]]
        assert sorted(n.text for n in order.notes) == sorted(n["note"] for n in own_notes)
        assert sum(1 for n in order.notes if not n.private) == sum(
            1 for n in own_notes if n["customer_note"]
        ), where


def test_extension_data_of_the_sandbox_reaches_the_file(
    exported: Path, wire: dict[str, Any]
) -> None:
    """VAT number, invoice date, eco-tax, several addresses, refunds, trash: each in place."""
    by_id = {o.source_id: o for o in read_orders(exported).orders}
    with_vat = [o for o in _wire_orders(wire) if _meta(o, "_billing_vat_number")]
    with_invoice = [o for o in _wire_orders(wire) if _meta(o, "_wcpdf_invoice_date")]
    with_ecotax = [
        o for o in _wire_orders(wire) if any(_meta(i, "_ecotax") for i in o["line_items"])
    ]
    several = [
        o
        for o in _wire_orders(wire)
        if isinstance(_meta(o, "_wcms_packages"), list) and len(_meta(o, "_wcms_packages")) > 1
    ]
    trashed = [o for o in _wire_orders(wire) if o["status"] == "trash"]
    if not (
        with_vat and with_invoice and with_ecotax and several and trashed and wire.get("refunds")
    ):
        pytest.skip("this sandbox seed has no extension cases")
    for raw in with_vat:
        assert by_id[str(raw["id"])].customer_tax_identifier == _meta(raw, "_billing_vat_number")
    for raw in with_invoice:
        stamp = int(_meta(raw, "_wcpdf_invoice_date"))
        assert by_id[str(raw["id"])].invoiced_at == datetime.fromtimestamp(stamp, UTC)
    for raw in with_ecotax:
        assert any(line.ecotax > 0 for line in by_id[str(raw["id"])].lines)
    for raw in several:
        order = by_id[str(raw["id"])]
        destinations = {p["destination"]["city"] for p in _meta(raw, "_wcms_packages")}
        assert {line.ship_to.city for line in order.lines if line.ship_to} == destinations
        assert {s.ship_to.city for s in order.shipping_lines if s.ship_to} == destinations
    for raw in trashed:
        assert by_id[str(raw["id"])].archived
    refunded = {str(r["order_id"]) for r in wire["refunds"].values()}
    assert all(by_id[order_id].refunds for order_id in refunded)


def test_the_export_keeps_only_the_statuses_asked_and_writes_to_streams(
    sandbox_state: Path, wire: dict[str, Any]
) -> None:
    completed = [o for o in _wire_orders(wire) if o["status"] == "completed"]
    binary = io.BytesIO()
    assert export_orders_xml(sandbox_state, binary, statuses=["completed"], source="shop-b") == len(
        completed
    )
    text = io.StringIO()
    assert export_orders_xml(sandbox_state, text, statuses=["completed"]) == len(completed)
    from passerelle.connectors.xmlfile.reader import read_orders_bytes

    for raw, name in ((binary.getvalue(), "b.xml"), (text.getvalue().encode(), "t.xml")):
        content = read_orders_bytes(raw, name=name)
        assert {o.status for o in content.orders} == {OrderStatus.COMPLETED}
        assert len(content.orders) == len(completed)
    assert read_orders_bytes(binary.getvalue(), name="b.xml").source == "shop-b"


def test_an_unreadable_state_file_says_so(tmp_path: Path) -> None:
    state = write(tmp_path, "{not json", name="state.json")
    with pytest.raises(ValueError, match="is not a WooCommerce sandbox state file"):
        export_orders_xml(state, tmp_path / "out.xml")


def test_refunds_as_the_order_summary_only_are_exported(tmp_path: Path) -> None:
    """A state that keeps only the order's ``refunds`` summary still yields the refund."""
    order = {
        "id": 5,
        "status": "refunded",
        "currency": "EUR",
        "date_created_gmt": "2024-05-01T10:00:00",
        "date_modified_gmt": "2024-05-03T10:00:00",
        "total": "12.00",
        "total_tax": "2.00",
        "discount_total": "0.00",
        "customer_id": 0,
        "billing": {"email": "a@example.net", "country": "fr"},
        "shipping": {},
        "line_items": [],
        "refunds": [{"id": 9, "reason": "", "total": "-12.00"}],
    }
    state = write(tmp_path, json.dumps({"orders": {"5": order}}), name="state.json")
    out = tmp_path / "out.xml"
    assert export_orders_xml(state, out) == 1
    (read,) = read_orders(out).orders
    (refund,) = read.refunds
    assert (refund.source_id, refund.amount) == ("9", Decimal("12.00"))
    assert refund.created_at == datetime(2024, 5, 3, 10, 0, tzinfo=UTC)
    assert read.billing.country_code == "FR"
    assert read.status is OrderStatus.REFUNDED


# ============================================================== the file as a shop


@pytest.fixture()
def shop_file(tmp_path: Path) -> Path:
    return write(
        tmp_path,
        orders_file(
            order_xml("3", "2024-05-03T10:00:00Z", status="completed", shop="wc-completed"),
            order_xml("1", "2024-05-01T10:00:00+02:00", modified="2024-05-04T10:00:00Z"),
            order_xml("2", "2024-05-02T10:00:00Z", status="pending"),
            order_xml("4", "2024-05-04T10:00:00Z", status="cancelled", archived=True),
            order_xml("5", "2024-05-05T10:00:00Z").replace(
                "<total>10.00</total></order>", "<total>1O.00</total></order>"
            ),
            source="maison-passerelle",
        ),
    )


def _ids(items: Iterator[Order | Exception]) -> list[str]:
    return [item.source_id if isinstance(item, Order) else f"!{item.record_id}" for item in items]


def test_the_file_shop_implements_the_shop_protocol(shop_file: Path) -> None:
    with XmlFileShop(shop_file) as shop:
        assert isinstance(shop, Shop)
        assert shop.request_count == 0
        shop.on_retry(lambda message: None)
        shop.on_retry(None)


def test_identity_follows_the_source_not_the_file_name(shop_file: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "orders-2024-06.xml"
    renamed.write_bytes(shop_file.read_bytes())
    other = write(
        tmp_path,
        orders_file(order_xml("1", "2024-05-01T10:00:00Z"), source="marketplace-b"),
        name="b.xml",
    )
    assert XmlFileShop(shop_file).identity == "xml:maison-passerelle"
    assert XmlFileShop(renamed).identity == XmlFileShop(shop_file).identity
    assert XmlFileShop(other).identity == "xml:marketplace-b"
    with pytest.raises(FatalError, match="does not exist|cannot read"):
        _ = XmlFileShop(tmp_path / "missing.xml").identity


def test_iter_orders_in_file_order_with_refused_orders_where_they_stand(shop_file: Path) -> None:
    """Streamed: orders come as the file lists them (a shop's export is oldest first)."""
    shop = XmlFileShop(shop_file)
    items = list(shop.iter_orders())
    assert _ids(iter(items)) == ["3", "1", "2", "!5"]
    refused = items[-1]
    assert isinstance(refused, RecordError)
    assert "orders.xml line 7, order 5: <total>: '1O.00' is not a number" in str(refused)
    assert _ids(shop.iter_orders(include_archived=True)) == ["3", "1", "2", "4", "!5"]


def test_iter_orders_filters_like_a_shop(shop_file: Path) -> None:
    shop = XmlFileShop(shop_file)
    # Created period: from included, to excluded; naive limits are UTC.
    assert _ids(shop.iter_orders(created_after=datetime(2024, 5, 2, 10, tzinfo=UTC))) == [
        "3",
        "2",
        "!5",
    ]
    assert _ids(shop.iter_orders(created_before=datetime(2024, 5, 2, 10))) == ["1", "!5"]
    assert _ids(
        shop.iter_orders(
            created_after=datetime(2024, 5, 1, 8),
            created_before=datetime(2024, 5, 3, 10, tzinfo=UTC),
        )
    ) == ["1", "2", "!5"]
    # Modified since: the modification date, else the creation date.
    assert _ids(shop.iter_orders(modified_after=datetime(2024, 5, 3, 0, tzinfo=UTC))) == [
        "3",
        "1",
        "!5",
    ]
    # Statuses: canonical or the shop's own word.
    assert _ids(shop.iter_orders(statuses=["pending"])) == ["2", "!5"]
    assert _ids(shop.iter_orders(statuses=["wc-completed"])) == ["3", "!5"]
    assert _ids(shop.iter_orders(statuses=["cancelled"])) == ["!5"]
    assert _ids(shop.iter_orders(statuses=["cancelled"], include_archived=True)) == ["4", "!5"]


def test_get_order_finds_archived_orders_and_names_missing_or_refused_ones(shop_file: Path) -> None:
    shop = XmlFileShop(shop_file)
    assert shop.get_order("4").archived
    assert shop.get_order("1").created_at == datetime(2024, 5, 1, 8, tzinfo=UTC)
    with pytest.raises(NotFoundError, match="order 99 is not in orders.xml") as missing:
        shop.get_order("99")
    assert missing.value.record_id == "99"
    with pytest.raises(RecordError, match="order 5: <total>") as refused:
        shop.get_order("5")
    assert refused.value.record_id == "5"
    assert not isinstance(refused.value, NotFoundError)


def test_test_connection_reports_the_file_and_its_problems(shop_file: Path, tmp_path: Path) -> None:
    good = write(tmp_path, orders_file(order_xml("1", "2024-05-01T10:00:00Z")), name="ok.xml")
    report = XmlFileShop(good).test_connection()
    assert report.ok
    assert report.message == "ok.xml: 1 order from source 'test-shop'"
    report = XmlFileShop(shop_file).test_connection()
    assert not report.ok
    assert "5 orders from source 'maison-passerelle', 1 cannot be read" in report.message
    assert "line 7, order 5" in report.message
    report = XmlFileShop(tmp_path / "missing.xml").test_connection()
    assert not report.ok and "does not exist" in report.message


def test_the_file_shop_streams_the_file_at_each_read_and_keeps_its_header(shop_file: Path) -> None:
    """Orders are read from the file at each pass (nothing is held); the identity is read
    once per run, until close."""
    shop = XmlFileShop(shop_file)
    assert shop.identity == "xml:maison-passerelle"
    assert len(_ids(shop.iter_orders())) == 4
    shop_file.write_text(
        orders_file(order_xml("1", "2024-05-01T10:00:00Z"), source="renamed"), encoding="utf-8"
    )
    assert _ids(shop.iter_orders()) == ["1"]
    assert shop.identity == "xml:maison-passerelle"
    shop.close()
    assert shop.identity == "xml:renamed"


def test_nothing_is_written_back_to_a_file(shop_file: Path) -> None:
    shop = XmlFileShop(shop_file)
    before = shop_file.read_bytes()
    assert shop.write_order_result("1", document_number="SO-1", status="completed") is None
    assert (
        shop.write_shipment(
            "1",
            carrier="Colissimo",
            tracking_number="6A1",
            shipped_at=None,
            notify_customer=True,
            status="completed",
        )
        is None
    )
    assert shop_file.read_bytes() == before
    for call in (
        lambda: shop.write_categories([]),
        lambda: shop.write_products([]),
        lambda: shop.write_variations("1", []),
        lambda: shop.write_customers([]),
    ):
        with pytest.raises(FatalError, match="an XML order file is read-only: "):
            call()
    for call in (
        shop.list_categories,
        lambda: shop.find_products_by_sku(["A"]),
        lambda: shop.find_customers_by_email(["a@example.net"]),
    ):
        with pytest.raises(FatalError, match="holds orders only"):
            call()
