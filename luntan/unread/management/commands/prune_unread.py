"""``luntan prune_unread``: delete unread-tracking rows of threads older than the cutoff."""

from django.core.management.base import BaseCommand

from luntan.unread import services


class Command(BaseCommand):
    help = "Delete unread-tracking rows of threads older than LUNTAN_UNREAD_DAYS (run daily)."

    def handle(self, *args, **options):
        deleted = services.prune()
        self.stdout.write(f"deleted {deleted} thread read rows")
