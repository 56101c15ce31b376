"""The one place that answers "may this viewer see / do this?".

Plain functions in the style of Misago's ``misago/permissions`` and Discourse's guardian:
``can_*`` return a bool, ``check_*`` raise (``Http404`` when the thing must not be revealed
to exist, ``PermissionDenied`` with a message otherwise) and ``filter_*_queryset`` narrow
listings and search. Views, search, attachments and the archiver call these; nothing else
decides visibility.

Every function takes the viewer first: a :class:`~luntan.permissions.viewer.Viewer`,
built once per request as ``request.viewer`` (usergroup rights, moderated boards, boards
unlocked by password, ban). During the transition a ``User``/``AnonymousUser`` is
accepted too (:func:`~luntan.permissions.viewer.as_viewer`); views pass
``request.viewer``.

The functions live per domain and are re-exported here: :mod:`.boards` (see, read,
passwords, listings), :mod:`.threads` (threads, posts, read levels), :mod:`.posting`
(post, reply, edit, delete, review queue, captcha), :mod:`.polls` (start a poll, vote,
results, voters), :mod:`.pms` (短消息: send, recipients, read),
:mod:`.favorites` (收藏, 订阅), :mod:`.moderation` (moderate,
report, rate, ban members), :mod:`.modrights` (what a moderator may do: the
usergroup's moderation rights, Discuz! ``common_admingroup``), :mod:`.attachments` (upload, download), :mod:`.markup`
(``[hide]``, images, HTML), :mod:`.admin` (site settings, IP bans), :mod:`.mfa` (staff
two-factor policy). Group ids are named
in :mod:`luntan.accounts.groups`. This package imports ``accounts``, ``boards`` and
``core`` only; data of apps above it (bans, rating groups) comes through
:mod:`.registry`.

Rights come from two places, as in Discuz! X3.4 (``source/function/function_forum.php``
``forumperm()`` and ``forumdisplay``/``viewthread``/``post.php``):

1. the viewer's usergroup (:mod:`luntan.permissions.groups`, cached, no query):
   ``allow_visit``, ``read_access``, ``allow_post``, ``allow_reply``, ``allow_download``,
   ``allow_upload``, ``allow_post_image``, ``allow_hide_code``, ``allow_html``;
2. the board (columns of the board row the page already loaded, no query):
   ``view_groups`` (viewperm; inherited by sub-boards), ``post_groups`` (postperm),
   ``reply_groups`` (replyperm), ``download_groups`` (getattachperm), ``upload_groups``
   (postattachperm) — a non-empty list decides alone which groups may, overriding the
   group right as Discuz! does — ``is_hidden`` (status 0; inherited) and ``password``.

Rules:

- administrators (管理员, group 1, or superusers) and super moderators (group 2) see and read every
  board, hidden, restricted or with a password, and may do everything;
- a board's own moderators (版主) also see it when it is hidden or restricted, skip its
  password and lists (one query, asked only when a rule would otherwise refuse);
- a group without ``allow_visit`` (禁止访问, 禁止 IP) sees nothing;
- a board is *viewable* when neither it nor an ancestor is hidden or lists
  ``view_groups`` without the viewer's group; its threads are *readable* when it is
  viewable, the group's ``read_access`` is above 0 (or the board's own ``view_groups``
  names the group, as Discuz! lets viewperm override readaccess) and its password, if
  any, was given this session;
- threads are readable when their board is and they are NORMAL; posts when their thread
  is and they are VISIBLE;
- guests, 等待验证会员 and the banned groups (禁止发言, 禁止访问, 禁止 IP) never write; other
  groups start threads / reply / upload / download by the board's list or, without one,
  by their group right.

Thread read levels (阅读权限, Discuz! ``forum_thread.readperm``): a thread whose
``read_level`` is above the viewer's group ``read_access`` stays in lists, but its posts
are not shown (:class:`ThreadReadLevelDenied` from :func:`check_view_thread`; the thread
page shows the OP's header and the message), nor found by search
(:func:`filter_posts_queryset`), except to the thread's author and the board's
moderators, as Discuz!'s ``forum_viewthread.php`` exempts them.
"""

from __future__ import annotations

