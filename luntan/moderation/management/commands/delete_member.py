"""``luntan delete_member NAME [--with-content]``: delete a member (删除用户).

Without ``--with-content`` the member's threads and posts stay, shown under 已注销用户;
with it they are deleted through the moderation services (threads to the recycle bin,
counters and last posts recomputed). The name stays reserved ``LUNTAN_FREED_NAME_DAYS``
days. See :func:`luntan.moderation.members.delete_member`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from luntan.accounts.models import User
from luntan.moderation.members import delete_member


class Command(BaseCommand):
    help = "Delete a member, keeping their content under 已注销用户 or deleting it too."

    def add_arguments(self, parser):
        parser.add_argument("username", help="the member's user name (exact)")
        parser.add_argument(
            "--with-content",
            action="store_true",
            help="also delete their threads (recycle bin) and posts",
        )

    def handle(self, *args, **options):
        try:
            member = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(f"no member named {options['username']!r}") from None
        try:
            result = delete_member(member, actor=None, with_content=options["with_content"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        verb = "kept under the placeholder" if result.kept else "deleted"
        self.stdout.write(
            f"deleted {result.username}: {result.threads} thread(s) and {result.posts} "
            f"post(s) {verb}; name reserved until {result.reserved_until:%Y-%m-%d %H:%M} UTC"
        )
