"""From the first ``make run`` to an imported site: the demo forum is removed cleanly."""

import pytest
from django.core.management import CommandError, call_command

from luntan.accounts.models import User
from luntan.boards.models import Board
from luntan.core.models import get_site_settings
from luntan.importers.discuz.service import import_site
from luntan.importers.discuz.source import SourceError
from luntan.threads.models import Post, Thread
from luntan.threads.tests.factories import make_board, make_thread

pytestmark = pytest.mark.django_db


def test_import_refuses_while_the_demo_is_there_and_says_how_to_remove_it(capsys):
    call_command("create_demo_site")
    with pytest.raises(SourceError, match="luntan clear_demo_site"):
        import_site(conn=None)
    assert Thread.objects.exists()


def test_clear_demo_site_removes_boards_threads_and_demo_accounts(capsys):
    call_command("create_demo_site")
    call_command("clear_demo_site")
    assert "Demo forum removed" in capsys.readouterr().out
    assert not Board.objects.exists() and not Thread.objects.exists()
    assert not Post.objects.exists()
    assert not User.objects.filter(username="admin").exists()
    site = get_site_settings()
    assert not site.is_demo and site.site_name != "luntan 演示论坛"


def test_clear_demo_site_never_touches_a_real_forum():
    make_thread(make_board("真实版块"), subject="真实的帖子")
    with pytest.raises(CommandError, match="不是演示论坛"):
        call_command("clear_demo_site")
    assert Thread.objects.filter(subject="真实的帖子").exists()


def test_clear_demo_site_refuses_once_a_real_member_has_replied():
    call_command("create_demo_site")
    from luntan.threads.tests.factories import make_reply, make_user

    make_reply(Thread.objects.first(), make_user("真会员"), body="我是真的会员")
    with pytest.raises(CommandError, match="其他会员"):
        call_command("clear_demo_site")
    assert Post.objects.filter(author__username="真会员").exists()


# --- after people posted in the demo: --force (issue 14, item 2) ------------------------------


def _demo_with_a_visitor():
    from luntan.threads.tests.factories import make_reply, make_user

    call_command("create_demo_site")
    visitor = make_user("路过的网友")
    make_reply(Thread.objects.first(), visitor, body="试用一下演示论坛的回复功能")
    return visitor


def test_refusal_says_how_to_go_on(capsys):
    _demo_with_a_visitor()
    with pytest.raises(CommandError, match="--force"):
        call_command("clear_demo_site")
    assert Thread.objects.exists()


def test_dry_run_lists_what_would_go_and_deletes_nothing(capsys):
    _demo_with_a_visitor()
    posts = Post.objects.count()
    call_command("clear_demo_site", "--dry-run")
    out = capsys.readouterr().out
    assert "Would delete:" in out
    assert f"posts:       {posts}" in out
    assert "of them by other members or guests: 1 (路过的网友)" in out
    assert "demo accounts: admin" in out and "老街摄影" in out
    assert "Kept (not demo accounts): 路过的网友" in out
    assert Post.objects.count() == posts and get_site_settings().is_demo


def test_force_deletes_the_demo_and_what_visitors_posted_keeping_their_accounts(capsys):
    visitor = _demo_with_a_visitor()
    call_command("clear_demo_site", "--force")
    out = capsys.readouterr().out
    assert "Deleted:" in out and "路过的网友" in out and "Demo forum removed" in out
    assert not Board.objects.exists() and not Thread.objects.exists()
    assert not Post.objects.exists()
    assert not User.objects.filter(username="admin").exists()
    visitor.refresh_from_db()
    assert visitor.posts == 0 and visitor.threads == 0  # kept, counters recounted
    assert not get_site_settings().is_demo


def test_force_takes_the_demo_posts_out_of_the_search_index():
    from luntan.search.backends import get_backend
    from luntan.search.indexing import index_posts

    call_command("create_demo_site")
    index_posts(Post.objects.values_list("pk", flat=True))  # as the task queue does
    backend = get_backend()
    assert backend.count() == Post.objects.count() > 0
    call_command("clear_demo_site", "--force")
    assert backend.count() == 0
