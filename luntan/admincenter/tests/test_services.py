"""The 管理中心's writes: each goes through a service and leaves an audit log entry."""

from __future__ import annotations

import pytest
from django.core import mail

from luntan.admincenter import services
from luntan.admincenter.tests.helpers import admin_client, make_admin
from luntan.core.models import SiteSettings, get_site_settings
from luntan.moderation.describe import describe_entries
from luntan.moderation.models import AuditLog

pytestmark = pytest.mark.django_db


def _changed(**values) -> SiteSettings:
    row = SiteSettings.objects.filter(pk=1).first() or get_site_settings()
    for key, value in values.items():
        setattr(row, key, value)
    return row


def test_update_site_settings_saves_and_logs_only_what_changed():
    admin = make_admin()
    get_site_settings()
    changed = services.update_site_settings(
        _changed(site_name="老街论坛", icp_number="蜀ICP备07502275号-3"),
        actor=admin,
        fields=["site_name", "icp_number", "police_filing"],
        ip="10.0.0.1",
    )
    assert changed == {"site_name": ("论坛", "老街论坛"), "icp_number": ("", "蜀ICP备07502275号-3")}
    assert get_site_settings().site_name == "老街论坛"
    entry = AuditLog.objects.get(action="site_settings")
    assert entry.actor == admin and entry.ip == "10.0.0.1"
    assert entry.target_type == "site"
    assert entry.before == {"site_name": "论坛", "icp_number": ""}
    assert entry.after == {"site_name": "老街论坛", "icp_number": "蜀ICP备07502275号-3"}
    describe_entries([entry])
    assert "站点名称：论坛 → 老街论坛" in str(entry.change_html)


def test_saving_unchanged_settings_logs_nothing():
    admin = make_admin()
    get_site_settings()
    assert services.update_site_settings(_changed(), actor=admin, fields=["site_name"]) == {}
    assert not AuditLog.objects.exists()


def test_send_test_mail_sends_and_logs():
    admin = make_admin()
    services.send_test_mail("owner@example.com", actor=admin, ip="10.0.0.2")
    assert [m.to for m in mail.outbox] == [["owner@example.com"]]
    assert mail.outbox[0].subject == "测试邮件"
    entry = AuditLog.objects.get(action="test_mail")
    assert entry.after == {"to": "owner@example.com"}


def test_failed_test_mail_logs_nothing(monkeypatch):
    admin = make_admin()

    def broken(self, *args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
    with pytest.raises(OSError):
        services.send_test_mail("owner@example.com", actor=admin)
    assert not AuditLog.objects.exists()


def test_global_page_saves_closes_the_site_and_logs():
    client = admin_client()
    page = client.get("/admin-center/global/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(
        site_name="老街论坛",
        site_closed="on",
        closed_message="系统升级中，预计 22:00 恢复。",
        captcha_first_posts="2",
    )
    response = client.post("/admin-center/global/", data)
    assert response.status_code == 302, response.context["form"].errors
    site = get_site_settings()
    assert site.site_closed and site.captcha_first_posts == 2
    entry = AuditLog.objects.get(action="site_settings")
    assert entry.after["site_closed"] is True


def test_closing_without_a_message_is_a_form_error():
    client = admin_client()
    form = client.get("/admin-center/global/").context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(site_closed="on", closed_message="")
    response = client.post("/admin-center/global/", data)
    assert response.status_code == 200
    assert "关闭站点时请填写关闭原因" in response.content.decode()
    assert not get_site_settings().site_closed
    assert not AuditLog.objects.exists()


def test_test_mail_button_queues_the_mail():
    client = admin_client()
    response = client.post("/admin-center/global/test-mail/", {"to": "owner@example.com"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["owner@example.com"]]
    bad = client.post("/admin-center/global/test-mail/", {"to": "not an address"}, follow=True)
    assert "请填写正确的收件地址" in bad.content.decode()
    assert len(mail.outbox) == 1
