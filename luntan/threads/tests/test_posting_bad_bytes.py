"""Bad bytes through the posting forms: a NUL character gets a form error that says what
is wrong (not Django's "不允许是用空字符串。"), and a request body over Django's limits
(``DATA_UPLOAD_MAX_MEMORY_SIZE``, ``DATA_UPLOAD_MAX_NUMBER_FIELDS``) gets the site's
Chinese 400 page, without ``DEBUG``, never a 500."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from luntan.core.tests.pages import seed_thread
from luntan.threads.models import Post, Thread
from luntan.threads.tests.factories import make_board, make_user

pytestmark = pytest.mark.django_db

LONG_ENOUGH = "这是一条足够长的回复内容，超过十个字。"
CLEAR = "内容包含不允许的控制字符"
DJANGO_MISLEADING = "不允许是用空字符串"


@pytest.fixture
def member(client):
    user = make_user("发帖人")
    client.force_login(user)
    return user


def token_of(client, url: str) -> str:
    html = client.get(url).content.decode()
    return re.search(r'name="token"[^>]*value="([^"]+)"', html).group(1)


@pytest.mark.parametrize(
    "data",
    [
        {"subject": "标题\x00", "body": LONG_ENOUGH},
        {"subject": "标题", "body": LONG_ENOUGH + "\x00"},
        {"subject": "\x00", "body": "\x00"},
    ],
)
def test_nul_in_a_new_thread_is_a_clear_form_error(client, member, data):
    board = make_board()
    url = f"/f/{board.pk}/new/"
    response = client.post(url, {"format": "bbcode", "token": token_of(client, url), **data})
    html = response.content.decode()
    assert response.status_code == 200
    assert CLEAR in html and DJANGO_MISLEADING not in html
    assert not Thread.objects.exists()


def test_nul_in_a_reply_and_an_edit_is_a_clear_form_error(client, member):
    seed = seed_thread()
    before = Post.objects.count()
    url = f"/t/{seed.thread.pk}/reply/"
    response = client.post(
        url, {"body": "回复\x00" + LONG_ENOUGH, "format": "bbcode", "token": token_of(client, url)}
    )
    html = response.content.decode()
    assert response.status_code == 200 and CLEAR in html and DJANGO_MISLEADING not in html
    assert Post.objects.count() == before

    client.force_login(seed.op_author)
    op = Post.objects.get(thread=seed.thread, floor=1)
    response = client.post(
        f"/p/{op.pk}/edit/",
        {"subject": "新标题\x00", "body": LONG_ENOUGH, "format": "bbcode", "reason": "\x00"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and CLEAR in html and DJANGO_MISLEADING not in html
    assert Thread.objects.get(pk=seed.thread.pk).subject == seed.thread.subject


def test_nul_error_is_english_for_english_readers(client, member):
    board = make_board()
    url = f"/f/{board.pk}/new/"
    client.cookies["django_language"] = "en"
    response = client.post(url, {"subject": "a\x00", "body": LONG_ENOUGH, "format": "bbcode"})
    assert "control character" in response.content.decode()


@pytest.mark.parametrize(
    "body",
    [
        # one field over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB by default)
        lambda: {"body": "长" * (1024 * 1024), "format": "bbcode"},
        # more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000)
        lambda: {f"f{n}": "x" for n in range(1200)},
    ],
    ids=["over-memory-size", "too-many-fields"],
)
def test_an_oversized_request_gets_the_chinese_400_page(settings, body):
    settings.DEBUG = False
    seed = seed_thread()
    user = make_user("发帖人")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    before = Post.objects.count()
    response = client.post(f"/t/{seed.thread.pk}/reply/", body())
    html = response.content.decode()
    assert response.status_code == 400
    assert "抱歉，请求的参数有误" in html and "返回首页" in html
    assert Post.objects.count() == before


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"subject": "标题\x08退格", "body": LONG_ENOUGH}, "标题包含不允许的控制字符"),
        ({"subject": "标题\x01", "body": LONG_ENOUGH}, "标题包含不允许的控制字符"),
        ({"subject": "标题", "body": LONG_ENOUGH + "\x0b"}, CLEAR),
        ({"subject": "标题", "body": "\x1f" + LONG_ENOUGH}, CLEAR),
    ],
)
def test_other_control_characters_in_a_new_thread_are_a_clear_form_error(
    client, member, data, field_error
):
    board = make_board()
    url = f"/f/{board.pk}/new/"
    response = client.post(url, {"format": "bbcode", "token": token_of(client, url), **data})
    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert not Thread.objects.exists()


def test_tab_and_line_breaks_are_still_allowed(client, member):
    board = make_board()
    url = f"/f/{board.pk}/new/"
    body = "第一行\t有制表符\r\n第二行内容足够长了。"
    response = client.post(
        url,
        {"subject": "普通标题", "body": body, "format": "bbcode", "token": token_of(client, url)},
    )
    assert response.status_code == 302
    assert Thread.objects.get().subject == "普通标题"
