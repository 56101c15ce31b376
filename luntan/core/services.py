"""Writes to the site settings (the one :class:`~luntan.core.models.SiteSettings` row)."""

from __future__ import annotations

from django.db import transaction

from luntan.core.models import SiteSettings


def save_site_settings(changed: SiteSettings) -> SiteSettings:
    """Save ``changed`` (the settings row with validated new values, e.g. a bound
    ``SiteSettingsForm``'s ``instance`` after ``is_valid()``) as the site's settings, in a
    transaction; the settings cache is cleared (:meth:`SiteSettings.save`), so every
    process reads the new values within ``SETTINGS_CACHE_SECONDS``. Returns the row."""
    with transaction.atomic():
        changed.save()
    return changed
