"""How problems that are not records are keyed in the ``parked`` table.

A failed job's problem is keyed ``job-<id>`` under the job's name, kind
``job``; a shop that refuses connections has one problem under the pseudo-flow
``shop``. The runner writes these, and the e-mail digest (``notify``) reads
them to say what each problem is about: both read the convention here, so
neither imports the other.
"""

from __future__ import annotations

__all__ = ["JOB_PROBLEM_PREFIX", "UNREACHABLE_FLOW", "job_id_of", "job_problem_key"]

#: Parked entries of failed jobs are keyed "job-<id>" under the job's name.
JOB_PROBLEM_PREFIX = "job-"

#: The flow column of a shop's "refuses connections" problem.
UNREACHABLE_FLOW = "shop"


def job_problem_key(job_id: int) -> str:
    """The problem key of job ``job_id``."""
    return f"{JOB_PROBLEM_PREFIX}{job_id}"


def job_id_of(record_key: str) -> int | None:
    """The job id of a job problem's key ("job-12" gives 12), else None."""
    digits = record_key.removeprefix(JOB_PROBLEM_PREFIX)
    return int(digits) if record_key.startswith(JOB_PROBLEM_PREFIX) and digits.isdigit() else None
