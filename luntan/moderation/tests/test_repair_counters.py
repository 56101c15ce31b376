"""``luntan rebuild_counters`` never lowers a top floor and has a check mode; the
administrators' 修复统计 page shows the check, then repairs (issue 9 item 16)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from luntan.accounts.models import User, UserGroup
from luntan.boards.models import Board
from luntan.moderation.models import AuditLog
from luntan.moderation.tests.helpers import make_moderator, make_super_moderator
from luntan.threads.models import Post, Thread
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum():
    board = make_board("新闻")
    thread = make_thread(board, make_user("alice"), "主题")
    for n in range(3):
        make_reply(thread, make_user(f"楼友{n}"), f"第{n + 2}楼")
    thread.refresh_from_db()
    return board, thread


def drift(board: Board, thread: Thread) -> None:
    """Counters wrong the way a crash or a manual SQL fix leaves them."""
    Thread.objects.filter(pk=thread.pk).update(replies=99)
    Board.objects.filter(pk=board.pk).update(posts=1, last_thread=None)
    User.objects.filter(username="alice").update(posts=7)


def run(*args) -> tuple[int, str]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("rebuild_counters", *args, stdout=out)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_rebuild_never_lowers_a_top_floor(forum):
    board, thread = forum
    top = Post.objects.get(thread=thread, floor=4)
    Post.objects.filter(pk=top.pk).delete()  # the top post gone for good (a purge)
    assert run() == (0, run()[1])
    thread.refresh_from_db()
    assert thread.max_floor == 4  # floor 4 was given: the next reply is floor 5
    assert make_reply(thread, make_user()).floor == 5
    assert run("--check")[0] == 0


def test_check_reports_drift_and_changes_nothing(forum):
    board, thread = forum
    assert run("--check") == (0, run("--check")[1])
    drift(board, thread)
    code, out = run("--check")
    assert code == 1
    assert f"thread {thread.pk} replies: 99 → 3" in out
    assert f"board {board.pk} posts: 1 → 4" in out
    assert "member" in out and "posts: 7 → 1" in out
    # nothing changed
    assert Thread.objects.get(pk=thread.pk).replies == 99
    assert Board.objects.get(pk=board.pk).posts == 1
    # the rebuild repairs it, and the check is clean again
    assert run()[0] == 0
    assert run("--check")[0] == 0
    assert Thread.objects.get(pk=thread.pk).replies == 3


def test_admin_page_shows_the_check_then_repairs(forum):
    board, thread = forum
    drift(board, thread)
    admin = make_user("站长", group_id=UserGroup.ADMIN)
    c = Client()
    c.force_login(admin)
    page = c.get("/mod/counters/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "修复统计" in text and "99" in text and "主题" in text
    assert Thread.objects.get(pk=thread.pk).replies == 99  # looking changes nothing
    r = c.post("/mod/counters/")
    assert r.status_code == 302
    assert Thread.objects.get(pk=thread.pk).replies == 3
    assert Board.objects.get(pk=board.pk).posts == 4
    entry = AuditLog.objects.get(action="repair_counters")
    assert entry.actor == admin and entry.after["fixed"] >= 3
    after = c.get("/mod/counters/").content.decode()
    assert "没有发现偏差" in after


@pytest.mark.parametrize("who", ["super", "mod", "member", "guest"])
def test_only_administrators_repair(forum, who):
    board, thread = forum
    drift(board, thread)
    users = {
        "super": make_super_moderator("超版"),
        "mod": make_moderator(board, "版主"),
        "member": make_user("路人"),
        "guest": None,
    }
    c = Client()
    if users[who] is not None:
        c.force_login(users[who])
    assert c.get("/mod/counters/").status_code in (302, 403)
    assert c.post("/mod/counters/").status_code in (302, 403)
    assert Thread.objects.get(pk=thread.pk).replies == 99


def test_rebuild_recomputes_totals_whose_formula_fields_changed(forum):
    """Issue 9 item 26 seen from the rebuild: a member whose stored total does not match
    the formula (posts grew, total stayed) is drift, and the rebuild recomputes it, as it
    does for members whose post count it corrects."""
    board, thread = forum
    alice = User.objects.get(username="alice")
    right = alice.credits
    User.objects.filter(pk=alice.pk).update(credits=right - 5)
    code, out = run("--check")
    assert code == 1 and f"member {alice.pk} credits: {right - 5} → {right}" in out
    run()
    assert User.objects.get(pk=alice.pk).credits == right
    # posts drift: the rebuild corrects the post count and the total follows it
    User.objects.filter(pk=alice.pk).update(posts=40, credits=right + 39)
    run()
    assert User.objects.get(pk=alice.pk).credits == right
    assert run("--check")[0] == 0
