"""编辑记录 for members: who may see it (author + moderators), 屏蔽 posts, and the diff."""

from __future__ import annotations

import pytest
from django.utils import timezone

from luntan.accounts.models import UserGroup
from luntan.core.tests.pages import seed_thread
from luntan.moderation.models import BannedPost
from luntan.threads.revision_diff import diff_html
from luntan.threads.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited(client):
    """seed.posts[1] (by seed.replier) edited once by its author."""
    seed = seed_thread()
    client.force_login(seed.replier)
    post = seed.posts[1]
    response = client.post(
        f"/p/{post.pk}/edit/",
        {"body": "说得好听，做得真不错？<script>x</script>", "format": "bbcode"},
    )
    assert response.status_code == 302
    client.logout()
    return seed, post


def test_the_author_sees_the_history_with_a_diff(client, edited):
    seed, post = edited
    client.force_login(seed.replier)
    html = client.get(f"/p/{post.pk}/revisions/").content.decode()
    assert "<del>怎么样</del><ins>真不错</ins>" in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x</script>" not in html
    page = client.get(f"/t/{seed.thread.pk}/").content.decode()
    assert f'href="/p/{post.pk}/revisions/"' in page


def test_other_members_and_guests_do_not(client, edited):
    seed, post = edited
    client.force_login(seed.third)
    assert client.get(f"/p/{post.pk}/revisions/").status_code == 403
    page = client.get(f"/t/{seed.thread.pk}/").content.decode()
    assert f'href="/p/{post.pk}/revisions/"' not in page
    client.logout()
    response = client.get(f"/p/{post.pk}/revisions/")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_a_withheld_post_history_is_for_moderators_only(client, edited):
    seed, post = edited
    BannedPost.objects.create(post=post, created=timezone.now())
    client.force_login(seed.replier)
    response = client.get(f"/p/{post.pk}/revisions/")
    assert response.status_code == 403
    assert "真不错" not in response.content.decode()
    client.force_login(make_user(group_id=UserGroup.SUPER_MODERATOR))
    html = client.get(f"/p/{post.pk}/revisions/").content.decode()
    assert "<del>怎么样</del>" in html


def test_diff_marks_single_chinese_characters_and_whole_words():
    assert diff_html("今天天气好", "今天天气很好") == "今天天气<ins>很</ins>好"
    assert diff_html("hello world", "hello there") == "hello <del>world</del><ins>there</ins>"


def test_diff_escapes_everything():
    added = diff_html("旧", "<script>alert(1)</script>")
    assert added == "<del>旧</del><ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>"
    removed = diff_html('<b onclick="x">粗</b>', "粗")
    assert "<b " not in removed and "&lt;b onclick=&quot;x&quot;&gt;" in removed


def test_long_texts_fall_back_to_lines():
    old = "行\n" * 5000
    new = old + "新的一行\n"
    assert diff_html(old, new).endswith("<ins>新的一行\n</ins>")
