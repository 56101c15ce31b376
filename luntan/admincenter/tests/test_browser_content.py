"""内容 in a real browser, desktop and 375 px, Chinese and English: an administrator
imports censor words (a bad line is shown and refused, then fixed), bans an IP, and batch
deletes a spammer's posts after the preview; the thread lands in the recycle bin."""

from __future__ import annotations

import pytest

from luntan.admincenter.tests.helpers import make_admin
from luntan.admincenter.tests.test_browser_admin_center import CASES, _context, _fits
from luntan.bans.models import IPBan
from luntan.censor.models import CensorWord
from luntan.core.tests.browser import save_screenshot
from luntan.core.tests.pages import configure_site
from luntan.threads.models import Thread
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "zh-hans": {"will": "将删除 1 个主题和 1 个回复", "line": "第 2 行"},
    "en": {"will": "1 threads and 1 replies will be deleted", "line": "Line 2"},
}


@pytest.mark.parametrize(("width", "lang"), CASES)
def test_censor_import_ip_ban_and_batch_delete(browser, live_server, width, lang):
    configure_site(site_name="老街论坛")
    board = make_board("新闻")
    spammer, member = make_user("广告哥"), make_user("老会员")
    spam = make_thread(board, spammer, "代开发票请加微信", ip="10.0.0.5")
    good = make_thread(board, member, "周末拍照", ip="10.9.9.9")
    make_reply(good, spammer, "加微信有优惠", ip="10.0.0.5")
    context = _context(browser, live_server, width, lang, make_admin())
    page = context.new_page()
    page.goto(f"{live_server.url}/admin-center/content/")
    page.fill("input[name=password]", "pw")
    page.locator(".admin-confirm button[type=submit]").click()
    page.wait_for_load_state()
    _fits(page, width)

    page.fill("#id_i-text", "代开发票={BANNED}\n=空\n")
    page.locator(".censor-import button[value=preview_import]").click()
    page.wait_for_load_state()
    assert TEXT[lang]["line"] in page.locator(".import-errors").inner_text()
    assert page.locator(".censor-import button[value=import]").count() == 0
    page.fill("#id_i-text", "代开发票={BANNED}\n加微信={MOD}\n")
    page.locator(".censor-import button[value=preview_import]").click()
    page.wait_for_load_state()
    assert "代开发票" in page.locator(".import-changes").inner_text()
    page.locator(".censor-import button[value=import]").click()
    page.wait_for_load_state()
    assert "加微信" in page.locator(".censor-list").inner_text()
    assert CensorWord.objects.count() == 2

    page.fill("#id_b-pattern", "10.0.0.*")
    page.locator(".add-ipban button[type=submit]").click()
    page.wait_for_load_state()
    assert "10.0.0.*" in page.locator(".ipban-list").inner_text()
    assert IPBan.objects.filter(pattern="10.0.0.*").exists()

    page.fill("#id_d-username", "广告哥")
    page.fill("#id_d-reason", "广告")
    page.locator(".batch-delete button[value=preview_batch]").click()
    page.wait_for_load_state()
    preview = page.locator(".batch-preview").inner_text()
    assert TEXT[lang]["will"] in preview and "代开发票请加微信" in preview
    _fits(page, width)
    save_screenshot(page, f"admin-center-content-{width}-{lang}")
    page.locator(".batch-preview button[value=batch_delete]").click()
    page.wait_for_load_state()
    assert Thread.objects.get(pk=spam.pk).state == Thread.State.RECYCLED
    page.goto(f"{live_server.url}/mod/recyclebin/")
    assert "代开发票请加微信" in page.content()
    context.close()
