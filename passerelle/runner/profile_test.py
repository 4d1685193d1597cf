"""What ``passerelle profile test`` runs, for whoever asks: both connections, then the names.

Why here and not in the CLI: the console's **Test connection** must run the
same test and show the same result; both call :func:`run_profile_test`. The
names the profile uses that either side lacks come from
:func:`passerelle.flows.profile_check.check_profile`; the options it sets that do
nothing on its platform from the capability matrix
(:func:`passerelle.platforms.matrix.ineffective_options`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from passerelle.connectors.base import BackOffice, ConnectionReport, Shop
from passerelle.flows.profile_check import ReferenceReport, check_profile
from passerelle.i18n.messages import render, said
from passerelle.platforms import build_backoffice, build_shop
from passerelle.platforms.matrix import Ineffective, ineffective_options
from passerelle.profiles import Profile

__all__ = ["ProfileTest", "run_profile_test"]


@dataclass(frozen=True, slots=True)
class ProfileTest:
    """Each side's connection report, what the profile names that a side lacks, and
    the options it sets that do nothing on its shop's platform (a warning: ``ok``
    does not depend on them)."""

    backoffice: ConnectionReport
    shop: ConnectionReport
    references: ReferenceReport
    ineffective: tuple[Ineffective, ...] = ()

    @property
    def ok(self) -> bool:
        return self.backoffice.ok and self.shop.ok and self.references.ok


def run_profile_test(profile: Profile, data_dir: Path) -> ProfileTest:
    """Connect to both sides (a connector that cannot even be built is a failed test,
    its secret missing included), then ask each side that answered for the names."""
    backoffice: BackOffice | None = None
    shop: Shop | None = None
    try:
        backoffice = build_backoffice(profile.backoffice, data_dir)
        backoffice_report = backoffice.test_connection()
    except Exception as exc:  # any failure to connect is the answer, not a crash
        backoffice_report = ConnectionReport(False, render(said(exc)))
    try:
        shop = build_shop(profile.shop)
        shop_report = shop.test_connection()
    except Exception as exc:  # a missing secret, a bad address...
        shop_report = ConnectionReport(False, render(said(exc)))
    try:
        references = check_profile(
            profile,
            backoffice if backoffice_report.ok else None,
            shop if shop_report.ok else None,
        )
    finally:
        if shop is not None:
            shop.close()
    return ProfileTest(
        backoffice_report, shop_report, references, tuple(ineffective_options(profile))
    )
