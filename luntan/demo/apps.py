from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo forum ``make run`` creates (``create_demo_site`` / ``clear_demo_site``)."""

    name = "luntan.demo"
    label = "demo"
    verbose_name = _("演示站点")
