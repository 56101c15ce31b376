from django.apps import AppConfig


class MembersConfig(AppConfig):
    """Member pages that gather what other apps know of a member (profile: posts, threads,
    credits). It sits with the feature apps, above ``accounts`` (which owns the account
    itself) and ``threads``."""

    name = "luntan.members"
    label = "members"

    def ready(self) -> None:
        """Register the signature floor extra (:mod:`luntan.members.floors`)."""
        from luntan.members.floors import SignatureExtra
        from luntan.threads.extras import register_floor_extra

        register_floor_extra(SignatureExtra())
