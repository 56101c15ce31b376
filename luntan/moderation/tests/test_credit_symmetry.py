"""Every moderation path is symmetric for credits (issue 9 item 17): what a tool takes
back its opposite gives back, so a member's balances, digest count and total credits
return to where they started (Discuz! X3.4 ``updatepostcredits('-'/'+', …)`` in
``topicadmin_delpost.php`` and the recycle bin's restore)."""

from __future__ import annotations

import pytest

from luntan.accounts.models import User
from luntan.credits.models import MemberCredits
from luntan.moderation import services
from luntan.moderation.tests.helpers import assert_counters_rebuildable, make_super_moderator
from luntan.threads import services as posting
from luntan.threads.counters import rebuild_all
from luntan.threads.models import Post, Thread
from luntan.threads.posting import Trust
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db


def wallet() -> dict[str, tuple]:
    """Balances, digest count, total and post counts of every member."""
    out = {}
    for user in User.objects.order_by("pk"):
        row = MemberCredits.objects.filter(pk=user.pk).first()
        balances = tuple(row.balances().values()) if row else (0,) * 8
        digests = row.digestposts if row else 0
        out[user.username] = (balances, digests, user.credits, user.posts, user.threads)
    return out


def floor(thread: Thread, n: int) -> Post:
    return Post.objects.get(thread=thread, floor=n)


def t(thread: Thread) -> Thread:
    return Thread.objects.get(pk=thread.pk)


def make_pending(post: Post) -> None:
    """Put a reply back into the review queue, as the censor or 新帖审核 creates it: the
    award it got as a visible post is given back first, so it holds nothing."""
    posting.delete_post(trust=Trust.MEMBER, post=post, actor=post.author)
    Post.objects.filter(pk=post.pk).update(state=Post.State.PENDING)
    rebuild_all()


# Each path: (name, setup, steps). ``setup`` runs before the starting balances are taken.
def _delete_restore_reply(th, mod):
    services.delete_post(floor(th, 3), actor=mod)
    services.restore_post(floor(th, 3), actor=mod)


def _author_delete_mod_restore(th, mod):
    reply = floor(th, 2)
    posting.delete_post(trust=Trust.MEMBER, post=reply, actor=reply.author)
    services.restore_post(floor(th, 2), actor=mod)


def _delete_op_restore_thread(th, mod):
    services.delete_post(floor(th, 1), actor=mod)
    services.restore_thread(t(th), actor=mod)


def _recycle_restore(th, mod):
    services.recycle_thread(t(th), actor=mod)
    services.restore_thread(t(th), actor=mod)


def _reply_deleted_inside_recycled_thread(th, mod):
    services.delete_post(floor(th, 3), actor=mod)
    services.recycle_thread(t(th), actor=mod)
    services.restore_thread(t(th), actor=mod)
    services.recycle_thread(t(th), actor=mod)
    services.restore_thread(t(th), actor=mod)
    services.restore_post(floor(th, 3), actor=mod)


def _delete_restore_twice(th, mod):
    for _ in range(2):
        services.delete_post(floor(th, 2), actor=mod)
        services.restore_post(floor(th, 2), actor=mod)


def _ban_unban(th, mod):
    services.ban_post(floor(th, 2), actor=mod)
    services.ban_post(floor(th, 2), actor=mod, banned=False)


def _digest_undigest(th, mod):
    services.digest_thread(t(th), actor=mod, level=1)
    services.digest_thread(t(th), actor=mod, level=3)
    services.digest_thread(t(th), actor=mod, level=0)


def _digest_recycle_restore_undigest(th, mod):
    services.digest_thread(t(th), actor=mod, level=2)
    services.recycle_thread(t(th), actor=mod)
    services.restore_thread(t(th), actor=mod)
    services.digest_thread(t(th), actor=mod, level=0)


def _approve_then_delete(th, mod):
    services.approve_post(floor(th, 3), actor=mod)
    services.delete_post(floor(th, 3), actor=mod)


def _reject(th, mod):
    services.reject_post(floor(th, 3), actor=mod)


