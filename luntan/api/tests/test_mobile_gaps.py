"""Mobile API modules filled after the first landing: ``smiley`` with the site's
(imported) smilies and the ``/static/image/smiley/`` images the apps load."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from luntan.api.tests.mobile_golden import MODULES, call, check_paths
from luntan.core.models import Smiley, SmileySet

pytestmark = pytest.mark.django_db

GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"  # fmt: skip


def _member(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def smilies(db, settings, tmp_path):
    """Two sets as the importer leaves them (images under ``smilies/<dir>/``), one
    emoji-only smiley, and a disabled set."""
    settings.MEDIA_ROOT = str(tmp_path)
    default = SmileySet.objects.create(name="默认", directory="default", display_order=1, discuz_typeid=1)  # fmt: skip
    coolmonkey = SmileySet.objects.create(name="酷猴", directory="coolmonkey", display_order=2, discuz_typeid=2)  # fmt: skip
    off = SmileySet.objects.create(
        name="停用", directory="off", display_order=0, is_available=False
    )
    smile = default_storage.save("smilies/default/smile.gif", ContentFile(GIF))
    Smiley.objects.create(smiley_set=default, code=":)", image=smile, display_order=1, discuz_id=1)
    Smiley.objects.create(smiley_set=default, code=":(", image="", emoji="🙁", display_order=2)
    monkey = default_storage.save("smilies/coolmonkey/01.gif", ContentFile(GIF))
    Smiley.objects.create(smiley_set=coolmonkey, code="{:2_1:}", image=monkey, discuz_id=2)
    Smiley.objects.create(smiley_set=off, code="{:9_1:}", image="smilies/off/x.gif")
    return {"smile": smile, "monkey": monkey}


@pytest.mark.parametrize("who", ["guest", "member"])
def test_smiley_lists_each_available_set_with_its_images(forum, smilies, who):
    client = Client() if who == "guest" else _member(forum["member"])
    body = call(client, "smiley")
    assert "Message" not in body
    check_paths(body["Variables"], MODULES["smiley"])
    sets = body["Variables"]["smilies"]
    assert sets == [
        [{"code": ":)", "image": "default/smile.gif"}],
        [{"code": "{:2_1:}", "image": "coolmonkey/01.gif"}],
    ]  # display order; the disabled set and the emoji-only smiley are left out


def test_smiley_images_load_where_the_apps_look(client, smilies):
    found = client.get("/static/image/smiley/default/smile.gif")
    assert found.status_code == 302
    assert found["Location"] == default_storage.url(smilies["smile"])
    assert client.get("/static/image/smiley/default/none.gif").status_code == 404
    assert client.get("/static/image/smiley/../../settings.py").status_code == 404


def test_smiley_without_smilies_is_an_empty_list(client, db):
    assert call(client, "smiley")["Variables"]["smilies"] == []


# --- publicpm: the member's 系统消息 (imported common_grouppm) -------------------------------


def _notices(forum):
    from datetime import UTC, datetime

    from luntan.pms.services import ImportedNotice, import_system_notices

    rows = [
        ImportedNotice(
            discuz_id=n,
            author_name="admin",
            source=f"第{n}条系统消息 [url=/t/1/]看看[/url]",
            created=datetime(2024, 1, n, 8, 0, tzinfo=UTC),
            recipients=((forum["member"].pk, False),),
        )
        for n in range(1, 23)
    ]
    rows.append(
        ImportedNotice(
            discuz_id=99,
            author_name="admin",
            source="只发给作者的消息",
            created=datetime(2024, 2, 1, tzinfo=UTC),
            recipients=((forum["author"].pk, False),),
        )
    )
    import_system_notices(rows)


def test_publicpm_lists_the_members_system_messages_newest_first(forum):
    _notices(forum)
    body = call(_member(forum["member"]), "publicpm")
    assert "Message" not in body
    v = body["Variables"]
    check_paths(v, {**MODULES["publicpm"], "list[].id": "string", "list[].authorid": "string", "list[].author": "string", "list[].dateline": "string", "list[].message": "string"})  # fmt: skip
    assert (v["count"], v["perpage"], v["page"]) == ("22", "20", "1")
    first = v["list"][0]
    assert first["id"] == "22" and first["author"] == "admin" and first["authorid"] == "0"
    assert first["dateline"] == "1705910400"  # 2024-01-22 08:00 UTC, Unix seconds
    assert "第22条系统消息" in first["message"]
    assert 'href="http://testserver/t/1/"' in first["message"]  # absolute for the app
    assert len(v["list"]) == 20
    second = call(_member(forum["member"]), "publicpm", page=2)["Variables"]["list"]
    assert [i["id"] for i in second] == ["2", "1"]
    assert all("只发给作者" not in i["message"] for i in v["list"] + second)


def test_publicpm_shows_nobody_elses_messages(forum):
    _notices(forum)
    theirs = call(_member(forum["author"]), "publicpm")["Variables"]
    assert [i["id"] for i in theirs["list"]] == ["99"] and theirs["count"] == "1"
    guest = call(Client(), "publicpm")
    assert guest["Message"]["messageval"] == "to_login//1" and guest["Variables"]["list"] == []
