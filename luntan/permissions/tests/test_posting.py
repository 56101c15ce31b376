"""Who may start threads, reply, edit and delete."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from luntan import permissions
from luntan.accounts.models import UserGroup
from luntan.threads.models import Thread
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("group_id", "allowed"),
    [
        (UserGroup.NEWBIE, True),
        (11, True),
        (UserGroup.ADMIN, True),
        (UserGroup.BANNED_POSTING, False),
        (UserGroup.BANNED_VISITING, False),
        (UserGroup.AWAITING_VERIFICATION, False),
    ],
)
def test_groups_that_may_start_threads_and_reply(group_id, allowed):
    board = make_board()
    thread = make_thread(board)
    user = make_user(group_id=group_id)
    assert permissions.can_reply(user, thread) is allowed
    if allowed:
        permissions.check_start_thread(user, board)
    else:
        with pytest.raises(PermissionDenied):
            permissions.check_start_thread(user, board)


def test_guest_is_told_to_log_in():
    with pytest.raises(PermissionDenied, match="登录"):
        permissions.check_reply(AnonymousUser(), make_thread())


def test_closed_thread_takes_replies_only_from_its_moderators():
    board = make_board()
    thread = make_thread(board)
    Thread.objects.filter(pk=thread.pk).update(closed=True)
    thread.refresh_from_db()
    member, board_mod = make_user(), make_user(group_id=UserGroup.MODERATOR)
    board.moderators.add(board_mod)
    assert not permissions.can_reply(member, thread)
    assert permissions.can_reply(board_mod, thread)
    other_board_mod = make_user(group_id=UserGroup.MODERATOR)
    make_board("别的版块").moderators.add(other_board_mod)
    assert not permissions.can_reply(other_board_mod, thread)


def test_author_edits_within_the_window_and_moderators_always():
    author = make_user()
    post = make_reply(make_thread(), author)
    later = post.created + timedelta(seconds=120)
    permissions.check_edit_post(author, post, window_seconds=0, now=later)
    permissions.check_edit_post(author, post, window_seconds=300, now=later)
    with pytest.raises(PermissionDenied, match="时间"):
        permissions.check_edit_post(author, post, window_seconds=60, now=later)
    with pytest.raises(PermissionDenied):
        permissions.check_edit_post(make_user(), post, window_seconds=0)
    permissions.check_edit_post(
        make_user(group_id=UserGroup.SUPER_MODERATOR), post, window_seconds=60, now=later
    )


def test_author_may_not_delete_an_op_that_has_replies():
    author = make_user()
    thread = make_thread(author=author)
    op = thread.post_set.get(floor=1)
    permissions.check_delete_post(author, op)
    make_reply(thread)
    thread.refresh_from_db()
    op.thread = thread
    with pytest.raises(PermissionDenied, match="楼主"):
        permissions.check_delete_post(author, op)
    permissions.check_delete_post(make_user(group_id=UserGroup.ADMIN), op)
