from django.apps import AppConfig


class BoardPagesConfig(AppConfig):
    """The board index (/) and board pages (/f/<id>/): they list boards with threads,
    moved-thread stubs (moderation) and per-viewer permissions, so they sit with the
    feature apps, above ``boards`` and ``threads``."""

    name = "luntan.boardpages"
    label = "boardpages"
