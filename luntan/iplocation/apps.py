from django.apps import AppConfig


class IplocationConfig(AppConfig):
    name = "luntan.iplocation"
    label = "iplocation"
