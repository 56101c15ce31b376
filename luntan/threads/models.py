"""Threads (主题) and posts (帖子) with their floors (楼层)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from luntan.core.urlcache import reverse_pk


class Thread(models.Model):
    """A thread (主题).

    State follows Discuz!'s ``forum_thread.displayorder``: ``NORMAL`` (≥ 0), ``RECYCLED``
    (-1, in the recycle bin 回收站) and ``PENDING`` (-2, awaiting review). ``sticky`` is the
    sticky level 0–3 (board / category / global), ``digest`` 0–3. ``replies`` counts visible
    posts after the OP; ``max_floor`` is the highest floor ever given out (floors of deleted
    posts are never reused). ``last_post_at``/``last_poster_name`` describe the newest visible
    post. ``views`` is the stored view count; requests are buffered and flushed by
    :mod:`luntan.threads.view_counts`. Times are UTC.
    """

    class State(models.IntegerChoices):
        NORMAL = 0, _("正常")
        RECYCLED = -1, _("回收站")
        PENDING = -2, _("待审核")

    board = models.ForeignKey("boards.Board", on_delete=models.CASCADE, related_name="thread_set")
    type = models.ForeignKey(
        "boards.ThreadType", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(_("标题"), max_length=255)  # imported subjects are kept whole
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="thread_set",
    )
    author_name = models.CharField(_("作者"), max_length=15, blank=True)
    is_anonymous = models.BooleanField(default=False)
    created = models.DateTimeField(_("发表时间"))
    last_post_at = models.DateTimeField(_("最后回复时间"))
    last_poster_name = models.CharField(max_length=15, blank=True)
    views = models.PositiveIntegerField(_("查看"), default=0)
    replies = models.PositiveIntegerField(_("回复"), default=0)
    max_floor = models.PositiveIntegerField(default=0)
    sticky = models.PositiveSmallIntegerField(_("置顶"), default=0)
    digest = models.PositiveSmallIntegerField(_("精华"), default=0)
    closed = models.BooleanField(_("关闭"), default=False)
    highlight = models.CharField(_("高亮"), max_length=7, blank=True)
    highlight_bold = models.BooleanField(_("高亮加粗"), default=False)
    # Discuz! forum_thread.readperm: the least usergroup read access (阅读权限) needed to
    # read the thread's posts; 0 = everyone who may read the board.
    read_level = models.PositiveSmallIntegerField(_("阅读权限"), default=0)
    state = models.SmallIntegerField(choices=State.choices, default=State.NORMAL)
    discuz_tid = models.PositiveIntegerField(null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("主题")
        verbose_name_plural = _("主题")
        indexes = [
            models.Index(
                fields=["board", "state", "-sticky", "-last_post_at"], name="thread_list_idx"
            ),
            models.Index(
                fields=["board", "type", "state", "-last_post_at"], name="thread_type_idx"
            ),
            # Global (3) and category (2) stickies, listed on every board's page 1: a few
            # rows whatever the size of the site.
            models.Index(
                fields=["-sticky", "-last_post_at"],
                condition=models.Q(sticky__gte=2),
                name="thread_wide_sticky_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse_pk("threads:thread", self.pk)


class Post(models.Model):
    """A post (帖子) on one floor (楼层) of a thread; floor 1 is the OP (楼主).

    ``floor`` is unique per thread, given out once by the posting service under a lock on
    the thread row, and kept when the post is deleted. ``source`` is the text as written in
    ``format`` (BBCode, Discuz!'s tag set, or Markdown); ``html`` is the sanitised rendering
    made by :func:`luntan.markup.render` at ``renderer_version``. ``ip_region`` is the
    ip2region answer for ``ip`` (``country|area|province|city|isp``) resolved when written.
    ``state`` follows Discuz!'s ``forum_post.invisible``: 0 visible, -1 deleted with its
    thread (recycle bin), -2 awaiting review, -5 deleted reply (reply recycle bin).
    """

    class Format(models.TextChoices):
        BBCODE = "bbcode", "BBCode"
        MARKDOWN = "markdown", "Markdown"

    class State(models.IntegerChoices):
        VISIBLE = 0, _("正常")
        RECYCLED = -1, _("回收站")
        PENDING = -2, _("待审核")
        DELETED = -5, _("已删除")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="post_set")
    floor = models.PositiveIntegerField(_("楼层"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="post_set",
    )
    author_name = models.CharField(_("作者"), max_length=15, blank=True)
    is_anonymous = models.BooleanField(default=False)
    created = models.DateTimeField(_("发表时间"), db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    edited_by_name = models.CharField(max_length=15, blank=True)
    source = models.TextField()
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.BBCODE)
    html = models.TextField(blank=True)
    renderer_version = models.PositiveSmallIntegerField(default=0)
    ip = models.GenericIPAddressField(null=True, blank=True)
    ip_region = models.CharField(max_length=100, blank=True)
    state = models.SmallIntegerField(choices=State.choices, default=State.VISIBLE)
    discuz_pid = models.PositiveIntegerField(null=True, blank=True, unique=True)
    # The random token of the form that wrote this post (one per form render): a second
    # submit of the same form finds this post instead of writing another. "" for posts
    # not written from a form (imports, scripts).
    form_token = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        verbose_name = _("帖子")
        verbose_name_plural = _("帖子")
        constraints = [
            models.UniqueConstraint(fields=["thread", "floor"], name="post_unique_floor"),
            models.UniqueConstraint(
                fields=["author", "form_token"],
                condition=~models.Q(form_token=""),
                name="post_unique_form_token",
            ),
        ]
        indexes = [
            models.Index(fields=["thread", "author", "floor"], name="post_author_idx"),
            # flood control: the member's newest post (Discuz! common_member_status.lastpost)
            models.Index(fields=["author", "-created"], name="post_author_created_idx"),
            # the few floors a member does not see (deleted, pending): counted before a
            # page to find where it starts (luntan/threads/queries.py)
            models.Index(
                fields=["thread", "floor", "state"],  # state: covering (no row reads)
                condition=~models.Q(state=0),
                name="post_hidden_floor_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.thread_id}#{self.floor}"

    def get_absolute_url(self) -> str:
        return reverse("threads:post", args=[self.pk])

    @property
    def is_op(self) -> bool:
        """True for the thread's first post (楼主)."""
        return self.floor == 1


class FloorGap(models.Model):
    """A floor number of a thread, up to its ``max_floor``, that no post of it holds.

    Floor numbers are given once and never changed or reused (``moderation.split_thread``
    moves posts out and leaves their floors empty; a Discuz! import keeps the ``position``
    holes of posts deleted there). Pages are counted in the posts a viewer sees, so a page
    starts after the gaps and hidden posts below it: these rows (few per thread, read
    through the unique index) make that count cheap (:mod:`luntan.threads.queries`; rows
    above the highest post count once a reply is posted above them).
    Written by the split service and :func:`luntan.threads.counters.rebuild_floor_gaps`
    (``luntan rebuild_counters``, the importer).
    """

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    floor = models.PositiveIntegerField(_("楼层"))

    class Meta:
        verbose_name = _("空楼层")
        verbose_name_plural = _("空楼层")
        constraints = [
            models.UniqueConstraint(fields=["thread", "floor"], name="floorgap_unique_floor")
        ]

    def __str__(self) -> str:
        return f"{self.thread_id}#{self.floor} (gap)"


class PostRevision(models.Model):
    """One earlier version of a post, kept when it is edited (编辑历史).

    Discuz! X3.4 keeps no history (``post_editpost.php`` overwrites ``forum_post.message``);
    this follows Discourse's ``PostRevision``: each edit stores what the post was *before*
    it — ``source`` in ``format`` and, for the OP, the thread's ``subject`` — with who
    edited (``editor``/``editor_name``), when (``created``, UTC) and the stated ``reason``.
    The current text is on the post itself. Moderators read the list at
    ``/p/<post id>/revisions/``.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    editor_name = models.CharField(_("编辑者"), max_length=15, blank=True)
    created = models.DateTimeField(_("编辑时间"))
    source = models.TextField()
    format = models.CharField(max_length=10, choices=Post.Format.choices)
    subject = models.CharField(max_length=255, blank=True)
    reason = models.CharField(_("编辑原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("帖子修订")
        verbose_name_plural = _("帖子修订")
        indexes = [models.Index(fields=["post", "created"], name="revision_post_idx")]

    def __str__(self) -> str:
        return f"{self.post_id}@{self.created:%Y-%m-%d %H:%M:%S}"


class ViewBatch(models.Model):
    """A batch of thread views folded into ``Thread.views`` from Redis, by its key.

    Written in the same transaction as the views it adds
    (:func:`luntan.threads.view_counts.write_batch_to_database`), so a batch whose flusher
    died after the commit, or whose deletion from Redis failed, is recognised by the next
    flusher and deleted without being added twice. Rows older than a day are pruned.
    """

    key = models.CharField(_("批次"), max_length=80, unique=True)
    written_at = models.DateTimeField(_("写入时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("查看数批次")
        verbose_name_plural = _("查看数批次")

    def __str__(self) -> str:
        return self.key
