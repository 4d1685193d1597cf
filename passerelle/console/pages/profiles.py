"""The profile editor: each profile's settings as a form, its mappings as grids, a test, a diff.

``/profiles`` lists the profiles; ``/profiles/{name}`` is the form generated
from the profile's models (:mod:`._profile_form`) and the mapping grids
(:mod:`._profile_grids`) whose drop-downs list what each side really has.
Posting the form checks it (every problem beside its field, in the
merchant's words, nothing written) and shows the diff of the TOML file on a
confirm step; confirming writes the file atomically
(:func:`passerelle.runner.profile_editing.save_text`). **Test connection**
runs what ``passerelle profile test`` runs
(:func:`passerelle.runner.profile_test.run_profile_test`).

Secrets: the form holds only references (``env:NAME``, ``keyring:...``); a
secret's value is never read by these pages, and a literal typed into a
secret field is refused and not shown back.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from passerelle.console.context import console_of
from passerelle.console.pages._profile_form import (
    FormField,
    Section,
    apply_fields,
    build_sections,
)
from passerelle.console.pages._profile_grids import (
    NOT_MAPPED,
    STANDARD,
    Grid,
    apply_grids,
    build_grids,
)
from passerelle.console.templating import refuse, render
from passerelle.i18n import N_, _
from passerelle.i18n.messages import M_, said
from passerelle.i18n.messages import render as render_text
from passerelle.profiles import Profile, ProfileError
from passerelle.runner.profile_editing import (
    Problem,
    ReferenceLists,
    StaleEdit,
    backup_path,
    check_data,
    diff,
    digest,
    has_comments,
    planned_text,
    raw_data,
    reference_lists,
    save_text,
)
from passerelle.runner.profile_test import run_profile_test

__all__ = ["NAV", "ROUTES"]

NAV = (70, N_("Profiles"), "/profiles")

#: What a redirect after a post says, by the key it carries (never text from the browser).
NOTICES = {
    "saved": N_("The profile is saved."),
    "unchanged": N_("Nothing changed: the profile is as it was."),
    "stale": N_(
        "The profile file changed while you were editing it: nothing was written. "
        "Here it is as it is now; make your changes again."
    ),
}


async def profile_list(request: Request) -> Response:
    console = console_of(request)
    profiles, problems = await run_in_threadpool(console.profiles.load_all)
    return await render(
        request,
        "profiles/list.html",
        {"profiles": list(profiles.values()), "unreadable": problems},
    )


def _loaded(request: Request, name: str) -> tuple[str, dict[str, Any], Profile]:
    """The file's text, its data and the profile (ProfileError if any is wrong)."""
    repo = console_of(request).profiles
    text, data = raw_data(repo, name)
    data.setdefault("name", name)
    return (
        text,
        data,
        repo.validate(copy.deepcopy(data), where=M_("profile %(name)r is invalid:", name=name)),
    )


async def _open(request: Request) -> tuple[str, dict[str, Any], Profile] | Response:
    name = request.path_params["name"]
    try:
        return await run_in_threadpool(_loaded, request, name)
    except ProfileError as exc:
        repo = console_of(request).profiles
        if not _plain_name(name) or not await run_in_threadpool(repo.exists, name):
            return await refuse(request, 404, _("There is no profile of that name."))
        return await render(
            request,
            "profiles/unreadable.html",
            {"name": name, "problem": render_text(said(exc))},
            status=409,
        )


