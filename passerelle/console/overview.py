"""What the home page shows: each profile's two sides and its flows' last runs.

Read from the profiles folder and the store's runs only: no connection to a
shop or a back-office is opened to draw the page. A profile file that cannot
be read is listed by name with a pointer to ``passerelle profile check``,
not with the error itself (a validation message may quote a value).
"""

from __future__ import annotations

from dataclasses import dataclass

from passerelle.flows import DEFAULT_ORDER
from passerelle.profiles import ProfileRepository
from passerelle.store import Run, Store

__all__ = ["FlowLine", "Overview", "ProfileCard", "overview"]


@dataclass(frozen=True, slots=True)
class FlowLine:
    flow: str
    last: Run | None


@dataclass(frozen=True, slots=True)
class ProfileCard:
    name: str
    mode: str
    shop_kind: str
    backoffice_kind: str
    flows: tuple[FlowLine, ...]


@dataclass(frozen=True, slots=True)
class Overview:
    profiles: tuple[ProfileCard, ...]
    unreadable: tuple[str, ...]


def overview(profiles: ProfileRepository, store: Store) -> Overview:
    """Every profile that loads, with its flows' last runs; the names of those that do not."""
    loaded, _problems = profiles.load_all()
    cards = []
    for name, profile in loaded.items():
        ran = [run.flow for run in store.list_runs(profile=name, limit=100)]
        flows = [*DEFAULT_ORDER, *sorted(set(ran) - set(DEFAULT_ORDER))]
        cards.append(
            ProfileCard(
                name=name,
                mode=profile.mode,
                shop_kind=profile.shop.kind,
                backoffice_kind=profile.backoffice.kind,
                flows=tuple(FlowLine(flow, _last(store, name, flow)) for flow in flows),
            )
        )
    unreadable = tuple(sorted(set(profiles.names()) - set(loaded)))
    return Overview(tuple(cards), unreadable)


def _last(store: Store, profile: str, flow: str) -> Run | None:
    runs = store.list_runs(profile=profile, flow=flow, limit=1)
    return runs[0] if runs else None
