"""Every flow has a title in words, in English and French."""

from __future__ import annotations

from passerelle.flows import FLOWS
from passerelle.flows.titles import TITLES, flow_title
from passerelle.i18n import using
from passerelle.runner.jobs import JOBS


def test_every_flow_and_job_has_a_title() -> None:
    assert set(FLOWS) | set(JOBS) == set(TITLES)


def test_titles_are_translated() -> None:
    for name in TITLES:
        english = flow_title(name)
        with using("fr"):
            french = flow_title(name)
        assert english != name
        assert french != english, name
