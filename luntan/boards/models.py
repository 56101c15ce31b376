"""The board tree: category (分区) → board (版块) → sub-board (子版块), and thread types."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from luntan.core.urlcache import reverse_pk


class Board(models.Model):
    """A node of the board tree.

    ``kind`` is ``category`` (分区, Discuz! ``forum_forum.type = 'group'``, holds boards only),
    ``board`` (版块, ``'forum'``) or ``sub`` (子版块, ``'sub'``). ``threads``/``posts`` are
    stored counters of visible threads and their visible posts, kept by the thread services
    and rebuilt by ``luntan rebuild_counters``. ``last_*`` describe the newest visible post.
    ``is_hidden`` boards (Discuz! ``status = 0``) are left out of the index.
    ``redirect_url`` makes a link board (Discuz! ``forum_forumfield.redirect``).
    ``view_groups`` lists the usergroup ids that may view the board (Discuz!
    ``forum_forumfield.viewperm``, e.g. ``[1, 2, 3]`` for a staff-only board); empty means
    every group. Both rules also apply to everything under the board.
    """

    class Kind(models.TextChoices):
        CATEGORY = "category", _("分区")
        BOARD = "board", _("版块")
        SUB = "sub", _("子版块")

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.BOARD)
    name = models.CharField(_("名称"), max_length=50)
    description = models.TextField(_("简介"), blank=True)
    rules = models.TextField(_("版规"), blank=True)
    display_order = models.IntegerField(_("显示顺序"), default=0)
    is_hidden = models.BooleanField(_("隐藏"), default=False)
    redirect_url = models.CharField(_("链接版块地址"), max_length=255, blank=True)
    view_groups = models.JSONField(
        _("允许浏览的用户组"),
        default=list,
        blank=True,
        help_text=_("用户组 ID 列表；留空表示所有用户组都可以浏览。"),
    )
    # Per-board overrides of the group rights (Discuz! forum_forumfield postperm,
    # replyperm, getattachperm, postattachperm): a non-empty list decides alone which
    # groups may; empty leaves it to each group's own right. This board only.
    post_groups = models.JSONField(
        _("允许发新话题的用户组"), default=list, blank=True, help_text=_("留空按用户组设置。")
    )
    reply_groups = models.JSONField(
        _("允许发表回复的用户组"), default=list, blank=True, help_text=_("留空按用户组设置。")
    )
    download_groups = models.JSONField(
        _("允许下载附件的用户组"), default=list, blank=True, help_text=_("留空按用户组设置。")
    )
    upload_groups = models.JSONField(
        _("允许上传附件的用户组"), default=list, blank=True, help_text=_("留空按用户组设置。")
    )
    # Access password (Discuz! forum_forumfield.password), stored hashed by
    # luntan.permissions.passwords.set_board_password; empty: none.
    password = models.CharField(_("访问密码"), max_length=128, blank=True, editable=False)
    thread_types_required = models.BooleanField(_("发帖必须选择主题分类"), default=False)
    # Discuz! forum_forum.modnewposts (1: new threads, 2: threads and replies): here every
    # new thread and reply of a non-moderator goes to the review queue.
    moderate_new_posts = models.BooleanField(
        _("发帖审核"), default=False, help_text=_("非版主发表的主题和回复需要审核后才显示。")
    )
    thread_types_prefix = models.BooleanField(_("主题分类前缀"), default=True)
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="moderated_boards"
    )
    threads = models.PositiveIntegerField(_("主题"), default=0)
    posts = models.PositiveIntegerField(_("帖子"), default=0)
    last_thread = models.ForeignKey(
        "threads.Thread", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_post_at = models.DateTimeField(null=True, blank=True)
    last_poster_name = models.CharField(max_length=15, blank=True)
    # 今日/昨日 (Discuz! forum_forum.todayposts, reset at the site's midnight): visible
    # posts written on ``posts_day`` (a date in the site time zone) and on the day before.
    # Kept by luntan.boards.counters (rolled over by the first post of a new day, no cron);
    # read with luntan.boards.counters.day_counts.
    today_posts = models.PositiveIntegerField(default=0, editable=False)
    yesterday_posts = models.PositiveIntegerField(default=0, editable=False)
    posts_day = models.DateField(null=True, blank=True, editable=False)
    discuz_fid = models.PositiveIntegerField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["display_order", "id"]
        verbose_name = _("版块")
        verbose_name_plural = _("版块")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse_pk("boards:board", self.pk)


class BoardAccess(models.Model):
    """A per-member override of one board's rights (访问权限, Discuz! ``forum_access``).

    Each right is :attr:`Value.DEFAULT` (0: the member's usergroup and the board's group
    lists decide), :attr:`Value.ALLOW` (1: allowed whatever they say) or
    :attr:`Value.DENY` (-1: refused whatever they say), as Discuz!'s ``allowview``,
    ``allowpost``, ``allowreply``, ``allowgetattach`` and ``allowpostattach``. Read only
    through :mod:`luntan.permissions` (the member's ``board_access_masks`` flag says
    whether they have any row, so pages ask no query for everyone else); written only by
    :mod:`luntan.boards.access`.
    """

    class Value(models.IntegerChoices):
        DENY = -1, pgettext_lazy("访问权限", "禁止")
        DEFAULT = 0, pgettext_lazy("访问权限", "默认")
        ALLOW = 1, pgettext_lazy("访问权限", "允许")

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="access_overrides")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_access"
    )
    allow_view = models.SmallIntegerField(_("浏览版块"), choices=Value.choices, default=0)
    allow_post = models.SmallIntegerField(_("发新话题"), choices=Value.choices, default=0)
    allow_reply = models.SmallIntegerField(_("发表回复"), choices=Value.choices, default=0)
    allow_download = models.SmallIntegerField(_("下载附件"), choices=Value.choices, default=0)
    allow_upload = models.SmallIntegerField(_("上传附件"), choices=Value.choices, default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(_("时间"), null=True, blank=True)

    #: The rights, in the order :mod:`luntan.permissions` reads them.
    RIGHTS = ("allow_view", "allow_post", "allow_reply", "allow_download", "allow_upload")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["board", "user"], name="board_access_once")]
        verbose_name = _("版块访问权限")
        verbose_name_plural = _("版块访问权限")

    def __str__(self) -> str:
        return f"{self.board_id}:{self.user_id}"


class ThreadType(models.Model):
    """A thread type (主题分类) of one board, shown before a subject as 【name】."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="thread_types")
    name = models.CharField(_("名称"), max_length=30)
    display_order = models.IntegerField(_("显示顺序"), default=0)
    discuz_typeid = models.PositiveIntegerField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["display_order", "id"]
        verbose_name = _("主题分类")
        verbose_name_plural = _("主题分类")

    def __str__(self) -> str:
        return self.name


class SiteStats(models.Model):
    """The site's member statistics shown on the board index (one row, pk 1).

    ``members``: active members; ``newest_member_id``/``newest_member_name``: the newest
    active member (欢迎新会员). Discuz! keeps the same in its ``userstats`` cache
    (totalmembers, newsetuser). Kept by :mod:`luntan.boards.counters` on every member
    created, deleted or (de)activated; recomputed by ``luntan rebuild_counters``.
    """

    members = models.PositiveIntegerField(default=0)
    newest_member_id = models.PositiveIntegerField(null=True, blank=True)
    newest_member_name = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = _("站点统计")
        verbose_name_plural = _("站点统计")

    def __str__(self) -> str:
        return f"{self.members}"
