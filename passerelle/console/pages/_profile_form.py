"""The profile editor's form, generated from the profile's pydantic models.

Why generated: a field added to a settings model appears in the editor
without touching it. Each field becomes one input named by its path in the
TOML file (``orders.period_days``): a yes/no a checkbox, a number or a text a
text input, a closed list of values (``Literal``, an enum) a drop-down, a list
of texts a text area of one line each, a table of texts a text area of
``key = value`` lines. Fields holding anything richer (a list of tables) are
left to the file and named as such; the mapping tables have their own grids
(:mod:`._profile_grids`).

A secret field shows and takes only the *reference* to its secret
(``env:NAME``, ``keyring:SERVICE/USER``); a value that is not a reference is
refused and never shown back.

Posting the form changes only what the merchant changed: a field whose text
is the same as shown leaves the file's data untouched, so defaults the file
does not spell out stay unspelled.
"""

from __future__ import annotations

import enum
import re
import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from passerelle.console.pages._setting_titles import choice_label, setting_title
from passerelle.i18n import N_, _
from passerelle.platforms import backoffice_platforms, shop_platforms
from passerelle.platforms.settings import check_secret_ref
from passerelle.profiles import Profile

__all__ = [
    "FormField",
    "Section",
    "apply_fields",
    "build_sections",
    "every_field",
    "secret_problem",
    "set_at",
]

#: Fields the form never edits: the name (renaming is its own act), each side's kind
#: (another platform is another profile), and the mappings the grids edit.
SKIPPED = frozenset(
    {
        "name",
        "shop.kind",
        "backoffice.kind",
        "orders.payments",
        "orders.carriers",
        "orders.statuses",
        "orders.taxes",
        "catalogue.tax_classes",
    }
)

#: The sections of the form, by the file's top-level tables, in the merchant's words.
SECTION_TITLES = {
    "": N_("General"),
    "backoffice": N_("Back-office"),
    "shop": N_("Shop"),
    "catalogue": N_("Catalogue"),
    "customers": N_("Customers"),
    "orders": N_("Orders"),
    "webhooks": N_("Webhooks"),
    "schedules": N_("Schedules"),
    "worker": N_("Worker"),
    "notifications": N_("E-mail notifications"),
}

#: The descriptions the models give (English), with their translation marked here.
HELP = {
    "env:VARIABLE or keyring:SERVICE/USER": N_(
        "Where the secret is kept: env:VARIABLE or keyring:SERVICE/USER. Never the secret itself."
    ),
}

_SECRET_REF = re.compile(r"^(env:[A-Za-z_][A-Za-z0-9_]*|keyring:[^/\s]+/[^/\s]+)$")

Widget = Literal["text", "number", "checkbox", "select", "lines", "pairs", "secret"]


@dataclass(slots=True)
class FormField:
    """One input: where it writes in the file, how it is drawn, what it shows."""

    path: tuple[str, ...]
    widget: Widget
    value: str
    kind: type | None = None  # int, float, Decimal, str... (how a text is read back)
    choices: list[str] = field(default_factory=list)
    nullable: bool = False
    required: bool = False
    help: str | None = None
    errors: list[str] = field(default_factory=list)
    title: str = ""  # English, marked with N_ (:mod:`._setting_titles`)
    labels: dict[str, str] = field(default_factory=dict)  # choice -> English words, marked

    @property
    def name(self) -> str:
        return ".".join(self.path)

    @property
    def input_id(self) -> str:
        return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.name)


@dataclass(slots=True)
class Section:
    key: str
    title: str  # English, marked with N_
    fields: list[FormField] = field(default_factory=list)
    in_file_only: list[str] = field(default_factory=list)  # fields the form does not edit


