"""The attack suite is `slow` (real processes, kills, large files): the fast loop skips it,
the full command (and CI, through .ci/run) runs it."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/attacks/" in str(item.path):
            item.add_marker(pytest.mark.slow)
