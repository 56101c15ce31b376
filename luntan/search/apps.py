from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "luntan.search"
    label = "search"
