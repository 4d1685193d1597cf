"""What one run of a flow is asked beyond its profile: the typed flow options.

Options come from the CLI (``passerelle run --from``, ``orders send 12 13``,
``stock check --fix``), from the job kinds (``recheck-orders`` is the import with
``only_parked``), from parked problems retried and from webhooks. Most of them go
through the worker's queue, where a job keeps them as JSON, possibly written by an
older version. Each entry validates them once into one frozen :class:`FlowOptions`,
so a flow reads ``ctx.options.order_ids`` instead of guessing at a dict's keys and
types, and a stored job with an unknown or wrongly typed option is refused as that
job, with its reason (:class:`InvalidOptions`), instead of stopping the worker.

JSON encoding (a job's payload, :meth:`FlowOptions.payload`): one key per option
that is set, named as the fields below except the reading window's bounds, which
keep their historical keys ``from`` and ``to`` (ISO 8601 text with offset). Unset
options are left out, so ``{}`` is "the flow as scheduled" and the queue can merge
the ``order_ids`` of two waiting jobs key by key.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

__all__ = ["FlowOptions", "InvalidOptions"]


class InvalidOptions(ValueError):
    """Options that no flow takes, or of the wrong type: the job (or call) is refused."""


def _as_utc(moment: datetime) -> datetime:
    """A date without offset is UTC, as ``passerelle run --from`` reads it."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _ids_as_text(value: object) -> object:
    """Shop order ids are text; an integer id (a payload written by hand) is its digits."""
    if isinstance(value, list | tuple):
        return [str(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in value]
    return value


Moment = Annotated[datetime, AfterValidator(_as_utc)]
OrderIds = Annotated[tuple[str, ...], BeforeValidator(_ids_as_text)]


class FlowOptions(BaseModel):
    """Every option a flow takes; a flow reads those it knows and ignores the others."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    #: import-orders: only orders created from this moment (``--from``); the bookmark stays.
    created_from: Moment | None = Field(default=None, alias="from")
    #: import-orders: only orders created before this moment (``--to``); the bookmark stays.
    created_to: Moment | None = Field(default=None, alias="to")
    #: import-orders: re-read orders already seen; None = the profile's setting.
    include_transferred: bool | None = None
    #: import-orders: these shop orders only (``orders send``, webhooks, retried problems).
    #: An empty tuple still limits the run (the bookmark stays), None does not.
    order_ids: OrderIds | None = None
    #: import-orders: only the orders set aside to read again (``recheck-orders``).
    only_parked: bool = False
    #: import-orders: map again orders already in the staging grid.
    restage: bool = False
    #: import-orders: the orders come from this XML file, not the profile's shop.
    orders_file: Path | None = None
    #: validate-orders: these staged orders only; None = every staged order.
    ids: OrderIds | None = None
    #: stock-check: send the back-office quantity where the shop differs; None = the
    #: profile's ``catalogue.stock.check_fix``.
    fix: bool | None = None
    #: stock-check: fix only the differences of these SKUs (the console's "Fix selected");
    #: None = every difference. Still compared and reported: all of them.
    fix_codes: tuple[str, ...] | None = None
    #: import-shop-stock: the back-office warehouse the shop's stock is counted into;
    #: None = the one the profile's catalogue.stock.warehouses names, else the only one.
    warehouse: str | None = None
    #: import-shop-stock: say what the count would change, write nothing.
    dry_run: bool = False
    #: export-products, update-prices, update-stock: read the whole catalogue from the
    #: back-office, not only what changed since the last run.
    full_read: bool = False

    @classmethod
    def parse(cls, given: FlowOptions | Mapping[str, Any] | None) -> FlowOptions:
        """Options from a job's payload or a caller's mapping; InvalidOptions says what is wrong."""
        if given is None:
            return cls()
        if isinstance(given, FlowOptions):
            return given
        try:
            return cls.model_validate(dict(given))
        except ValidationError as exc:
            raise InvalidOptions(_describe(exc)) from None

    def payload(self) -> dict[str, Any]:
        """The options as a job's JSON payload (only those set); :meth:`parse` reads it back."""
        return self.model_dump(mode="json", by_alias=True, exclude_defaults=True)

    def over(self, base: FlowOptions) -> FlowOptions:
        """These options, the ones they leave unset taken from ``base`` (a job kind's)."""
        return FlowOptions.parse({**base.payload(), **self.payload()})

    @property
    def limits_orders(self) -> bool:
        """Whether an order import is limited to part of the shop's orders (a window,
        the parked orders, named orders): such a run must not move the bookmark."""
        return (
            self.created_from is not None
            or self.created_to is not None
            or self.only_parked
            or self.order_ids is not None
        )


def _describe(exc: ValidationError) -> str:
    """One line per wrong option: its key and what is wrong with it."""
    lines = []
    for error in exc.errors():
        key = ".".join(str(part) for part in error["loc"]) or "options"
        if error["type"] == "extra_forbidden":
            lines.append(f"{key}: no flow takes this option")
        else:
            lines.append(f"{key}: {error['msg']}")
    return "; ".join(lines)
