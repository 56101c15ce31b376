from django.apps import AppConfig


class SiteAdminConfig(AppConfig):
    """Administrators' pages on the forum (站点设置)."""

    name = "luntan.siteadmin"
    label = "siteadmin"
    verbose_name = "站点管理"
