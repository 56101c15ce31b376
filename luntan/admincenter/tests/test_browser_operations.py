"""运营 in a real browser, desktop and 375 px, Chinese and English: an administrator
publishes an announcement and adds a friend link; a guest sees the announcement on the
index and on a board page and the friend link on the index."""

from __future__ import annotations

import pytest

from luntan.admincenter.tests.helpers import make_admin
from luntan.admincenter.tests.test_browser_admin_center import CASES, _context, _fits
from luntan.core.tests.browser import save_screenshot
from luntan.core.tests.pages import configure_site
from luntan.threads.tests.factories import make_board

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("width", "lang"), CASES)
def test_announcement_and_friend_link(browser, live_server, width, lang):
    configure_site(site_name="老街论坛")
    board = make_board("新闻")
    context = _context(browser, live_server, width, lang, make_admin())
    page = context.new_page()
    page.goto(f"{live_server.url}/admin-center/operations/")
    page.fill("input[name=password]", "pw")
    page.locator(".admin-confirm button[type=submit]").click()
    page.wait_for_load_state()
    _fits(page, width)

    page.fill("#id_a-title", "端午节摄影活动开始报名")
    page.fill("#id_a-message", "报名截止 6 月 20 日")
    page.locator(".add-announcement button[type=submit]").click()
    page.wait_for_load_state()
    assert "端午节摄影活动开始报名" in page.locator(".announcement-list").inner_text()

    page.select_option("#id_l-kind", "friend")
    page.fill("#id_l-name", "老街摄影网")
    page.fill("#id_l-url", "https://photo.example.com/")
    page.locator(".add-link button[type=submit]").click()
    page.wait_for_load_state()
    assert "老街摄影网" in page.locator(".link-list").inner_text()
    save_screenshot(page, f"admin-center-operations-{width}-{lang}")

    guest = _context(browser, live_server, width, lang).new_page()
    guest.goto(f"{live_server.url}/")
    assert "端午节摄影活动开始报名" in guest.locator(".announcements").inner_text()
    assert guest.locator(".friend-links a[href='https://photo.example.com/']").is_visible()
    _fits(guest, width)
    save_screenshot(guest, f"admin-center-index-announcement-{width}-{lang}")
    guest.goto(f"{live_server.url}/f/{board.pk}/")
    assert "报名截止 6 月 20 日" in guest.locator(".announcements").inner_text()
    guest.context.close()
    context.close()
