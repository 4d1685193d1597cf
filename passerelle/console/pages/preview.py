"""The Preview page: what running an export now would change in the shop, field by field.

What ``passerelle preview FLOW`` prints, for a screen: the page asks
:func:`passerelle.runner.preview.preview_flow` (the CLI's call), which runs the
flow with a store that keeps nothing and a shop whose writers refuse; the page
only shows the result, cut into pages of :data:`PAGE_SIZE` records.

Why GET, with the flow in the path (``/preview/{profile}/{flow}``): a preview
writes nothing anywhere, so it is a safe, repeatable read in HTTP's terms. A
viewer may then look before an operator runs (the guard refuses viewers every
POST), and a preview's address can be bookmarked, reloaded or sent to a
colleague. Each load computes the preview again: it shows the state of now.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from passerelle.connectors.errors import ConnectorError
from passerelle.console.context import console_of
from passerelle.console.templating import render
from passerelle.flows.field_titles import field_title, kind_title
from passerelle.flows.preview import FieldChange, FlowPreview, RecordPreview, shown, untag
from passerelle.flows.titles import flow_title
from passerelle.i18n import N_, _
from passerelle.i18n.messages import render as render_text
from passerelle.i18n.messages import said
from passerelle.profiles import Profile, ProfileError
from passerelle.runner import RunRefused
from passerelle.runner.preview import PREVIEWABLE, preview_flow

__all__ = ["NAV", "PAGE_SIZE", "ROUTES"]

NAV = (60, N_("Preview"), "/preview")
#: Records shown at once: a first run can preview thousands; a page stays readable.
PAGE_SIZE = 200


@dataclass(frozen=True, slots=True)
class Value:
    """A value as a cell shows it: a record's data (never translated) or words."""

    text: str
    data: bool = True


@dataclass(frozen=True, slots=True)
class Change:
    """One changed field of an update: its title, and its value before and after."""

    title: str
    before: Value
    after: Value


@dataclass(frozen=True, slots=True)
class Row:
    """One record the run would send, as the table shows it."""

    key: str
    label: str
    kind: str
    create: bool
    changes: tuple[Change, ...]


async def profiles(request: Request) -> Response:
    """The profiles to choose from; one alone is opened at once."""
    names = console_of(request).profiles.names()
    if len(names) == 1:
        return RedirectResponse(f"/preview/{names[0]}", status_code=303)
    return await render(request, "preview/profiles.html", {"names": names})


async def exports(request: Request) -> Response:
    """The profile's exports, each with its Preview button."""
    profile = await _profile(request)
    return await render(
        request,
        "preview/exports.html",
        {
            "profile": profile.name,
            "exports": [(name, flow_title(name)) for name in PREVIEWABLE],
        },
    )


async def preview(request: Request) -> Response:
    """The preview of one export: counts, then the records the run would send, paged."""
    profile = await _profile(request)
    flow = request.path_params["flow"]
    if flow not in PREVIEWABLE:
        raise HTTPException(404)
    console = console_of(request)
    found: FlowPreview | None = None
    failure = ""
    try:
        found = await run_in_threadpool(
            preview_flow, profile, flow, store=console.store, data_dir=console.data_dir
        )
    except RunRefused as exc:
        failure = str(exc)
    except ConnectorError as exc:
        failure = _(
            "The preview could not read the shop or the back-office: %(error)s",
            error=render_text(said(exc)),
        )
    context: dict[str, Any] = {
        "profile": profile.name,
        "flow": flow,
        "title": flow_title(flow),
        "failure": failure,
        "found": found,
    }
    if found is not None:
        pages = max(1, -(-len(found.records) // PAGE_SIZE))
        page = min(max(_number(request.query_params.get("page")), 1), pages)
        first = (page - 1) * PAGE_SIZE
        context |= {
            "created": len(found.creates),
            "updated": len(found.updates),
            "rows": [_row(r) for r in found.records[first : first + PAGE_SIZE]],
            "page": page,
            "pages": pages,
            "first": first + 1,
            "last": min(first + PAGE_SIZE, len(found.records)),
            "notes": [(key, render_text(text)) for key, text in found.notes],
        }
    return await render(request, "preview/result.html", context)


def _row(record: RecordPreview) -> Row:
    return Row(
        key=record.key,
        label=record.label,
        kind=kind_title(record.kind),
        create=record.action == "create",
        changes=tuple(_change(c) for c in record.changes),
    )


def _change(change: FieldChange) -> Change:
    before = _value(change.before) if change.known else Value(_("unknown"), data=False)
    return Change(field_title(change.field), before, _value(change.after))


def _value(value: Any) -> Value:
    """Amounts as the shop holds them (untagged text, never reformatted); yes/no in words."""
    plain = untag(value)
    return Value(shown(plain), data=not isinstance(plain, bool))


def _number(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 1


async def _profile(request: Request) -> Profile:
    """The profile the path names; 404 for a name the data directory does not hold."""
    repository = console_of(request).profiles
    name = request.path_params["profile"]
    found = name in await run_in_threadpool(repository.names)
    try:
        loaded = await run_in_threadpool(repository.load, name) if found else None
    except ProfileError:
        loaded = None
    if loaded is None:
        raise HTTPException(404)
    return loaded


ROUTES: list[BaseRoute] = [
    Route("/preview", profiles, name="preview"),
    Route("/preview/{profile}", exports, name="preview-exports"),
    Route("/preview/{profile}/{flow}", preview, name="preview-flow"),
]
