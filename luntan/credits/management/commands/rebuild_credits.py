"""``luntan rebuild_credits``: recompute balances, totals and member groups from the ledger."""

from django.core.management.base import BaseCommand

from luntan.credits.rebuild import rebuild_credits


class Command(BaseCommand):
    help = "从积分日志重建会员积分余额、总积分和会员用户组。"

    def add_arguments(self, parser):
        parser.add_argument("--digests", action="store_true", help="也从主题重新统计精华帖数")

    def handle(self, *args, **options):
        changed = rebuild_credits(digests_from_threads=options["digests"])
        self.stdout.write(f"{changed} member(s) changed")
