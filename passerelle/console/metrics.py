"""``/metrics``: what the store knows, in Prometheus' text format.

Why a collector that reads the store on every scrape rather than counters kept
in the process: runs happen in the workers, other processes, so the store is
the only place that knows them all. Every ``passerelle serve`` answers the same
numbers, and a restart loses nothing.

The metrics:

* ``passerelle_runs_total{flow, outcome}``: runs by how they ended (``running``
  for those in progress);
* ``passerelle_records_total{flow, outcome}``: records of all runs, by outcome
  (created, updated, unchanged, skipped, parked, failed);
* ``passerelle_queue_jobs{state}``: the queue's jobs by state (queued and
  running are the queue's depth);
* ``passerelle_open_problems{profile, severity}``: problems waiting for a person
  (``error``) or a retry (``retry``), or kept for information (``info``);
* ``passerelle_shop_request_duration_seconds{platform}``: a summary, ``_count``
  the requests sent to the shops of that platform (retries included) and ``_sum``
  the seconds spent waiting for their answers;
* ``passerelle_build_info{version}``: always 1.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    Metric,
    SummaryMetricFamily,
)
from prometheus_client.registry import Collector

from passerelle.release import installed_version
from passerelle.store import Store
from passerelle.store.records import JobStatus, Severity

__all__ = ["StoreCollector", "registry_for"]


class StoreCollector(Collector):
    """Reads the totals from the store at each scrape."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def collect(self) -> Iterator[Metric]:
        info = GaugeMetricFamily(
            "passerelle_build_info", "The passerelle version answering.", labels=["version"]
        )
        info.add_metric([installed_version()], 1)
        yield info

        runs = CounterMetricFamily(
            "passerelle_runs", "Runs by flow and outcome.", labels=["flow", "outcome"]
        )
        for (flow, outcome), count in sorted(self.store.runs_by_outcome().items()):
            runs.add_metric([flow, outcome], count)
        yield runs

        records = CounterMetricFamily(
            "passerelle_records",
            "Records handled by all runs, by flow and outcome.",
            labels=["flow", "outcome"],
        )
        for (flow, outcome), count in sorted(self.store.records_by_outcome().items()):
            records.add_metric([flow, outcome], count)
        yield records

        jobs = GaugeMetricFamily(
            "passerelle_queue_jobs",
            "The queue's jobs by state; queued and running are its depth.",
            labels=["state"],
        )
        by_status = self.store.jobs_by_status()
        for state in JobStatus:
            jobs.add_metric([state.value], by_status.get(state.value, 0))
        yield jobs

        problems = GaugeMetricFamily(
            "passerelle_open_problems",
            "Problems not yet resolved, by profile and severity.",
            labels=["profile", "severity"],
        )
        open_problems = self.store.open_problems_by_severity()
        for profile in sorted({p for p, _ in open_problems}):
            for severity in Severity:
                problems.add_metric(
                    [profile, severity.value], open_problems.get((profile, severity.value), 0)
                )
        yield problems

        requests = SummaryMetricFamily(
            "passerelle_shop_request_duration_seconds",
            "Requests sent to the shops (count, retries included) and the seconds "
            "spent waiting for their answers (sum), by platform.",
            labels=["platform"],
        )
        for platform, sent in sorted(self.store.shop_requests_by_platform().items()):
            requests.add_metric([platform], count_value=sent.requests, sum_value=sent.seconds)
        yield requests


def registry_for(store: Store) -> CollectorRegistry:
    """A registry of its own (not the process-wide default) holding the store's metrics."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(StoreCollector(store))
    return registry
