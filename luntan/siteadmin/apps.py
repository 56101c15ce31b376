from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteAdminConfig(AppConfig):
    """Administrators' pages on the forum (站点设置)."""

    name = "luntan.siteadmin"
    label = "siteadmin"
    verbose_name = _("站点管理")
