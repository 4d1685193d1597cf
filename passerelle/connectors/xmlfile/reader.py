"""Read an orders file as a stream: parse, validate and map one order at a time.

Why a stream: a marketplace's export can weigh hundreds of megabytes. The
file is read with ``lxml.etree.iterparse``; each ``<order>`` is checked
against ``orders.xsd`` and mapped as soon as its end tag is read, handed to
the caller, then cleared together with what precedes it, so memory stays
flat whatever the file's size and the import starts with the first order.
The parser is as closed as the whole-file one was: entities are never
resolved, nothing is fetched from the network or loaded from a DTD, a
DOCTYPE is refused outright (XXE, billion laughs) and libxml2's limits on
huge text nodes stay on.

Why the errors are split this way: the file plays the part of the shop, so
what makes the whole file unusable (missing, not XML, another format or
version, no ``source``) is a :class:`FatalError` — the run stops, as it
would for a shop that does not answer. What is wrong inside one ``<order>``
refuses that order only: it comes back as a :class:`RecordError` carrying
the order id, so the import flow parks it and imports the others, and the
merchant fixes one order rather than the file. Every message starts with
the file name, the line number and the order id, then names the element
and what is wrong with it. A file that breaks off half-way (not well-formed
from some line on) stops there: the orders before it were read, which an
import does not repeat once the file is fixed.

An order id met a second time in the same file refuses that second order
(the first one was already handed over: a stream cannot take it back).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import IO

from lxml import etree

from passerelle.connectors.errors import FatalError, RecordError
from passerelle.i18n.messages import M_, Mn_, Text, semicolons
from passerelle.model import Order

from .mapping import MappingProblem, order_from_element
from .messages import explain, namespace_hint
from .schema import NAMESPACE, NAMESPACE_PREFIX, VERSION, orders_schema, tag

__all__ = ["FileHeader", "OrderFile", "read_header", "read_orders", "read_source", "stream_orders"]

_Element = etree._Element  # noqa: SLF001 - lxml's element type has no public alias
_ORDER = tag("order")
# Children of an order that have an id worth naming in a message.
_PARTS = {
    tag("line"): "line",
    tag("shipping-line"): "shipping-line",
    tag("fee"): "fee",
    tag("refund"): "refund",
}
_ORDER_START = re.compile(rb"<(?:[\w.-]+:)?order\b[^>]*?\bid\s*=\s*[\"']([^\"']*)[\"']")
_MAX_PROBLEMS = 10
_SOURCE = re.compile(r"[^\s#]{1,200}")  # orders.xsd, type sourceName
_SCHEMA_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class FileHeader:
    """What the root element says: the file's source and the shop it was exported from."""

    name: str
    source: str
    shop: str | None  # the root's ``shop`` attribute: an identity or an address


@dataclass(frozen=True, slots=True)
class OrderFile:
    """What one orders file holds: its source, the orders read and the orders refused.

    ``refused`` keeps one :class:`RecordError` per refused order, its
    ``record_id`` set to the order id (``None`` when the order has no id).
    Reading a file this way holds it all in memory: for tests and small files;
    an import reads :func:`stream_orders`.
    """

    name: str
    source: str
    orders: tuple[Order, ...]
    refused: tuple[RecordError, ...]
    shop: str | None = None


def read_orders(path: Path | str) -> OrderFile:
    """Every order of ``path`` at once; FatalError when the file as a whole is unusable."""
    path = Path(path)
    with _opened(path) as handle:
        return _collect(_stream(handle, path.name))


def read_orders_bytes(content: bytes, *, name: str) -> OrderFile:
    """The same from bytes already in memory; ``name`` is what messages call the file."""
    return _collect(_stream(BytesIO(content), name))


def stream_orders(path: Path | str) -> Iterator[Order | RecordError]:
    """The orders of ``path`` one by one as they are read, a refused one as its error.

    FatalError (raised when met, possibly after some orders) when the file as
    a whole cannot be read on.
    """
    path = Path(path)
    with _opened(path) as handle:
        items = _stream(handle, path.name)
        next(items)  # the header, checked
        for item in items:
            assert not isinstance(item, FileHeader)
            yield item


