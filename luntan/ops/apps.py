from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: backup/restore commands, the health check and Prometheus metrics."""

    name = "luntan.ops"
    label = "ops"
    verbose_name = "运维"
