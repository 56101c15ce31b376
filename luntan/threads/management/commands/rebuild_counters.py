"""``luntan rebuild_counters``: recompute stored counters from rows; ``--check`` only
reports the drift (exit status 1 when there is any) and changes nothing."""

import sys

from django.core.management.base import BaseCommand

from luntan.threads.counters import check_all, rebuild_all


class Command(BaseCommand):
    help = (
        "Recompute thread, board and member counters (replies, posts, last post) from rows. "
        "A top floor (max_floor) is never lowered. --check reports what differs and changes "
        "nothing (exit status 1 on drift)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="report every stored counter that differs from its rebuild; change nothing; "
            "exit 1 when anything differs",
        )

    def handle(self, *args, **options):
        if options["check"]:
            drift = check_all()
            for item in drift:
                self.stdout.write(str(item))
            if drift:
                self.stdout.write(self.style.ERROR(f"Counter drift: {len(drift)} value(s)."))
                sys.exit(1)
            self.stdout.write(self.style.SUCCESS("No counter drift."))
            return
        done = rebuild_all()
        self.stdout.write(
            self.style.SUCCESS(
                "Rebuilt counters: {threads} threads, {boards} boards, {members} members.".format(
                    **done
                )
            )
        )
