"""Who may upload and download attachments (re-exported by :mod:`luntan.permissions`).

Board lists ``download_groups`` (Discuz! ``getattachperm``) and ``upload_groups``
(``postattachperm``) decide alone when set; otherwise the group rights ``allow_download``
(``allowgetattach``) and ``allow_upload`` (``allowpostattach``) do; a member's
per-board override (访问权限, Discuz! ``forum_access`` ``allowgetattach``/
``allowpostattach``) decides before both.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from luntan.boards.models import Board
from luntan.permissions.boards import board_allows, can_read_board, check_read_board
from luntan.permissions.posting import posting_refusal
from luntan.permissions.viewer import ViewerLike, as_viewer


def can_download(viewer: ViewerLike, board: Board) -> bool:
    """May the viewer download (non-image) attachments of ``board``'s threads? Readable
    board and ``download_groups`` or the group's ``allow_download``."""
    v = as_viewer(viewer)
    if not can_read_board(v, board):
        return False
    return board_allows(v, board, board.download_groups, v.rights.allow_download, "allow_download")


def check_download(viewer: ViewerLike, board: Board) -> None:
    """Raise ``PermissionDenied`` (with the reason) unless :func:`can_download`; the
    board's own refusals (``Http404``, password) first."""
    v = as_viewer(viewer)
    check_read_board(v, board)
    if not can_download(v, board):
        if not v.is_authenticated:
            raise PermissionDenied(_("您需要登录后才可以下载附件。"))
        raise PermissionDenied(_("抱歉，您所在的用户组没有下载附件的权限。"))


def can_upload(viewer: ViewerLike, board: Board | None = None) -> bool:
    """May the viewer upload attachments (to ``board``; ``None``: before the post is bound
    to a board, by the group right alone)?"""
    try:
        check_upload(viewer, board)
    except PermissionDenied:
        return False
    return True


def check_upload(viewer: ViewerLike, board: Board | None = None) -> None:
    """Raise ``PermissionDenied`` unless the viewer may upload (see :func:`can_upload`):
    members who may post, then ``board.upload_groups`` or the group's ``allow_upload``."""
    v = as_viewer(viewer)
    reason = posting_refusal(v)
    if reason:
        raise PermissionDenied(reason)
    right = v.rights.allow_upload
    if board is not None and not can_read_board(v, board):
        raise PermissionDenied(_("该版块不存在或您没有权限访问。"))
    if board is None:
        ok = right or v.is_staff_moderator
    else:
        ok = board_allows(v, board, board.upload_groups, right, "allow_upload")
    if not ok:
        raise PermissionDenied(_("抱歉，您所在的用户组没有上传附件的权限。"))
