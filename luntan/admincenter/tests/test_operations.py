"""运营: announcements on the index and board pages within their dates, friend links on
the index, navigation links in the header; each write logged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from luntan.admincenter import operations as services
from luntan.admincenter.tests.helpers import admin_client, make_admin
from luntan.core.models import Announcement, SiteLink
from luntan.core.tests.pages import configure_site
from luntan.moderation.models import AuditLog
from luntan.threads.tests.factories import make_board

pytestmark = pytest.mark.django_db


def _announce(title, start_days, end_days=None, **kw):
    now = timezone.now()
    return services.add_announcement(
        Announcement(
            title=title,
            starts_at=now + timedelta(days=start_days),
            ends_at=None if end_days is None else now + timedelta(days=end_days),
            **kw,
        ),
        actor=make_admin(f"admin{abs(hash(title)) % 100000}"),
    )


def test_announcements_show_on_index_and_board_pages_within_their_dates():
    configure_site()
    board = make_board("新闻")
    _announce("端午节活动", -1, 5, message="欢迎参加", url="/f/1/")
    _announce("还没开始", 2)
    _announce("已经结束", -5, -1)
    for url in ("/", f"/f/{board.pk}/"):
        html = Client().get(url).content.decode()
        assert "端午节活动" in html and "欢迎参加" in html
        assert "还没开始" not in html and "已经结束" not in html
    assert AuditLog.objects.filter(action="announcement").count() == 3


def test_announcement_must_end_after_it_starts():
    with pytest.raises(ValidationError):
        _announce("倒着的", 2, 1)
    assert not Announcement.objects.exists()


def test_friend_and_nav_links_and_deleting_them():
    configure_site()
    admin = make_admin()
    friend = services.add_link(
        SiteLink(kind="friend", name="老街摄影网", url="https://photo.example.com/"), actor=admin
    )
    services.add_link(SiteLink(kind="nav", name="活动专区", url="/f/3/"), actor=admin)
    html = Client().get("/").content.decode()
    assert 'href="https://photo.example.com/"' in html and "友情链接" in html
    assert 'class="nav-custom" href="/f/3/">活动专区' in html
    services.delete_link(friend, actor=admin)
    assert "老街摄影网" not in Client().get("/").content.decode()
    assert AuditLog.objects.filter(action="site_link").count() == 3


def test_javascript_links_are_refused():
    client = admin_client()
    response = client.post(
        "/admin-center/operations/",
        {
            "op": "add_link",
            "l-kind": "nav",
            "l-name": "坏链接",
            "l-url": "javascript:alert(1)",
            "l-display_order": "0",
        },
    )
    assert response.status_code == 200
    assert not SiteLink.objects.exists()


def test_operations_page_adds_an_announcement():
    client = admin_client()
    assert client.get("/admin-center/operations/").status_code == 200
    response = client.post(
        "/admin-center/operations/",
        {
            "op": "add_announcement",
            "a-title": "论坛升级通知",
            "a-message": "",
            "a-url": "",
            "a-starts_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "a-ends_at": "",
            "a-display_order": "0",
        },
    )
    assert response.status_code == 302
    assert "论坛升级通知" in Client().get("/").content.decode()


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/admin-center/operations/", {"op": "delete_announcement", "pk": "abc"}),
        ("/admin-center/operations/", {"op": "delete_link", "pk": "1x"}),
        ("/admin-center/members/{member}/", {"op": "group", "group": "管理员"}),
        ("/admin-center/boards/{board}/", {"op": "delete_type", "type": "x"}),
        ("/admin-center/boards/{board}/", {"op": "move", "parent": "1 OR 1=1"}),
        ("/admin-center/boards/{board}/", {"op": "merge", "target": "-1"}),
    ],
)
def test_a_malformed_id_in_an_admin_center_post_is_404_not_500(url, data):
    """A hand-made POST with a non-numeric id (a stale page, a typo, a scanner) gets the
    404 page, never a 500 (``get_object_or_404`` raised ``ValueError`` on ``pk='abc'``)."""
    admin = make_admin()
    board = make_board("新闻")
    client = admin_client(admin)
    client.raise_request_exception = False
    response = client.post(url.format(member=admin.pk, board=board.pk), data)
    assert response.status_code == 404


@pytest.mark.parametrize(
    "url", ["/\\evil.example.com/", "/\t/evil.example.com/", "//evil.example.com/"]
)
def test_a_site_path_that_browsers_read_as_another_site_is_refused(url):
    """``/\\evil.example.com`` looks like a path on this site but browsers follow it to
    ``evil.example.com``: a link or announcement URL must not smuggle one in."""
    from luntan.core.models import validate_link_url

    with pytest.raises(ValidationError):
        validate_link_url(url)
    validate_link_url("/f/1/")
