"""Polls (投票): one per thread, on the OP floor.

Discuz! X3.4 keeps a poll in ``forum_poll`` (one row per thread, ``special = 1``), its
options in ``forum_polloption`` (``votes``, ``voterids`` as text) and the votes in
``forum_pollvoter`` (``options`` tab-separated). luntan stores one :class:`PollVoter`
per member and poll (unique: one vote per member) and one :class:`PollChoice` per
chosen option; ``PollOption.votes`` and ``Poll.voters`` are counters kept by the
voting service (:mod:`luntan.polls.services`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Poll(models.Model):
    """A thread's poll. ``max_choices`` 1 is a single-choice poll (Discuz! ``multiple``
    0), more lets a voter tick up to that many options (``maxchoices``);
    ``expires_at`` (UTC, ``None`` = never) ends the voting (``expiration``);
    ``results_before_vote`` shows the counts to those who haven't voted (``visible``);
    ``public_voters`` shows who voted for what (``overt``); ``allow_change`` lets a
    voter vote again, replacing their choices (not in Discuz!; off by default)."""

    thread = models.OneToOneField(
        "threads.Thread", on_delete=models.CASCADE, primary_key=True, related_name="poll"
    )
    max_choices = models.PositiveSmallIntegerField(_("最多可选"), default=1)
    expires_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    results_before_vote = models.BooleanField(_("投票前可见结果"), default=True)
    public_voters = models.BooleanField(_("公开投票参与人"), default=False)
    allow_change = models.BooleanField(_("允许修改投票"), default=False)
    voters = models.PositiveIntegerField(_("投票人数"), default=0)
    created = models.DateTimeField()

    class Meta:
        verbose_name = _("投票")
        verbose_name_plural = _("投票")

    def __str__(self) -> str:
        return f"poll {self.pk}"

    @property
    def multiple(self) -> bool:
        """True for a multiple-choice poll (多选)."""
        return self.max_choices > 1


class PollOption(models.Model):
    """One option (选项) of a poll, ≤ 80 characters (Discuz! ``polloption``); ``votes``
    is the number of voters who chose it."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("选项"), max_length=80)
    votes = models.PositiveIntegerField(default=0)
    discuz_id = models.PositiveIntegerField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ("position", "pk")
        indexes = [models.Index(fields=["poll", "position"], name="polloption_poll_pos_idx")]

    def __str__(self) -> str:
        return self.text


class PollVoter(models.Model):
    """A member's vote in a poll (one per member and poll)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="voter_set")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="poll_votes"
    )
    created = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "user"], name="pollvoter_one_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in poll {self.poll_id}"


class PollChoice(models.Model):
    """One option a voter chose."""

    voter = models.ForeignKey(PollVoter, on_delete=models.CASCADE, related_name="choices")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="choices")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["voter", "option"], name="pollchoice_unique")
        ]

    def __str__(self) -> str:
        return f"{self.voter_id} → {self.option_id}"
