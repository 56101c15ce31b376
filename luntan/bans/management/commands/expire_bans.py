"""``luntan expire_bans``: lift the bans whose expiry has passed (run from cron; members
are also let out lazily on their next request)."""

from django.core.management.base import BaseCommand

from luntan.bans.services import expire_bans


class Command(BaseCommand):
    help = "Lift expired bans (小黑屋到期解除)."

    def handle(self, *args, **options):
        n = expire_bans()
        self.stdout.write(f"lifted {n} expired ban(s)")
