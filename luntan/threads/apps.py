from django.apps import AppConfig


class ThreadsConfig(AppConfig):
    name = "luntan.threads"
    label = "threads"
