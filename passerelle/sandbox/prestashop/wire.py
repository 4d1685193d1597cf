"""Records ↔ the Webservice's XML and JSON bodies.

XML (``webservice/reference.md``, the resource pages' blank schemas): a
``<prestashop xmlns:xlink=…>`` root, one node per resource, every value in
CDATA, multilingual fields as ``<language id="n">`` children, links as
``xlink:href``, and ``<associations>`` last. JSON (``output_format=JSON``,
``cheat-sheet.md``): ``{"products": [...]}`` for a list, ``{"product": {...}}``
for one record; ids are numbers, other values strings, and an empty list is
``[]`` rather than an object (what PrestaShop answers).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from .schema import Resource

__all__ = ["XLINK", "WireError", "parse_body", "render_json", "render_xml"]

XLINK = "http://www.w3.org/1999/xlink"


class WireError(ValueError):
    """A body PrestaShop cannot read."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _cdata(value: Any) -> str:
    text = _text(value).replace("]]>", "]]]]><![CDATA[>")
    return f"<![CDATA[{text}]]>"


def _lang_value(value: Any, language: int | None) -> Any:
    if not isinstance(value, dict):
        return value
    if language is not None:
        return value.get(str(language), "")
    return value


def _fields(resource: Resource, record: dict[str, Any], display: list[str] | None) -> list[str]:
    names = ["id", *resource.fields]
    if display is not None:
        names = [n for n in names if n in display]
    return names


def render_xml(
    resource: Resource,
    records: list[dict[str, Any]],
    *,
    base: str,
    single: bool,
    display: list[str] | None = None,
    language: int | None = None,
    full: bool = True,
) -> str:
    """One record (``single``) or a list; a list without ``display`` has ids and links only."""
    out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<prestashop xmlns:xlink="{XLINK}">']
    if not single:
        out.append(f"<{resource.name}>")
    for record in records:
        href = f"{base}/api/{resource.name}/{record['id']}"
        if not single and not full:
            out.append(f'<{resource.node} id="{record["id"]}" xlink:href="{href}"/>')
            continue
        out.append(f"<{resource.node}>")
        for name in _fields(resource, record, display):
            value = _lang_value(record.get(name), language)
            if isinstance(value, dict):
                langs = "".join(
                    f'<language id="{k}" xlink:href="{base}/api/languages/{k}">'
                    f"{_cdata(v)}</language>"
                    for k, v in sorted(value.items())
                )
                out.append(f"<{name}>{langs}</{name}>")
            else:
                out.append(f"<{name}>{_cdata(value)}</{name}>")
        if resource.assoc and (display is None or "associations" in display):
            out.append("<associations>")
            for assoc, (node, keys) in resource.assoc.items():
                entries = record.get("associations", {}).get(assoc, [])
                out.append(f'<{assoc} nodeType="{node}" api="{assoc}">')
                for entry in entries:
                    out.append(
                        f"<{node}>"
                        + "".join(f"<{k}>{_cdata(entry.get(k))}</{k}>" for k in keys)
                        + f"</{node}>"
                    )
                out.append(f"</{assoc}>")
            out.append("</associations>")
        out.append(f"</{resource.node}>")
    if not single:
        out.append(f"</{resource.name}>")
    out.append("</prestashop>")
    return "\n".join(out)


def _json_record(
    resource: Resource, record: dict[str, Any], display: list[str] | None, language: int | None
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in _fields(resource, record, display):
        value = _lang_value(record.get(name), language)
        if name == "id":
            out[name] = int(value)
        elif isinstance(value, dict):
            out[name] = [{"id": k, "value": _text(v)} for k, v in sorted(value.items())]
        else:
            out[name] = _text(value)
    if resource.assoc and (display is None or "associations" in display):
        assoc = {
            k: [{key: _text(e.get(key)) for key in keys} for e in v]
            for k, v in record.get("associations", {}).items()
            if v
            for keys in [resource.assoc[k][1]]
            if k in resource.assoc
        }
        if assoc:
            out["associations"] = assoc
    return out


def render_json(
    resource: Resource,
    records: list[dict[str, Any]],
    *,
    single: bool,
    display: list[str] | None = None,
    language: int | None = None,
    full: bool = True,
) -> Any:
    if single:
        return {resource.node: _json_record(resource, records[0], display, language)}
    if not records:
        return []
    if not full:
        return {resource.name: [{"id": int(r["id"])} for r in records]}
    return {resource.name: [_json_record(resource, r, display, language) for r in records]}


def parse_body(resource: Resource, body: bytes) -> dict[str, Any]:
    """The fields of the one ``<node>`` in an XML body, as sent (strings, lang dicts)."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise WireError(f"XML error : {exc}") from exc
    node = root.find(resource.node) if root.tag == "prestashop" else None
    if node is None:
        raise WireError(f"Invalid XML: a <{resource.node}> node inside <prestashop> is needed")
    record: dict[str, Any] = {}
    for child in node:
        if child.tag == "associations":
            assoc: dict[str, list[dict[str, str]]] = {}
            for group in child:
                assoc[group.tag] = [
                    {k.tag: (k.text or "").strip() for k in entry} for entry in group
                ]
            record["associations"] = assoc
            continue
        languages = child.findall("language")
        if languages:
            record[child.tag] = {lang.get("id", "1"): (lang.text or "") for lang in languages}
        else:
            record[child.tag] = (child.text or "").strip()
    return record
