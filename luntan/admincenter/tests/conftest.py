"""Every 管理中心 test starts and ends without cached site settings: a rolled-back test
must not leave a closed site (站点关闭) or changed settings cached for the next tests."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from luntan.core.models import SETTINGS_CACHE_KEY


@pytest.fixture(autouse=True)
def _fresh_site_settings():
    cache.delete(SETTINGS_CACHE_KEY)
    yield
    cache.delete(SETTINGS_CACHE_KEY)
