"""The search pages: results page, user search, rate limit message."""

import pytest

from luntan.search.tests.helpers import add_reply, make_board, make_thread, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(committed):
    with committed():
        return make_thread(make_board("本地新闻"), subject="开门评警活动", body="民警走访群众")


def test_results_page_links_to_the_floor(client, committed, thread):
    with committed():
        post = add_reply(thread, "民警态度很好")
    response = client.get("/search/", {"q": "民警", "order": "time"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/p/{post.pk}/"' in html
    assert "<mark>民警</mark>" in html
    assert "找到 2 个相关帖子" in html


def test_query_text_is_escaped_everywhere(client, thread):
    response = client.get("/search/", {"q": "<script>alert(1)</script> 民警"})
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_empty_and_invalid_parameters_do_not_fail(client, thread):
    assert client.get("/search/").status_code == 200
    response = client.get("/search/", {"q": "民警", "board": "x", "after": "no", "page": "-3"})
    assert response.status_code == 200
    assert "找到 1 个相关帖子" in response.content.decode()


def test_rate_limit_shows_a_clear_message(client, settings, thread):
    settings.LUNTAN_SEARCH_INTERVAL = 30
    assert client.get("/search/", {"q": "民警"}).status_code == 200
    response = client.get("/search/", {"q": "走访"})
    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    assert "30 秒内只能进行一次搜索" in response.content.decode()
    # Another member has their own interval.
    client.force_login(make_user())
    assert client.get("/search/", {"q": "民警"}).status_code == 200


def test_user_search_by_name(client):
    make_user("老張三")
    make_user("李四")
    make_user("张三丰")
    html = client.get("/search/users/", {"q": "张三"}).content.decode()
    assert "老張三" in html and "张三丰" in html and "李四" not in html
    html = client.get("/search/users/", {"q": "張三"}).content.decode()
    assert "老張三" in html and "张三丰" in html
