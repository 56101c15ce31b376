"""``luntan media_to_s3``: copy the uploads of the local disk into S3 and check them."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from luntan.ops.media import MediaMoveError, move_media


class Command(BaseCommand):
    help = (
        "Copy every uploaded file under the local folder (default MEDIA_ROOT) into the"
        " upload storage set by LUNTAN_S3_*, with a progress bar, then check the count."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", default=str(settings.MEDIA_ROOT), help="folder of the local uploads"
        )
        parser.add_argument(
            "--delete-source",
            action="store_true",
            help="remove the local files once every one is checked in S3",
        )

    def handle(self, *args, **options):
        source = FileSystemStorage(location=options["source"])

        def bar(names, total):
            return tqdm(names, total=total, unit="file", disable=options["verbosity"] == 0)

        try:
            report = move_media(source, default_storage, bar, options["delete_source"])
        except MediaMoveError as exc:
            raise CommandError(str(exc)) from exc
        for problem in report.problems:
            self.stderr.write(problem)
        summary = (
            f"{report.source} files in {options['source']}: {report.copied} copied,"
            f" {report.skipped} already there."
        )
        if not report.ok:
            raise CommandError(f"{summary} {len(report.problems)} not in the target.")
        self.stdout.write(summary + " Every file is in the target with its size.")
