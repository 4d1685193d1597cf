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
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from passerelle.i18n.messages import M_, Text
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

    ``said`` is the message to show (a kept message is shown in the reader's language,
    see :func:`passerelle.i18n.messages.said`); ``str()`` stays English, with the problems.
    """

    def __init__(self, message: Text, problems: list[str] | None = None) -> None:
        super().__init__(str(message))
        self.problems = problems or []
        self.said: Text = str(self) if self.problems else message

    def __str__(self) -> str:
        if not self.problems:
            return super().__str__()
        return "\n".join([super().__str__(), *(f"  - {p}" for p in self.problems)])


def _where(loc: tuple[int | str, ...]) -> str:
    """The field as the profile file spells it: ``shop.url`` (the platform's model
    is chosen by the table's own ``kind``, see ``profiles/platform_settings.py``)."""
    return ".".join(str(part) for part in loc) or "(profile)"


def _describe(error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors():
        where = _where(item["loc"])
        if item["type"] == "missing":
            problems.append(f"{where}: missing (this field is required)")
        elif item["type"] == "extra_forbidden":
            problems.append(f"{where}: unknown field (check its spelling)")
        else:
            problems.append(f"{where}: {item['msg']}")
    return problems


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


def _read_text(path: Path, what: str) -> str:
    """A profile file's text; a file that is not UTF-8 or cannot be opened is a
    :class:`ProfileError` saying which file and what to do, never a traceback."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ProfileError(
            f"{what} is not UTF-8 text (byte {exc.object[exc.start]:#04x} at position "
            f"{exc.start}): save it as UTF-8 in your editor"
        ) from None
    except OSError as exc:
        raise ProfileError(
            f"{what} cannot be read ({exc.strerror}): check that the file "
            "is a readable regular file"
        ) from None


def _parse(text: str, what: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{what} is not valid TOML: {exc}: correct the file there") from None


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
                f"{_shown(str(name))} is not a valid profile name: {problem}. " + NAME_RULE
            )
        path = self.folder / f"{name}.toml"
        if not inside(path, self.folder):
            raise ProfileError(
                f"profile {name!r}: {path} leads outside the profiles folder {self.folder} "
                "(a symbolic link?): put the profile file itself in the folder"
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
        not, naming the file, what is wrong and what to do: one bad file (not
        UTF-8, invalid TOML, a name that is not a profile name) never hides the others."""
        profiles: dict[str, Profile] = {}
        problems: list[str] = []
        for name in self.names():
            problem = name_problem(name)
            if problem is not None:
                problems.append(
                    f"{self.folder / (name + '.toml')}: the file's name is not a "
                    f"profile name ({problem}): rename the file. {NAME_RULE}"
                )
                continue
            try:
                profiles[name] = self.load(name)
            except ProfileError as exc:
                problems.append(str(exc))
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
        return _read_text(path, f"profile {name!r} ({path})")

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
        where = f"profile {name!r} ({path})"
        data = _parse(_read_text(path, where), where)
        data.setdefault("name", name)
        return self.validate(data, where=f"{where} is invalid:")

    @staticmethod
    def validate(data: dict[str, Any], *, where: str = "invalid profile:") -> Profile:
        try:
            return Profile.model_validate(data)
        except ValidationError as exc:
            raise ProfileError(where, _describe(exc)) from None

    def save(self, profile: Profile, *, overwrite: bool = True) -> Path:
        path = self.path(profile.name)
        if path.exists() and not overwrite:
            raise ProfileError(f"profile {profile.name!r} already exists ({path})")
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
        profile = self.validate(data, where=f"{file} is not a valid profile:")
        if self.exists(profile.name) and not overwrite:
            raise ProfileError(
                f"profile {profile.name!r} already exists; use --force to replace it "
                "or --name to import it under another name"
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
            raise ProfileError(f"profile {new!r} already exists")
        renamed = profile.model_copy(update={"name": new})
        self.validate(renamed.model_dump(), where=f"{new!r} is not a valid profile name:")
        self.save(renamed, overwrite=False)
        was_default = self.default() == old
        self.path(old).unlink()
        if was_default:
            self.set_default(new)
        return renamed

    def duplicate(self, source: str, new: str) -> Profile:
        profile = self.load(source)
        if self.exists(new):
            raise ProfileError(f"profile {new!r} already exists")
        copy = self.validate(dict(profile.model_dump(), name=new))
        self.save(copy, overwrite=False)
        return copy

    def default(self) -> str | None:
        if self._default_file.is_file():
            name = _read_text(
                self._default_file, f"the default profile's file {self._default_file}"
            ).strip()
            return name or None
        names = self.names()
        return names[0] if len(names) == 1 else None

    def set_default(self, name: str) -> None:
        if not self.exists(name):
            raise ProfileError(f"profile {name!r} does not exist")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._default_file.write_text(name + "\n", encoding="utf-8")
