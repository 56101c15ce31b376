"""Fixtures for the search tests: data is written through the real posting services and
their ``transaction.on_commit`` callbacks are run, so the index is filled exactly as on a
live site (the test database transaction itself never commits)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_search_interval(settings):
    """Searches in tests are not rate limited unless a test sets the interval."""
    settings.LUNTAN_SEARCH_INTERVAL = 0


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Context manager running the on-commit callbacks (index tasks) of its block."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
