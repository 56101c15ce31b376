from django.apps import AppConfig


class MembersConfig(AppConfig):
    """Member pages that gather what other apps know of a member (profile: posts, threads,
    credits). It sits with the feature apps, above ``accounts`` (which owns the account
    itself) and ``threads``."""

    name = "luntan.members"
    label = "members"
