from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdminCenterConfig(AppConfig):
    """管理中心: the administrators' control panel (``/admin-center/``)."""

    name = "luntan.admincenter"
    label = "admincenter"
    verbose_name = _("管理中心")
