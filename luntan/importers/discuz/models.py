"""Bookkeeping rows the Discuz! importer keeps beside the imported data.

Most imported rows carry their Discuz! id in a ``discuz_*`` column of their own model
(``User.discuz_uid``, ``Board.discuz_fid``, ``Thread.discuz_tid``, ``Post.discuz_pid``,
``ThreadType.discuz_typeid``). Two things have no such column and live here:

- :class:`ImportedUserGroup`: a custom Discuz! usergroup (``common_usergroup.groupid`` above
  the 19 default ones, which keep their ids as primary keys) and the local group made for it;
- :class:`MovedThreadStub`: a moved-thread redirect stub (``forum_thread.closed`` > 1) that is
  not imported as a thread; its old tid still resolves to the moved thread.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedUserGroup(models.Model):
    """A custom Discuz! usergroup (``groupid`` > 19) and the local group created for it."""

    discuz_groupid = models.PositiveIntegerField(unique=True)
    group = models.ForeignKey("accounts.UserGroup", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("导入的用户组")
        verbose_name_plural = _("导入的用户组")

    def __str__(self) -> str:
        return f"{self.discuz_groupid} → {self.group_id}"


class MovedThreadStub(models.Model):
    """A Discuz! moved-thread stub: ``forum_thread`` row ``discuz_tid`` whose ``closed`` column
    holds ``target_discuz_tid``, the tid of the moved thread (移动主题时保留转向)."""

    discuz_tid = models.PositiveIntegerField(unique=True)
    target_discuz_tid = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("移动主题转向")
        verbose_name_plural = _("移动主题转向")

    def __str__(self) -> str:
        return f"{self.discuz_tid} → {self.target_discuz_tid}"


class PendingIndex(models.Model):
    """Posts of one committed import batch not yet confirmed in the search index.

    Written in the batch's transaction and deleted once the batch was indexed (after
    commit); a row left behind means the run was killed in between, and the next run
    indexes those posts first, so a resumed import leaves the search index whole.
    ``discuz_pids``: the Discuz! ``pid`` values of the batch's created or changed posts.
    """

    discuz_pids = models.JSONField(default=list)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{len(self.discuz_pids)} posts"
