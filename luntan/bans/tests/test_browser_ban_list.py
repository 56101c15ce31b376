"""小黑屋 on a phone (375 px, issue 14 item 4): Chinese member names stay on one line (the
table scrolls sideways instead of squeezing the name column to one character a line); the
reason still wraps. Desktop for comparison."""

from __future__ import annotations

import pytest

from luntan.accounts.models import UserGroup
from luntan.bans import services
from luntan.bans.models import Ban
from luntan.core.tests.browser import save_screenshot
from luntan.core.tests.pages import configure_site
from luntan.threads.tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = ["老街摄影爱好者", "江南水乡人家", "小城故事多"]


@pytest.mark.parametrize("width", [375, 1280])
def test_names_in_the_ban_list_stay_on_one_line(browser, live_server, width):
    configure_site()
    admin = make_user("管理员老王", group_id=UserGroup.ADMIN)
    for name in NAMES:
        services.ban_member(
            make_user(name, group_id=11),
            kind=Ban.Kind.POSTING,
            reason="多次在各个版块发布与本地生活无关的广告链接，屡教不改，禁言处理",
            operator=admin,
        )
    page = browser.new_page(locale="zh-CN", viewport={"width": width, "height": 800})
    page.goto(f"{live_server.url}/bans/")
    for name in [*NAMES, "管理员老王"]:
        cell = page.locator(".ban-list td", has_text=name).first
        lines = cell.evaluate(
            "el => { const r = document.createRange(); r.selectNodeContents(el);"
            " const line = parseFloat(getComputedStyle(el).lineHeight)"
            " || 1.5 * parseFloat(getComputedStyle(el).fontSize);"
            " return r.getBoundingClientRect().height / line; }"
        )
        assert lines < 1.5, (name, lines)  # one line: not one character a line
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # the table scrolls
    save_screenshot(page, f"bans-list-{width}")
    page.close()
