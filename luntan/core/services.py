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


def mobile_id_offset_for(max_imported_id: int) -> int:
    """The smallest power of ten above ``max_imported_id`` (≥ 0): 0 → 1, 9 → 10, 17406 →
    100000. Rounding up leaves room for a later import of a few more rows without moving
    the mobile ids of content created in between."""
    offset = 1
    while offset <= max_imported_id:
        offset *= 10
    return offset


def raise_mobile_id_offset(max_imported_id: int) -> int:
    """Make ``SiteSettings.mobile_id_offset`` exceed ``max_imported_id`` (the largest
    Discuz! uid/fid/tid/pid imported), so that ``pk + offset`` of new content never equals
    an imported Discuz! id in the mobile API. Never lowers it. Returns the offset in force.
    Called by the Discuz! importer at the end of a run."""
    with transaction.atomic():
        site, _created = SiteSettings.objects.select_for_update().get_or_create(pk=1)
        wanted = mobile_id_offset_for(max_imported_id) if max_imported_id > 0 else 0
        if wanted > site.mobile_id_offset:
            site.mobile_id_offset = wanted
            site.save()
    return site.mobile_id_offset
