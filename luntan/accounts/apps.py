from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "luntan.accounts"
    label = "accounts"

    def ready(self) -> None:
        from luntan.accounts import checks  # noqa: F401 - registers the system checks
        from luntan.accounts.captcha import connect_login_signals

        connect_login_signals()
