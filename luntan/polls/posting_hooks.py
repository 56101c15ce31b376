"""The polls' part of the posting pipeline (registered in
:meth:`luntan.polls.apps.PollsConfig.ready`): a new thread whose request carries
``extras["poll"]`` (a :class:`~luntan.polls.services.PollSpec`) gets its poll in the
same transaction, held threads too (the poll shows once the thread is approved)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from luntan import permissions
from luntan.polls.services import PollSpec, create_poll
from luntan.threads.posting import Trust


def poll_on_written(request, result) -> None:
    """The after-write hook: create the poll of ``request.extras["poll"]``.

    Raises ``ValidationError`` (code ``poll``, the thread is rolled back) for a poll on a
    reply, a value that is not a :class:`PollSpec`, a bad spec, or a ``Trust.MEMBER``
    author who may not start polls in the board (:func:`luntan.permissions.can_start_poll`).
    """
    spec = request.extras.get("poll")
    if spec is None:
        return
    if request.thread is not None or not isinstance(spec, PollSpec):
        raise ValidationError(_("只有新主题可以发起投票。"), code="poll")
    if request.trust is Trust.MEMBER and not permissions.can_start_poll(
        request.viewer or request.author, result.thread.board
    ):
        raise ValidationError(_("您没有权限在本版块发起投票。"), code="poll")
    create_poll(result.thread, spec, now=result.post.created)