def _is_secret(info: FieldInfo | None, annotation: Any) -> bool:
    metadata = list(info.metadata) if info is not None else []
    for arg in typing.get_args(annotation):
        metadata += list(getattr(arg, "__metadata__", ()))
    metadata += list(getattr(annotation, "__metadata__", ()))
    return any(getattr(item, "func", None) is check_secret_ref for item in metadata)


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The type under ``Optional``/``Annotated``, and whether None is allowed."""
    nullable = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            nullable = nullable or len(args) < len(typing.get_args(annotation))
            if len(args) != 1:
                return annotation, nullable
            annotation = args[0]
        else:
            return annotation, nullable


def _choices(annotation: Any) -> list[str] | None:
    if typing.get_origin(annotation) is Literal:
        return [str(a) for a in typing.get_args(annotation)]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return [str(member.value) for member in annotation]
    return None


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, list):
        return "\n".join(_shown(v) for v in value)
    if isinstance(value, dict):
        return "\n".join(f"{_shown(k)} = {_shown(v)}" for k, v in value.items())
    return str(value)


def _field(path: tuple[str, ...], info: FieldInfo, value: Any) -> FormField | None:
    made = _input(path, info, value)
    if made is not None:
        made.title = setting_title(made.name)
        made.labels = {choice: choice_label(made.name, choice) for choice in made.choices}
    return made


def _input(path: tuple[str, ...], info: FieldInfo, value: Any) -> FormField | None:
    annotation, nullable = _unwrap(info.annotation)
    required = info.is_required()
    help_text = HELP.get(info.description or "")
    if _is_secret(info, info.annotation):
        return FormField(path, "secret", _shown(value), str, [], nullable, required, help_text)
    choices = _choices(annotation)
    if choices is not None:
        return FormField(path, "select", _shown(value), str, choices, nullable, required, help_text)
    if annotation is bool:
        return FormField(path, "checkbox", _shown(value), bool, [], False, False, help_text)
    if annotation in (int, float, Decimal):
        return FormField(path, "number", _shown(value), annotation, [], nullable, required)
    if annotation in (str, Path, date):
        return FormField(path, "text", _shown(value), str, [], nullable, required, help_text)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is list and args:
        item, _nullable = _unwrap(args[0])
        if item is str or _choices(item) is not None:
            return FormField(path, "lines", _shown(value), str, _choices(item) or [], nullable)
    if origin is dict and len(args) == 2:
        key, _k = _unwrap(args[0])
        item, _i = _unwrap(args[1])
        if key is str and (item is str or _choices(item) is not None):
            return FormField(path, "pairs", _shown(value), str, [], nullable)
    return None


def _walk(model: BaseModel, prefix: tuple[str, ...], section: Section) -> Iterator[tuple[str, ...]]:
    """Adds ``model``'s fields to ``section``; yields the paths it cannot edit."""
    for key, info in type(model).model_fields.items():
        path = (*prefix, key)
        value = getattr(model, key)
        if ".".join(path) in SKIPPED:
            continue
        if isinstance(value, BaseModel):
            yield from _walk(value, path, section)
            continue
        made = _field(path, info, value)
        if made is None:
            yield path
        else:
            section.fields.append(made)


def build_sections(profile: Profile) -> list[Section]:
    """The form of ``profile``: one section per top-level table, the plain settings first."""
    sections = {key: Section(key, title) for key, title in SECTION_TITLES.items()}
    for key, info in Profile.model_fields.items():
        value = getattr(profile, key)
        if key in SKIPPED:
            continue
        if isinstance(value, BaseModel):
            section = sections.setdefault(key, Section(key, key))
            section.in_file_only += [".".join(p) for p in _walk(value, (key,), section)]
        else:
            made = _field((key,), info, value)
            if made is not None:
                sections[""].fields.append(made)
    return [section for section in sections.values() if section.fields]


def _model_of(annotation: Any) -> type[BaseModel] | None:
    unwrapped, _nullable = _unwrap(annotation)
    if isinstance(unwrapped, type) and issubclass(unwrapped, BaseModel):
        return unwrapped
    return None


def _fields_of(model: type[BaseModel], prefix: tuple[str, ...]) -> Iterator[FormField]:
    for key, info in model.model_fields.items():
        path = (*prefix, key)
        if ".".join(path) in SKIPPED:
            continue
        inner = _model_of(info.annotation)
        if inner is not None:
            yield from _fields_of(inner, path)
            continue
        made = _field(path, info, None)
        if made is not None:
            yield made


