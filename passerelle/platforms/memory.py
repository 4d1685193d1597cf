"""The in-memory back-office: for benchmarks and tests where the ERP is beside the point.

Each build starts empty (nothing is kept between runs), so a profile naming
it suits flows that read from the shop, or a test that seeds the connector
it gets from :func:`passerelle.platforms.build_backoffice`.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Literal

from passerelle.connectors.base import BackOffice
from passerelle.platforms.registry import BackOfficePlatform, register_backoffice
from passerelle.platforms.secrets import SecretResolver
from passerelle.platforms.settings import BackOfficeSettingsBase

__all__ = ["PLATFORM", "MemorySettings"]


class MemorySettings(BackOfficeSettingsBase):
    """An in-memory back-office, empty but for the items it is told to start with."""

    kind: Literal["memory"] = "memory"
    # Codes of the items it starts with (the special items a profile names).
    items: list[str] = []


def build(settings: MemorySettings, resolve: SecretResolver, data_dir: Path) -> BackOffice:
    from passerelle.connectors.memory import MemoryBackOffice
    from passerelle.model import Item

    backoffice: BackOffice = MemoryBackOffice(
        items={
            str(n): Item(str(n), code, code, Decimal(0))
            for n, code in enumerate(settings.items, start=1)
        }
    )
    return backoffice


PLATFORM = register_backoffice(
    BackOfficePlatform(kind="memory", label="in-memory", settings=MemorySettings, build=build)
)
