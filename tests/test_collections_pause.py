"""A run collects less while its flow runs, and leaves the collector as it found it."""

from __future__ import annotations

import gc

import pytest

from passerelle.runner.collections_pause import YOUNG_THRESHOLD, fewer_collections


def test_the_collector_is_set_aside_during_the_block_and_restored_after() -> None:
    before = gc.get_threshold()
    frozen = gc.get_freeze_count()
    kept = [object() for _ in range(10)]  # what existed before the block
    with fewer_collections():
        assert gc.get_threshold()[0] >= YOUNG_THRESHOLD
        assert gc.get_threshold()[1:] == before[1:]
        assert gc.get_freeze_count() > frozen  # set aside, never walked during the block
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0  # handed back to the collector
    assert len(kept) == 10


def test_the_collector_is_restored_when_the_block_fails() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("the flow failed")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_garbage_made_during_the_block_is_still_collected() -> None:
    """A cycle dropped during a run is freed by a collection, as it always was."""

    class Node:
        other: object = None

    with fewer_collections():
        a, b = Node(), Node()
        a.other, b.other = b, a
        del a, b
        assert gc.collect() >= 2


def test_runs_that_overlap_share_one_pause_ended_by_the_last() -> None:
    """Two runs at once (the worker's threads), or one inside another: the settings
    come back when the last one ends, not before, and not left changed after."""
    before = gc.get_threshold()
    with fewer_collections():
        with fewer_collections():
            assert gc.get_threshold()[0] >= YOUNG_THRESHOLD
        assert gc.get_threshold()[0] >= YOUNG_THRESHOLD  # the outer run still goes on
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
