"""Who may be told of a post or thread (提醒): a notice names a thread and links a floor,
so it goes only to a member who may read them now (Discuz! X3.4 sends ``notification_add``
without such a check; luntan does not leak hidden boards, held, 屏蔽 or password posts).
"""

from __future__ import annotations

from typing import Any

from luntan.permissions.boards import is_moderator
from luntan.permissions.post_passwords import is_locked, post_password
from luntan.permissions.threads import can_view_thread
from luntan.permissions.viewer import ViewerLike, as_viewer

#: ``threads.Post.State.VISIBLE`` (this layer sits below ``threads``).
VISIBLE = 0


def may_read_for_notice(
    viewer: ViewerLike, thread: Any, post: Any | None = None, *, banned: bool = False
) -> bool:
    """True when ``viewer`` (the would-be recipient, with no board or post password typed)
    may read ``thread`` (:func:`can_view_thread`: hidden boards, group view lists, read
    levels, board passwords; a thread not NORMAL only for its board's moderators) and,
    when given, ``post``: VISIBLE (not held, recycled or deleted), not 屏蔽 (``banned``,
    which the caller looks up) unless the viewer moderates the board, and not a locked
    password post (密码帖: its author and the board's moderators only). No query when
    the thread's board tree is loaded."""
    viewer = as_viewer(viewer)
    if not can_view_thread(viewer, thread):
        return False
    if post is None:
        return True
    if post.state == VISIBLE and not banned and post_password(post.source) is None:
        return True  # the common case: no moderator lookup
    moderator = is_moderator(viewer, thread.board)
    if post.state != VISIBLE and not moderator:
        return False
    if banned and not moderator:
        return False
    return not is_locked(post, viewer.user, moderator=moderator, unlocked=None)
