"""管理人员必须启用两步验证: who must set up a second factor, and the redirect of staff
pages (管理中心, moderation) to 设置 › 两步验证 while the site setting is on."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client

from luntan import permissions
from luntan.accounts.groups import GroupId
from luntan.accounts.tests.helpers import activate_totp
from luntan.core.models import get_site_settings
from luntan.moderation.tests.helpers import make_moderator, make_super_moderator
from luntan.permissions.viewer import Viewer
from luntan.threads.tests.factories import make_board, make_user

pytestmark = pytest.mark.django_db


def _require(on: bool = True) -> None:
    site = get_site_settings()
    site.require_staff_mfa = on
    site.save()  # clears the cached settings


def _staff():
    return {
        "admin": make_user("站长", group_id=GroupId.ADMIN),
        "super_moderator": make_super_moderator("超版"),
        "moderator": make_moderator(make_board("新闻"), "版主"),
        "intern": make_user("实习", group_id=GroupId.INTERN_MODERATOR),
        "board_moderator": _board_moderator(),
    }


def _board_moderator():
    """A 版主 set in 管理中心 › 论坛: an ordinary member in ``Board.moderators``."""
    user = make_user("会员版主", group_id=GroupId.REGISTERED)
    make_board("体育").moderators.add(user)
    return user


def test_off_by_default_nobody_must_set_it_up():
    assert get_site_settings().require_staff_mfa is False
    for user in _staff().values():
        assert permissions.must_set_up_mfa(Viewer(user)) is False


def test_on_staff_without_a_second_factor_must_set_it_up():
    for name, user in _staff().items():
        assert permissions.is_mfa_staff(Viewer(user)), name
        assert permissions.must_set_up_mfa(Viewer(user), required=True), name
    member = make_user("普通会员", group_id=GroupId.REGISTERED)
    assert not permissions.is_mfa_staff(Viewer(member))
    assert permissions.must_set_up_mfa(Viewer(member), required=True) is False
    assert permissions.must_set_up_mfa(Viewer(None), required=True) is False


def test_an_authenticator_app_or_a_passkey_counts_recovery_codes_alone_do_not():
    admin = make_user("站长", group_id=GroupId.ADMIN)
    RecoveryCodes.activate(admin)
    assert permissions.must_set_up_mfa(Viewer(admin), required=True)
    activate_totp(admin)
    assert permissions.has_second_factor(Viewer(admin))
    assert permissions.must_set_up_mfa(Viewer(admin), required=True) is False
    keyed = make_user("有密钥", group_id=GroupId.SUPER_MODERATOR)
    Authenticator.objects.create(
        user=keyed, type=Authenticator.Type.WEBAUTHN, data={"name": "YubiKey"}
    )
    assert permissions.must_set_up_mfa(Viewer(keyed), required=True) is False


def test_the_site_setting_decides_when_not_given():
    admin = make_user("站长", group_id=GroupId.ADMIN)
    assert permissions.must_set_up_mfa(Viewer(admin)) is False
    _require()
    assert permissions.must_set_up_mfa(Viewer(admin)) is True


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_pages_send_staff_without_a_second_factor_to_set_it_up():
    _require()
    staff = _staff()
    admin = _client(staff["admin"])
    response = admin.get("/admin-center/global/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/"
    page = admin.get("/accounts/2fa/").content.decode()
    assert "本站要求管理人员启用两步验证" in page
    assert "启用验证器应用" in page and "添加通行密钥" in page
    # The sudo confirmation is a 管理中心 page too.
    assert admin.get("/admin-center/confirm/")["Location"] == "/accounts/2fa/"
    for name in ("super_moderator", "moderator", "intern", "board_moderator"):
        response = _client(staff[name]).get("/mod/reports/")
        assert response.status_code == 302, name
        assert response["Location"] == "/accounts/2fa/", name
    # Django's admin too (a superuser is an administrator).
    root = _client(make_user("根", is_superuser=True, is_staff=True))
    assert root.get("/admin/")["Location"] == "/accounts/2fa/"
    assert Client().get("/admin/").status_code == 302  # guests still see its login
    # Ordinary pages are not guarded.
    assert admin.get("/").status_code == 200


def test_the_staff_page_is_offered_again_once_set_up():
    _require()
    admin = make_user("站长", group_id=GroupId.ADMIN)
    client = _client(admin)
    client.get("/admin-center/global/?tab=mail")
    assert "返回刚才的管理页面" not in client.get("/accounts/2fa/").content.decode()
    activate_totp(admin)
    page = client.get("/accounts/2fa/").content.decode()
    assert 'href="/admin-center/global/?tab=mail"' in page
    # Offered once: the session forgets it.
    assert "返回刚才的管理页面" not in client.get("/accounts/2fa/").content.decode()
    # With a second factor the 管理中心 asks for the sudo confirmation as before.
    assert client.get("/admin-center/")["Location"].startswith("/admin-center/confirm/")


def test_members_may_still_report_and_setting_off_changes_nothing():
    _require()
    member = make_user("普通会员", group_id=GroupId.REGISTERED)
    response = _client(member).get("/mod/p/999/report/")
    assert response.get("Location") != "/accounts/2fa/"
    _require(False)
    admin = _client(make_user("站长", group_id=GroupId.ADMIN))
    assert admin.get("/admin-center/")["Location"].startswith("/admin-center/confirm/")


def test_an_administrator_turns_it_on_from_global_and_it_is_logged():
    from luntan.admincenter.tests.helpers import admin_client
    from luntan.moderation.models import AuditLog

    client = admin_client()
    page = client.get("/admin-center/global/")
    assert "管理人员必须启用两步验证" in page.content.decode()
    form = page.context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data["require_staff_mfa"] = "on"
    response = client.post("/admin-center/global/", data)
    assert response.status_code == 302, response.context["form"].errors
    assert get_site_settings().require_staff_mfa is True
    assert AuditLog.objects.get(action="site_settings").after["require_staff_mfa"] is True
    # The administrator who turned it on sets up a second factor before going on.
    assert client.get("/admin-center/global/")["Location"] == "/accounts/2fa/"


def test_bans_censor_and_site_settings_pages_are_staff_pages_too():
    _require()
    admin = _client(make_user("站长", group_id=GroupId.ADMIN))
    member = make_user("普通会员", group_id=GroupId.REGISTERED)
    for path in ("/bans/", "/bans/ip/", "/censor/", "/admin-settings/", f"/u/{member.pk}/ban/"):
        assert admin.get(path).get("Location") == "/accounts/2fa/", path
    response = admin.post(f"/u/{member.pk}/ban/", {"reason": "广告", "days": "1"})
    assert response.get("Location") == "/accounts/2fa/"
    assert member.__class__.objects.get(pk=member.pk).group_id == GroupId.REGISTERED
