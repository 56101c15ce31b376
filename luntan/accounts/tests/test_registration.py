"""Registration (马上注册): usergroup by the site's mode, e-mail verification by link,
manual approval, the captcha, and mail sent through the task queue."""

from __future__ import annotations

import pytest
from django.core import mail

from luntan.accounts.models import User, UserGroup
from luntan.accounts.tests.helpers import last_link, signup, solve_from_page
from luntan.permissions.posting import posting_refusal

pytestmark = pytest.mark.django_db


def test_email_mode_waits_for_the_link_then_joins_newbies(client, site_mode):
    site_mode("email")
    response = signup(client, "新会员甲", "jia@example.com")
    assert response.status_code == 302
    member = User.objects.get(username="新会员甲")
    assert member.group_id == UserGroup.AWAITING_VERIFICATION
    assert posting_refusal(member)  # 等待验证会员 cannot post
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jia@example.com"]
    assert "测试论坛" in message.subject and "验证" in message.subject
    link = last_link("/accounts/confirm-email/")
    page = client.get(link)  # GET only shows the confirmation button
    assert page.status_code == 200 and "新会员甲" in page.content.decode()
    member.refresh_from_db()
    assert member.group_id == UserGroup.AWAITING_VERIFICATION
    client.post(link)
    member.refresh_from_db()
    assert member.group_id == UserGroup.NEWBIE
    assert posting_refusal(member) is None
    assert member.emailaddress_set.get().verified


def test_the_registration_ip_is_kept(client, site_mode):
    site_mode("none")
    client.defaults["REMOTE_ADDR"] = "203.0.113.9"
    signup(client, "有地址的人", "ip@example.com")
    assert User.objects.get(username="有地址的人").register_ip == "203.0.113.9"


def test_none_mode_joins_newbies_at_once_without_mail(client, site_mode):
    site_mode("none")
    signup(client, "直接会员", "zhijie@example.com")
    member = User.objects.get(username="直接会员")
    assert member.group_id == UserGroup.NEWBIE
    assert mail.outbox == []
    assert "直接会员" in client.get("/").content.decode()  # logged in


def test_manual_mode_waits_for_an_administrator(client, admin_client, site_mode):
    site_mode("manual")
    signup(client, "待审会员", "shen@example.com")
    member = User.objects.get(username="待审会员")
    assert member.group_id == UserGroup.AWAITING_VERIFICATION
    response = admin_client.post(
        "/admin/accounts/user/",
        {"action": "approve_registration", "_selected_action": [member.pk]},
        follow=True,
    )
    assert "已批准 1 位会员的注册" in response.content.decode()
    member.refresh_from_db()
    assert member.group_id == UserGroup.NEWBIE


def test_manual_mode_is_not_passed_by_confirming_the_email(client, site_mode):
    site_mode("manual")
    signup(client, "待审会员", "shen@example.com")
    member = User.objects.get(username="待审会员")
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.get(user=member)
    from luntan.accounts import services

    address.verified = True
    address.save()
    assert services.confirm_member(member) is False
    member.refresh_from_db()
    assert member.group_id == UserGroup.AWAITING_VERIFICATION


def test_signup_needs_a_solved_captcha_when_it_is_on(client, site_mode, settings):
    settings.LUNTAN_CAPTCHA = True
    site_mode("none")
    page = client.get("/accounts/signup/")
    assert 'class="captcha-box lt-captcha"' in page.content.decode()
    assert "/static/accounts/captcha.js" in page.content.decode()  # our own static file
    assert "//cdn" not in page.content.decode()

    refused = signup(client, "机器人", "bot@example.com")
    assert refused.status_code == 200 and "请完成人机验证" in refused.content.decode()
    forged = signup(client, "机器人", "bot@example.com", captcha="eyJhbGdvcml0aG0iOiAxfQ==")
    assert forged.status_code == 200 and "人机验证" in forged.content.decode()
    assert not User.objects.filter(username="机器人").exists()

    payload = solve_from_page(page.content.decode())
    accepted = signup(client, "真人会员", "human@example.com", captcha=payload)
    assert accepted.status_code == 302
    assert User.objects.filter(username="真人会员").exists()

    client.post("/accounts/logout/")
    replayed = signup(client, "再来一次", "again@example.com", captcha=payload)
    assert replayed.status_code == 200 and "该验证已使用过" in replayed.content.decode()
    assert not User.objects.filter(username="再来一次").exists()


def test_signup_has_no_captcha_when_the_setting_is_off(client, site_mode):
    site_mode("none")
    assert "lt-captcha" not in client.get("/accounts/signup/").content.decode()


def test_mail_goes_through_the_database_task_queue(client, site_mode, settings):
    """With the database backend the request only queues the mail; the worker sends it."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    site_mode("email")
    signup(client, "排队会员", "queue@example.com")
    assert mail.outbox == []
    queued = DBTaskResult.objects.get()
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=1,
        worker_id="test",
        excluded_queue_names=[],
    )
    worker.run_task(queued)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["queue@example.com"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body
