"""Profiles on disk: one TOML file each under ``<data dir>/profiles/`` (P1, P3).

TOML because an integrator edits these files by hand and diffs them; the data
directory holds everything (profiles, state store, Tryton files, logs) so a
copy of it is a backup.

Every method that takes a profile name goes through :meth:`ProfileRepository.path`,
which refuses anything but a plain name and any file that resolves outside the
folder (see :mod:`passerelle.profiles.names`): the commands never build a path
themselves.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from passerelle.i18n.messages import M_, Message, Text, english, render, said
from passerelle.platforms.matrix import warn_ineffective_options
from passerelle.platforms.refused import refusal
from passerelle.profiles.names import NAME_RULE, inside, name_problem
from passerelle.profiles.schema import Profile

__all__ = ["DATA_DIR_ENV", "ProfileError", "ProfileRepository", "data_dir_from"]

DATA_DIR_ENV = "PASSERELLE_DATA"
DEFAULT_DATA_DIR = Path("passerelle-data")


def data_dir_from(option: Path | None) -> Path:
    """The data directory: the option, else $PASSERELLE_DATA, else ./passerelle-data.

    Made absolute at once: paths derived from it (the Tryton database files,
    the log files) must not depend on what the current directory is later.
    """
    if option is not None:
        return option.absolute()
    env = os.environ.get(DATA_DIR_ENV)
    return (Path(env) if env else DEFAULT_DATA_DIR).absolute()


class ProfileError(Exception):
    """A profile is missing, invalid or in the way; ``problems`` lists each field at fault.

    ``said`` is the message to show, problems included (kept, so shown in the reader's
    language, see :func:`passerelle.i18n.messages.said`); ``str()`` and ``problems``
    stay English (logs, tests).
    """

    def __init__(self, message: Text, problems: list[Text] | None = None) -> None:
        self.said: Text = _listed(message, problems or [])
        self.problems = [english(problem) for problem in problems or []]
        super().__init__(english(self.said))


def _listed(head: Text, problems: list[Text]) -> Text:
    """``head`` then each problem on its own line, as ``  - problem``."""
    text = head
    for problem in problems:
        text = M_("%(text)s\n  - %(problem)s", text=text, problem=problem)
    return text


def _where(loc: tuple[int | str, ...]) -> Text:
    """The field as the profile file spells it: ``shop.url`` (the platform's model
    is chosen by the table's own ``kind``, see ``profiles/platform_settings.py``)."""
    return ".".join(str(part) for part in loc) or M_("(profile)")


def _value(value: Any) -> str:
    """A refused value as a message shows it: as written, not a page long."""
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:60] + "…"


def _choices(expected: str) -> str:
    """pydantic's ``'a', 'b' or 'c'`` as a list without its English ``or``."""
    first, _, last = expected.rpartition(" or ")
    return f"{first}, {last}" if first else expected


def _whole_number(**p: Any) -> Message:
    return M_("%(field)s: must be a whole number, not %(value)s", **p)


def _number(**p: Any) -> Message:
    return M_("%(field)s: must be a number, not %(value)s", **p)


def _yes_no(**p: Any) -> Message:
    return M_("%(field)s: must be true or false, not %(value)s", **p)


def _one_of(**p: Any) -> Message:
    return M_("%(field)s: must be one of %(expected)s, not %(value)s", **p)


def _web_address(**p: Any) -> Message:
    return M_("%(field)s: %(value)s is not a web address", **p)


def _table(**p: Any) -> Message:
    return M_("%(field)s: must be a table, not %(value)s", **p)


#: pydantic's error types said in the merchant's words, by type: each is given the
#: field, the refused value, and pydantic's context (its limit, the choices...).
_SAID: dict[str, Callable[..., Message]] = {
    "missing": lambda **p: M_("%(field)s: missing (this field is required)", **p),
    "extra_forbidden": lambda **p: M_("%(field)s: unknown field (check its spelling)", **p),
    "int_parsing": _whole_number,
    "int_type": _whole_number,
    "int_from_float": _whole_number,
    "decimal_parsing": _number,
    "decimal_type": _number,
    "float_parsing": _number,
    "float_type": _number,
    "bool_parsing": _yes_no,
    "bool_type": _yes_no,
    "string_type": lambda **p: M_("%(field)s: must be text (in quotes), not %(value)s", **p),
    "literal_error": _one_of,
    "enum": _one_of,
    "greater_than": lambda **p: M_("%(field)s: must be more than %(gt)s", **p),
    "greater_than_equal": lambda **p: M_("%(field)s: must be %(ge)s or more", **p),
    "less_than": lambda **p: M_("%(field)s: must be less than %(lt)s", **p),
    "less_than_equal": lambda **p: M_("%(field)s: must be %(le)s or less", **p),
    "string_too_short": lambda **p: M_("%(field)s: must not be empty", **p),
    "string_pattern_mismatch": lambda **p: M_(
        "%(field)s: %(value)s is not written as expected", **p
    ),
    "url_parsing": _web_address,
    "url_scheme": _web_address,
    "list_type": lambda **p: M_("%(field)s: must be a list, not %(value)s", **p),
    "dict_type": _table,
    "model_type": _table,
    "model_attributes_type": _table,
    "too_long": lambda **p: M_("%(field)s: at most %(max_length)s entries", **p),
}


