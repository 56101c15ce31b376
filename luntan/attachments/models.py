"""The attachment row (附件): one stored file, bound to a post once the post is saved."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Attachment(models.Model):
    """A file a member uploaded (Discuz! ``forum_attachment`` + ``forum_attachment_N``).

    ``post``/``thread`` are null until :func:`luntan.attachments.services.bind` attaches
    the upload to a post, or ``pm_message`` is set when a private message carries it
    (:func:`luntan.attachments.services.bind_to_pm`; only the conversation's members may
    fetch it then); unbound uploads older than a day are removed by
    ``luntan purge_orphan_attachments``. ``filename`` is the cleaned name shown to people
    (display only, never used as a path); ``stored_name`` is the name in the default storage,
    ``<LUNTAN_ATTACHMENT_DIR>/YYYY/MM/DD/<32 hex>.<ext>`` (UTC date, random part, extension
    of the *detected* type). ``size`` is the stored file's size in bytes (images are
    re-encoded, so it may differ from the upload). ``content_type`` is the MIME type detected
    from the content; ``is_image`` marks raster images (JPEG, PNG, GIF, WebP), the only
    files served inline; ``width``/``height`` are their pixels (0 otherwise) and
    ``thumbnail_name`` the storage name of the thumbnail ("" when the image is small
    enough to be its own thumbnail). ``downloads`` counts full-file fetches. ``discuz_aid``
    is Discuz!'s ``aid`` for imported attachments (``[attach]aid[/attach]`` in imported
    posts refers to it).
    """

    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
        verbose_name=_("上传者"),
    )
    post = models.ForeignKey(
        "threads.Post",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
        verbose_name=_("帖子"),
    )
    thread = models.ForeignKey(
        "threads.Thread",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
        verbose_name=_("主题"),
    )
    pm_message = models.ForeignKey(
        "pms.Message",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
        verbose_name=_("短消息"),
    )
    filename = models.CharField(_("文件名"), max_length=255)
    stored_name = models.CharField(_("存储名"), max_length=255, unique=True)
    size = models.PositiveBigIntegerField(_("大小 (字节)"))
    content_type = models.CharField(_("类型"), max_length=100)
    is_image = models.BooleanField(_("图片"), default=False)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    thumbnail_name = models.CharField(max_length=255, blank=True)
    downloads = models.PositiveIntegerField(_("下载次数"), default=0)
    created = models.DateTimeField(_("上传时间"), default=timezone.now)
    discuz_aid = models.PositiveIntegerField(null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        indexes = [
            models.Index(fields=["uploader", "created"], name="attachment_uploader_idx"),
            models.Index(fields=["created"], name="attachment_created_idx"),
        ]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("attachments:download", args=[self.pk])

    @property
    def thumbnail_url(self) -> str:
        """URL of the thumbnail (the image itself when it has no separate thumbnail)."""
        return reverse("attachments:thumb", args=[self.pk])

    @property
    def ref(self) -> int:
        """The number ``[attach]N[/attach]`` uses for this attachment in its post's source:
        ``discuz_aid`` for imported attachments, else the primary key."""
        return self.discuz_aid if self.discuz_aid is not None else self.pk
