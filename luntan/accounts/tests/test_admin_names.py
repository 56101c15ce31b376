"""Every path that sets a user name uses the registration rules: the admin's rename and
add forms refuse a name equal to another member's by case or look-alikes, and reserved
names; a member keeps an old (imported) name that breaks them when other fields change."""

from __future__ import annotations

import re

import pytest

from luntan.accounts.models import User

pytestmark = pytest.mark.django_db


def _change(admin_client, member, **changes):
    url = f"/admin/accounts/user/{member.pk}/change/"
    html = admin_client.get(url).content.decode()
    data = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html):
        data.setdefault(name, value)
    for name in re.findall(r'<select[^>]*name="([^"]+)"', html):
        block = html.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', block)
        data[name] = chosen.group(1) if chosen else ""
    for name in ("is_active",):
        data[name] = "on"
    data.pop("is_staff", None)
    data.pop("is_superuser", None)
    data.update(changes)
    return admin_client.post(url, data)


@pytest.mark.parametrize("new_name", ["Alice", "аlice", "ＡＬＩＣＥ", "管理员", "admin"])
def test_admin_rename_refuses_names_registration_refuses(admin_client, new_name):
    User.objects.create_user("alice", "a@example.com", "x")
    member = User.objects.create_user("bob", "b@example.com", "x")
    response = _change(admin_client, member, username=new_name)
    assert response.status_code == 200, "the form is shown again with an error"
    member.refresh_from_db()
    assert member.username == "bob"


def test_admin_rename_to_a_free_name_works(admin_client):
    member = User.objects.create_user("bob", "b@example.com", "x")
    response = _change(admin_client, member, username="robert")
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.username == "robert"


def test_a_kept_imported_name_breaking_the_rules_does_not_block_other_changes(admin_client):
    member = User.objects.create(username="a b", email="ab@example.com", discuz_uid=7)
    response = _change(admin_client, member, username="a b", email="new@example.com")
    errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode())
    assert response.status_code == 302, errors
    member.refresh_from_db()
    assert member.email == "new@example.com"


def test_admin_add_refuses_a_look_alike(admin_client):
    User.objects.create_user("alice", "a@example.com", "x")
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "username": "аlice",
            "password1": "lun-tan-2024-pw",
            "password2": "lun-tan-2024-pw",
            "usable_password": "true",
        },
    )
    assert response.status_code == 200
    assert User.objects.count() == 2  # alice and the admin


def test_admin_rename_refuses_the_traditional_twin_of_a_member(admin_client):
    User.objects.create_user("老街摄影", "a@example.com", "x")
    member = User.objects.create_user("bob", "b@example.com", "x")
    response = _change(admin_client, member, username="老街攝影")
    assert response.status_code == 200, "the form is shown again with an error"
    member.refresh_from_db()
    assert member.username == "bob"
