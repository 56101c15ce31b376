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