def _move_there_and_back(th, mod):
    home = t(th).board
    other = make_board("别处", parent=home.parent)
    services.move_thread(t(th), actor=mod, to_board=other)
    services.move_thread(t(th), actor=mod, to_board=home)


def _split(th, mod):
    services.split_thread(t(th), [floor(th, 3).pk], actor=mod, subject="分出来的")


def _recycle_and_restore_both_halves(th, mod):
    new = Thread.objects.get(subject="分出来的")
    services.recycle_thread(t(new), actor=mod)
    services.recycle_thread(t(th), actor=mod)
    services.restore_thread(t(new), actor=mod)
    services.restore_thread(t(th), actor=mod)


def _pending_third(th, mod):
    make_pending(floor(th, 3))


def _merge_then_recycle(th, mod):
    other = make_thread(th.board, User.objects.get(username="bob"), "另一个主题")
    services.merge_threads(other, t(th), actor=mod)


def _recycle_merged(th, mod):
    services.recycle_thread(t(th), actor=mod)
    services.restore_thread(t(th), actor=mod)


PATHS = [
    ("删除/恢复回帖", None, _delete_restore_reply),
    ("作者删除/版主恢复", None, _author_delete_mod_restore),
    ("删除楼主帖/还原主题", None, _delete_op_restore_thread),
    ("回收/还原主题", None, _recycle_restore),
    ("回收站中的已删回帖", None, _reply_deleted_inside_recycled_thread),
    ("删除恢复两次", None, _delete_restore_twice),
    ("屏蔽/解除屏蔽", None, _ban_unban),
    ("精华/取消精华", None, _digest_undigest),
    ("精华主题回收还原后取消精华", None, _digest_recycle_restore_undigest),
    ("审核通过后删除", _pending_third, _approve_then_delete),
    ("审核拒绝", _pending_third, _reject),
    ("移动并移回", None, _move_there_and_back),
    ("分割后回收还原", _split, _recycle_and_restore_both_halves),
    ("合并后回收还原", _merge_then_recycle, _recycle_merged),
]


@pytest.mark.parametrize(("name", "setup", "steps"), PATHS, ids=[p[0] for p in PATHS])
def test_every_moderation_path_returns_credits_to_the_start(name, setup, steps):
    board = make_board()
    th = make_thread(board, make_user("alice"), "主题")
    make_reply(th, make_user("bob"), "第二楼")
    make_reply(th, make_user("carol"), "第三楼")
    make_reply(th, User.objects.get(username="bob"), "第四楼")
    mod = make_super_moderator("超版")
    if setup:
        setup(th, mod)
    start = wallet()
    assert start["bob"][0][1] > 0  # the replies earned something to take back
    steps(th, mod)
    assert wallet() == start
    assert_counters_rebuildable()


def test_restore_reply_gives_back_what_delete_took():
    """The reported case: 426 → 422 → 424. Deleting a reply takes its award back and
    restoring it gives the award back, so the total returns to where it was."""
    th = make_thread(make_board(), make_user("alice"), "主题")
    bob = make_user("bob")
    reply = make_reply(th, bob, "第二楼")
    mod = make_super_moderator("超版")
    before = User.objects.get(pk=bob.pk).credits
    services.delete_post(reply, actor=mod)
    assert User.objects.get(pk=bob.pk).credits < before
    services.restore_post(Post.objects.get(pk=reply.pk), actor=mod)
    assert User.objects.get(pk=bob.pk).credits == before


def test_recycling_a_merged_thread_takes_back_the_joined_op_award():
    """The OP award of a thread merged into another is taken back when the thread it
    joined is recycled, and given back on restore."""
    th = make_thread(make_board(), make_user("alice"), "主题")
    bob = make_user("bob")
    other = make_thread(th.board, bob, "另一个主题")
    mod = make_super_moderator("超版")
    services.merge_threads(other, t(th), actor=mod)
    earned = MemberCredits.objects.get(pk=bob.pk).balances()
    assert earned[2] > 0
    services.recycle_thread(t(th), actor=mod)
    assert MemberCredits.objects.get(pk=bob.pk).balances()[2] == 0
    services.restore_thread(t(th), actor=mod)
    assert MemberCredits.objects.get(pk=bob.pk).balances() == earned