def every_field() -> Iterator[FormField]:
    """Every input the form can show, for any profile: each table's model walked as
    :func:`build_sections` walks a profile's, ``[shop]`` and ``[backoffice]`` once per
    platform passerelle comes with (a field shared by several platforms comes once per
    platform). A platform registered from elsewhere brings no titles of ours: its
    fields show their file keys."""
    for key, info in Profile.model_fields.items():
        if key in SKIPPED:
            continue
        if key == "shop":
            for shop in shop_platforms().values():
                if _ours(shop.settings):
                    yield from _fields_of(shop.settings, (key,))
        elif key == "backoffice":
            for backoffice in backoffice_platforms().values():
                if _ours(backoffice.settings):
                    yield from _fields_of(backoffice.settings, (key,))
        elif (model := _model_of(info.annotation)) is not None:
            yield from _fields_of(model, (key,))
        elif (made := _field((key,), info, None)) is not None:
            yield made


def _ours(settings: type) -> bool:
    return settings.__module__.startswith("passerelle.")


def secret_problem(text: str) -> str | None:
    """Why ``text`` cannot go in a secret field (it is not a reference), or None."""
    if not text or _SECRET_REF.match(text):
        return None
    return _(
        "Enter where the secret is kept, as env:VARIABLE or keyring:SERVICE/USER: "
        "the secret itself is never written in a profile nor shown here."
    )


def set_at(data: dict[str, Any], path: tuple[str, ...], value: Any, *, remove: bool) -> None:
    """Set (or remove) ``path`` in the file's data, making the tables on the way."""
    table = data
    for part in path[:-1]:
        table = table.setdefault(part, {})
    if remove:
        table.pop(path[-1], None)
    else:
        table[path[-1]] = value


def _read(form_field: FormField, text: str) -> tuple[Any, bool, str | None]:
    """(value, remove, problem) for the text posted into ``form_field``."""
    text = text.strip()
    if form_field.widget == "checkbox":
        return text == "true", False, None
    if form_field.widget in ("lines",):
        return [line.strip() for line in text.splitlines() if line.strip()], False, None
    if form_field.widget == "pairs":
        pairs: dict[str, str] = {}
        for line in text.splitlines():
            if not line.strip():
                continue
            key, equals, value = line.partition("=")
            if not equals or not key.strip():
                return None, False, _("Write one pair per line, as: name = value")
            pairs[key.strip()] = value.strip()
        return pairs, False, None
    if not text:
        # Empty: the option is unset (its default applies); a required one is reported.
        return None, not form_field.required, None
    if form_field.widget == "secret":
        problem = secret_problem(text)
        return text, False, problem
    if form_field.kind in (int, float):
        try:
            return (
                form_field.kind(text.replace(",", ".") if form_field.kind is float else text),
                False,
                None,
            )
        except ValueError:
            return text, False, None  # the model says what is wrong with it
    if form_field.kind is Decimal:
        return text.replace(",", "."), False, None
    return text, False, None


def apply_fields(
    sections: list[Section], posted: Mapping[str, str], data: dict[str, Any]
) -> dict[str, list[str]]:
    """Write into ``data`` every field whose posted text differs from what was shown;
    returns the problems found before the model is asked (a literal secret...), by field.

    A literal secret is never written, and the field goes on showing its reference.
    """
    problems: dict[str, list[str]] = {}
    for section in sections:
        for form_field in section.fields:
            if form_field.name not in posted:
                continue
            text = posted[form_field.name].replace("\r\n", "\n")
            if text.strip() == form_field.value.strip():
                continue
            value, remove, problem = _read(form_field, text)
            if problem is not None:
                problems.setdefault(form_field.name, []).append(problem)
                continue
            if form_field.widget != "secret":
                form_field.value = text
            set_at(data, form_field.path, value, remove=remove)
    return problems
