"""``luntan rerender_posts``: refresh stored post HTML after a renderer change."""

from django.core.management.base import BaseCommand

from luntan.threads.rendering import rerender_posts


class Command(BaseCommand):
    help = "Re-render posts whose stored HTML was made by an older renderer version."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="re-render every post")
        parser.add_argument("--batch", type=int, default=500, help="posts per transaction")

    def handle(self, *args, **options):
        if options["batch"] < 1:
            self.stderr.write("--batch must be at least 1")
            raise SystemExit(2)
        done = rerender_posts(
            batch=options["batch"],
            everything=options["all"],
            progress=lambda n: self.stdout.write(f"  {n} posts re-rendered…"),
        )
        self.stdout.write(self.style.SUCCESS(f"Re-rendered {done} posts."))
