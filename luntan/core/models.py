"""Site settings (站点设置) kept in the database and cached in memory."""

from __future__ import annotations

from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _

SETTINGS_CACHE_KEY = "luntan:site-settings:v1"
SETTINGS_CACHE_SECONDS = 30


class SiteSettings(models.Model):
    """The site's settings, one row (pk 1).

    ``icp_number`` is the ICP filing (e.g. ``蜀ICP备07502275号-3``) and ``police_filing`` the
    公安备案 text (e.g. ``川公网安备 51200002000214号``), both shown in the footer.
    ``ip_location_level`` chooses what 来自 … shows under a post: nothing, the province
    (the IP属地 rule of Chinese platforms) or the city as Discuz! does.
    Read it with :func:`get_site_settings`; it is cached for ``SETTINGS_CACHE_SECONDS``.
    """

    class IPLocationLevel(models.TextChoices):
        OFF = "off", _("不显示")
        PROVINCE = "province", _("省份")
        CITY = "city", _("城市")

    site_name = models.CharField(_("站点名称"), max_length=80, default="论坛")
    icp_number = models.CharField(_("ICP 备案号"), max_length=60, blank=True)
    police_filing = models.CharField(_("公安备案号"), max_length=80, blank=True)
    ip_location_level = models.CharField(
        _("IP 属地显示"),
        max_length=10,
        choices=IPLocationLevel.choices,
        default=IPLocationLevel.CITY,
    )

    class Meta:
        verbose_name = _("站点设置")
        verbose_name_plural = _("站点设置")

    def __str__(self) -> str:
        return self.site_name

    def save(self, *args, **kwargs) -> None:  # noqa: D102 - keeps the singleton and its cache
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(SETTINGS_CACHE_KEY)


def get_site_settings() -> SiteSettings:
    """Return the site settings row, creating it with defaults when missing.

    Served from the cache (no query) for up to ``SETTINGS_CACHE_SECONDS`` seconds after a
    read; saving through :meth:`SiteSettings.save` clears the cache of this process (and
    all processes with a shared Redis cache).
    """
    found = cache.get(SETTINGS_CACHE_KEY)
    if found is None:
        found, _created = SiteSettings.objects.get_or_create(pk=1)
        cache.set(SETTINGS_CACHE_KEY, found, SETTINGS_CACHE_SECONDS)
    return found
