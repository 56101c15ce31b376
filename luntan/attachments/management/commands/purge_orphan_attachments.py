"""``luntan purge_orphan_attachments [--older-than SECONDS]``: remove never-bound uploads,
and files a posting form stored that no post recorded."""

from django.core.management.base import BaseCommand

from luntan.attachments.services import purge_orphans, purge_unrecorded


class Command(BaseCommand):
    help = "删除上传后未被任何帖子使用的附件 (Delete uploads never attached to a post)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=86400,
            help="only uploads older than this many seconds (default 86400, one day)",
        )

    def handle(self, *args, older_than: int, **options):
        done = purge_orphans(older_than)
        self.stdout.write(f"purged {done} orphan attachment(s)")
        files = purge_unrecorded(older_than)
        self.stdout.write(f"purged {files} unrecorded file(s)")
