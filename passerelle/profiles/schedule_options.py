"""When each flow of a profile runs unattended, and how a worker retries (R2, R3, R5, R9).

A schedule is written the way a merchant says it: ``"every 5m"``, ``"every 2 hours"``,
a five-field cron expression (``"0 2 * * *"``, read in the profile's time zone, so
"nightly" means the shop's night), or ``"off"``. Each entry is checked when the
profile is loaded: a typo is refused then, naming the entry, rather than found
the night the flow should have run.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from passerelle.i18n.messages import M_
from passerelle.platforms.refused import refused

__all__ = ["DEFAULT_SCHEDULES", "Schedule", "ScheduleOptions", "WorkerOptions", "parse_schedule"]

_UNITS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
}
_EVERY = re.compile(r"^every\s+(\d+)\s*([a-z]+?)s?$")

#: The schedule a profile gets for a job it does not mention (issue 6's defaults):
#: orders every 5 minutes (also the poll that catches what webhooks missed), stock
#: every 15, prices and products nightly, unpaid orders re-checked hourly, the stock
#: check nightly. Flows that need a person's decision stay off.
DEFAULT_SCHEDULES: dict[str, str] = {
    "import-orders": "every 5m",
    "recheck-orders": "every 1h",
    "update-order-status": "every 15m",
    "confirm-shipments": "every 15m",
    "update-stock": "every 15m",
    "update-prices": "30 1 * * *",
    "export-categories": "50 1 * * *",
    "export-products": "0 2 * * *",
    "export-customers": "30 2 * * *",
    "stock-check": "0 3 * * *",
    "validate-orders": "off",
    "import-products": "off",
    "import-prospects": "off",
    "error-digest": "every 1h",  # R9: does nothing until [notifications] is configured
}


class Schedule:
    """A parsed schedule: the next time it is due after a given moment."""

    def __init__(
        self, text: str, *, interval: timedelta | None = None, cron: str | None = None
    ) -> None:
        self.text = text
        self.interval = interval
        self.cron = cron

    @property
    def off(self) -> bool:
        return self.interval is None and self.cron is None

    def next_after(self, moment: datetime, zone: ZoneInfo) -> datetime | None:
        """The first due time strictly after ``moment`` (aware), or None when off.

        An interval is counted from the epoch, not from the last run, so every
        worker computes the same slots and a restart does not shift them.
        """
        if self.interval is not None:
            step = self.interval.total_seconds()
            elapsed = moment.timestamp()
            slot = (int(elapsed // step) + 1) * step
            return datetime.fromtimestamp(slot, moment.tzinfo)
        if self.cron is not None:
            local = moment.astimezone(zone)
            following: datetime = croniter(self.cron, local).get_next(datetime)
            return following.astimezone(moment.tzinfo)
        return None

    def __repr__(self) -> str:
        return f"Schedule({self.text!r})"


def parse_schedule(text: str) -> Schedule:
    """Read ``"off"``, ``"every N unit"`` or a five-field cron expression; ValueError says why."""
    cleaned = " ".join(text.strip().lower().split())
    if cleaned in ("off", "never", ""):
        return Schedule("off")
    match = _EVERY.match(cleaned)
    if match:
        count, unit = int(match.group(1)), match.group(2)
        if unit not in _UNITS:
            raise refused(
                M_("unknown unit %(unit)r in %(text)r: use s, m, h or d", unit=unit, text=text)
            )
        seconds = count * _UNITS[unit]
        if seconds < 10:
            raise refused(M_("%(text)r is too often: at least every 10 seconds", text=text))
        return Schedule(text, interval=timedelta(seconds=seconds))
    if len(cleaned.split()) == 5 and croniter.is_valid(cleaned):
        return Schedule(text, cron=cleaned)
    raise refused(
        M_(
            '%(text)r is not a schedule: write "every 5m", "every 2 hours", '
            'a cron expression such as "0 2 * * *", or "off"',
            text=text,
        )
    )


def _check_schedule(text: str) -> str:
    parse_schedule(text)
    return text


def _check_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise refused(M_('unknown time zone %(name)r (e.g. "Europe/Paris")', name=name)) from exc
    return name


ScheduleText = Annotated[str, AfterValidator(_check_schedule)]


class ScheduleOptions(BaseModel):
    """``[schedules]``: one entry per job, plus the time zone cron expressions use."""

    model_config = ConfigDict(extra="forbid")

    timezone: Annotated[str, AfterValidator(_check_zone)] = "UTC"
    jobs: dict[str, ScheduleText] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _flat_entries(cls, value: Any) -> Any:
        """``[schedules]`` lists jobs beside ``timezone``; ``jobs`` nested is read too."""
        if not isinstance(value, dict):
            return value
        flat = {k: v for k, v in value.items() if k not in ("timezone", "jobs")}
        if not flat:
            return value
        return {
            **{k: v for k, v in value.items() if k in ("timezone", "jobs")},
            "jobs": {**value.get("jobs", {}), **flat},
        }

    @field_validator("jobs")
    @classmethod
    def _known_jobs(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(DEFAULT_SCHEDULES))
        if unknown:
            raise refused(
                M_(
                    "no scheduled job named %(unknown)s; jobs: %(jobs)s",
                    unknown=[repr(name) for name in unknown],
                    jobs=sorted(DEFAULT_SCHEDULES),
                )
            )
        return value

    def schedule(self, job: str) -> Schedule:
        return parse_schedule(self.jobs.get(job, DEFAULT_SCHEDULES[job]))

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def effective(self) -> dict[str, Schedule]:
        """Every job with the schedule in force (the profile's or the default)."""
        return {job: self.schedule(job) for job in DEFAULT_SCHEDULES}


class WorkerOptions(BaseModel):
    """``[worker]``: how a job that failed on a passing problem is tried again (R3)."""

    model_config = ConfigDict(extra="forbid")

    max_attempts: int = Field(5, ge=1, le=100)
    retry_base_seconds: float = Field(5.0, gt=0, le=3600)
    retry_cap_seconds: float = Field(600.0, gt=0, le=86400)
    shop_concurrency: int = Field(2, ge=1, le=32)

    @model_validator(mode="after")
    def _cap_above_base(self) -> WorkerOptions:
        if self.retry_cap_seconds < self.retry_base_seconds:
            raise refused(M_("retry_cap_seconds must not be below retry_base_seconds"))
        return self
