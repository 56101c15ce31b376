"""Favourites (收藏) and follows (订阅) of threads and boards.

A :class:`Favorite` is a member's bookmark of a thread or a board, listed on 我的收藏
(Discuz! ``home_favorite`` with ``idtype`` ``tid`` / ``fid``). A :class:`Follow` records
that a member wants to hear about new replies to a thread (or new threads in a board);
the notifications feature (:mod:`luntan.notifications`) reads the thread follows. Discuz! X3.4 tells the
members who favourited a thread about its replies, so an imported thread favourite also
becomes a follow.

Each row names exactly one target (a thread or a board, checked by a constraint), once
per member and target (unique constraints).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

_ONE_TARGET = Q(thread__isnull=False, board__isnull=True) | Q(
    thread__isnull=True, board__isnull=False
)


class Favorite(models.Model):
    """A member's 收藏 of a thread or a board; ``created`` in UTC; ``discuz_favid`` for
    imported rows (``home_favorite.favid``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favorites"
    )
    thread = models.ForeignKey(
        "threads.Thread", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    board = models.ForeignKey(
        "boards.Board", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("收藏时间"))
    discuz_favid = models.PositiveIntegerField(null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("收藏")
        verbose_name_plural = _("收藏")
        constraints = [
            models.CheckConstraint(condition=_ONE_TARGET, name="favorite_one_target"),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=Q(thread__isnull=False),
                name="favorite_thread_once",
            ),
            models.UniqueConstraint(
                fields=["user", "board"],
                condition=Q(board__isnull=False),
                name="favorite_board_once",
            ),
        ]
        indexes = [models.Index(fields=["user", "-created"], name="favorite_user_created_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} ★ {'t' if self.thread_id else 'f'}{self.thread_id or self.board_id}"


class Follow(models.Model):
    """A member's 订阅 of a thread (new replies) or a board (new threads); ``created``
    in UTC. Thread follows are read by :mod:`luntan.notifications` (board follows not yet)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    thread = models.ForeignKey(
        "threads.Thread", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    board = models.ForeignKey(
        "boards.Board", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("订阅时间"))

    class Meta:
        verbose_name = _("订阅")
        verbose_name_plural = _("订阅")
        constraints = [
            models.CheckConstraint(condition=_ONE_TARGET, name="follow_one_target"),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=Q(thread__isnull=False),
                name="follow_thread_once",
            ),
            models.UniqueConstraint(
                fields=["user", "board"], condition=Q(board__isnull=False), name="follow_board_once"
            ),
        ]
        indexes = [
            models.Index(fields=["thread"], name="follow_thread_idx"),
            models.Index(fields=["board"], name="follow_board_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {'t' if self.thread_id else 'f'}{self.thread_id or self.board_id}"