def read_header(path: Path | str) -> FileHeader:
    """The root's attributes, reading no further than the root's start tag.

    Why: the shop identity is needed before (and even if) the orders can be
    read; a file broken further down still names its source.
    """
    path = Path(path)
    with _opened(path) as handle:
        header = next(_stream(handle, path.name))
    assert isinstance(header, FileHeader)
    return header


def read_source(path: Path | str) -> str:
    """The root's ``source`` attribute (see :func:`read_header`)."""
    return read_header(path).source


def _collect(items: Iterator[FileHeader | Order | RecordError]) -> OrderFile:
    header = next(items)
    assert isinstance(header, FileHeader)
    orders: list[Order] = []
    refused: list[RecordError] = []
    for item in items:
        if isinstance(item, Order):
            orders.append(item)
        elif isinstance(item, RecordError):
            refused.append(item)
    return OrderFile(
        name=header.name,
        source=header.source,
        orders=tuple(orders),
        refused=tuple(refused),
        shop=header.shop,
    )


# ------------------------------------------------------------------ the stream


def _stream(handle: IO[bytes], name: str) -> Iterator[FileHeader | Order | RecordError]:
    """The header, then each order (or its refusal) as its end tag is read.

    Each order is validated and mapped on a copy inside a one-order document
    (the schema's per-order rules apply unchanged); the parsed order is then
    cleared and the root's earlier children dropped, so the tree never holds
    more than the order being read.
    """
    root: _Element | None = None
    seen: dict[str, int] = {}  # order id -> line of its first occurrence
    position = 0
    try:
        # Nothing resolved, fetched or loaded; libxml2's size limits kept (module doc).
        for event, element in etree.iterparse(
            handle,
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        ):
            if root is None:
                root = element
                yield _header(root, name)
                continue
            if element.getparent() is not root:
                continue  # inside an order: handled with the order at its end
            if event == "start":
                continue
            if element.tag != _ORDER:
                local = etree.QName(element).localname if isinstance(element.tag, str) else "?"
                raise FatalError(
                    M_(
                        "%(file)s line %(line)s: <%(element)s> is not expected at this place "
                        "(expected here: <order>)",
                        file=name,
                        line=element.sourceline,
                        element=local,
                    )
                )
            position += 1
            yield _one_order(root, element, name, position, seen)
            element.clear(keep_tail=False)
            while element.getprevious() is not None:
                del root[0]
    except etree.XMLSyntaxError as exc:
        if root is None and _blank(handle):
            raise FatalError(_empty(name)) from exc
        raise FatalError(_syntax_message(name, exc, handle, position)) from exc
    if root is None:
        raise FatalError(_empty(name))


def _empty(name: str) -> Text:
    return M_(
        "%(file)s is empty: an orders file starts with %(start)s",
        file=name,
        start=namespace_hint(),
    )


def _header(root: _Element, name: str) -> FileHeader:
    if root.getroottree().docinfo.internalDTD is not None:
        # Entities are never expanded (XXE), and libxml2's schema validation
        # cannot check a tree still holding them: a DOCTYPE has no use here.
        raise FatalError(
            M_(
                "%(file)s: the file declares a DOCTYPE; an orders file must not "
                "(remove the <!DOCTYPE …> and write characters as they are)",
                file=name,
            )
        )
    source = _check_root(root, name)
    problems: list[Text] = [
        M_(
            "%(file)s line %(line)s: %(problem)s",
            file=name,
            line=line or root.sourceline,
            problem=text,
        )
        for line, _element, text in _validate(_wrapper(root))
    ]
    if problems:
        raise FatalError(_join(problems))
    shop = (root.get("shop") or "").strip() or None
    return FileHeader(name=name, source=source, shop=shop)


def _wrapper(root: _Element) -> _Element:
    """An empty ``<orders>`` with the root's attributes: the document one order is checked in."""
    return etree.Element(root.tag, attrib=dict(root.attrib), nsmap=root.nsmap)


