"""Every 管理中心 test starts and ends without cached site settings: a rolled-back test
must not leave a closed site (站点关闭), changed settings or group rights cached for the next tests."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from luntan.core.extras import forget_site_extras
from luntan.core.models import SETTINGS_CACHE_KEY
from luntan.permissions.groups import forget_group_rights


@pytest.fixture(autouse=True)
def _fresh_site_settings():
    cache.delete(SETTINGS_CACHE_KEY)
    forget_group_rights()
    forget_site_extras()
    yield
    cache.delete(SETTINGS_CACHE_KEY)
    forget_group_rights()  # a rolled-back group edit must not stay cached
    forget_site_extras()  # nor rolled-back announcements and links
