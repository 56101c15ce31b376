from django.apps import AppConfig


class ThreadsConfig(AppConfig):
    name = "luntan.threads"
    label = "threads"

    def ready(self) -> None:
        from luntan.threads.extras import register_floor_extra
        from luntan.threads.hidden_content import HiddenContentExtra, without_password_posts
        from luntan.threads.posting.hooks import register_quote_filter

        register_floor_extra(HiddenContentExtra())  # [hide] and [password] (密码帖)
        register_quote_filter(without_password_posts)  # 密码帖 never quoted/indexed/archived
