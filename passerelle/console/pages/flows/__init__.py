"""The *Flows* page: schedules, next and last runs, *Run now*, live journals, run history.

Routes (all behind the console's guard; *Run now* is an operator's post):

- ``GET /flows``: each profile's flows;
- ``GET /flows/{profile}/{flow}``: one flow, its live journal and its runs;
- ``POST /flows/{profile}/{flow}/run``: queue it now, then back to its page;
- ``GET /flows/{profile}/{flow}/live``: the live journal (server-sent events);
- ``GET /runs/{id}?severity=&q=``: one run's journal, by level and by record.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from passerelle.console.pages.flows.live import live_journal
from passerelle.console.pages.flows.views import flow_page, flows_index, run_now, run_page
from passerelle.i18n import N_

__all__ = ["NAV", "ROUTES"]

NAV = (10, N_("Flows"), "/flows")

ROUTES: list[BaseRoute] = [
    Route("/flows", flows_index, name="flows"),
    Route("/flows/{profile}/{flow}", flow_page, name="flow"),
    Route("/flows/{profile}/{flow}/run", run_now, methods=["POST"], name="run_now"),
    Route("/flows/{profile}/{flow}/live", live_journal, name="live_journal"),
    Route("/runs/{run_id:int}", run_page, name="run"),
]
