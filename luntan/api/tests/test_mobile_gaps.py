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


# --- viewthread: each post's attachments object ----------------------------------------------


def _attach(post, uploader, aid: int, name: str, *, image: bool):
    from luntan.attachments.models import Attachment

    return Attachment.objects.create(
        uploader=uploader,
        post=post,
        thread=post.thread,
        filename=name,
        stored_name=f"attachments/2024/01/05/{aid:032x}.{name.rsplit('.', 1)[-1]}",
        size=12_345,
        content_type="image/png" if image else "application/zip",
        is_image=image,
        width=64 if image else 0,
        height=48 if image else 0,
        discuz_aid=aid,
    )


@pytest.fixture
def attached(forum):
    from luntan.threads.tests.factories import make_reply

    author = forum["author"]
    post = make_reply(forum["thread"], author, "看图 [attach]501[/attach] 以及附件")
    _attach(post, author, 501, "inline.png", image=True)
    _attach(post, author, 502, "photo.png", image=True)
    _attach(post, author, 503, "data.zip", image=False)
    from luntan.threads.models import Post

    secret_post = Post.objects.get(thread=forum["secret"], floor=1)
    _attach(secret_post, author, 601, "secret.png", image=True)
    return post


ATTACHMENT = {k: "string" for k in ("aid", "tid", "pid", "uid", "dbdateline", "filename", "filesize", "attachsize", "attachment", "url", "isimage")}  # fmt: skip


@pytest.mark.parametrize("who", ["guest", "member"])
def test_viewthread_lists_attachments_not_inlined_per_post(forum, attached, who):
    client = Client() if who == "guest" else _member(forum["member"])
    body = call(client, "viewthread", tid=forum["thread"].pk, ppp=15)
    assert "Message" not in body
    posts = body["Variables"]["postlist"]
    check_paths(body["Variables"], MODULES["viewthread"])
    mine = next(p for p in posts if p["pid"] == str(attached.pk))
    assert set(mine["attachments"]) == {"502", "503"}  # 501 is shown inside the message
    for item in mine["attachments"].values():
        check_paths(item, ATTACHMENT)
    photo, data = mine["attachments"]["502"], mine["attachments"]["503"]
    assert photo["isimage"] == "1" and data["isimage"] == "0" and data["ext"] == "zip"
    assert photo["filesize"] == "12345" and photo["filename"] == "photo.png"
    assert photo["tid"] == mine["tid"] and photo["pid"] == mine["pid"]
    assert photo["uid"] == str(forum["author"].pk)
    full = photo["url"] + photo["attachment"]
    from luntan.attachments.models import Attachment

    page_link = Attachment.objects.get(discuz_aid=502).get_absolute_url()
    assert full == f"http://testserver{page_link}"  # the page's download link and its checks
    assert mine["attachlist"] == ["502", "503"] and mine["imagelist"] == ["502"]
    assert mine["attachment"] == "2"
    assert "inline.png" in mine["message"]  # the inlined one stays in the message
    assert "photo.png" not in mine["message"] and "data.zip" not in mine["message"]
    others = [p for p in posts if p["pid"] != str(attached.pk)]
    assert all(p["attachments"] == {} and p["attachment"] == "0" for p in others)


@pytest.mark.parametrize("who", ["guest", "member"])
def test_viewthread_on_a_hidden_board_leaks_no_attachment(forum, attached, who):
    client = Client() if who == "guest" else _member(forum["member"])
    body = call(client, "viewthread", tid=forum["secret"].pk)
    assert body["Message"]["messageval"] == "thread_nonexistence"
    assert "secret.png" not in str(body) and "601" not in str(body["Variables"]["postlist"])
