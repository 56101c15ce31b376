"""Private messages (短消息), after UCenter's ``pm_lists`` / ``pm_members`` /
``pm_messages_*`` (Discuz! X3.4 ``uc_server/model/pm.php``).

- :class:`Conversation` (UCenter ``pm_lists``): one-to-one (``pmtype`` 1) or a group chat
  (``pmtype`` 2) with a subject; ``last_*`` columns denormalise the newest message for
  the inbox (no per-row query).
- :class:`Participant` (``pm_members``): one row per member and conversation; ``unread``
  (``isnew``), ``last_message_at`` (``lastdateline``, the inbox order), ``hidden``
  (删除: the member deleted the conversation for themselves; a new message shows it
  again) and ``cleared_before`` (messages with an id at or below it stay hidden for
  them: Discuz!'s ``delstatus``).
- :class:`Message` (``pm_messages_*``): the source as typed and its rendered HTML; a
  ``system`` line (``join``/``leave``: "X 加入/退出了会话") has no source. Its attachments
  are :class:`luntan.attachments.models.Attachment` rows with ``pm_message`` set.
- :class:`Block` (黑名单, UCenter ``memberfields.blacklist``; here one row per pair) and
  :class:`PMSettings` (who may write to me).
- :class:`SystemNotice` / :class:`SystemNoticeRecipient`: Discuz! ``common_grouppm`` /
  ``common_member_grouppm`` (系统消息, read-only, imported).

Times are UTC.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Conversation(models.Model):
    """A conversation (会话): see the module docstring."""

    subject = models.CharField(_("标题"), max_length=80, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    is_group = models.BooleanField(_("群聊"), default=False)
    created = models.DateTimeField(_("创建时间"))
    last_message_at = models.DateTimeField(_("最后消息时间"))
    last_author_name = models.CharField(max_length=32, blank=True)
    last_excerpt = models.CharField(max_length=200, blank=True)
    message_count = models.PositiveIntegerField(default=0)
    discuz_plid = models.PositiveIntegerField(null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("会话")
        verbose_name_plural = _("会话")

    def __str__(self) -> str:
        return self.subject or f"#{self.pk}"


class Participant(models.Model):
    """One member's membership of one conversation (see the module docstring)."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pm_participations"
    )
    unread = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)
    cleared_before = models.PositiveBigIntegerField(default=0)
    last_message_at = models.DateTimeField()
    joined = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="pm_participant_once")
        ]
        indexes = [
            models.Index(fields=["user", "hidden", "-last_message_at"], name="pm_inbox_idx"),
            models.Index(
                fields=["user"], condition=Q(unread=True, hidden=False), name="pm_unread_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.conversation_id}"


class Message(models.Model):
    """One message of a conversation: ``source`` in ``format`` (``bbcode``/``markdown``)
    and its sanitised ``html`` (:mod:`luntan.markup`)."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField(_("作者"), max_length=32)
    source = models.TextField(_("内容"))
    format = models.CharField(max_length=10, default="bbcode")
    html = models.TextField()
    renderer_version = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(_("时间"))
    # Imported one-to-one messages one member deleted (UCenter ``delstatus`` 1/2).
    hidden_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    discuz_pmid = models.PositiveIntegerField(null=True, blank=True, unique=True)
    # ``pmid`` of UCenter 1.x's legacy ``pms`` table (a separate id space).
    discuz_legacy_pmid = models.PositiveIntegerField(null=True, blank=True, unique=True)

    class System(models.TextChoices):
        """A system line of a group conversation (``author`` is the member it names)."""

        NONE = "", _("消息")
        JOIN = "join", _("加入了会话")
        LEAVE = "leave", _("退出了会话")

    system = models.CharField(max_length=5, choices=System.choices, default="", blank=True)

    class Meta:
        verbose_name = _("短消息")
        verbose_name_plural = _("短消息")
        indexes = [
            models.Index(fields=["conversation", "id"], name="pm_message_conv_idx"),
            # The daily limit counts one author's messages of the last 24 hours.
            models.Index(fields=["author", "created"], name="pm_message_author_idx"),
        ]

    def __str__(self) -> str:
        return f"pm {self.pk}"


class Block(models.Model):
    """黑名单: ``owner`` receives no message from ``blocked``."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pm_blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "blocked"], name="pm_block_once")]

    def __str__(self) -> str:
        return f"{self.owner_id} ⊘ {self.blocked_id}"


class PMSettings(models.Model):
    """Who may start writing to ``user``: everyone (the default, no row needed) or
    nobody but staff (Discuz! has 只接收好友的短消息; luntan has no friends list)."""

    class Accept(models.TextChoices):
        EVERYONE = "everyone", _("所有人")
        NOBODY = "nobody", _("不接收（管理人员除外）")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pm_settings"
    )
    accept = models.CharField(
        _("谁可以给我发短消息"), max_length=10, choices=Accept.choices, default=Accept.EVERYONE
    )

    def __str__(self) -> str:
        return f"{self.user_id}: {self.accept}"


class SystemNotice(models.Model):
    """系统消息 (Discuz! ``common_grouppm``): a message from the site to many members."""

    author_name = models.CharField(max_length=32, blank=True)
    html = models.TextField()
    created = models.DateTimeField()
    discuz_id = models.PositiveIntegerField(null=True, blank=True, unique=True)

    def __str__(self) -> str:
        return f"notice {self.pk}"


class SystemNoticeRecipient(models.Model):
    """A member who received a :class:`SystemNotice` (``common_member_grouppm``)."""

    notice = models.ForeignKey(SystemNotice, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="pm_notice_once")]

    def __str__(self) -> str:
        return f"{self.notice_id} → {self.user_id}"
