"""用户 in a real browser, desktop and 375 px, Chinese and English: an administrator finds
a member by name, bans them for 3 days with a reason, lifts the ban, and unticks a right
of a usergroup. Screenshots: ``admin-center-member-*.png``."""

from __future__ import annotations

import pytest

from luntan.accounts.groups import GroupId
from luntan.accounts.models import User, UserGroup
from luntan.admincenter.tests.helpers import make_admin
from luntan.admincenter.tests.test_browser_admin_center import CASES, _context, _fits
from luntan.bans.models import Ban
from luntan.core.tests.browser import save_screenshot
from luntan.core.tests.pages import configure_site
from luntan.threads.tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("width", "lang"), CASES)
def test_find_ban_unban_and_edit_group(browser, live_server, width, lang):
    configure_site(site_name="老街论坛")
    member = make_user("发广告的人", email="ads@example.com")
    make_user("老实会员")
    context = _context(browser, live_server, width, lang, make_admin())
    page = context.new_page()
    page.goto(f"{live_server.url}/admin-center/members/")
    page.fill("input[name=password]", "pw")
    page.locator(".admin-confirm button[type=submit]").click()
    page.wait_for_load_state()

    page.fill("#id_name", "广告")
    page.locator(".member-search button[type=submit]").click()
    page.wait_for_load_state()
    rows = page.locator(".member-list tbody tr")
    assert rows.count() == 1
    _fits(page, width)
    rows.first.locator("a").click()
    page.wait_for_load_state()

    page.select_option(".member-ban select[name=kind]", "posting")
    page.fill(".member-ban input[name=reason]", "多次发布广告链接")
    page.fill(".member-ban input[name=days]", "3")
    page.locator(".member-ban button[type=submit]").click()
    page.wait_for_load_state()
    assert "多次发布广告链接" in page.locator(".active-ban").inner_text()
    assert User.objects.get(pk=member.pk).group_id == GroupId.BANNED_POSTING
    ban = Ban.objects.get(user=member)
    assert ban.expires_at is not None
    _fits(page, width)
    save_screenshot(page, f"admin-center-member-{width}-{lang}")
    page.locator(".member-unban button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".active-ban").count() == 0
    assert User.objects.get(pk=member.pk).group_id == GroupId.NEWBIE

    page.goto(f"{live_server.url}/admin-center/groups/")
    page.locator(f".group-list a[href$='/groups/{GroupId.REGISTERED}/']").click()
    page.wait_for_load_state()
    page.uncheck("#id_allow_vote")
    page.locator(".group-form button[type=submit]").click()
    page.wait_for_load_state()
    assert not UserGroup.objects.get(pk=GroupId.REGISTERED).allow_vote
    assert not page.locator("#id_allow_vote").is_checked()
    _fits(page, width)
    context.close()


MERGE_TEXT = {
    "zh-hans": {
        "preview": "将把 老街摄影2 合并到 老街摄影",
        "done": "已把 老街摄影2 合并到 老街摄影",
    },
    "en": {
        "preview": "老街摄影2 will be merged into 老街摄影",
        "done": "老街摄影2 has been merged into 老街摄影",
    },
}


@pytest.mark.parametrize(("width", "lang"), CASES)
def test_merge_two_accounts_after_a_preview(browser, live_server, width, lang):
    from luntan.threads.models import Thread
    from luntan.threads.tests.factories import make_board, make_reply, make_thread

    configure_site(site_name="老街论坛")
    board = make_board("摄影")
    keep = make_user("老街摄影")
    drop = make_user("老街摄影2")
    thread = make_thread(board=board, author=drop, subject="小号发的主题")
    make_reply(thread, author=drop)
    context = _context(browser, live_server, width, lang, make_admin())
    page = context.new_page()
    page.goto(f"{live_server.url}/admin-center/members/{drop.pk}/")
    page.fill("input[name=password]", "pw")
    page.locator(".admin-confirm button[type=submit]").click()
    page.wait_for_load_state()

    page.fill("#mm-into", "老街摄影")
    page.locator(".member-merge-preview button[type=submit]").click()
    page.wait_for_load_state()
    preview = page.locator(".merge-preview")
    assert MERGE_TEXT[lang]["preview"] in preview.inner_text()
    assert "2" in preview.locator("li").nth(1).inner_text()  # two posts move
    _fits(page, width)
    save_screenshot(page, f"admin-center-member-merge-{width}-{lang}")
    page.check(".member-merge input[name=confirm]")
    page.locator(".member-merge button[type=submit]").click()
    page.wait_for_load_state()
    assert f"/admin-center/members/{keep.pk}/" in page.url
    assert MERGE_TEXT[lang]["done"] in page.locator(".msgs").inner_text()
    assert not User.objects.filter(pk=drop.pk).exists()
    assert Thread.objects.get(pk=thread.pk).author_id == keep.pk
    assert User.objects.get(pk=keep.pk).posts == 2
    _fits(page, width)
    context.close()


QUEUE_TEXT = {
    "zh-hans": {"approved": "已通过 新会员甲 的注册", "refused": "您的注册申请未通过审核"},
    "en": {"approved": "新会员甲's registration is approved", "refused": "was not approved"},
}


@pytest.mark.parametrize(("width", "lang"), CASES)
def test_registration_queue_approve_and_reject(browser, live_server, width, lang):
    from luntan.accounts.services import register_member
    from luntan.threads.tests.factories import make_board

    configure_site(site_name="老街论坛", registration_mode="manual")
    board = make_board("新闻")
    waiting = []
    for name in ("新会员甲", "新会员乙"):
        user = User(username=name, email=f"{len(waiting)}@example.com")
        user.set_password("pw")
        waiting.append(register_member(user))
    context = _context(browser, live_server, width, lang, make_admin())
    page = context.new_page()
    page.goto(f"{live_server.url}/admin-center/members/")
    page.fill("input[name=password]", "pw")
    page.locator(".admin-confirm button[type=submit]").click()
    page.wait_for_load_state()
    page.locator(".registration-queue-link a").click()
    page.wait_for_load_state()
    assert page.locator(".registration-queue tbody tr[data-member]").count() == 2
    _fits(page, width)
    save_screenshot(page, f"admin-center-registrations-{width}-{lang}")
    page.locator(f"tr[data-member='{waiting[0].pk}'] form.approve button").click()
    page.wait_for_load_state()
    assert QUEUE_TEXT[lang]["approved"] in page.locator(".msgs").inner_text()
    row = page.locator(f".registration-queue tr[data-member='{waiting[1].pk}']")
    row.locator("input[name=reason]").fill("用户名含广告")
    row.locator("form.reject button").click()
    page.wait_for_load_state()
    assert "用户名含广告" in page.locator(".registration-rejected").inner_text()
    assert User.objects.get(pk=waiting[0].pk).group_id == GroupId.NEWBIE
    _fits(page, width)
    context.close()

    # The refused member is told why when they try to post.
    member_context = _context(browser, live_server, width, lang, waiting[1])
    member_page = member_context.new_page()
    member_page.goto(f"{live_server.url}/f/{board.pk}/new/")
    text = member_page.locator("main").inner_text()
    assert QUEUE_TEXT[lang]["refused"] in text and "用户名含广告" in text
    _fits(member_page, width)
    member_context.close()
