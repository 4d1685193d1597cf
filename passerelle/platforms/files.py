"""The file back-office: exports read from a folder, FTP or SFTP; sales written as files.

A profile chooses it with ``[backoffice] kind = "files"``. It names where the
files are (``transport``, ``folder`` and the server's address), which exports
to read and which column holds which field (``[backoffice.items]``,
``.prices``, ``.stock``, ``.customers``), the tax table the exports' tax codes
refer to, and the layout of the order files (``[backoffice.outbox]``).
``docs/files.md`` shows each, with examples for Sage 50c and EBP.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from passerelle.connectors.base import BackOffice
from passerelle.connectors.files.transport import Transport
from passerelle.i18n.messages import M_
from passerelle.platforms.files_exports import ExportSettings, TaxSettings, export_source
from passerelle.platforms.files_outbox import OrderFileSettings, order_layout
from passerelle.platforms.refused import refused
from passerelle.platforms.registry import BackOfficePlatform, register_backoffice
from passerelle.platforms.secrets import SecretResolver
from passerelle.platforms.settings import BackOfficeSettingsBase, SecretRef

__all__ = ["PLATFORM", "FilesSettings"]


class FilesSettings(BackOfficeSettingsBase):
    """A back-office reached through its import and export files."""

    kind: Literal["files"] = "files"
    transport: Literal["local", "ftp", "sftp"] = "local"
    # local: a folder on this machine; ftp/sftp: the folder on the server ("" = home)
    folder: str = ""
    host: str | None = None
    port: int | None = Field(None, ge=1, le=65535)
    user: str | None = None
    password: SecretRef | None = None
    private_key: Path | None = None  # sftp: the key file, instead of a password
    host_key: str | None = None  # sftp: the server's key fingerprint, "SHA256:…"
    tls: bool = False  # ftp: explicit TLS (FTPS)
    timeout: float = Field(30.0, gt=0, le=600)
    inbox: str = "exports"
    archive: str = "exports/archive"
    taxes: list[TaxSettings] = []
    # Codes of the back-office's items the order import names (shipping, gap…) that
    # its items export does not list (services are often left out).
    special_items: list[str] = []
    promotion_list: str = "promotion"
    # How the program computes a document's tax: per rate on the document (French
    # invoicing, Sage and EBP by default) or per line.
    tax_rounding: Literal["document", "line"] = "document"
    items: ExportSettings | None = None
    prices: ExportSettings | None = None
    stock: ExportSettings | None = None
    customers: ExportSettings | None = None
    shipments: ExportSettings | None = None  # deliveries, by the sales document's number
    outbox: OrderFileSettings = OrderFileSettings()

    @model_validator(mode="after")
    def _where(self) -> FilesSettings:
        if self.transport == "local" and not self.folder:
            raise refused(M_("folder: name the folder the back-office's files are in"))
        if self.transport != "local" and not (self.host and self.user):
            raise refused(M_("host and user are needed for an FTP or SFTP server"))
        if self.transport == "sftp" and not self.host_key:
            raise refused(
                M_(
                    "host_key: give the SFTP server's key fingerprint (SHA256:…, as "
                    "ssh-keygen -lf shows it), so a server pretending to be it is refused"
                )
            )
        if self.transport == "sftp" and not (self.password or self.private_key):
            raise refused(M_("an SFTP server needs a password or a private_key"))
        if self.transport == "ftp" and not self.password:
            raise refused(M_("password: where the FTP password is kept (env:… or keyring:…)"))
        return self

    def describe(self) -> str:
        place = self.folder if self.transport == "local" else f"{self.host}:{self.folder}"
        return f"{self.kind} {self.transport} {place}"

    def state_name(self) -> str:
        """A folder name of passerelle's own for this place's kept exports and ledger."""
        where = f"{self.transport}|{self.host}|{self.port}|{self.folder}|{self.outbox.folder}"
        return hashlib.sha256(where.encode("utf-8")).hexdigest()[:16]


def _transport(settings: FilesSettings, resolve: SecretResolver) -> Transport:
    if settings.transport == "local":
        from passerelle.connectors.files.transport import LocalTransport

        return LocalTransport(Path(settings.folder))
    password = (
        resolve(settings.password, field="backoffice.password") if settings.password else None
    )
    assert settings.host is not None and settings.user is not None  # checked by the settings
    if settings.transport == "ftp":
        from passerelle.connectors.files.ftp import FtpTransport

        assert password is not None  # checked by the settings
        return FtpTransport(
            settings.host,
            settings.port or 21,
            settings.user,
            password,
            settings.folder,
            tls=settings.tls,
            timeout=settings.timeout,
        )
    from passerelle.connectors.files.sftp import SftpTransport

    assert settings.host_key is not None  # checked by the settings
    return SftpTransport(
        settings.host,
        settings.port or 22,
        settings.user,
        password=password,
        private_key=settings.private_key,
        host_key=settings.host_key,
        root=settings.folder,
        timeout=settings.timeout,
    )


def build(settings: FilesSettings, resolve: SecretResolver, data_dir: Path) -> BackOffice:
    """The connector; its modules (openpyxl among them) are imported only now."""
    from passerelle.connectors.arithmetic import TaxSpec
    from passerelle.connectors.files.arithmetic import arithmetic_for
    from passerelle.connectors.files.connector import FilesBackOffice
    from passerelle.connectors.files.intake import Intake
    from passerelle.connectors.files.outbox import Outbox
    from passerelle.connectors.files.transport import LocalTransport
    from passerelle.model import Tax

    transport = _transport(settings, resolve)
    state_dir = data_dir / "files" / settings.state_name()
    ledger = LocalTransport(state_dir / "ledger")
    taxes = [Tax(t.code, t.name, Decimal(t.rate), t.compound) for t in settings.taxes]
    arithmetic = arithmetic_for(settings.tax_rounding)
    outbox = Outbox(
        transport,
        settings.outbox.folder,
        order_layout(settings.outbox),
        ledger,
        arithmetic,
        {t.source_id: TaxSpec(t.source_id, t.rate, t.updates_unit_price) for t in taxes},
        archives=settings.outbox.archives,
        number_prefix=settings.outbox.number_prefix,
        number_digits=settings.outbox.number_digits,
        lock=state_dir / "outbox.lock",
    )
    sources = {
        name: export_source(part) if part is not None else None
        for name, part in (
            ("items", settings.items),
            ("prices", settings.prices),
            ("stock", settings.stock),
            ("customers", settings.customers),
            ("shipments", settings.shipments),
        )
    }
    backoffice: BackOffice = FilesBackOffice(
        transport=transport,
        intake=Intake(transport, settings.inbox, settings.archive, state_dir),
        outbox=outbox,
        ledger=ledger,
        taxes=taxes,
        items=sources["items"],
        prices=sources["prices"],
        stock=sources["stock"],
        customers=sources["customers"],
        shipments=sources["shipments"],
        extra_items=settings.special_items,
        promotion_list=settings.promotion_list,
        describe=settings.describe(),
        arithmetic=arithmetic,
    )
    return backoffice


PLATFORM = register_backoffice(
    BackOfficePlatform(kind="files", label="files", settings=FilesSettings, build=build)
)
