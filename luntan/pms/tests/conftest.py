import pytest
from django.core.cache import caches
from django.utils import translation


@pytest.fixture(autouse=True)
def _clean_caches():
    """Group rights and rate limit counts live in the caches: start and end each test
    with them empty (a test that changes a group's rights is rolled back, its cache not)."""
    for alias in ("default", "shared"):
        caches[alias].clear()
    translation.activate("zh-hans")  # an English page test leaves its language active
    yield
    for alias in ("default", "shared"):
        caches[alias].clear()
