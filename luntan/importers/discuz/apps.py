from django.apps import AppConfig


class DiscuzImporterConfig(AppConfig):
    name = "luntan.importers.discuz"
    label = "discuz_importer"
