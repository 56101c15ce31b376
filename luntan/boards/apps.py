from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "luntan.boards"
    label = "boards"
