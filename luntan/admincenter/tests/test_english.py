"""An administrator who chose English sees the 管理中心 in English (no Chinese left in the
interface text of its pages)."""

from __future__ import annotations

import pytest

from luntan.admincenter.tests.helpers import admin_client, make_admin
from luntan.core.tests.pages import configure_site
from luntan.core.tests.test_english import leftover_cjk

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/admin-center/", "/admin-center/global/"])
def test_admin_center_pages_are_english(url):
    configure_site(site_name="Test Forum", icp_number="", police_filing="")
    client = admin_client(make_admin("admin"))
    client.cookies["django_language"] = "en"
    html = client.get(url).content.decode()
    assert "Admin center" in html
    assert leftover_cjk(html) == []


def test_board_pages_are_english():
    from luntan.accounts.models import UserGroup
    from luntan.threads.tests.factories import make_board, make_category

    configure_site(site_name="Test Forum", icp_number="", police_filing="")
    for group in UserGroup.objects.all():  # group names are site data (Chinese defaults)
        UserGroup.objects.filter(pk=group.pk).update(name=f"Group {group.pk}")
    # credit and rule names are site data too (版块积分设置 shows them)
    from luntan.credits.models import CreditRule, ExtCredit

    for rule in CreditRule.objects.all():
        CreditRule.objects.filter(pk=rule.pk).update(name=rule.action)
    for ext in ExtCredit.objects.all():
        ExtCredit.objects.filter(pk=ext.pk).update(name=f"credit{ext.pk}")
    board = make_board("News", parent=make_category("Local life"), types=("Events",))
    client = admin_client(make_admin("admin"))
    client.cookies["django_language"] = "en"
    for url in ("/admin-center/boards/", f"/admin-center/boards/{board.pk}/"):
        html = client.get(url).content.decode()
        assert leftover_cjk(html) == [], url


def test_member_and_group_pages_are_english():
    from luntan.accounts.models import UserGroup
    from luntan.threads.tests.factories import make_user

    configure_site(site_name="Test Forum", icp_number="", police_filing="")
    for group in UserGroup.objects.all():
        UserGroup.objects.filter(pk=group.pk).update(name=f"Group {group.pk}")
    member = make_user("alice", email="alice@example.com")
    client = admin_client(make_admin("admin"))
    client.cookies["django_language"] = "en"
    for url in (
        "/admin-center/members/",
        "/admin-center/members/?name=ali",
        f"/admin-center/members/{member.pk}/",
        "/admin-center/groups/",
        "/admin-center/groups/10/",
    ):
        html = client.get(url).content.decode()
        assert leftover_cjk(html) == [], url


def test_content_and_tools_pages_are_english(django_capture_on_commit_callbacks):
    configure_site(site_name="Test Forum", icp_number="", police_filing="")
    client = admin_client(make_admin("admin"))
    client.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin-center/tools/", {"kind": "check_counters"})
    for url, words in [
        ("/admin-center/content/", ["Batch delete", "Import and export", "Days"]),
        ("/admin-center/tools/", ["Check counters", "Rebuild search index", "Done"]),
    ]:
        html = client.get(url).content.decode()
        assert all(w in html for w in words), url
        assert leftover_cjk(html) == [], url
    preview = client.post(
        "/admin-center/content/", {"op": "preview_import", "i-text": "ok=fine\n=x"}
    ).content.decode()
    assert "Line 2" in preview and "1 new, 0 changed" in preview
    assert leftover_cjk(preview) == []
