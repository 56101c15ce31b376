"""会员访问权限 (per-member board access, Discuz! ``forum_access``) in a real browser,
desktop and 375 px, Chinese and English: an administrator refuses one member the board,
the member's board page is then 404 while another member's is not, and the
administrator removes the override again. Screenshots: ``admin-center-board-access-*``."""

from __future__ import annotations

import pytest

from luntan.admincenter.tests.helpers import make_admin
from luntan.admincenter.tests.test_browser_admin_center import CASES, _context, _fits
from luntan.boards.models import BoardAccess
from luntan.core.tests.browser import save_screenshot
from luntan.core.tests.pages import configure_site
from luntan.threads.tests.factories import make_board, make_category, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "zh-hans": {"saved": "会员访问权限已保存", "removed": "会员访问权限已删除", "deny": "禁止"},
    "en": {"saved": "Member access saved", "removed": "Member access removed", "deny": "Deny"},
}


@pytest.mark.parametrize(("width", "lang"), CASES)
def test_admin_refuses_then_restores_a_members_access(browser, live_server, width, lang):
    configure_site(site_name="老街论坛")
    board = make_board("二手市场", parent=make_category("本地生活"))
    refused, other = make_user("小张"), make_user("小李")
    context = _context(browser, live_server, width, lang, make_admin())
    page = context.new_page()
    page.goto(f"{live_server.url}/admin-center/boards/{board.pk}/")
    page.fill("input[name=password]", "pw")
    page.locator(".admin-confirm button[type=submit]").click()
    page.wait_for_load_state()

    page.fill("#ba-user", "小张")
    page.select_option("#ba-allow_view", "-1")
    page.locator(".board-access button[type=submit]").click()
    page.wait_for_load_state()
    assert TEXT[lang]["saved"] in page.locator(".msgs").inner_text()
    row = page.locator(".access-list tbody tr", has_text="小张")
    assert TEXT[lang]["deny"] in row.inner_text()
    assert BoardAccess.objects.get(board=board, user=refused).allow_view == -1
    _fits(page, width)
    save_screenshot(page, f"admin-center-board-access-{width}-{lang}")

    member = _context(browser, live_server, width, lang, refused).new_page()
    assert member.goto(f"{live_server.url}/f/{board.pk}/").status == 404
    assert (
        _context(browser, live_server, width, lang, other)
        .new_page()
        .goto(f"{live_server.url}/f/{board.pk}/")
        .ok
    )

    row.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert TEXT[lang]["removed"] in page.locator(".msgs").inner_text()
    assert not BoardAccess.objects.filter(board=board).exists()
    assert member.goto(f"{live_server.url}/f/{board.pk}/").ok
