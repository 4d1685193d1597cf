"""Editing a profile from a screen: what each side has, the check, the diff, the write.

The console's profile editor works on the profile file's own data (what the
TOML holds, not every default), so a change writes the lines it changes and
nothing else; this module gives it:

* :func:`reference_lists`: the names each side really has (the shop's payment
  methods, order statuses, shipping methods and tax classes; the back-office's
  payment journals, taxes and carriers), read through the connectors, each
  kind ``None`` when its side cannot be read;
* :func:`check_data`: the profile validated, or every problem with its field;
* :func:`planned_text` and :func:`diff`: the TOML that would be written, and
  the unified diff from the file as it is;
* :func:`save_text`: the write, atomic (a temporary file renamed over the old),
  refused when the file changed since the diff was shown.

Comments: the TOML writer (tomli-w) cannot keep them. A file that has any is
copied first to ``<name>.toml.bak`` beside it, and the confirm step says so.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from difflib import unified_diff
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from passerelle.connectors.base import BackOffice, Shop
from passerelle.i18n.messages import M_, SaidError
from passerelle.platforms import build_backoffice, build_shop
from passerelle.profiles import Profile, ProfileError, ProfileRepository

# The repository's own rule for what TOML can hold (no None, decimals as text).
from passerelle.profiles.repository import _plain

__all__ = [
    "BACKOFFICE_LISTS",
    "SHOP_LISTS",
    "Problem",
    "ReferenceLists",
    "StaleEdit",
    "backup_path",
    "check_data",
    "diff",
    "digest",
    "has_comments",
    "planned_text",
    "raw_data",
    "reference_lists",
    "save_text",
]

#: The shop's names a mapping grid lists (rows).
SHOP_LISTS = ("payment_method", "order_status", "shipping_method", "tax_class")
#: The back-office's names a mapping grid offers (drop-downs).
BACKOFFICE_LISTS = ("payment_journal", "tax", "carrier")


class StaleEdit(SaidError):
    """The profile file changed since its diff was shown: nothing is written."""


@dataclass(slots=True)
class ReferenceLists:
    """kind → the names that side has; a kind missing from ``shop``/``backoffice``
    could not be read (``shop_error``/``backoffice_error`` say why)."""

    shop: dict[str, list[str]] = field(default_factory=dict)
    backoffice: dict[str, list[str]] = field(default_factory=dict)
    shop_error: str | None = None
    backoffice_error: str | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """One validation problem: the field's path in the file, pydantic's type and context."""

    loc: tuple[str | int, ...]
    type: str
    message: str  # English, as pydantic (or the model's own check) says it
    context: Mapping[str, Any] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return ".".join(str(part) for part in self.loc)


def _read(side: Any, kinds: tuple[str, ...]) -> dict[str, list[str]]:
    lister = getattr(side, "reference_names", None)
    if not callable(lister):
        return {}
    found: dict[str, list[str]] = {}
    for kind in kinds:
        try:
            found[kind] = list(lister(kind))
        except (NotImplementedError, ValueError):
            continue  # this connector cannot list that kind: its grid takes free text
    return found


def reference_lists(profile: Profile, data_dir: Path) -> ReferenceLists:
    """What each side has, asked once per kind; a side that cannot be reached (or whose
    connector cannot list) leaves its kinds out, and the grids take free text."""
    lists = ReferenceLists()
    backoffice: BackOffice | None = None
    try:
        backoffice = build_backoffice(profile.backoffice, data_dir)
        lists.backoffice = _read(backoffice, BACKOFFICE_LISTS)
    except Exception as exc:  # unreachable, missing module, bad settings: free text
        lists.backoffice_error = str(exc)
    shop: Shop | None = None
    try:
        shop = build_shop(profile.shop)
        lists.shop = _read(shop, SHOP_LISTS)
    except Exception as exc:  # unreachable, missing secret: free text
        lists.shop_error = str(exc)
    finally:
        if shop is not None:
            shop.close()
    return lists


def raw_data(repo: ProfileRepository, name: str) -> tuple[str, dict[str, Any]]:
    """The profile file's text and its data as written (defaults left out)."""
    text = repo.text(name)
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(
            M_("profile %(name)r is not valid TOML: %(error)s", name=name, error=str(exc))
        ) from None


def check_data(data: dict[str, Any]) -> tuple[Profile | None, list[Problem]]:
    """The profile ``data`` makes, or every problem, each with its field."""
    try:
        return Profile.model_validate(data), []
    except ValidationError as exc:
        return None, [
            Problem(
                tuple(error["loc"]),
                error["type"],
                str(error["ctx"].get("message", error["msg"]))
                if "ctx" in error and "message" in error["ctx"]
                else error["msg"],
                dict(error.get("ctx") or {}),
            )
            for error in exc.errors()
        ]


def planned_text(data: dict[str, Any]) -> str:
    """The file as it would be written: the data, unset options left out."""
    return tomli_w.dumps(_plain(data))


def diff(name: str, old: str, new: str) -> list[str]:
    """The unified diff of the file, old → new, one line each (no line ends)."""
    return [
        line.rstrip("\n")
        for line in unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=f"{name}.toml",
            tofile=f"{name}.toml",
        )
    ]


def digest(text: str) -> str:
    """What the confirm step carries to tell that the file did not change meanwhile."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def has_comments(text: str) -> bool:
    """Whether the file has a comment line (the writer would not keep it)."""
    return any(line.lstrip().startswith("#") for line in text.splitlines())


def backup_path(repo: ProfileRepository, name: str) -> Path:
    path = repo.path(name)
    return path.with_name(path.name + ".bak")


def save_text(repo: ProfileRepository, name: str, text: str, base: str) -> Profile:
    """Write ``text`` as profile ``name``, once it loads as a profile of that name and the
    file is still the one whose :func:`digest` is ``base``.

    Atomic: written to a temporary file in the same folder, synced, then renamed
    over the old file, so a reader sees the old profile or the new, never half.
    A file with comments is first copied to :func:`backup_path`.
    """
    path = repo.path(name)
    current = repo.text(name)
    if digest(current) != base:
        raise StaleEdit(M_("profile %(name)r changed since the changes were shown", name=name))
    data = tomllib.loads(text)
    data.setdefault("name", name)
    if data["name"] != name:
        raise ProfileError(
            M_("the profile's name cannot change here (%(name)r)", name=str(data["name"]))
        )
    profile = repo.validate(data, where=M_("profile %(name)r is invalid:", name=name))
    if has_comments(current):
        backup_path(repo, name).write_text(current, encoding="utf-8")
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return profile
