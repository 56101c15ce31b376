"""收藏 / 订阅 in a real browser at desktop width and at 375 px: from the thread's 收藏
link to the buttons, then 我的收藏 from the header, and removing it there."""

from __future__ import annotations

import pytest
from django.test import Client

from luntan.core.tests.browser import save_screenshot
from luntan.favorites.models import Favorite, Follow
from luntan.threads.tests.factories import make_board, make_thread, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width,height,name", [(1280, 900, "desktop"), (375, 812, "mobile")])
def test_favourite_follow_and_list(browser, live_server, width, height, name):
    board = make_board(f"收藏版{name}")
    thread = make_thread(board, subject=f"值得收藏的主题{name}")
    member = make_user(f"收藏者{name}")
    client = Client()
    client.force_login(member)
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/t/{thread.pk}/")
    page.locator("a.fl-fav").click()
    page.wait_for_url("**/favorite/")
    page.get_by_role("button", name="收藏", exact=True).click()
    page.wait_for_url(f"**/t/{thread.pk}/")
    assert "已收藏。" in page.content()
    page.locator("a.fl-fav").click()
    page.get_by_role("button", name="订阅", exact=True).click()
    page.wait_for_url(f"**/t/{thread.pk}/")
    assert Favorite.objects.filter(user=member, thread=thread).exists()
    assert Follow.objects.filter(user=member, thread=thread).exists()

    page.locator("a.favs").click()
    page.wait_for_url("**/favorites/")
    assert page.get_by_role("link", name=thread.subject).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    save_screenshot(page, f"favorites-mine-{name}")
    page.get_by_role("button", name="取消收藏").click()
    page.wait_for_url(f"**/t/{thread.pk}/")
    assert not Favorite.objects.filter(user=member).exists()
    context.close()
