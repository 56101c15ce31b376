"""``luntan rebuild_counters``: recompute stored counters from rows."""

from django.core.management.base import BaseCommand

from luntan.threads.counters import rebuild_all


class Command(BaseCommand):
    help = "Recompute thread, board and member counters (replies, posts, last post) from rows."

    def handle(self, *args, **options):
        done = rebuild_all()
        self.stdout.write(
            self.style.SUCCESS(
                "Rebuilt counters: {threads} threads, {boards} boards, {members} members.".format(
                    **done
                )
            )
        )
