"""Anonymous posts (imported from Discuz!) never reveal their author."""

import pytest

from luntan.threads.counters import rebuild_all
from luntan.threads.models import Post, Thread
from luntan.threads.tests.factories import make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread_with_anonymous_op_reply():
    op_author = make_user("楼主本人")
    thread = make_thread(author=op_author, subject="匿名测试")
    make_reply(thread, body="普通回复")
    secret = make_reply(thread, op_author, body="这是匿名说的悄悄话")
    # Imported Discuz! anonymous posts keep their author but are shown as 匿名.
    Post.objects.filter(pk=secret.pk).update(is_anonymous=True)
    Thread.objects.filter(pk=thread.pk).update(last_poster_name="")
    return thread, op_author, secret


def test_only_this_author_leaves_out_their_anonymous_posts(client, thread_with_anonymous_op_reply):
    thread, op_author, _secret = thread_with_anonymous_op_reply
    page = client.get(f"/t/{thread.pk}/?author={op_author.pk}").content.decode()
    assert "楼主的正文内容" in page
    assert "悄悄话" not in page


def test_anonymous_reply_by_the_op_has_no_op_badge(client, thread_with_anonymous_op_reply):
    thread, _op_author, _secret = thread_with_anonymous_op_reply
    page = client.get(f"/t/{thread.pk}/").content.decode()
    floors = page.split('id="pid')
    floor = next(chunk for chunk in floors if "悄悄话" in chunk)
    assert "匿名" in floor
    assert "opbadge" not in floor
    assert "楼主本人" not in floor


def test_rebuild_keeps_an_anonymous_last_poster_anonymous(thread_with_anonymous_op_reply):
    thread, _op_author, _secret = thread_with_anonymous_op_reply
    rebuild_all()
    thread.refresh_from_db()
    assert thread.last_poster_name == ""
