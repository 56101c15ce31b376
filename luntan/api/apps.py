from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "luntan.api"
    label = "api"
