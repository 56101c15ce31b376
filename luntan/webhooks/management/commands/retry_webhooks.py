"""``luntan retry_webhooks``: enqueue the webhook deliveries whose next attempt is due."""

from django.core.management.base import BaseCommand

from luntan.webhooks.services import retry_due


class Command(BaseCommand):
    help = "Enqueue webhook deliveries whose retry is due."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{retry_due()} deliveries enqueued")
