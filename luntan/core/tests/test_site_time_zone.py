"""An administrator sets the site time zone; guests see times in it and "today" follows it."""

import datetime as dt

import pytest

from luntan.accounts.models import UserGroup
from luntan.boards.queries import site_day_starts
from luntan.core.models import SiteSettings, get_site_settings, site_time_zone
from luntan.threads.tests.factories import make_thread, make_user

pytestmark = pytest.mark.django_db

POSTED = dt.datetime(2011, 6, 10, 5, 53, 51, tzinfo=dt.UTC)  # 13:53:51 in GMT+8


def _set_zone(name):
    site = get_site_settings()
    site.time_zone = name
    site.save()


def test_default_is_gmt8_and_a_set_zone_changes_what_guests_see(client):
    thread = make_thread(now=POSTED)
    assert "发表于 2011-6-10 13:53:51" in client.get(f"/t/{thread.pk}/").content.decode()
    _set_zone("Europe/London")
    page = client.get(f"/t/{thread.pk}/").content.decode()
    assert "发表于 2011-6-10 06:53:51" in page  # BST, GMT+1
    assert "GMT+0" in page or "GMT+1" in page


def test_today_starts_at_midnight_in_the_site_zone():
    _set_zone("America/New_York")
    start, _yesterday = site_day_starts(dt.datetime(2026, 1, 2, 3, 0, tzinfo=dt.UTC))
    assert start == dt.datetime(2026, 1, 1, 5, 0, tzinfo=dt.UTC)  # midnight EST
    assert str(site_time_zone()) == "America/New_York"


def test_settings_page_refuses_an_unknown_zone(client):
    client.force_login(make_user(group_id=UserGroup.ADMIN))
    form = client.get("/admin-settings/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(time_zone="Mars/Olympus_Mons")
    response = client.post("/admin-settings/", data)
    assert response.status_code == 200 and "未知的时区" in response.content.decode()
    data.update(time_zone="Asia/Tokyo")
    assert client.post("/admin-settings/", data).status_code == 302
    assert SiteSettings.objects.get(pk=1).time_zone == "Asia/Tokyo"
