"""Runs one flow of one profile now: connectors built, run recorded, journal kept.

The CLI, the demo and (later) the scheduler all go through here, so a run is
recorded the same way whoever starts it. Connectors are built from the
profile here and nowhere else; secrets are resolved here and handed to the
connector only.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console

from passerelle.connectors.base import BackOffice, Shop
from passerelle.connectors.errors import ConnectorError
from passerelle.flows import FLOWS, FlowContext
from passerelle.flows.options import FlowOptions, InvalidOptions
from passerelle.i18n import _
from passerelle.i18n.messages import M_, render, said
from passerelle.journal import Journal, counted
from passerelle.platforms import build_backoffice, build_shop
from passerelle.profiles.schema import Profile
from passerelle.profiles.secrets import SecretError
from passerelle.runner.collections_pause import fewer_collections
from passerelle.runner.outcomes import judge
from passerelle.runner.request_meter import RequestMeter
from passerelle.store import Store
from passerelle.store.records import RunStatus

__all__ = [
    "RunRefused",
    "RunSummary",
    "Runner",
    "build_backoffice",
    "build_shop",
    "open_store",
    "refusal",
]

STORE_URL_ENV = "PASSERELLE_STORE_URL"


class RunRefused(Exception):
    """A flow may not run now (test mode, unknown flow, missing secret); says why.

    Said in the language of whoever asked (the CLI's, a console request's): it is
    raised while they wait and shown at once, never kept.
    """


@dataclass
class RunSummary:
    run_id: int
    flow: str
    #: succeeded, with_problems, failed or interrupted (see runner.outcomes).
    status: RunStatus
    counts: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    log_path: Path | None = None
    #: A passing problem (the shop busy, a timeout) stopped the run or failed some
    #: records: the worker runs the job again with back-off (R3).
    retriable: bool = False
    retry_after: float | None = None
    #: The address of a shop that refused connections during the run (see
    #: FlowContext.unreachable): once tries are spent, one problem for the shop.
    unreachable: str | None = None


def open_store(data_dir: Path, url: str | None = None) -> Store:
    """The state store: $PASSERELLE_STORE_URL or the SQLite file of the data directory."""
    url = url or os.environ.get(STORE_URL_ENV)
    if url:
        return Store.open(url)
    return Store.open_data_dir(data_dir)  # creates the folder, or says why it cannot


def refusal(profile: Profile, flow_name: str) -> str | None:
    """Why ``flow_name`` may not run for ``profile`` now (unknown flow, R4 test mode), or None."""
    info = FLOWS.get(flow_name)
    if info is None:
        return _(
            "unknown flow %(flow)r; flows: %(flows)s",
            flow=flow_name,
            flows=", ".join(sorted(FLOWS)),
        )
    if info.writes_shop and profile.mode == "test":
        return _(
            "%(flow)s writes to the shop and profile %(profile)r is in test mode; only shop → "
            'back-office flows run in test mode. Set mode = "production" in the profile to '
            "enable it.",
            flow=flow_name,
            profile=profile.name,
        )
    return None


class Runner:
    """Runs flows for the profiles of one data directory."""

    def __init__(
        self,
        data_dir: Path,
        *,
        store: Store | None = None,
        console: Console | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.store = store or open_store(data_dir)
        self.console = console or Console(stderr=True)

    def run(
        self,
        profile: Profile,
        flow_name: str,
        *,
        backoffice: BackOffice | None = None,
        shop: Shop | None = None,
        options: FlowOptions | Mapping[str, Any] | None = None,
    ) -> RunSummary:
        """Run one flow of ``profile`` now; ``options`` as :class:`FlowOptions` or as their
        JSON mapping (validated here: RunRefused names an unknown or mistyped option)."""
        refused = refusal(profile, flow_name)
        if refused:
            raise RunRefused(refused)
        try:
            flow_options = FlowOptions.parse(options)
        except InvalidOptions as exc:
            raise RunRefused(_("%(flow)s: %(problem)s", flow=flow_name, problem=exc)) from None
        info = FLOWS[flow_name]
        own_shop = shop is None
        try:
            if backoffice is None:
                backoffice = build_backoffice(profile.backoffice, self.data_dir)
            if shop is None:
                shop = build_shop(profile.shop)
        except SecretError as exc:
            raise RunRefused(
                _("profile %(profile)r: %(reason)s", profile=profile.name, reason=render(said(exc)))
            ) from exc
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        log_path = self.data_dir / "logs" / profile.name / f"{stamp}-{flow_name}.log"
        # start_run also marks a run of this flow left "running" by a dead process.
        run_id = self.store.start_run(profile.name, flow_name, log_path=str(log_path))
        journal = Journal(
            run_id=run_id,
            flow=flow_name,
            sink=self.store,
            log_path=log_path,
            console=self.console,
        )
        journal.info(
            M_(
                "run %(run)s: %(flow)s for profile %(profile)s",
                run=run_id,
                flow=flow_name,
                profile=profile.name,
            )
        )
        ctx = FlowContext(
            profile=profile,
            backoffice=backoffice,
            shop=shop,
            store=self.store,
            journal=journal,
            options=flow_options,
        )
        status, error = RunStatus.FAILED, None
        started = self.store.get_run(run_id)
        meter = RequestMeter.start(shop, profile.shop.kind)
        shop.on_retry(journal.warning)
        try:
            with fewer_collections():  # the flow's CPU to its records, not the collector
                info.fn(ctx)
        except ConnectorError as exc:
            error = str(exc)
            ctx.transient_failure(exc)
            journal.error(M_("run stopped: %(error)s", error=said(exc)))
        except Exception as exc:  # recorded as failed in the finally, then the error goes up
            error = f"{type(exc).__name__}: {exc}"
            journal.error(M_("run stopped by an unexpected error: %(error)s", error=error))
            raise
        except KeyboardInterrupt:  # Ctrl-C, or a stop signal turned into one by the CLI
            status, error = RunStatus.INTERRUPTED, "interrupted by Ctrl-C or a stop signal"
            journal.warning(
                M_(
                    "run interrupted by Ctrl-C or a stop signal: what was written so far "
                    "is kept and recorded, the next run goes on from there"
                )
            )
            raise
        else:
            assert started is not None, f"run {run_id} vanished"
            status = judge(self.store, profile.name, flow_name, started.started_at, journal.counts)
        finally:
            shop.on_retry(None)
            if own_shop:
                shop.close()
            self._finish(run_id, status, journal)
            meter.record(self.store, run_id)
        waits = [w for w in ctx.transient if w is not None]
        return RunSummary(
            run_id,
            flow_name,
            status,
            dict(journal.counts),
            error,
            log_path,
            retriable=bool(ctx.transient),
            retry_after=max(waits, default=None),
            unreachable=ctx.unreachable,
        )

    def _finish(self, run_id: int, status: RunStatus, journal: Journal) -> None:
        counts = dict(journal.counts)
        journal.info(M_("%(status)s: %(counts)s", status=status.said, counts=counted(counts)))
        journal.close()
        self.store.finish_run(run_id, status, counts)
