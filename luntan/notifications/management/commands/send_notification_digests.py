"""``luntan send_notification_digests``: send the daily notice digests that are due
(run it daily from cron or a systemd timer; see docs/notifications.md)."""

from django.core.management.base import BaseCommand

from luntan.notifications.mail import send_digests


class Command(BaseCommand):
    help = "Send the daily e-mail digests of notices (提醒) that are due."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{send_digests()} digests sent")
