from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo forum ``make run`` creates (``create_demo_site`` / ``clear_demo_site``)."""

    name = "luntan.demo"
    label = "demo"
    verbose_name = "演示站点"
