"""Profiles on disk: one TOML file each under ``<data dir>/profiles/`` (P1, P3).

TOML because an integrator edits these files by hand and diffs them; the data
directory holds everything (profiles, state store, Tryton files, logs) so a
copy of it is a backup.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from passerelle.profiles.schema import Profile
from passerelle.profiles.shop_settings import SHOP_KINDS

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
    """A profile is missing, invalid or in the way; ``problems`` lists each field at fault."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []

    def __str__(self) -> str:
        if not self.problems:
            return super().__str__()
        return "\n".join([super().__str__(), *(f"  - {p}" for p in self.problems)])


def _where(loc: tuple[int | str, ...]) -> str:
    """The field as the profile file spells it: ``shop.url``, not the union's
    ``shop.woocommerce.url`` (the platform is the table's own ``kind``)."""
    parts = list(loc)
    if len(parts) > 1 and parts[0] == "shop" and parts[1] in SHOP_KINDS:
        del parts[1]
    return ".".join(str(part) for part in parts) or "(profile)"


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


class ProfileRepository:
    """Reads and writes the profiles of one data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.folder = data_dir / "profiles"
        self._default_file = data_dir / "default-profile"

    def path(self, name: str) -> Path:
        return self.folder / f"{name}.toml"

    def names(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.glob("*.toml"))

    def exists(self, name: str) -> bool:
        return self.path(name).is_file()

    def load(self, name: str | None = None) -> Profile:
        name = name or self.default()
        if name is None:
            raise ProfileError(
                "no profile given and no default profile set: pass --profile NAME "
                "or run `passerelle profile default NAME`"
            )
        path = self.path(name)
        if not path.is_file():
            known = ", ".join(self.names()) or "none yet"
            raise ProfileError(f"profile {name!r} does not exist (profiles: {known})")
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ProfileError(f"profile {name!r} ({path}) is not valid TOML: {exc}") from exc
        data.setdefault("name", name)
        return self.validate(data, where=f"profile {name!r} ({path}) is invalid:")

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

    def import_file(self, file: Path, *, name: str | None = None,
                    overwrite: bool = False) -> Profile:
        """A profile file from elsewhere (a backup, another machine), validated, then saved."""
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ProfileError(f"cannot read {file}: {exc.strerror}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ProfileError(f"{file} is not valid TOML: {exc}") from exc
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
        path = self.path(name)
        if not path.is_file():
            raise ProfileError(f"profile {name!r} does not exist")
        path.unlink()
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
            name = self._default_file.read_text(encoding="utf-8").strip()
            return name or None
        names = self.names()
        return names[0] if len(names) == 1 else None

    def set_default(self, name: str) -> None:
        if not self.exists(name):
            raise ProfileError(f"profile {name!r} does not exist")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._default_file.write_text(name + "\n", encoding="utf-8")
