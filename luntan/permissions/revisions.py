"""Who may see a post's 编辑记录 (edit history) — re-exported by :mod:`luntan.permissions`.

Rule (docs/revisions.md): the board's moderators, and the post's author. Discuz! X3.4 keeps no
history (only "本帖最后由 … 编辑"); Discourse shows revisions to everyone who can read the post.
luntan takes the narrower rule because an earlier version may hold what the current one no
longer shows: a section since wrapped in [hide]/[password], or text removed on purpose. The
author wrote every version, so nothing is revealed to them that they did not already know.
A 屏蔽 (moderator-withheld) post's history is for moderators only: its author sees the
notice, not the content, on the thread page (Discuz! ``viewthread_procpost``), and the same here.
Deleted posts show no history. Reading the thread itself (board access, read level) is
checked first by :func:`luntan.permissions.check_view_thread`.
"""

from __future__ import annotations

from typing import Any

from luntan.permissions.viewer import ViewerLike, as_viewer


def can_view_revisions(
    viewer: ViewerLike, post: Any, *, withheld: bool, moderator: bool | None = None
) -> bool:
    """Whether ``viewer`` may see the edit history of ``post`` (a threads ``Post``).

    ``withheld``: the post is 屏蔽 (moderation's ``is_banned``). ``moderator``: whether the
    viewer moderates the post's board, when the caller knows (else ``post.thread.board``
    is read). Returns ``True`` for the board's moderators; for the author (signed in) when
    the post is neither deleted nor withheld; ``False`` otherwise.
    """
    v = as_viewer(viewer)
    if not v.is_authenticated:
        return False
    if moderator is None:
        moderator = v.moderates(post.thread.board)
    if moderator:
        return True
    if withheld or post.state == post.State.DELETED:
        return False
    return bool(post.author_id) and post.author_id == v.pk
