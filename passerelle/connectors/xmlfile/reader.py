"""Read an orders file: parse, validate against ``orders.xsd``, map each order.

Why the errors are split this way: the file plays the part of the shop, so
what makes the whole file unusable (missing, not XML, another format or
version, no ``source``) is a :class:`FatalError` — the run stops, as it
would for a shop that does not answer. What is wrong inside one ``<order>``
refuses that order only: it comes back as a :class:`RecordError` carrying
the order id, so the import flow parks it and imports the others, and the
merchant fixes one order rather than the file. Every message starts with
the file name, the line number and the order id, then names the element
and what is wrong with it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from passerelle.connectors.errors import FatalError, RecordError
from passerelle.model import Order

from .mapping import MappingProblem, order_from_element
from .messages import explain, namespace_hint
from .schema import NAMESPACE, NAMESPACE_PREFIX, VERSION, orders_schema, safe_parser, tag

__all__ = ["OrderFile", "read_orders", "read_source"]

_Element = etree._Element  # noqa: SLF001 - lxml's element type has no public alias
_ORDER = tag("order")
# Children of an order that have an id worth naming in a message.
_PARTS = {tag("line"): "line", tag("shipping-line"): "shipping-line", tag("fee"): "fee",
          tag("refund"): "refund"}
_ORDER_START = re.compile(rb"<(?:[\w.-]+:)?order\b[^>]*?\bid\s*=\s*[\"']([^\"']*)[\"']")
_MAX_PROBLEMS = 10
_SOURCE = re.compile(r"[^\s#]{1,200}")  # orders.xsd, type sourceName
_SCHEMA_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class OrderFile:
    """What one orders file holds: its source, the orders read and the orders refused.

    ``refused`` keeps one :class:`RecordError` per refused order, its
    ``record_id`` set to the order id (``None`` when the order has no id).
    """

    name: str
    source: str
    orders: tuple[Order, ...]
    refused: tuple[RecordError, ...]


def read_orders(path: Path | str) -> OrderFile:
    """Parse, validate and map ``path``; FatalError when the file as a whole is unusable."""
    path = Path(path)
    return read_orders_bytes(_read_bytes(path), name=path.name)


def read_orders_bytes(content: bytes, *, name: str) -> OrderFile:
    """The same from bytes already in memory; ``name`` is what messages call the file."""
    root = _parse(content, name)
    source = _check_root(root, name)
    # The list keeps every order's proxy alive, so identity (``is``) holds below.
    order_elements = list(root.iterfind(_ORDER))
    keys = {id(order): _key(order, position)
            for position, order in enumerate(order_elements, 1)}
    problems: dict[str, list[tuple[int, str]]] = {}
    file_level: list[str] = []
    for line, element, text in _validate(root):
        order = _enclosing_order(element)
        if order is None:
            file_level.append(f"{name} line {line}: {text}")
            continue
        problems.setdefault(keys[id(order)], []).append((line, _part_label(element) + text))
    if file_level:
        raise FatalError(_join(file_level))
    orders: list[Order] = []
    refused: list[RecordError] = []
    reported: set[str] = set()
    for order in order_elements:
        key = keys[id(order)]
        if key in problems:
            if key not in reported:  # one refusal for all the orders sharing an id
                reported.add(key)
                refused.append(_refusal(name, order, problems[key]))
            continue
        try:
            orders.append(order_from_element(order))
        except MappingProblem as problem:
            line = problem.element.sourceline or order.sourceline or 0
            refused.append(_refusal(name, order, [(line, problem.message)]))
    return OrderFile(name=name, source=source, orders=tuple(orders), refused=tuple(refused))


def _validate(root: _Element) -> list[tuple[int, _Element | None, str]]:
    """Schema problems as (line, element concerned, message in the format's words).

    The compiled schema is shared by the process and its error log is
    per-schema, hence the lock around validating and reading the log.
    """
    schema = orders_schema()
    with _SCHEMA_LOCK:
        try:
            schema.validate(root)
        except etree.XMLSchemaValidateError as exc:  # libxml2 gave up on this tree
            raise FatalError(f"the orders file could not be checked: {exc}") from exc
        entries = [(entry.line, getattr(entry, "path", None), entry.message)
                   for entry in schema.error_log]
    return [(line, _element_of(root, line, path), explain(message))
            for line, path, message in entries]


def read_source(path: Path | str) -> str:
    """The root's ``source`` attribute, reading no further than the root's start tag.

    Why: the shop identity is needed before (and even if) the orders can be
    read; a file broken further down still names its source.
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            for _event, element in etree.iterparse(
                handle, events=("start",), resolve_entities=False, no_network=True,
                load_dtd=False,
            ):
                _check_root(element, path.name)
                return (element.get("source") or "").strip()
    except OSError as exc:
        raise FatalError(f"cannot read the orders file {path}: {exc.strerror or exc}") from exc
    except etree.XMLSyntaxError as exc:
        raise FatalError(_syntax_message(path.name, exc, b"")) from exc
    raise FatalError(f"{path.name} is empty: an orders file starts with {namespace_hint()}")


# ------------------------------------------------------------------ whole-file checks


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise FatalError(f"the orders file {path} does not exist") from exc
    except IsADirectoryError as exc:
        raise FatalError(f"{path} is a directory, not an orders file") from exc
    except OSError as exc:
        raise FatalError(f"cannot read the orders file {path}: {exc.strerror or exc}") from exc


def _parse(content: bytes, name: str) -> _Element:
    if not content.strip():
        raise FatalError(f"{name} is empty: an orders file starts with {namespace_hint()}")
    try:
        root = etree.fromstring(content, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise FatalError(_syntax_message(name, exc, content)) from exc
    if root.getroottree().docinfo.internalDTD is not None:
        # Entities are never expanded (XXE), and libxml2's schema validation
        # cannot check a tree still holding them: a DOCTYPE has no use here.
        raise FatalError(f"{name}: the file declares a DOCTYPE; an orders file must not "
                         "(remove the <!DOCTYPE …> and write characters as they are)")
    return root


def _syntax_message(name: str, exc: etree.XMLSyntaxError, content: bytes) -> str:
    """Not XML: the line, the parser's reason, and the last order opened before it."""
    line = exc.lineno or (exc.position[0] if exc.position else 0)
    reason = str(exc.msg or exc).split(f", line {line}")[0]
    order_id = _last_order_before(content, line) if content else None
    where = f", in order {order_id}" if order_id else ""
    return (f"{name} line {line}{where}: not well-formed XML ({reason}); "
            "nothing in the file was read")


def _last_order_before(content: bytes, line: int) -> str | None:
    """The id of the last ``<order id=…>`` starting at or before ``line`` (text scan)."""
    head = b"\n".join(content.split(b"\n")[:line])
    found = _ORDER_START.findall(head)
    return found[-1].decode("utf-8", "replace") if found else None


def _check_root(root: _Element, name: str) -> str:
    """Right element, namespace and version, and a source; else FatalError saying what to write."""
    qname = etree.QName(root)
    if qname.localname != "orders":
        raise FatalError(f"{name} line {root.sourceline}: the root element is <{qname.localname}>;"
                         f" an orders file starts with {namespace_hint()}")
    if qname.namespace != NAMESPACE:
        namespace = qname.namespace or ""
        if namespace.startswith(NAMESPACE_PREFIX):
            other = namespace[len(NAMESPACE_PREFIX):]
            raise FatalError(f"{name} is in version {other} of the orders format; this "
                             f"passerelle reads version {VERSION} ({NAMESPACE})")
        shown = f"the namespace {namespace}" if namespace else "no namespace"
        raise FatalError(f"{name} line {root.sourceline}: <orders> is in {shown}; write "
                         f"{namespace_hint()}")
    version = (root.get("version") or "").strip()
    if version != VERSION:
        said = f"version=\"{version}\"" if version else "no version attribute"
        raise FatalError(f"{name} line {root.sourceline}: <orders> has {said}; this passerelle "
                         f"reads version=\"{VERSION}\"")
    source = (root.get("source") or "").strip()
    if not source:
        raise FatalError(f"{name} line {root.sourceline}: <orders> has no source attribute; "
                         "name the shop the orders come from (source=\"my-shop\"): orders are "
                         "known by source and id, so the same order is never imported twice")
    if not _SOURCE.fullmatch(source):
        raise FatalError(f"{name} line {root.sourceline}: source=\"{source}\" is not a source "
                         "name: one word of at most 200 characters, without spaces or '#'")
    return source


# ------------------------------------------------------------------ locating problems


def _element_of(root: _Element, line: int, path: str | None) -> _Element | None:
    """The element a schema message is about, from its XPath (libxml2 gives one)."""
    if path:
        try:
            found = root.getroottree().xpath(path)
        except etree.XPathError:
            found = []
        if found and isinstance(found[0], etree._Element):  # noqa: SLF001
            return found[0]
    # No path: the last element starting at or before the message's line.
    best = None
    for element in root.iter():
        if isinstance(element.tag, str) and (element.sourceline or 0) <= line:
            best = element
    return best


def _enclosing_order(element: _Element | None) -> _Element | None:
    while element is not None:
        if element.tag == _ORDER:
            return element
        element = element.getparent()
    return None


def _part_label(element: _Element | None) -> str:
    """``<line id="3">, `` when the problem sits inside a line, fee, shipping line or refund."""
    while element is not None and element.tag != _ORDER:
        # A comment's or processing instruction's tag is not a name: never a part.
        label = _PARTS.get(element.tag) if isinstance(element.tag, str) else None
        if label is not None:
            if element.get("id"):
                return f'<{label} id="{element.get("id")}">, '
            if element.get("line-id"):  # a refunded line names the order line it returns
                return f'<{label} line-id="{element.get("line-id")}">, '
        element = element.getparent()
    return ""


def _key(order: _Element, position: int) -> str:
    """Orders are known by id; one without an id by its position in the file."""
    order_id = (order.get("id") or "").strip()
    return order_id if order_id else f"#{position}"


def _refusal(name: str, order: _Element, problems: list[tuple[int, str]]) -> RecordError:
    order_id = (order.get("id") or "").strip()
    who = f"order {order_id}" if order_id else "an order without id"
    ordered = sorted(problems, key=lambda problem: problem[0])  # stable: libxml2's order
    lines = [f"{name} line {line}, {who}: {text}" for line, text in ordered]
    return RecordError(_join(lines), record_id=order_id or None)


def _join(lines: Iterable[str]) -> str:
    lines = list(lines)
    shown = lines[:_MAX_PROBLEMS]
    more = len(lines) - len(shown)
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")
