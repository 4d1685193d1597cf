"""A shop to preview exports against: the WooCommerce sandbox and one memory back-office.

Every build of the profile's back-office (a run's, a preview's) returns the
object the test holds, so a price it changes there is what the next preview
reads; the profile is saved in the data directory, as the CLI and the console
load it. Used by the console's Preview page tests and the preview's --json test.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from rich.console import Console

from passerelle.connectors.memory import MemoryBackOffice
from passerelle.model import Item
from passerelle.profiles import ProfileRepository
from passerelle.runner import Runner, run_now
from passerelle.runner import preview as runner_preview
from passerelle.sandbox.woocommerce import WooSandbox
from passerelle.store import Store
from tests.test_profiles import VALID

__all__ = ["exported_shop"]


@contextmanager
def exported_shop(
    data_dir: Path,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    profile_name: str,
    items: list[Item],
) -> Iterator[tuple[WooSandbox, MemoryBackOffice]]:
    """``items`` exported once by ``export-products`` to an empty sandbox shop."""
    monkeypatch.setenv("PREVIEW_WC_KEY", "ck_demo")
    monkeypatch.setenv("PREVIEW_WC_SECRET", "cs_demo")
    backoffice = MemoryBackOffice(items={item.source_id: item for item in items})
    for module in (run_now, runner_preview):
        monkeypatch.setattr(module, "build_backoffice", lambda settings, directory: backoffice)
    with WooSandbox(data_dir / "shop.json", seed=False, cert_dir=data_dir / "tls") as sandbox:
        shop = {
            "url": sandbox.url,
            "consumer_key": "env:PREVIEW_WC_KEY",
            "consumer_secret": "env:PREVIEW_WC_SECRET",
            "http": {"timeout": 5, "max_tries": 1, "ca_bundle": str(sandbox.ca_bundle)},
        }
        repo = ProfileRepository(data_dir)
        profile = repo.validate(
            dict(
                VALID,
                name=profile_name,
                backoffice={"kind": "memory"},
                shop=shop,
                catalogue={"default_tax_class": "standard"},
            )
        )
        repo.save(profile)
        summary = Runner(data_dir, store=store, console=Console(quiet=True)).run(
            profile, "export-products"
        )
        assert summary.counts["created"] == len(items), summary
        yield sandbox, backoffice
