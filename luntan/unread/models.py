"""Unread tracking storage, kept small (Discourse/Misago style):

- :class:`ReadMark`: per member, "everything posted before ``marked_at`` is read", either
  for one board (标记本版已读) or for the whole site (``board`` empty: 全部标为已读).
  At most one row per (member, board) plus one global row.
- :class:`ThreadRead`: per (member, thread), the highest floor the member has seen, only
  for threads active within the cutoff (``LUNTAN_UNREAD_DAYS``); older threads count as
  read and their rows are deleted by ``luntan prune_unread``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ReadMark(models.Model):
    """A read watermark: threads of ``board`` (every board when empty) whose last post is
    at or before ``marked_at`` (UTC) are read for ``user``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    board = models.ForeignKey("boards.Board", on_delete=models.CASCADE, null=True, blank=True)
    marked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "board"], name="unread_mark_user_board"),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(board__isnull=True),
                name="unread_mark_user_global",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.board_id or '*'} @ {self.marked_at:%Y-%m-%d %H:%M}"


class ThreadRead(models.Model):
    """The highest floor ``user`` has seen in ``thread`` (``floor``) and when it last
    advanced (``read_at``, UTC)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    thread = models.ForeignKey("threads.Thread", on_delete=models.CASCADE)
    floor = models.PositiveIntegerField()
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="unread_read_user_thread"),
        ]
        indexes = [models.Index(fields=["thread"], name="unread_read_thread_idx")]

    def __str__(self) -> str:
        return f"{self.user_id}/t{self.thread_id} #{self.floor}"
