"""Tryton, the default back-office (embedded trytond on SQLite or PostgreSQL)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from passerelle.connectors.base import BackOffice
from passerelle.i18n.messages import M_
from passerelle.platforms.refused import refused
from passerelle.platforms.registry import BackOfficePlatform, register_backoffice
from passerelle.platforms.secrets import SecretResolver
from passerelle.platforms.settings import BackOfficeSettingsBase

__all__ = ["PLATFORM", "TrytonSettings"]


class TrytonSettings(BackOfficeSettingsBase):
    """The Tryton back-office: embedded trytond on SQLite (default) or PostgreSQL."""

    kind: Literal["tryton"] = "tryton"
    database: str = Field(min_length=1)
    uri: str = "sqlite://"
    path: Path | None = None  # directory of SQLite files; default: <data dir>/tryton
    company: str | None = None

    @field_validator("uri")
    @classmethod
    def _uri_scheme(cls, value: str) -> str:
        if not (value.startswith("sqlite://") or value.startswith("postgresql://")):
            raise refused(M_("must start with sqlite:// or postgresql://"))
        return value

    def describe(self) -> str:
        return f"{self.kind} {self.database}"


def build(settings: TrytonSettings, resolve: SecretResolver, data_dir: Path) -> BackOffice:
    """The connector; trytond is imported only now (it is slow to import)."""
    from passerelle.connectors.tryton.connector import TrytonBackOffice

    path = settings.path or (data_dir / "tryton")
    return TrytonBackOffice(
        settings.database, uri=settings.uri, path=path, company=settings.company
    )


PLATFORM = register_backoffice(
    BackOfficePlatform(
        kind="tryton",
        label="Tryton",
        settings=TrytonSettings,
        build=build,
        default=True,  # profiles written before other back-offices existed name none
    )
)