def _one_order(
    root: _Element, parsed: _Element, name: str, position: int, seen: dict[str, int]
) -> Order | RecordError:
    """One order checked and mapped, or its refusal naming every problem found."""
    order_id = (parsed.get("id") or "").strip()
    line = parsed.sourceline or 0
    if order_id and order_id in seen:
        return _refusal(
            name,
            parsed,
            [
                (
                    line,
                    M_(
                        "<order>: another order of the file has the id '%(id)s' (line %(line)s); "
                        "this one is not read",
                        id=order_id,
                        line=seen[order_id],
                    ),
                )
            ],
        )
    if order_id:
        seen[order_id] = line
    document = _wrapper(root)
    order = deepcopy(parsed)
    document.append(order)
    problems: list[tuple[int, Text]] = [
        (line, _in_part(element, text)) for line, element, text in _validate(document)
    ]
    if problems:
        return _refusal(name, order, problems)
    try:
        return order_from_element(order)
    except MappingProblem as problem:
        return _refusal(name, order, [(problem.element.sourceline or line, problem.message)])


def _validate(root: _Element) -> list[tuple[int, _Element | None, Text]]:
    """Schema problems as (line, element concerned, message in the format's words).

    The compiled schema is shared by the process and its error log is
    per-schema, hence the lock around validating and reading the log.
    """
    schema = orders_schema()
    with _SCHEMA_LOCK:
        try:
            schema.validate(root)
        except etree.XMLSchemaValidateError as exc:  # libxml2 gave up on this tree
            raise FatalError(
                M_("the orders file could not be checked: %(error)s", error=str(exc))
            ) from exc
        entries = [
            (entry.line, getattr(entry, "path", None), entry.message) for entry in schema.error_log
        ]
    return [
        (line, _element_of(root, line, path), explain(message)) for line, path, message in entries
    ]


@contextmanager
def _opened(path: Path) -> Iterator[IO[bytes]]:
    try:
        handle = path.open("rb")
    except FileNotFoundError as exc:
        raise FatalError(M_("the orders file %(path)s does not exist", path=str(path))) from exc
    except IsADirectoryError as exc:
        raise FatalError(M_("%(path)s is a directory, not an orders file", path=str(path))) from exc
    except OSError as exc:
        raise FatalError(_unreadable(path, exc)) from exc
    with handle:
        try:
            yield handle
        except OSError as exc:
            raise FatalError(_unreadable(path, exc)) from exc


def _unreadable(path: Path, exc: OSError) -> Text:
    return M_(
        "cannot read the orders file %(path)s: %(error)s",
        path=str(path),
        error=exc.strerror or str(exc),
    )


# ------------------------------------------------------------------ whole-file checks


def _syntax_message(name: str, exc: etree.XMLSyntaxError, handle: IO[bytes], read: int) -> Text:
    """Not XML: the line, the parser's reason, the last order opened, what was read.

    The parser's reason is libxml2's own words, kept as they are.
    """
    line = exc.lineno or (exc.position[0] if exc.position else 0)
    reason = str(exc.msg or exc).split(f", line {line}")[0]
    order_id = _last_order_before(handle, line)
    if read == 0:
        done = M_("nothing in the file was read")
    else:
        done = Mn_(
            "the order before it was read; fix the file and import it again "
            "(orders already imported are skipped)",
            "the %(num)s orders before it were read; fix the file and import it again "
            "(orders already imported are skipped)",
            read,
        )
    if order_id:
        return M_(
            "%(file)s line %(line)s, in order %(order)s: not well-formed XML (%(reason)s); "
            "%(done)s",
            file=name,
            line=line,
            order=order_id,
            reason=reason,
            done=done,
        )
    return M_(
        "%(file)s line %(line)s: not well-formed XML (%(reason)s); %(done)s",
        file=name,
        line=line,
        reason=reason,
        done=done,
    )


def _last_order_before(handle: IO[bytes], line: int) -> str | None:
    """The id of the last ``<order id=…>`` starting at or before ``line``: a text scan
    of the file again, line by line (the parser stopped; only an error costs this)."""
    found = None
    try:
        handle.seek(0)
        for number, text in enumerate(handle, 1):
            if number > line:
                break
            for match in _ORDER_START.finditer(text):
                found = match.group(1)
    except (OSError, ValueError):  # not seekable, or closed: the message goes without
        return None
    return found.decode("utf-8", "replace") if found else None


def _blank(handle: IO[bytes]) -> bool:
    """Whether the file holds nothing but white space (read again, in blocks)."""
    try:
        handle.seek(0)
        while block := handle.read(1 << 16):
            if block.strip():
                return False
    except (OSError, ValueError):
        return False
    return True


