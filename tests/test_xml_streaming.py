"""An orders file is read as a stream: orders are handed over as they are read, and
memory does not grow with the file (benchmarks/xml_orders_memory.py measures 200 MB)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.xml_orders_memory import read_in_child, write_orders_file
from passerelle.connectors.xmlfile import XmlFileShop
from passerelle.model import Order


def test_orders_are_handed_over_before_the_rest_of_the_file_is_read(tmp_path: Path) -> None:
    """The first order comes before the file's end is read: rewritten meanwhile, the
    end of the file is read as it is now (a whole-file reader would not see it)."""
    path = tmp_path / "orders.xml"
    count = write_orders_file(path, 2_000_000)
    last_id = str(100000 + count)
    late = "L" + last_id[1:]  # the same length: the file's bytes stay where they are
    stream = XmlFileShop(path).iter_orders()
    first = next(stream)
    assert isinstance(first, Order) and first.source_id == "100001"
    with path.open("r+b") as handle:  # same length, same file: only the id changes
        content = handle.read()
        handle.seek(content.rindex(f'<order id="{last_id}"'.encode()))
        handle.write(f'<order id="{late}"'.encode())
    rest = [order.source_id for order in stream if isinstance(order, Order)]
    assert len(rest) == count - 1
    assert rest[-1] == late


def test_memory_stays_flat_while_a_file_is_read(tmp_path: Path) -> None:
    """Peak resident memory grows by far less than the file: nothing holds it whole."""
    path = tmp_path / "orders.xml"
    count = write_orders_file(path, 8_000_000)
    result = read_in_child(path)
    assert result["orders"] == count and result["refused"] == 0
    growth = (result["peak_kb"] - result["start_kb"]) * 1024
    assert growth < path.stat().st_size / 4, (growth, path.stat().st_size)
