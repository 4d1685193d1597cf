"""Retry back-off: full jitter within min(cap, base·2^attempt), never below Retry-After."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from passerelle.store import backoff, merge_payloads

seconds = st.floats(min_value=0.001, max_value=3600, allow_nan=False)


@given(
    attempt=st.integers(min_value=0, max_value=10_000),
    base=seconds,
    cap=seconds,
    retry_after=st.none() | st.floats(min_value=0, max_value=86_400),
    rng=st.randoms(use_true_random=False),
)
def test_delay_stays_within_the_bounds(
    attempt: int, base: float, cap: float, retry_after: float | None, rng: random.Random
) -> None:
    floor = timedelta(seconds=retry_after) if retry_after is not None else timedelta(0)
    delay = backoff(
        attempt,
        base=timedelta(seconds=base),
        cap=timedelta(seconds=cap),
        retry_after=None if retry_after is None else floor,
        rng=rng,
    )
    # Computed independently of the code: the window never exceeds the cap,
    # and doubles per attempt from base (big attempts saturate at the cap).
    window = cap if attempt > 60 else min(cap, base * 2**attempt)
    assert floor <= delay
    assert delay <= max(timedelta(seconds=window), floor) + timedelta(microseconds=1)


class _Extreme:
    """A "random" source that always returns one end of the range."""

    def __init__(self, top: bool) -> None:
        self.top = top

    def uniform(self, a: float, b: float) -> float:
        return b if self.top else a


def test_window_doubles_up_to_the_cap() -> None:
    top = _Extreme(top=True)
    base, cap = timedelta(seconds=5), timedelta(minutes=10)
    assert [backoff(n, rng=top) for n in range(9)] == [
        timedelta(seconds=s) for s in (5, 10, 20, 40, 80, 160, 320, 600, 600)
    ]
    assert backoff(1, base=base, cap=timedelta(seconds=7), rng=top) == timedelta(seconds=7)
    # Full jitter: the bottom of the window is zero, not half of it.
    assert backoff(8, base=base, cap=cap, rng=_Extreme(top=False)) == timedelta(0)


def test_retry_after_is_a_floor_even_above_the_cap() -> None:
    low = _Extreme(top=False)
    assert backoff(0, retry_after=timedelta(seconds=30), rng=low) == timedelta(seconds=30)
    assert backoff(3, retry_after=timedelta(hours=1), rng=_Extreme(top=True)) == timedelta(hours=1)


def test_delays_are_spread_not_identical() -> None:
    rng = random.Random(6)
    delays = {backoff(6, rng=rng) for _ in range(50)}
    assert len(delays) == 50
    assert max(delays) <= timedelta(seconds=320)


def test_negative_attempt_is_refused() -> None:
    with pytest.raises(ValueError):
        backoff(-1)


def test_merge_payloads_unites_lists_and_keeps_newer_scalars() -> None:
    older = {"order_ids": ["3", "1"], "since": "a", "flags": [{"x": 1}]}
    newer = {"order_ids": ["1", "2", "2"], "since": "b", "flags": [{"x": 1}, {"x": 2}]}
    assert merge_payloads(older, newer) == {
        "order_ids": ["3", "1", "2"],
        "since": "b",
        "flags": [{"x": 1}, {"x": 2}],
    }
    assert older["order_ids"] == ["3", "1"]  # inputs untouched
