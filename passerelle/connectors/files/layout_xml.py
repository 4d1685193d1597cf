"""An order file as XML: one simple structure, every value escaped by lxml.

The structure (documented in ``docs/files.md``)::

    <documents>
      <document>
        <Number>WEB000001</Number> …           the header's columns
        <line><Item>…</Item> …</line>          one per document line
        <payment><Journal>…</Journal> …</payment>   one per payment
      </document>
    </documents>

Element names are the columns' titles (the layout refuses a title that is not
an XML name). In the ``lines`` style, the columns whose source is a line's go
in ``<line>``, a payment's in ``<payment>``, the others in ``<document>``.
Values are written as the text formats write them (decimal separator, date
format), within their width but without padding; a character the encoding lacks becomes a character
reference (lxml), so no text is altered.
"""

from __future__ import annotations

from lxml import etree

from passerelle.connectors.files.layout_rows import Row
from passerelle.connectors.files.layout_text import format_value
from passerelle.connectors.files.layouts import Column, LayoutStyle, OrderLayout, Value

__all__ = ["render_xml"]


def _append(parent: etree._Element, cells: tuple[tuple[Column, Value], ...], key: str) -> None:
    for column, value in cells:
        child = etree.SubElement(parent, column.title)
        child.text = format_value(value, column, key, pad=False)


def _split_lines_row(row: Row) -> list[Row]:
    """A ``lines`` style row as the document's, the line's and the first payment's cells."""
    by_role: dict[str, list[tuple[Column, Value]]] = {"header": [], "line": [], "payment": []}
    for column, value in row.cells:
        kind = column.source.partition(".")[0]
        by_role[kind if kind in ("line", "payment") else "header"].append((column, value))
    return [
        Row("header", "", tuple(by_role["header"])),
        Row("line", "", tuple(by_role["line"])),
        Row("payment", "", tuple(by_role["payment"])),
    ]


def render_xml(layout: OrderLayout, rows: list[Row], key: str) -> bytes:
    """The XML file of one document's ``rows``, in the layout's encoding."""
    root = etree.Element("documents")
    document = etree.SubElement(root, "document")
    if layout.style == LayoutStyle.LINES and rows:
        parts = [_split_lines_row(row) for row in rows]
        _append(document, parts[0][0].cells, key)
        for _, line, _ in parts:
            if line.cells:
                _append(etree.SubElement(document, "line"), line.cells, key)
        if parts[0][2].cells and any(v is not None for _, v in parts[0][2].cells):
            _append(etree.SubElement(document, "payment"), parts[0][2].cells, key)
    else:
        for row in rows:
            parent = document if row.role == "header" else etree.SubElement(document, row.role)
            _append(parent, row.cells, key)
    return bytes(
        etree.tostring(root, encoding=layout.encoding, xml_declaration=True, pretty_print=True)
    )
