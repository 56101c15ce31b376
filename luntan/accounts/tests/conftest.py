"""Fixtures for the accounts tests: a clean cache (allauth's rate limits live there),
the site's registration mode, and members built through the services."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from luntan.core.models import SiteSettings


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site_mode(db):
    """``site_mode("email" | "none" | "manual")`` sets the registration mode."""

    def set_mode(mode: str) -> SiteSettings:
        site = SiteSettings.objects.filter(pk=1).first() or SiteSettings(site_name="测试论坛")
        site.site_name = "测试论坛"
        site.registration_mode = mode
        site.save()
        return site

    return set_mode
