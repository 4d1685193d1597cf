"""What a scheduled job runs, and which jobs must never overlap.

A *job* is a flow with options: ``recheck-orders`` is the order import limited to
the orders set aside for a passing reason (awaiting payment), ``stock-check`` is
the nightly comparison of both sides. Jobs share a *lane* when running them at
once for one profile would step on each other: two order imports could each
create the same new customer, two catalogue flows could each send the same
product. The queue never runs two jobs of one (profile, lane) at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from passerelle.flows import FLOWS
from passerelle.flows.options import FlowOptions
from passerelle.profiles.schema import Profile

__all__ = ["JOBS", "JobKind", "job_for_flow", "options_of"]


@dataclass(frozen=True)
class JobKind:
    name: str
    flow: str
    lane: str
    options: FlowOptions = field(default_factory=FlowOptions)
    #: Whether the job has anything to do for a profile at all; the scheduler skips it
    #: otherwise (a digest for a profile without a mail server would only add runs).
    applies: Callable[[Profile], bool] = lambda profile: True
    #: The job talks to the shop (the per-shop concurrency limit counts it).
    uses_shop: bool = True

    @property
    def writes_shop(self) -> bool:
        """R4: such a job does not run in test mode."""
        return FLOWS[self.flow].writes_shop


_ORDERS, _CATALOGUE, _CUSTOMERS, _SHIPPING = "orders", "catalogue", "customers", "shipping"

JOBS: dict[str, JobKind] = {
    kind.name: kind
    for kind in (
        JobKind("import-orders", "import-orders", _ORDERS),
        JobKind("recheck-orders", "import-orders", _ORDERS, FlowOptions(only_parked=True)),
        JobKind("validate-orders", "validate-orders", _ORDERS),
        JobKind("update-order-status", "update-order-status", _SHIPPING),
        JobKind("confirm-shipments", "confirm-shipments", _SHIPPING),
        JobKind("export-categories", "export-categories", _CATALOGUE),
        JobKind("export-products", "export-products", _CATALOGUE),
        JobKind("update-prices", "update-prices", _CATALOGUE),
        JobKind("update-stock", "update-stock", _CATALOGUE),
        JobKind("stock-check", "stock-check", _CATALOGUE),
        JobKind("import-shop-stock", "import-shop-stock", _CATALOGUE),  # by hand only
        JobKind("import-products", "import-products", _CATALOGUE),
        JobKind("export-customers", "export-customers", _CUSTOMERS),
        JobKind("import-prospects", "import-prospects", _CUSTOMERS),
        JobKind(
            "error-digest",
            "error-digest",
            "notifications",
            applies=lambda profile: profile.notifications.host is not None,
            uses_shop=False,
        ),
    )
}


def job_for_flow(flow: str) -> JobKind:
    """The plain job of a flow (``passerelle run FLOW``, a manual send)."""
    kind = JOBS.get(flow)
    if kind is None or kind.flow != flow:
        raise KeyError(flow)
    return kind


def options_of(kind: JobKind, payload: Mapping[str, Any]) -> FlowOptions:
    """The options a job's flow runs with: the job kind's, then the payload's.

    InvalidOptions when the payload holds an option no flow takes or one of the
    wrong type (a job stored by hand or by another version): that job fails with
    the reason, the worker goes on.
    """
    return FlowOptions.parse(payload).over(kind.options)
