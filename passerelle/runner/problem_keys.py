"""How a failed job's problem is keyed: ``job-<id>`` under the job's name, kind ``job``."""

from __future__ import annotations

__all__ = ["JOB_PROBLEM_PREFIX", "job_id_of", "job_problem_key"]

#: Parked entries of failed jobs are keyed "job-<id>" under the job's name.
JOB_PROBLEM_PREFIX = "job-"


def job_problem_key(job_id: int) -> str:
    return f"{JOB_PROBLEM_PREFIX}{job_id}"


def job_id_of(record_key: str) -> int | None:
    """The job id of a job problem's key ("job-12" gives 12), else None."""
    digits = record_key.removeprefix(JOB_PROBLEM_PREFIX)
    return int(digits) if record_key.startswith(JOB_PROBLEM_PREFIX) and digits.isdigit() else None