def _plain_name(name: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", name))


async def _editor(
    request: Request,
    profile: Profile,
    *,
    sections: list[Section] | None = None,
    grids: list[Grid] | None = None,
    lists: ReferenceLists | None = None,
    general: list[str] | None = None,
    status: int = 200,
) -> Response:
    if lists is None:
        lists = await run_in_threadpool(reference_lists, profile, console_of(request).data_dir)
    notice_key = request.query_params.get("done", "")
    sections = sections if sections is not None else build_sections(profile)
    grids = grids if grids is not None else build_grids(profile, lists)
    has_errors = any(f.errors for s in sections for f in s.fields) or any(g.errors for g in grids)
    return await render(
        request,
        "profiles/edit.html",
        {
            "profile": profile,
            "sections": sections,
            "grids": grids,
            "has_errors": has_errors,
            "lists": lists,
            "general": general or [],
            "notice": _(NOTICES[notice_key]) if notice_key in NOTICES else None,
            "not_mapped": NOT_MAPPED,
            "standard": STANDARD,
        },
        status=status,
    )


async def edit(request: Request) -> Response:
    opened = await _open(request)
    if isinstance(opened, Response):
        return opened
    return await _editor(request, opened[2])


def _posted(form: FormData) -> dict[str, str]:
    """Each field's last value (a checkbox posts a hidden "false" then its "true")."""
    posted: dict[str, str] = {}
    for key in form.keys():
        values = [v for v in form.getlist(key) if isinstance(v, str)]
        if values:
            posted[key] = values[-1]
    return posted


async def submit(request: Request) -> Response:
    """The form posted: checked, then the diff to confirm (or the form with its problems)."""
    opened = await _open(request)
    if isinstance(opened, Response):
        return opened
    old_text, data, profile = opened
    form = await request.form()
    posted = _posted(form)
    await form.close()
    lists = await run_in_threadpool(reference_lists, profile, console_of(request).data_dir)
    sections, grids = build_sections(profile), build_grids(profile, lists)
    new_data = copy.deepcopy(data)
    early = apply_fields(sections, posted, new_data)
    apply_grids(grids, profile, posted, new_data)
    checked, problems = check_data(new_data)
    if early or problems or checked is None:
        general = _place(sections, grids, early, problems)
        return await _editor(
            request,
            profile,
            sections=sections,
            grids=grids,
            lists=lists,
            general=general,
            status=400,
        )
    new_text = planned_text(new_data)
    name = profile.name
    if new_text == old_text:
        return RedirectResponse(f"/profiles/{name}?done=unchanged", status_code=303)
    return await render(
        request,
        "profiles/confirm.html",
        {
            "profile": profile,
            "diff": diff(name, old_text, new_text),
            "new_text": new_text,
            "base": digest(old_text),
            "comments": has_comments(old_text),
            "backup": backup_path(console_of(request).profiles, name).name,
        },
    )


async def save(request: Request) -> Response:
    """The confirmed change written; refused if the file changed since the diff was shown."""
    name = request.path_params["name"]
    form = await request.form()
    text, base = form.get("toml"), form.get("base")
    await form.close()
    if not isinstance(text, str) or not isinstance(base, str):
        return await refuse(request, 400, _("This form is incomplete: go back and try again."))
    repo = console_of(request).profiles
    try:
        await run_in_threadpool(save_text, repo, name, text.replace("\r\n", "\n"), base)
    except StaleEdit:
        return RedirectResponse(f"/profiles/{name}?done=stale", status_code=303)
    except ProfileError as exc:
        if not _plain_name(name) or not repo.exists(name):
            return await refuse(request, 404, _("There is no profile of that name."))
        return await render(
            request,
            "profiles/unreadable.html",
            {"name": name, "problem": render_text(said(exc))},
            status=400,
        )
    except ValueError:  # not TOML at all: not a form of ours
        return await refuse(request, 400, _("This form is incomplete: go back and try again."))
    return RedirectResponse(f"/profiles/{name}?done=saved", status_code=303)


async def test_connection(request: Request) -> Response:
    """What ``passerelle profile test`` runs, its result shown (nothing is changed)."""
    opened = await _open(request)
    if isinstance(opened, Response):
        return opened
    profile = opened[2]
    result = await run_in_threadpool(run_profile_test, profile, console_of(request).data_dir)
    return await render(
        request,
        "profiles/test.html",
        {"profile": profile, "result": result, "kind_words": KIND_WORDS, "text": render_text},
    )


#: The kinds of names ``profile test`` reports, in the merchant's words.
KIND_WORDS = {
    "item": N_("items"),
    "tax": N_("taxes"),
    "tax_rule": N_("tax rules"),
    "carrier": N_("carriers"),
    "payment_journal": N_("payment journals"),
    "payment_term": N_("payment terms"),
    "currency": N_("currencies"),
    "warehouse": N_("warehouses"),
    "customer_category": N_("customer categories"),
    "representative": N_("sales representatives"),
    "account": N_("accounts"),
    "price_list": N_("price lists"),
    "attribute": N_("item attributes"),
    "tax_class": N_("tax classes"),
    "payment_method": N_("payment methods"),
    "order_status": N_("order statuses"),
    "shipping_method": N_("shipping methods"),
}


def _place(
    sections: list[Section],
    grids: list[Grid],
    early: dict[str, list[str]],
    problems: list[Problem],
) -> list[str]:
    """Put each problem beside its field or grid; returns those that belong to none."""
    fields: dict[str, FormField] = {f.name: f for s in sections for f in s.fields}
    by_where = {grid.where: grid for grid in grids}
    general: list[str] = []
    for name, messages in early.items():
        fields[name].errors += messages
    for problem in problems:
        text = merchant_words(problem)
        parts = [str(part) for part in problem.loc]
        for size in range(len(parts), 0, -1):
            where = ".".join(parts[:size])
            if where in fields:
                fields[where].errors.append(text)
                break
            if where in by_where:
                by_where[where].errors.append(text)
                break
        else:
            general.append(f"{problem.where}: {text}" if problem.where else text)
    return general


_DISCOUNT_TAX = re.compile(r"back-office tax '(.+?)'")


def merchant_words(problem: Problem) -> str:
    """A validation problem said to the merchant, in their language."""
    kind, context = problem.type, problem.context
    if kind == "missing":
        return _("Required.")
    if kind == "extra_forbidden":
        return _("This setting is unknown: check its spelling.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Enter a whole number.")
    if kind in ("float_parsing", "float_type", "decimal_parsing", "decimal_type"):
        return _("Enter a number.")
    if kind in ("bool_parsing", "bool_type"):
        return _("Choose yes or no.")
    if kind == "greater_than_equal":
        return _("Enter %(limit)s or more.", limit=context.get("ge"))
    if kind == "greater_than":
        return _("Enter more than %(limit)s.", limit=context.get("gt"))
    if kind == "less_than_equal":
        return _("Enter %(limit)s or less.", limit=context.get("le"))
    if kind == "less_than":
        return _("Enter less than %(limit)s.", limit=context.get("lt"))
    if kind == "string_too_short":
        return _("This cannot be empty.")
    if kind == "string_pattern_mismatch":
        return _("This is not written as expected.")
    if kind in ("literal_error", "enum"):
        return _("Choose one of: %(choices)s", choices=context.get("expected", ""))
    message = problem.message
    if "env:VARIABLE or keyring:SERVICE/USER" in message:
        return _(
            "Enter where the secret is kept, as env:VARIABLE or keyring:SERVICE/USER: "
            "the secret itself is never written in a profile nor shown here."
        )
    if "https://" in message:
        return _("Enter the https:// address: the keys travel over HTTPS only.")
    if kind == "missing_entry":
        found = _DISCOUNT_TAX.search(message)
        if found:
            return _("No discount item for the tax %(tax)s.", tax=found.group(1))
        return _("Required by another setting of this profile.")
    return _("This value is refused: %(reason)s", reason=message.removeprefix("Value error, "))


ROUTES: list[BaseRoute] = [
    Route("/profiles", profile_list, name="profiles"),
    Route("/profiles/{name}", edit, methods=["GET"], name="profile"),
    Route("/profiles/{name}", submit, methods=["POST"], name="profile_submit"),
    Route("/profiles/{name}/save", save, methods=["POST"], name="profile_save"),
    Route("/profiles/{name}/test", test_connection, methods=["POST"], name="profile_test"),
]
