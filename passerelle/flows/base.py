"""What every flow receives, and the registry of flows by name.

A flow is a function ``run(ctx) -> None`` that reads canonical records from
one side, applies the profile's rules, writes to the other side through the
connectors, records bindings in the store and reports each record in the
journal. It never builds connectors or opens the store itself: the runner
does, so flows can be run against sandboxes, fakes or real systems alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from passerelle.connectors.base import BackOffice, Shop
from passerelle.flows.options import FlowOptions
from passerelle.journal import Journal
from passerelle.profiles.schema import Profile

if TYPE_CHECKING:
    from passerelle.flows.preview import PreviewCollector
    from passerelle.store import Store

__all__ = ["FLOWS", "FlowContext", "FlowFn", "FlowOptions", "flow"]


@dataclass
class FlowContext:
    profile: Profile
    backoffice: BackOffice
    shop: Shop
    store: Store
    journal: Journal
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    #: What this run is asked beyond the profile (validated where it entered).
    options: FlowOptions = field(default_factory=FlowOptions)
    #: Retry-After (or None) of each transient failure a record met in this run: the
    #: worker runs the job again with back-off instead of waiting for the next slot.
    transient: list[float | None] = field(default_factory=list)
    #: The address of a shop that refused connections during this run, if one did: the
    #: worker then parks one problem for the shop rather than one per job.
    unreachable: str | None = None
    #: Set for a preview (:mod:`passerelle.flows.preview`): exports tell it what they would
    #: send and send nothing; the runner gives such a run a store that writes nothing.
    preview: PreviewCollector | None = None

    @property
    def name(self) -> str:
        return self.profile.name

    def transient_failure(self, exc: Exception) -> str:
        """Note a record's failure; its severity: "retry" when passing, else "error"."""
        from passerelle.connectors.errors import RetriableError, ShopUnreachable

        if isinstance(exc, ShopUnreachable):
            self.unreachable = exc.url
        if isinstance(exc, RetriableError):
            self.transient.append(exc.retry_after)
            return "retry"
        return "error"


FlowFn = Callable[[FlowContext], None]


@dataclass(frozen=True)
class FlowInfo:
    name: str
    fn: FlowFn
    writes_shop: bool  # R4: refused in test mode
    summary: str


FLOWS: dict[str, FlowInfo] = {}


def flow(name: str, *, writes_shop: bool, summary: str) -> Callable[[FlowFn], FlowFn]:
    """Register a flow under the name the CLI and the schedules use."""

    def register(fn: FlowFn) -> FlowFn:
        FLOWS[name] = FlowInfo(name, fn, writes_shop, summary)
        return fn

    return register