def _check_root(root: _Element, name: str) -> str:
    """Right element, namespace and version, and a source; else FatalError saying what to write."""
    qname = etree.QName(root)
    if qname.localname != "orders":
        raise FatalError(
            M_(
                "%(file)s line %(line)s: the root element is <%(element)s>; "
                "an orders file starts with %(start)s",
                file=name,
                line=root.sourceline,
                element=qname.localname,
                start=namespace_hint(),
            )
        )
    if qname.namespace != NAMESPACE:
        namespace = qname.namespace or ""
        if namespace.startswith(NAMESPACE_PREFIX):
            other = namespace[len(NAMESPACE_PREFIX) :]
            raise FatalError(
                M_(
                    "%(file)s is in version %(version)s of the orders format; this "
                    "passerelle reads version %(expected)s (%(namespace)s)",
                    file=name,
                    version=other,
                    expected=VERSION,
                    namespace=NAMESPACE,
                )
            )
        shown = (
            M_("the namespace %(namespace)s", namespace=namespace)
            if namespace
            else M_("no namespace")
        )
        raise FatalError(
            M_(
                "%(file)s line %(line)s: <orders> is in %(namespace)s; write %(start)s",
                file=name,
                line=root.sourceline,
                namespace=shown,
                start=namespace_hint(),
            )
        )
    version = (root.get("version") or "").strip()
    if version != VERSION:
        said: Text = f'version="{version}"' if version else M_("no version attribute")
        raise FatalError(
            M_(
                "%(file)s line %(line)s: <orders> has %(version)s; this passerelle reads "
                'version="%(expected)s"',
                file=name,
                line=root.sourceline,
                version=said,
                expected=VERSION,
            )
        )
    source = (root.get("source") or "").strip()
    if not source:
        raise FatalError(
            M_(
                "%(file)s line %(line)s: <orders> has no source attribute; "
                'name the shop the orders come from (source="my-shop"): orders are '
                "known by source and id, so the same order is never imported twice",
                file=name,
                line=root.sourceline,
            )
        )
    if not _SOURCE.fullmatch(source):
        raise FatalError(
            M_(
                '%(file)s line %(line)s: source="%(source)s" is not a source '
                "name: one word of at most 200 characters, without spaces or '#'",
                file=name,
                line=root.sourceline,
                source=source,
            )
        )
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


def _in_part(element: _Element | None, problem: Text) -> Text:
    """``<line id="3">, <problem>`` when it sits inside a line, fee, shipping line or refund."""
    part = _part_label(element)
    return M_("%(part)s, %(problem)s", part=part, problem=problem) if part else problem


def _part_label(element: _Element | None) -> str:
    """``<line id="3">`` when the element is inside a line, fee, shipping line or refund."""
    while element is not None and element.tag != _ORDER:
        # A comment's or processing instruction's tag is not a name: never a part.
        label = _PARTS.get(element.tag) if isinstance(element.tag, str) else None
        if label is not None:
            if element.get("id"):
                return f'<{label} id="{element.get("id")}">'
            if element.get("line-id"):  # a refunded line names the order line it returns
                return f'<{label} line-id="{element.get("line-id")}">'
        element = element.getparent()
    return ""


def _refusal(name: str, order: _Element, problems: list[tuple[int, Text]]) -> RecordError:
    order_id = (order.get("id") or "").strip()
    who = M_("order %(number)s", number=order_id) if order_id else M_("an order without id")
    ordered = sorted(problems, key=lambda problem: problem[0])  # stable: libxml2's order
    lines: list[Text] = [
        M_(
            "%(file)s line %(line)s, %(order)s: %(problem)s",
            file=name,
            line=line,
            order=who,
            problem=text,
        )
        for line, text in ordered
    ]
    return RecordError(_join(lines), record_id=order_id or None)


def _join(lines: Iterable[Text]) -> Text:
    lines = list(lines)
    shown = semicolons(lines[:_MAX_PROBLEMS])
    more = len(lines) - _MAX_PROBLEMS
    if more > 0:
        return M_("%(problems)s; and %(count)s more", problems=shown, count=more)
    return shown
