"""``luntan clear_demo_site``: remove the demo forum before importing a real site."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from luntan.demo.services import clear_demo_site


class Command(BaseCommand):
    help = "Delete the demo boards, threads and accounts that `make run` created."

    def handle(self, *args, **options):
        try:
            done = clear_demo_site()
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                "Demo forum removed: {boards} boards, {threads} threads, "
                "{members} accounts.".format(**done)
            )
        )
