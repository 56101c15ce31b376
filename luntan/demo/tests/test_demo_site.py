"""``luntan create_demo_site``: what a new user sees after the first ``make run``."""

import re

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from luntan.accounts.models import User
from luntan.boards.models import Board
from luntan.core.models import get_site_settings
from luntan.threads.counters import rebuild_all
from luntan.threads.models import Post, Thread

pytestmark = pytest.mark.django_db


def test_demo_site_prints_a_working_admin_password_once(capsys):
    call_command("create_demo_site", "--if-empty")
    out = capsys.readouterr().out
    password = re.search(r"Administrator: admin / (\S+)", out).group(1)
    admin = authenticate(username="admin", password=password)
    assert admin is not None and admin.is_superuser
    assert get_site_settings().site_name == "luntan 演示论坛"


def test_demo_site_has_boards_threads_floors_and_a_quote_with_consistent_counters(capsys):
    call_command("create_demo_site")
    assert Board.objects.filter(kind=Board.Kind.CATEGORY).count() == 3
    assert Thread.objects.count() >= 5
    story = Thread.objects.get(subject__contains="邻里开放日")
    assert story.type.name == "新闻转播"
    assert list(story.post_set.order_by("floor").values_list("floor", flat=True)) == [1, 2, 3, 4]
    assert 'class="quote' in Post.objects.get(thread=story, floor=3).html
    before = list(Board.objects.order_by("pk").values_list("threads", "posts"))
    rebuild_all()
    assert list(Board.objects.order_by("pk").values_list("threads", "posts")) == before


def test_second_run_with_if_empty_keeps_the_forum_and_the_password(capsys):
    call_command("create_demo_site", "--if-empty")
    password_hash = User.objects.get(username="admin").password
    threads = Thread.objects.count()
    call_command("create_demo_site", "--if-empty")
    assert "already has boards" in capsys.readouterr().out
    assert Thread.objects.count() == threads
    assert User.objects.get(username="admin").password == password_hash


def test_make_run_demo_has_no_counter_drift(capsys):
    """Issue 9 item 28: right after ``make run``'s ``migrate`` and ``create_demo_site
    --if-empty``, ``luntan rebuild_counters --check`` finds nothing to repair (it used to
    find a wrong last thread on 城市新闻), and so does the 修复统计 check."""
    from luntan.threads.counters import check_all

    call_command("create_demo_site", "--if-empty")
    assert [str(d) for d in check_all()] == []
    capsys.readouterr()
    try:
        call_command("rebuild_counters", "--check")
    except SystemExit as exc:  # exit 1 on drift
        raise AssertionError(capsys.readouterr().out) from exc
    assert "No counter drift." in capsys.readouterr().out
    news = Board.objects.get(name="城市新闻")
    assert news.last_thread.subject.startswith("城东社区")  # the newest reply is there
