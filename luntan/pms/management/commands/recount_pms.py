"""``luntan recount_pms``: rebuild every member's unread message count
(``User.pm_unread``) from the conversations."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from luntan.pms.services import recount_unread


class Command(BaseCommand):
    help = "Rebuild every member's unread private message count (User.pm_unread)."

    def handle(self, *args, **options) -> None:
        n = recount_unread()
        self.stdout.write(f"recounted {n} members")
