"""Suite-wide collection order: the long tests spread over the xdist workers, started first.

The suite runs with ``--dist worksteal`` (pyproject's addopts): the collection is
cut into one contiguous piece per worker, each worker runs its piece in order,
and a worker that runs dry takes the second half of the longest queue left.
Stealing takes from a queue's end, never its head, so where the long tests sit
decides the wall time: all of them first in the collection would be the first
worker's piece, run one after the other while the others finish early. Here
each piece starts with its share of the long tests (``long``, then ``slow``),
dealt in turn, and keeps the rest of its tests in collection order (so a
module's tests stay together and reuse its module-scoped fixtures); the short
tests at the pieces' ends are what stealing moves, which evens out the finish.
The first worker builds the Tryton demo template (about a minute) on its first
long test; every other piece runs some short tests that need no Tryton before
its long ones, rather than waiting for that build.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

# The suite reads English: tests assert the code's own (English) texts, whatever the
# machine's LANG. Set before any test module imports passerelle.cli, whose language is
# chosen at import (passerelle/cli/language.py); French tests ask for French themselves.
os.environ["PASSERELLE_LANG"] = "en"

# Sandboxes started without a plan (start_sandbox, the demo, subprocesses) are stores on
# the fastest plan each platform documents: Shopify for enterprise (2,000 points/s) and
# BigCommerce's Unlimited Rate Plan (an Enterprise store, no request limit). A test whose
# subject is not pacing should not wait for a rate limit; the pacing tests name their plan
# (plan="standard") or their numbers. Outside the tests the default stays Standard.
os.environ.setdefault("PASSERELLE_SANDBOX_PLAN", "enterprise")

# No per-example deadline for any property test (Hypothesis's default is 200 ms): on a
# loaded machine an example is slow, not wrong, and the deadline is an assertion on
# elapsed time. Loaded here, before the test modules are imported, so an explicit
# @settings(...) without a deadline inherits it.
settings.register_profile("passerelle", deadline=None)
settings.load_profile("passerelle")


def _weight(item: pytest.Item) -> int:
    """0 for minutes-long tests, 1 for slow ones, 2 for the rest."""
    if item.get_closest_marker("long") is not None:
        return 0
    return 1 if item.get_closest_marker("slow") is not None else 2


def _piece_sizes(total: int, workers: int) -> list[int]:
    """The sizes of the pieces xdist's work-stealing scheduler first sends, in order."""
    sizes = []
    left = total
    for remaining in range(workers, 0, -1):
        sizes.append(left // remaining)
        left -= sizes[-1]
    return sizes


def spread(items: list[pytest.Item], workers: int) -> list[pytest.Item]:
    """``items`` reordered so each worker's first piece starts with its share of long tests."""
    heavy = sorted((i for i in items if _weight(i) < 2), key=_weight)
    builder = next((i for i in heavy if _needs_tryton(i)), None)
    if builder is not None:  # the first worker's first test builds the template
        heavy.remove(builder)
        heavy.insert(0, builder)
    if workers < 2 or not heavy:
        return heavy + [i for i in items if _weight(i) == 2]
    sizes = _piece_sizes(len(items), workers)
    heads: list[list[pytest.Item]] = [[] for _ in sizes]
    piece = 0
    for item in heavy:  # dealt in turn, longest first, to pieces with room left
        while len(heads[piece]) >= sizes[piece]:
            piece = (piece + 1) % len(sizes)
        heads[piece].append(item)
        piece = (piece + 1) % len(sizes)
    rest = iter(i for i in items if _weight(i) == 2)
    ordered: list[pytest.Item] = []
    for number, (size, head) in enumerate(zip(sizes, heads, strict=True)):
        tail = [next(rest) for _ in range(size - len(head))]
        if number and any(_needs_tryton(i) for i in head):
            # The first worker builds the Tryton demo template (a minute) while the
            # others would only wait for it: they start with tests that need none.
            early = [i for i in tail if not _needs_tryton(i)][:WHILE_THE_TEMPLATE_BUILDS]
            chosen = {id(i) for i in early}
            tail = early + head + [i for i in tail if id(i) not in chosen]
            head = []
        ordered += head + tail
    return ordered


#: Short tests a worker runs before its long Tryton tests, about a minute's worth.
WHILE_THE_TEMPLATE_BUILDS = 150


def _needs_tryton(item: pytest.Item) -> bool:
    """The test reads a copy of the Tryton demo database (built once, on first use)."""
    return "tryton_demo_template" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every worker collects, and must find the same order: it depends only on the items
    and ``PYTEST_XDIST_WORKER_COUNT`` (unset without ``-n``: long tests simply go first)."""
    items[:] = spread(items, int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))
