from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: backup/restore commands, the health check and Prometheus metrics."""

    name = "luntan.ops"
    label = "ops"
    verbose_name = _("运维")
