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