from luntan.permissions.admin import (
    can_ban_ips,
    can_edit_site_settings,
    can_use_admin_center,
    is_administrator,
    passes_ip_bans,
    passes_site_closed,
)
from luntan.permissions.attachments import can_download, can_upload, check_download, check_upload
from luntan.permissions.boards import (
    HIDDEN_BOARD_GROUPS,
    BoardPasswordRequired,
    board_locked,
    can_read_board,
    can_view_board,
    check_read_board,
    check_view_board,
    denied_board_ids,
    filter_boards_queryset,
    is_moderator,
    sees_hidden_boards,
    viewer_group_id,
    viewer_rights,
    visible_boards,
)
from luntan.permissions.favorites import check_favorite_board, check_favorite_thread
from luntan.permissions.markup import (
    can_post_images,
    can_use_hide_code,
    can_use_html,
    check_markup_rights,
)
from luntan.permissions.mfa import has_second_factor, is_mfa_staff, must_set_up_mfa
from luntan.permissions.moderation import (
    can_ban_members,
    check_moderate_board,
    check_moderate_post,
    check_moderate_thread,
    check_move_thread,
    check_rate_post,
    check_repair_counters,
    check_report_post,
    is_global_moderator,
    may_rate,
    moderated_board_ids,
    move_target_boards,
)
from luntan.permissions.modrights import (
    MODERATION_RIGHTS,
    check_moderation_right,
    has_moderation_right,
    moderates_with,
)
from luntan.permissions.pms import (
    can_read_reported_pm,
    can_send_pm,
    check_report_pm,
    check_send_pm,
    check_view_conversation,
    daily_pm_limit,
    pm_recipient_refusal,
    pm_send_refusal,
)
from luntan.permissions.polls import (
    can_see_poll_results,
    can_see_poll_voters,
    can_start_poll,
    can_vote,
    check_vote,
    poll_ended,
)
from luntan.permissions.posting import (
    PostingRights,
    can_reply,
    can_start_thread,
    captcha_required_for,
    check_delete_post,
    check_edit_post,
    check_reply,
    check_start_thread,
    new_post_needs_review,
    posting_limits_apply,
    posting_refusal,
    posting_rights,
)
from luntan.permissions.revisions import can_view_revisions
from luntan.permissions.threads import (
    ThreadReadLevelDenied,
    can_set_read_level,
    can_view_thread,
    check_view_thread,
    filter_posts_queryset,
    filter_threads_queryset,
    read_level_choices,
    read_level_denies,
)
from luntan.permissions.viewer import Viewer, ViewerLike, as_viewer

__all__ = [
    "MODERATION_RIGHTS",
    "check_moderation_right",
    "has_moderation_right",
    "moderates_with",
    "can_view_revisions",
    "can_read_reported_pm",
    "can_send_pm",
    "check_report_pm",
    "check_send_pm",
    "check_view_conversation",
    "daily_pm_limit",
    "pm_recipient_refusal",
    "pm_send_refusal",
    "check_favorite_board",
    "check_favorite_thread",
    "can_see_poll_results",
    "can_see_poll_voters",
    "can_start_poll",
    "can_vote",
    "check_vote",
    "poll_ended",
    "HIDDEN_BOARD_GROUPS",
    "BoardPasswordRequired",
    "PostingRights",
    "ThreadReadLevelDenied",
    "Viewer",
    "ViewerLike",
    "as_viewer",
    "board_locked",
    "can_ban_ips",
    "can_ban_members",
    "can_download",
    "can_edit_site_settings",
    "can_post_images",
    "can_read_board",
    "can_reply",
    "can_set_read_level",
    "can_start_thread",
    "can_upload",
    "can_use_hide_code",
    "can_use_html",
    "can_view_board",
    "can_view_thread",
    "captcha_required_for",
    "check_delete_post",
    "check_download",
    "check_edit_post",
    "check_markup_rights",
    "check_moderate_board",
    "check_moderate_post",
    "check_moderate_thread",
    "check_move_thread",
    "check_repair_counters",
    "move_target_boards",
    "check_rate_post",
    "check_read_board",
    "check_reply",
    "check_report_post",
    "check_start_thread",
    "check_upload",
    "check_view_board",
    "check_view_thread",
    "denied_board_ids",
    "filter_boards_queryset",
    "filter_posts_queryset",
    "filter_threads_queryset",
    "is_administrator",
    "can_use_admin_center",
    "passes_site_closed",
    "has_second_factor",
    "is_mfa_staff",
    "must_set_up_mfa",
    "is_global_moderator",
    "is_moderator",
    "may_rate",
    "moderated_board_ids",
    "new_post_needs_review",
    "passes_ip_bans",
    "posting_limits_apply",
    "posting_refusal",
    "posting_rights",
    "read_level_choices",
    "read_level_denies",
    "sees_hidden_boards",
    "viewer_group_id",
    "viewer_rights",
    "visible_boards",
]
