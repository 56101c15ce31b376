"""Moderation records: the audit log, thread notices, moved-thread stubs, post bans and
warnings, and reports (举报).

Discuz! X3.4 keeps thread actions in ``forum_threadmod`` (the "本主题由 X 于 <time> 关闭"
line reads its newest row), 屏蔽 in ``forum_post.status``, warnings in
``forum_warning`` and reports in ``common_report``. luntan keeps every moderator action
in one :class:`AuditLog` (like Discourse's ``UserHistory`` staff action log) and copies
the newest thread-level action into :class:`ThreadNotice`, one row per thread, so the
thread page reads it with a join instead of a query. Times are UTC.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    """What a moderator did; the labels read after "本主题由 X 于 <time>"."""

    CLOSE = "close", _("关闭")
    OPEN = "open", _("打开")
    STICK = "stick", _("置顶")
    UNSTICK = "unstick", _("解除置顶")
    DIGEST = "digest", _("加入精华")
    UNDIGEST = "undigest", _("解除精华")
    HIGHLIGHT = "highlight", _("高亮")
    UNHIGHLIGHT = "unhighlight", _("解除高亮")
    MOVE = "move", _("移动")
    MERGE = "merge", _("合并")
    SPLIT = "split", _("分割")
    TYPE = "type", _("分类")
    RECYCLE = "recycle", _("删除")
    RESTORE = "restore", _("恢复")
    APPROVE = "approve", _("审核通过")
    REJECT = "reject", _("审核拒绝")
    DELETE_POST = "delete_post", _("删除帖子")
    RESTORE_POST = "restore_post", _("恢复帖子")
    BAN_POST = "ban_post", _("屏蔽帖子")
    UNBAN_POST = "unban_post", _("解除屏蔽")
    WARN = "warn", _("警告")
    RESOLVE_REPORT = "resolve_report", _("处理举报")
    REPAIR_COUNTERS = "repair_counters", _("修复统计")
    # 管理中心 (luntan/admincenter): target_type "site" (#0) or "board".
    SITE_SETTINGS = "site_settings", _("修改站点设置")
    TEST_MAIL = "test_mail", _("发送测试邮件")
    RUN_TOOL = "run_tool", _("运行工具")
    BOARD_CREATE = "board_create", _("新建版块")
    BOARD_EDIT = "board_edit", _("编辑版块")
    BOARD_ORDER = "board_order", _("调整版块顺序")
    BOARD_MOVE = "board_move", _("移动版块")
    BOARD_MERGE = "board_merge", _("合并版块")
    BOARD_DELETE = "board_delete", _("删除版块")
    MEMBER_GROUP = "member_group", _("修改用户组")
    BAN_MEMBER = "ban_member", _("禁止用户")
    UNBAN_MEMBER = "unban_member", _("解除禁止")
    DELETE_MEMBER = "delete_member", _("删除用户")
    USERGROUP_EDIT = "usergroup_edit", _("编辑用户组")
    ANNOUNCEMENT = "announcement", _("公告")
    SITE_LINK = "site_link", _("链接")
    CENSOR_WORD = "censor_word", _("词语过滤")
    IP_BAN = "ip_ban", _("禁止 IP")
    BATCH_DELETE = "batch_delete", _("批量删帖")
    MERGE_MEMBER = "merge_member", _("合并用户")
    APPROVE_MEMBER = "approve_member", _("通过注册审核")
    REJECT_MEMBER = "reject_member", _("拒绝注册")


#: Actions shown on the thread page as "本主题由 X 于 <time> <label>".
THREAD_NOTICE_ACTIONS = frozenset(
    {
        Action.CLOSE,
        Action.OPEN,
        Action.STICK,
        Action.UNSTICK,
        Action.DIGEST,
        Action.UNDIGEST,
        Action.HIGHLIGHT,
        Action.UNHIGHLIGHT,
        Action.MOVE,
        Action.MERGE,
        Action.SPLIT,
        Action.TYPE,
        Action.RESTORE,
        Action.APPROVE,
    }
)


class AuditLog(models.Model):
    """One moderator or administrator action (管理日志).

    ``target_type`` is ``thread``, ``post``, ``user``, ``report`` or ``site`` (修复统计,
    ``target_id`` 0); ``target_id`` its primary key; ``thread_id`` the thread concerned (for per-thread history), when any.
    ``before``/``after`` are JSON objects of the fields the action changed (e.g.
    ``{"closed": false}`` → ``{"closed": true}``; a move ``{"board": 3}`` → ``{"board": 5}``).
    ``actor_name`` keeps the name if the account goes. ``ip`` is the actor's address.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("操作者"), max_length=15, blank=True)
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    target_type = models.CharField(_("对象类型"), max_length=10)
    target_id = models.PositiveBigIntegerField(_("对象"))
    thread_id = models.PositiveBigIntegerField(null=True, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    reason = models.CharField(_("理由"), max_length=200, blank=True)
    created = models.DateTimeField(_("时间"), db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("管理日志")
        verbose_name_plural = _("管理日志")
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            models.Index(fields=["thread_id", "-created"], name="audit_thread_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.target_type}#{self.target_id}"


class ThreadNotice(models.Model):
    """The newest thread-level action, shown as "本主题由 X 于 <time> <label>" (Discuz!
    ``forum_threadmod``'s newest row). One per thread; the thread query joins it."""

    thread = models.OneToOneField(
        "threads.Thread", primary_key=True, on_delete=models.CASCADE, related_name="mod_notice"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    actor_name = models.CharField(max_length=15, blank=True)
    created = models.DateTimeField()

    class Meta:
        verbose_name = _("主题操作提示")
        verbose_name_plural = _("主题操作提示")

    def __str__(self) -> str:
        return f"{self.thread_id} {self.action}"

    @property
    def label(self) -> str:
        """The action in words (关闭, 置顶, 移动 …)."""
        return str(Action(self.action).label) if self.action in Action.values else self.action


class MovedThread(models.Model):
    """A redirect stub (移动后保留跳转): ``thread`` was moved out of ``from_board``; the old
    board's first list page shows "已移动: <subject>" linking to the thread."""

    thread = models.ForeignKey("threads.Thread", on_delete=models.CASCADE, related_name="+")
    from_board = models.ForeignKey("boards.Board", on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField()

    class Meta:
        verbose_name = _("移动主题跳转")
        verbose_name_plural = _("移动主题跳转")
        constraints = [
            models.UniqueConstraint(fields=["thread", "from_board"], name="moved_unique")
        ]

    def __str__(self) -> str:
        return f"{self.thread_id} ← {self.from_board_id}"


class BannedPost(models.Model):
    """A post whose content is hidden by a moderator (屏蔽; Discuz! ``forum_post.status``
    bit 1): the floor reads "提示: 该帖被管理员或版主屏蔽"."""

    post = models.OneToOneField(
        "threads.Post", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField()

    def __str__(self) -> str:
        return str(self.post_id)


class Warning(models.Model):
    """A warning (警告) given to ``user`` for ``post`` (Discuz! ``forum_warning``); the floor
    shows "该帖作者被警告"."""

    post = models.ForeignKey("threads.Post", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField()

    class Meta:
        verbose_name = _("警告")
        verbose_name_plural = _("警告")

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.post_id}"


class Report(models.Model):
    """A member's report (举报) of a post; one per member per post. ``resolved_*`` are set
    when a moderator handles it, with ``note``."""

    post = models.ForeignKey("threads.Post", on_delete=models.CASCADE, related_name="+")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("举报理由"), max_length=200)
    created = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("处理意见"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("举报")
        verbose_name_plural = _("举报")
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="report_once_per_member")
        ]
        indexes = [models.Index(fields=["resolved_at", "-created"], name="report_queue_idx")]

    def __str__(self) -> str:
        return f"{self.reporter_id} → {self.post_id}"


class ContentReport(models.Model):
    """A member's report (举报) of content outside the boards (``kind`` ``"pm"``: a
    private message of :mod:`luntan.pms`, ``object_id`` its id). The app that owns the
    content stores a snapshot (``author_name``, ``excerpt``) and the ``url`` where staff
    read it, so moderation imports nothing of it. One per member per object. Handled in
    the report queue by administrators and super moderators (not board moderators: the
    content belongs to no board)."""

    kind = models.CharField(max_length=16)
    object_id = models.PositiveBigIntegerField()
    author_name = models.CharField(max_length=32, blank=True)
    excerpt = models.CharField(max_length=200, blank=True)
    url = models.CharField(max_length=200)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("举报理由"), max_length=200)
    created = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("处理意见"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("举报")
        verbose_name_plural = _("举报")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "reporter"], name="content_report_once"
            )
        ]
        indexes = [models.Index(fields=["kind", "object_id"], name="content_report_obj_idx")]

    def __str__(self) -> str:
        return f"{self.reporter_id} → {self.kind} {self.object_id}"


class MergedThread(models.Model):
    """``source_id`` was merged into ``target`` (合并): ``/t/<source id>/`` redirects there.
    The source thread row stays in the recycle bin, empty, and cannot be restored."""

    source_id = models.PositiveBigIntegerField(primary_key=True)
    target = models.ForeignKey("threads.Thread", on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id}"