def problem_said(error: ErrorDetails) -> Text:
    """One pydantic error in the merchant's words: the field, then what is wrong.

    A type of :data:`_SAID` is said by the table; a value refused by a validator
    says its own kept message (:func:`~passerelle.platforms.refused.refusal`), or its
    exception's; a rarer type keeps pydantic's English after the field.
    """
    where = _where(error["loc"])
    context = dict(error.get("ctx") or {})
    kept = refusal(context)
    if kept is not None:
        return M_("%(field)s: %(reason)s", field=where, reason=kept)
    kind = error["type"]
    if kind == "value_error" and isinstance(context.get("error"), BaseException):
        return M_("%(field)s: %(reason)s", field=where, reason=said(context["error"]))
    if kind in _SAID:
        if "expected" in context:
            context["expected"] = _choices(str(context["expected"]))
        params = {name: value for name, value in context.items() if name != "field"}
        return _SAID[kind](**{**params, "field": where, "value": _value(error["input"])})
    return M_("%(field)s: %(reason)s", field=where, reason=error["msg"])


def _describe(error: ValidationError) -> list[Text]:
    return [problem_said(item) for item in error.errors()]


def _plain(value: Any) -> Any:
    """Profile data as TOML can write it (no None, paths and decimals as text)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "is_finite"):  # Decimal
        return str(value)
    return value


def _shown(name: str) -> str:
    """A refused name as a message can show it: quoted, escaped, not a page long."""
    return repr(name) if len(name) <= 80 else repr(name[:80]) + "…"


def _read_text(path: Path, what: Text) -> str:
    """A profile file's text; a file that is not UTF-8 or cannot be opened is a
    :class:`ProfileError` saying which file and what to do, never a traceback."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        byte = f"{exc.object[exc.start]:#04x}"
        raise ProfileError(
            M_(
                "%(what)s is not UTF-8 text (byte %(byte)s at position %(position)s): "
                "save it as UTF-8 in your editor",
                what=what,
                byte=byte,
                position=exc.start,
            )
        ) from None
    except OSError as exc:
        raise ProfileError(
            M_(
                "%(what)s cannot be read (%(error)s): check that the file "
                "is a readable regular file",
                what=what,
                error=exc.strerror,
            )
        ) from None


def _parse(text: str, what: Text) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(
            M_(
                "%(what)s is not valid TOML: %(error)s: correct the file there",
                what=what,
                error=str(exc),
            )
        ) from None


def _profile(name: str, path: Path) -> Text:
    """A profile named in a message: its name and its file."""
    return M_("profile %(name)r (%(path)s)", name=name, path=path)


class ProfileRepository:
    """Reads and writes the profiles of one data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.folder = data_dir / "profiles"
        self._default_file = data_dir / "default-profile"

    def path(self, name: str) -> Path:
        """The file of profile ``name``; the one door from a name to the file system.

        Refuses a name that is not a plain name (``../x``, ``/etc/x``, ``a\\b``,
        NUL ...) and a file that, once its symbolic links are followed, is not
        in the profiles folder.
        """
        problem = name_problem(name)
        if problem is not None:
            raise ProfileError(
                M_(
                    "%(name)s is not a valid profile name: %(problem)s. %(rule)s",
                    name=_shown(str(name)),
                    problem=problem,
                    rule=NAME_RULE,
                )
            )
        path = self.folder / f"{name}.toml"
        if not inside(path, self.folder):
            raise ProfileError(
                M_(
                    "profile %(name)r: %(path)s leads outside the profiles folder %(folder)s "
                    "(a symbolic link?): put the profile file itself in the folder",
                    name=name,
                    path=path,
                    folder=self.folder,
                )
            )
        return path

    def names(self) -> list[str]:
        """The names of the profile files, as found: :meth:`load` says what is wrong
        with any of them (a bad name, not UTF-8, invalid TOML or fields)."""
        if not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.glob("*.toml"))

    def load_all(self) -> tuple[dict[str, Profile], list[str]]:
        """Every profile that loads, by name, and one message for each file that does
        not, naming the file, what is wrong and what to do, in the current language:
        one bad file (not UTF-8, invalid TOML, a name that is not a profile name)
        never hides the others."""
        profiles: dict[str, Profile] = {}
        problems: list[str] = []
        for name in self.names():
            problem = name_problem(name)
            if problem is not None:
                problems.append(
                    render(
                        M_(
                            "%(path)s: the file's name is not a profile name (%(problem)s): "
                            "rename the file. %(rule)s",
                            path=self.folder / (name + ".toml"),
                            problem=problem,
                            rule=NAME_RULE,
                        )
                    )
                )
                continue
            try:
                profiles[name] = self.load(name)
            except ProfileError as exc:
                problems.append(render(said(exc)))
        return profiles, problems

    def exists(self, name: str) -> bool:
        return self.path(name).is_file()

    def _existing(self, name: str) -> Path:
        path = self.path(name)
        if not path.is_file():
            known = ", ".join(self.names())
            raise ProfileError(
                M_("profile %(name)r does not exist (profiles: %(known)s)", name=name, known=known)
                if known
                else M_("profile %(name)r does not exist (profiles: none yet)", name=name)
            )
        return path

    def text(self, name: str) -> str:
        """The profile's file as written (``show``, ``export``): references to
        secrets, never their values, since only references are saved."""
        path = self._existing(name)
        return _read_text(path, _profile(name, path))

    def load(self, name: str | None = None) -> Profile:
        if name is None:  # "" is a name, refused as such, not "the default"
            name = self.default()
        if name is None:
            raise ProfileError(
                M_(
                    "no profile given and no default profile set: pass --profile NAME "
                    "or run `passerelle profile default NAME`"
                )
            )
        path = self._existing(name)
        where = _profile(name, path)
        data = _parse(_read_text(path, where), where)
        data.setdefault("name", name)
        profile = self.validate(data, where=M_("%(what)s is invalid:", what=where))
        warn_ineffective_options(profile)  # an option its shop's platform ignores (once)
        return profile

    @staticmethod
    def validate(data: dict[str, Any], *, where: Text | None = None) -> Profile:
        """The profile ``data`` makes; else a ProfileError headed ``where`` listing
        every problem, each field said in the reader's language."""
        try:
            return Profile.model_validate(data)
        except ValidationError as exc:
            raise ProfileError(where or M_("invalid profile:"), _describe(exc)) from None

    def save(self, profile: Profile, *, overwrite: bool = True) -> Path:
        path = self.path(profile.name)
        if path.exists() and not overwrite:
            raise ProfileError(
                M_("profile %(name)r already exists (%(path)s)", name=profile.name, path=path)
            )
        self.folder.mkdir(parents=True, exist_ok=True)
        data = _plain(profile.model_dump(mode="python", exclude_defaults=False))
        tmp = path.with_suffix(".toml.tmp")
        tmp.write_text(tomli_w.dumps(data), encoding="utf-8")
        tmp.replace(path)
        return path

    def import_file(
        self, file: Path, *, name: str | None = None, overwrite: bool = False
    ) -> Profile:
        """A profile file from elsewhere (a backup, another machine), validated, then saved."""
        if name:
            self.path(name)  # a bad --name is refused before the file is even read
        data = _parse(_read_text(file, str(file)), str(file))
        if name:
            data["name"] = name
        profile = self.validate(data, where=M_("%(file)s is not a valid profile:", file=file))
        if self.exists(profile.name) and not overwrite:
            raise ProfileError(
                M_(
                    "profile %(name)r already exists; use --force to replace it "
                    "or --name to import it under another name",
                    name=profile.name,
                )
            )
        self.save(profile)
        return profile

    def delete(self, name: str) -> None:
        self._existing(name).unlink()
        if self.default() == name:
            self._default_file.unlink()

    def rename(self, old: str, new: str) -> Profile:
        profile = self.load(old)
        if self.exists(new):
            raise ProfileError(M_("profile %(name)r already exists", name=new))
        renamed = profile.model_copy(update={"name": new})
        self.validate(
            renamed.model_dump(), where=M_("%(name)r is not a valid profile name:", name=new)
        )
        self.save(renamed, overwrite=False)
        was_default = self.default() == old
        self.path(old).unlink()
        if was_default:
            self.set_default(new)
        return renamed

    def duplicate(self, source: str, new: str) -> Profile:
        profile = self.load(source)
        if self.exists(new):
            raise ProfileError(M_("profile %(name)r already exists", name=new))
        copy = self.validate(dict(profile.model_dump(), name=new))
        self.save(copy, overwrite=False)
        return copy

    def default(self) -> str | None:
        if self._default_file.is_file():
            name = _read_text(
                self._default_file,
                M_("the default profile's file %(path)s", path=self._default_file),
            ).strip()
            return name or None
        names = self.names()
        return names[0] if len(names) == 1 else None

    def set_default(self, name: str) -> None:
        if not self.exists(name):
            raise ProfileError(M_("profile %(name)r does not exist", name=name))
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._default_file.write_text(name + "\n", encoding="utf-8")
