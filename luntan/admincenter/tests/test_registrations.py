"""用户 › 审核新用户 (registration mode 人工审核): new members wait in the queue and
cannot post; an administrator approves (新手上路, may post) or rejects with a reason
(the member is told it); each is logged."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from luntan.accounts.groups import GroupId
from luntan.accounts.models import User
from luntan.accounts.services import register_member
from luntan.admincenter import members as services
from luntan.admincenter.tests.helpers import admin_client, make_admin
from luntan.core.tests.pages import configure_site
from luntan.moderation.models import AuditLog
from luntan.permissions import posting_refusal
from luntan.threads.tests.factories import make_board

pytestmark = pytest.mark.django_db


def _register(name: str) -> User:
    user = User(username=name, email=f"{len(name)}{name}@example.com")
    user.set_password("pw")
    return register_member(user, ip="10.0.0.9")


def test_queue_approve_and_reject_with_reason():
    configure_site(registration_mode="manual")
    waiting = _register("新会员甲")
    other = _register("新会员乙")
    assert waiting.group_id == GroupId.AWAITING_VERIFICATION
    assert "等待管理员审核" in posting_refusal(waiting)
    assert list(services.pending_registrations()) == [waiting, other]

    client = admin_client()
    page = client.get("/admin-center/members/").content.decode()
    assert "2 位等待审核" in page
    queue = client.get("/admin-center/members/pending/").content.decode()
    assert "新会员甲" in queue and "新会员乙" in queue

    client.post("/admin-center/members/pending/", {"op": "approve", "member": waiting.pk})
    waiting.refresh_from_db()
    assert waiting.group_id == GroupId.NEWBIE and posting_refusal(waiting) is None

    empty = client.post(
        "/admin-center/members/pending/", {"op": "reject", "member": other.pk}, follow=True
    )
    assert "请填写拒绝的理由" in empty.content.decode()
    client.post(
        "/admin-center/members/pending/",
        {"op": "reject", "member": other.pk, "reason": "用户名含广告"},
    )
    other.refresh_from_db()
    assert other.group_id == GroupId.AWAITING_VERIFICATION
    assert posting_refusal(other) == "您的注册申请未通过审核。理由：用户名含广告"
    assert list(services.pending_registrations()) == []
    assert list(services.rejected_registrations()) == [other]
    assert [e.action for e in AuditLog.objects.order_by("pk")] == [
        "approve_member",
        "reject_member",
    ]
    assert AuditLog.objects.get(action="reject_member").reason == "用户名含广告"

    # A refused member may still be approved later; the refusal goes.
    services.approve_registration(other, actor=make_admin("站长二"))
    other.refresh_from_db()
    assert other.group_id == GroupId.NEWBIE and posting_refusal(other) is None
    with pytest.raises(ValidationError):
        services.approve_registration(other, actor=make_admin("站长三"))


def test_waiting_member_sees_why_they_cannot_post_and_english():
    configure_site(registration_mode="manual")
    board = make_board("新闻")
    member = _register("等待的人")
    client = Client()
    client.force_login(member)
    html = client.get(f"/f/{board.pk}/new/").content.decode()
    assert "您的注册正在等待管理员审核" in html
    services.reject_registration(member, "请换一个用户名", actor=make_admin())
    html = client.get(f"/f/{board.pk}/new/").content.decode()
    assert "未通过审核" in html and "请换一个用户名" in html
    client.cookies["django_language"] = "en"
    html = client.get(f"/f/{board.pk}/new/").content.decode()
    assert "Your registration was not approved. Reason: 请换一个用户名" in html
    admin = admin_client(make_admin("admin"))
    admin.cookies["django_language"] = "en"
    page = admin.get("/admin-center/members/pending/").content.decode()
    assert "Approve new members" in page and "Rejected" in page


def test_members_cannot_approve():
    configure_site(registration_mode="manual")
    waiting = _register("新会员丙")
    client = Client()
    client.force_login(User.objects.get(pk=_register("普通人").pk))
    response = client.post(
        "/admin-center/members/pending/", {"op": "approve", "member": waiting.pk}
    )
    assert response.status_code == 403
    waiting.refresh_from_db()
    assert waiting.group_id == GroupId.AWAITING_VERIFICATION
