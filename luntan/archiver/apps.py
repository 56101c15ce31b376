from django.apps import AppConfig


class ArchiverConfig(AppConfig):
    """The text-only archive (``/archiver/``)."""

    name = "luntan.archiver"
    label = "archiver"
    verbose_name = "Archiver"
