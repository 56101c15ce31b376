"""``luntan clear_demo_site [--force] [--dry-run]``: remove the demo forum before
importing a real site, saying what goes and what stays."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from luntan.demo.services import DemoContents, clear_demo_site, demo_contents


def _names(names: list[str], limit: int = 20) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" … (+{len(names) - limit})" if len(names) > limit else "")


class Command(BaseCommand):
    help = (
        "Delete the demo boards, threads, posts, attachments and accounts that `make run` "
        "created. Lists what it deletes. --force also deletes what other people posted in "
        "the demo (their accounts are kept); --dry-run only lists."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="delete the demo even though other members have posted in it",
        )
        parser.add_argument("--dry-run", action="store_true", help="only list what would go")

    def _report(self, found: DemoContents, heading: str) -> None:
        self.stdout.write(heading)
        self.stdout.write(f"  boards:      {found.boards}")
        self.stdout.write(f"  threads:     {found.threads}")
        self.stdout.write(f"  posts:       {found.posts}")
        if found.other_posts:
            self.stdout.write(
                f"    of them by other members or guests: {found.other_posts} "
                f"({_names(found.other_authors)})"
            )
        self.stdout.write(f"  attachments: {found.attachments}")
        self.stdout.write(f"  demo accounts: {_names(found.demo_members) or '-'}")
        if found.kept_members:
            self.stdout.write(f"Kept (not demo accounts): {_names(found.kept_members)}")

    def handle(self, *args, **options):
        try:
            if options["dry_run"]:
                self._report(demo_contents(), "Would delete:")
                return
            done = clear_demo_site(force=options["force"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self._report(done, "Deleted:")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo forum removed: {done.boards} boards, {done.threads} threads, "
                f"{len(done.demo_members)} accounts. Now run `luntan import_discuz …`."
            )
        )
