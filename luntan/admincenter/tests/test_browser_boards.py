"""论坛 in a real browser, desktop and 375 px, Chinese and English: an administrator
creates a board, ticks the permission matrix, sets its 发表主题 credits, moves it up with the arrow, then drags it to
the top, and merges
another board (with its threads) into it. Screenshots: ``admin-center-boards-*.png``."""

from __future__ import annotations

import pytest

from luntan.accounts.groups import GroupId
from luntan.admincenter.tests.helpers import make_admin
from luntan.admincenter.tests.test_browser_admin_center import CASES, _context, _fits
from luntan.boards.models import Board
from luntan.core.tests.browser import save_screenshot
from luntan.core.tests.pages import configure_site
from luntan.credits import services as credit_services
from luntan.credits.defaults import ensure_defaults
from luntan.credits.models import CreditRule
from luntan.moderation.models import AuditLog
from luntan.threads.tests.factories import make_board, make_category, make_reply, make_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "zh-hans": {"credits": "版块积分设置已保存"},
    "en": {"credits": "The board's credits are saved"},
}


@pytest.mark.parametrize(("width", "lang"), CASES)
def test_create_permissions_order_and_merge(browser, live_server, width, lang):
    configure_site(site_name="老街论坛")
    ensure_defaults()  # the credit rules, gone after a transactional flush
    cat = make_category("本地生活")
    make_board("新闻", parent=cat)
    old = make_board("旧二手版", parent=cat)
    thread = make_thread(board=old)
    make_reply(thread)
    context = _context(browser, live_server, width, lang, make_admin())
    page = context.new_page()
    page.goto(f"{live_server.url}/admin-center/boards/")
    page.fill("input[name=password]", "pw")
    page.locator(".admin-confirm button[type=submit]").click()
    page.wait_for_load_state()
    _fits(page, width)

    page.fill("#nb-name", "二手市场")
    page.select_option("#nb-parent", str(cat.pk))
    page.locator(".new-board button[type=submit]").click()
    page.wait_for_load_state()
    board = Board.objects.get(name="二手市场")
    assert page.url.endswith(f"/admin-center/boards/{board.pk}/")

    # 发表回复: only 注册会员 and 管理员.
    for gid in (GroupId.REGISTERED, GroupId.ADMIN):
        page.locator(f".perm-matrix input[name=perm-reply_groups][value='{gid}']").check()
    page.locator(".board-perms button[type=submit]").click()
    page.wait_for_load_state()
    board.refresh_from_db()
    assert board.reply_groups == sorted([GroupId.ADMIN, GroupId.REGISTERED])
    assert page.locator(
        f".perm-matrix input[name=perm-reply_groups][value='{GroupId.REGISTERED}']"
    ).is_checked()
    save_screenshot(page, f"admin-center-board-{width}-{lang}")

    # 积分设置: 发表主题 here gives 10 金钱 instead of the site's 2.
    rule = CreditRule.objects.get(action="post")
    page.fill(f"input[name=cr-{rule.pk}-2]", "10")
    page.locator(".board-credits button[type=submit]").click()
    page.wait_for_load_state()
    assert TEXT[lang]["credits"] in page.locator(".msgs").inner_text()
    assert page.locator(f"input[name=cr-{rule.pk}-2]").input_value() == "10"
    assert credit_services.effective_deltas("post", board.pk) == {2: 10}
    _fits(page, width)

    # ↑ on the tree: 二手市场 goes above 旧二手版.
    page.goto(f"{live_server.url}/admin-center/boards/")
    page.locator(f"#board-{board.pk} button[value=up]").click()
    page.wait_for_load_state()
    names = page.locator(".board-tree tbody tr td:first-child a").all_inner_texts()
    assert names.index("二手市场") < names.index("旧二手版")
    assert names.index("新闻") < names.index("二手市场")

    # Drag 二手市场 onto 新闻: it takes the first place (saved, the page reloads).
    with page.expect_navigation():
        page.locator(f"#board-{board.pk} td:first-child").drag_to(
            page.locator(".board-tree tbody tr", has_text="新闻").locator("td").nth(1)
        )
    names = page.locator(".board-tree tbody tr td:first-child a").all_inner_texts()
    assert names.index("二手市场") < names.index("新闻") < names.index("旧二手版")
    assert AuditLog.objects.filter(action="board_order", target_id=board.pk).count() == 2
    _fits(page, width)
    save_screenshot(page, f"admin-center-boards-{width}-{lang}")

    # Merge 旧二手版 into 二手市场: its thread and counters follow.
    page.goto(f"{live_server.url}/admin-center/boards/{old.pk}/")
    page.select_option("#mg-target", str(board.pk))
    page.locator(".board-merge button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/admin-center/boards/{board.pk}/")
    assert not Board.objects.filter(pk=old.pk).exists()
    board.refresh_from_db()
    assert (board.threads, board.posts) == (1, 2)
    context.close()
