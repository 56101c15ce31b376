"""Credits' part of the posting pipeline (registered by
:class:`luntan.credits.apps.CreditsConfig`): the 发帖/回复 rewards when a post is counted
(not while it waits for review) and their revoke when a post or thread is deleted."""

from __future__ import annotations

from luntan.credits import services as credits
from luntan.threads.posting import hooks


def award_post(request, result) -> None:
    """Reward a counted new post: ``post`` for a new thread (related: the thread),
    ``reply`` for a reply (related: the post), amounts from the board's override."""
    post, thread = result.post, result.thread
    if post.floor == 1:
        credits.award(
            post.author_id, "post", board=thread.board_id, related=thread, now=post.created
        )
    else:
        credits.award(
            post.author_id, "reply", board=thread.board_id, related=post, now=post.created
        )


def revoke_deleted(request, post, thread, before_state) -> None:
    """Take back what a deleted reply, or a thread moved to the recycle bin, earned."""
    if post.floor == 1:
        credits.revoke_thread(thread, now=request.now)
    else:
        credits.revoke_post(post, now=request.now)


def register() -> None:
    """Register the hooks with :mod:`luntan.threads.posting.hooks`."""

    hooks.register_on_created(award_post)
    hooks.register_on_deleted(revoke_deleted)
