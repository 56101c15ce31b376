"""The administrators' site settings page (/admin-settings/)."""

import pytest
from django.test import Client

from luntan.accounts.models import UserGroup
from luntan.core.models import get_site_settings
from luntan.threads.tests.factories import make_user

pytestmark = pytest.mark.django_db

VALID = {
    "site_name": "徐州论坛",
    "icp_number": "苏ICP备12345678号-1",
    "police_filing": "苏公网安备 32030002000001号",
    "registration_mode": "manual",
    "ip_location_level": "province",
    "post_min_length": "5",
    "post_max_length": "20000",
    "flood_seconds": "30",
    "edit_window_seconds": "0",
}


@pytest.mark.parametrize("group_id", [None, UserGroup.NEWBIE, UserGroup.SUPER_MODERATOR])
def test_page_is_404_for_everyone_but_administrators(client, group_id):
    if group_id:
        client.force_login(make_user(group_id=group_id))
    assert client.get("/admin-settings/").status_code == 404
    assert client.post("/admin-settings/", VALID).status_code == 404
    assert get_site_settings().site_name != "徐州论坛"


def test_administrator_saves_the_settings_and_the_footer_shows_them(client):
    client.force_login(make_user(group_id=UserGroup.ADMIN))
    page = client.get("/admin-settings/")
    assert page.status_code == 200 and "Asia/Shanghai" in page.content.decode()
    response = client.post("/admin-settings/", VALID)
    assert response.status_code == 302
    site = get_site_settings()
    assert (site.site_name, site.registration_mode, site.flood_seconds) == (
        "徐州论坛",
        "manual",
        30,
    )
    assert (site.post_min_length, site.post_max_length) == (5, 20000)
    home = client.get("/").content.decode()
    assert "苏ICP备12345678号-1" in home and "徐州论坛" in home


def test_bad_input_gives_the_form_back(client):
    client.force_login(make_user(group_id=UserGroup.ADMIN))
    bad = VALID | {"post_min_length": "500", "post_max_length": "100", "site_name": " "}
    response = client.post("/admin-settings/", bad)
    assert response.status_code == 200
    assert "帖子最大字数不能小于帖子最小字数" in response.content.decode()
    assert get_site_settings().post_min_length != 500


def test_form_needs_the_csrf_token():
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_user(group_id=UserGroup.ADMIN))
    assert strict.post("/admin-settings/", VALID).status_code == 403
