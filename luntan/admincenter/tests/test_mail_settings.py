"""全局 › 邮件设置: SMTP host/port/user/password/encryption/sender edited in the 管理中心,
the password stored encrypted and never shown back, used by the site's mail backend
(the test mail reaches a real SMTP conversation); each change logged."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import override_settings

from luntan.admincenter.tests.helpers import admin_client
from luntan.core.mail import SiteEmailBackend, decrypt_password, get_mail_settings
from luntan.core.models import MailSettings
from luntan.core.tests.smtp import start_fake_smtp
from luntan.moderation.models import AuditLog

pytestmark = pytest.mark.django_db

SITE_BACKEND = "luntan.core.mail.SiteEmailBackend"


@pytest.fixture
def smtp():
    store, server = start_fake_smtp()
    yield store
    server.shutdown()
    server.server_close()


def _save(client, **fields):
    data = {
        "host": "",
        "port": "587",
        "username": "",
        "security": "none",
        "from_address": "",
        "password": "",
        **fields,
    }
    return client.post("/admin-center/global/mail/", data, follow=True)


def test_saved_settings_are_used_by_the_backend_and_the_password_is_never_shown(smtp):
    client = admin_client()
    response = _save(
        client,
        host="127.0.0.1",
        port=str(smtp.port),
        username="forum@example.com",
        password="s3cret-pw!",
        from_address="老街论坛 <noreply@example.com>",
    )
    html = response.content.decode()
    assert "邮件设置已保存" in html
    assert "s3cret" not in html
    row = MailSettings.objects.get(pk=1)
    assert "s3cret" not in row.password_encrypted
    assert decrypt_password(row.password_encrypted) == "s3cret-pw!"
    log = AuditLog.objects.get(action="site_settings")
    assert log.after["mail_host"] == "127.0.0.1" and log.after["mail_password"] == "set"
    assert "s3cret" not in str(log.before) + str(log.after)

    # An empty password field keeps the stored password.
    _save(
        client,
        host="127.0.0.1",
        port=str(smtp.port),
        username="forum@example.com",
        from_address="老街论坛 <noreply@example.com>",
        security="none",
    )
    assert decrypt_password(MailSettings.objects.get(pk=1).password_encrypted) == "s3cret-pw!"

    with override_settings(EMAIL_BACKEND=SITE_BACKEND):
        sent = client.post("/admin-center/global/test-mail/", {"to": "me@example.com"}, follow=True)
    assert "测试邮件已加入发送队列" in sent.content.decode()
    [got] = smtp.messages
    assert got.recipients == ["me@example.com"]
    assert got.sender == "noreply@example.com"
    assert (got.user, got.password) == ("forum@example.com", "s3cret-pw!")
    with override_settings(EMAIL_BACKEND=SITE_BACKEND):
        page = client.get("/admin-center/global/").content.decode()
    assert f"127.0.0.1:{smtp.port}" in page and "s3cret" not in page


def test_clear_password_bad_values_and_fallback_to_the_environment():
    client = admin_client()
    _save(client, host="smtp.example.com", password="pw1")
    assert get_mail_settings().password_encrypted
    _save(client, host="smtp.example.com", clear_password="on")
    assert get_mail_settings().password_encrypted == ""
    bad = _save(
        client, host="smtp.example.com", port="70000", from_address="不是地址", password="密码"
    )
    assert bad.status_code == 400
    assert "请填写正确的发件地址" in bad.content.decode()
    assert "SMTP 密码只能包含" in bad.content.decode()
    assert get_mail_settings().port == 587
    # No host: the environment's backend (locmem in tests via LUNTAN_ENV_EMAIL_BACKEND).
    _save(client, host="")
    with override_settings(
        LUNTAN_ENV_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
    ):
        backend = SiteEmailBackend()
        assert backend.inner.__class__.__module__.endswith("locmem")
        mail.EmailMessage("s", "b", None, ["a@example.com"], connection=backend).send()
    assert len(mail.outbox) == 1


def test_english_labels():
    client = admin_client()
    client.cookies["django_language"] = "en"
    html = client.get("/admin-center/global/").content.decode()
    assert "Save mail settings" in html and "SMTP password" in html


def test_a_new_server_is_not_sent_the_stored_password():
    """Pointing 邮件设置 at another server must not hand it the saved password: whoever
    changes the host (a careless admin, a hijacked admin session) types it again."""
    client = admin_client()
    _save(client, host="smtp.example.com", username="forum", password="s3cret-pw!")
    moved = _save(client, host="smtp.attacker.example", username="forum")
    assert moved.status_code == 400
    assert "更换 SMTP 服务器时请重新输入密码" in moved.content.decode()
    assert get_mail_settings().host == "smtp.example.com"
    # Typing the password (or clearing it) moves the settings.
    _save(client, host="smtp2.example.com", username="forum", password="n3w-pw")
    assert get_mail_settings().host == "smtp2.example.com"
    _save(client, host="smtp3.example.com", username="forum", clear_password="on")
    row = get_mail_settings()
    assert row.host == "smtp3.example.com" and row.password_encrypted == ""
