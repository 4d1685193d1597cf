"""Running flows: now (:mod:`run_now`), from the job queue and on schedule (the worker).

Whoever starts a flow — the CLI, the demo, a worker, a webhook's job — goes
through :class:`Runner`, so every run is recorded and journaled the same way.
"""

from passerelle.runner import error_digest as _error_digest  # noqa: F401  (registers the job)
from passerelle.runner.run_now import (
    STORE_URL_ENV,
    Runner,
    RunRefused,
    RunSummary,
    build_backoffice,
    build_shop,
    open_store,
    refusal,
)

__all__ = [
    "STORE_URL_ENV",
    "RunRefused",
    "RunSummary",
    "Runner",
    "build_backoffice",
    "build_shop",
    "open_store",
    "refusal",
]
