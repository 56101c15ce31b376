"""Poll test data, built through the posting services."""

from __future__ import annotations

from luntan.polls.services import PollSpec
from luntan.threads.posting import Trust
from luntan.threads.services import PostInput, create_thread
from luntan.threads.tests.factories import make_board, make_user


def make_poll_thread(board=None, author=None, options=("苹果", "香蕉", "橘子"), **spec):
    """A thread with a poll of ``options`` (``spec``: the other :class:`PollSpec` fields)."""
    return create_thread(
        trust=Trust.MODERATOR,
        board=board or make_board(),
        author=author or make_user(),
        subject="你最喜欢哪种水果？",
        body=PostInput("大家来投票，说说最喜欢的水果。", "bbcode"),
        extras={"poll": PollSpec(options=tuple(options), **spec)},
    )
