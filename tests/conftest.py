"""Suite-wide collection order."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``long`` go first: with ``-n 4`` each worker takes tests in order,
    so a test of several minutes started last would leave the other workers idle."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)
