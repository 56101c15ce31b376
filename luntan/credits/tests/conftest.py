"""Credits test set-up: Discuz!'s default rules back after a transactional flush, and the
credits caches empty around each test (a rolled-back save must not linger in them)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

CACHE_KEYS = (
    "luntan:credit-settings:v1",
    "luntan:credits:member-groups:v1",
    "luntan:credits:extcredits:v2",
    "luntan:credits:rating-groups:v1",
    "luntan:credits:rules:v1",
)


@pytest.fixture(autouse=True)
def _credit_defaults(request):
    cache.delete_many(CACHE_KEYS)
    if request.node.get_closest_marker("django_db") or "db" in request.fixturenames:
        from luntan.credits.defaults import ensure_defaults

        ensure_defaults()
    yield
    cache.delete_many(CACHE_KEYS)
