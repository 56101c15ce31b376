"""Long thread titles in a board's thread list on a phone (375 px): at most two lines with
an ellipsis; the whole title is in the link and in its tooltip (``title``)."""

from __future__ import annotations

import pytest

from luntan.core.tests.browser import save_screenshot
from luntan.threads.tests.factories import make_board, make_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "这是一个非常非常长的主题标题，用来检查手机上的主题列表是否只显示两行并以省略号结尾" * 2
LATIN = "Averyveryverylongwordwithoutanyspacesthatwouldoverflowthecolumn" * 2


@pytest.mark.parametrize("subject", [LONG[:80], LATIN[:80]])
def test_a_long_title_takes_at_most_two_lines_on_a_phone(browser, live_server, subject):
    board = make_board()
    make_thread(board, subject=subject)
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(f"{live_server.url}/f/{board.pk}/")
    link = page.locator(".threads a.subject").first
    assert link.get_attribute("title") == subject
    assert link.text_content() == subject
    cell = link.locator("xpath=ancestor::th[1]")
    box = cell.bounding_box()
    line = page.evaluate(
        "el => parseFloat(getComputedStyle(el).lineHeight)"
        " || 1.5 * parseFloat(getComputedStyle(el).fontSize)",
        link.element_handle(),
    )
    assert box["height"] <= 2 * line + 4, (box, line)
    clamped = page.evaluate(
        "el => { const c = el.firstElementChild || el; return c.scrollHeight > c.clientHeight + 1; }",
        cell.element_handle(),
    )
    if subject == LONG[:80]:  # 80 CJK characters are far more than two lines here
        assert clamped  # the rest is cut (the ellipsis), not overflowing
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    save_screenshot(page, f"board-long-title-{'cjk' if subject == LONG[:80] else 'latin'}")
