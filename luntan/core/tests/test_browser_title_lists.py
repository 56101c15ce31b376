"""Long thread titles in every list of thread titles on a phone (375 px), issue 9 item 24:
search results, 我的收藏, the archive's board list, the moderators' recycle bin (one or
two lines, then an ellipsis) and the board index's 最后发表 (one line). The whole title is
in the link's ``title`` (hover) and, but on the index (a Discuz! excerpt), in the link.
The board's own thread list has its test in ``boardpages/tests/test_browser_long_titles.py``.
Screenshots: ``test-output/screenshots/title-list-*.png``."""

from __future__ import annotations

import pytest
from django.test import Client

from luntan.accounts.models import UserGroup
from luntan.core.tests.browser import save_screenshot
from luntan.favorites.services import add_favorite
from luntan.moderation.threads import recycle_thread
from luntan.threads.tests.factories import make_board, make_thread, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = ("警察蜀黍提醒大家注意防范电信诈骗，这是一个非常非常长的主题标题用来检查手机上的列表" * 2)[
    :80
]
WIDTH = 375


def _logged_in(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="zh-CN", viewport={"width": WIDTH, "height": 800})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context.new_page()


def _line_height(page, element) -> float:
    return page.evaluate(
        "el => parseFloat(getComputedStyle(el).lineHeight)"
        " || 1.5 * parseFloat(getComputedStyle(el).fontSize)",
        element,
    )


def _check(page, link_selector: str, name: str, *, lines: int = 2, full_text: bool = True):
    """The first link matching ``link_selector``: full title in ``title`` (and in its
    text), its clamped box at most ``lines`` lines high and cut (not overflowing), no
    sideways scrolling."""
    link = page.locator(link_selector).first
    assert link.get_attribute("title") == LONG
    if full_text:
        assert LONG in (link.text_content() or "")
    box_el = link.evaluate_handle("el => el.closest('.t-clamp') || el")
    box = box_el.as_element().bounding_box()
    line = _line_height(page, box_el)
    assert box["height"] <= lines * line + 4, (name, box, line)
    cut = page.evaluate(
        "el => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1",
        box_el,
    )
    assert cut or not full_text, name  # the rest is hidden behind the ellipsis
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, name
    save_screenshot(page, f"title-list-{name}")


def test_long_titles_are_clamped_in_every_thread_list(browser, live_server, settings):
    settings.LUNTAN_SEARCH_INTERVAL = 0
    board = make_board("长标题版")
    member = make_user("长标题会员")
    thread = make_thread(board, member, subject=LONG, body="正文里有诈骗两个字，方便搜索。")
    add_favorite(member, thread=thread)
    gone = make_thread(board, member, subject=LONG, body="这一帖会进回收站。")
    admin = make_user("管理员丙", group_id=UserGroup.ADMIN)
    recycle_thread(gone, actor=admin)

    page = _logged_in(browser, live_server, member)
    page.goto(f"{live_server.url}/search/?q=诈骗")
    _check(page, ".search-hit a.subject", "search")
    page.goto(f"{live_server.url}/favorites/")
    _check(page, "a.subject", "favorites")
    page.goto(f"{live_server.url}/archiver/f/{board.pk}/")
    _check(page, "a.t-clamp", "archiver")
    page.goto(f"{live_server.url}/")
    _check(page, "a.last-sub", "index", lines=1, full_text=False)

    page = _logged_in(browser, live_server, admin)
    page.goto(f"{live_server.url}/mod/recyclebin/")
    _check_cell = page.locator(".t-clamp").first
    assert _check_cell.get_attribute("title") == LONG
    assert LONG in (_check_cell.text_content() or "")
    box = _check_cell.bounding_box()
    assert box["height"] <= 2 * _line_height(page, _check_cell.element_handle()) + 4, box
    save_screenshot(page, "title-list-recyclebin")
