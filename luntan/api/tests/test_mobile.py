"""The Discuz! mobile API (``/api/mobile/index.php``): the ★ keys of every module for a
guest and a member on a populated and an empty forum, the log-in → reply → viewthread
round trip with cookies only, permissions, ids, password posts and junk input."""

from __future__ import annotations

import pytest
from django.test import Client

from luntan.accounts.groups import GroupId
from luntan.api.tests.mobile_golden import CHECK, MODULES, URL, call, check_paths
from luntan.core.models import SiteSettings
from luntan.threads.models import Post, Thread
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db


def _params(forum) -> dict[str, dict]:
    return {
        "forumdisplay": {"fid": forum["board"].pk},
        "viewthread": {"tid": forum["thread"].pk, "ppp": 15},
        "checkpost": {"fid": forum["board"].pk},
        "profile": {"uid": forum["author"].pk},
    }


def _member(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _login(client: Client, username: str, password: str = "pw") -> dict:
    return call(
        client,
        "login",
        "post",
        username=username,
        password=password,
        loginfield="username",
        cookietime="2592000",
    )


# --- golden: every ★ key, right JSON type ----------------------------------------------------


def test_check_advertises_the_site_and_the_avatar_root(client, forum):
    body = call(client, "check")
    check_paths(body, CHECK)
    assert body["ucenterurl"] == "http://testserver/uc_server"
    assert body["mysiteid"] == ""
    assert isinstance(body["totalposts"], int) and isinstance(body["totalmembers"], int)
    assert client.get(f"{URL}?check").json()["sitename"] == body["sitename"]


@pytest.mark.parametrize("who", ["guest", "member"])
@pytest.mark.parametrize("module", ["forumindex", "forumdisplay", "viewthread", "newthreads", "hotthread", "smiley", "checkpost", "profile"])  # fmt: skip
def test_read_modules_keep_every_starred_key(forum, module, who):
    client = Client() if who == "guest" else _member(forum["member"])
    body = call(client, module, **_params(forum).get(module, {}))
    assert "Message" not in body, body.get("Message")  # a successful GET carries none
    check_paths(body["Variables"], MODULES[module], f"{module}: ")


@pytest.mark.parametrize("module", ["mynotelist", "myfavthread", "myfavforum"])
def test_member_lists_keep_every_starred_key(forum, module):
    from luntan.favorites.services import add_favorite
    from luntan.notifications.services import notify_post  # noqa: F401 - app present

    member = forum["member"]
    add_favorite(member, thread=forum["thread"])
    add_favorite(member, board=forum["board"])
    make_reply(
        forum["thread"], forum["author"], f"[quote]x[/quote] @{member.username} 你好啊朋友们"
    )
    body = call(_member(member), module)
    assert "Message" not in body
    check_paths(body["Variables"], MODULES[module], f"{module}: ")
    if module != "mynotelist":
        assert body["Variables"]["list"], "the favourite is listed"


@pytest.mark.parametrize("module", ["mynotelist", "myfavthread", "myfavforum", "mypm", "publicpm"])
def test_member_lists_send_guests_to_log_in_with_full_fields(forum, module):
    body = call(Client(), module)
    assert body["Message"]["messageval"] == "to_login//1"
    check_paths(body["Variables"], MODULES[module])


def test_private_messages_send_list_and_read(forum):
    sender, other = _member(forum["member"]), _member(forum["author"])
    sent = _post(sender, "sendpm", touid=forum["author"].pk, message="你好，这是一条短消息")
    assert sent["Message"]["messageval"] == "do_success"
    assert call(other, "forumindex")["Variables"]["notice"]["newpm"] == "1"
    inbox = call(other, "mypm")["Variables"]
    check_paths(inbox, {"list[].subject": "string", "list[].msgfrom": "string", "list[].tousername": "string", "list[].vdateline": "string"})  # fmt: skip
    assert inbox["list"][0]["touid"] == str(forum["member"].pk) and inbox["list"][0]["isnew"] == "1"  # fmt: skip
    talk = call(other, "mypm", subop="view", touid=forum["member"].pk)["Variables"]["list"]
    assert "你好，这是一条短消息" in talk[0]["message"]
    assert call(other, "forumindex")["Variables"]["notice"]["newpm"] == "0"
    assert "Message" not in call(other, "publicpm")
    notes = call(other, "mynotelist")["Variables"]["list"]
    assert notes[0]["type"] == "pm" and "/pm/" in notes[0]["note"]  # newest first
    nobody = _post(sender, "sendpm", touid=999999, message="发给不存在的人")
    assert nobody["Message"]["messageval"] == "message_can_not_send_2"


@pytest.mark.parametrize("who", ["guest", "member"])
def test_empty_forum_answers_every_module_well_formed(db, who):
    board = make_board("空版块")
    user = make_user("空站会员", group_id=GroupId.REGISTERED)
    client = Client() if who == "guest" else _member(user)
    check_paths(call(client, "check"), CHECK)
    for module, params in (
        ("forumindex", {}),
        ("forumdisplay", {"fid": board.pk}),
        ("newthreads", {}),
        ("hotthread", {}),
        ("smiley", {}),
    ):
        body = call(client, module, **params)
        assert "Message" not in body
        check_paths(body["Variables"], MODULES[module], f"{module}: ")
    display = call(client, "forumdisplay", fid=board.pk)["Variables"]
    assert display["forum_threadlist"] == [] and display["forum"]["threadcount"] == "0"
    # A missing thread: a message and the complete, defaulted fields (never "thread": []).
    missing = call(client, "viewthread", tid=999999)
    assert missing["Message"]["messageval"] == "thread_nonexistence"
    check_paths(missing["Variables"], MODULES["viewthread"])


def test_forumindex_lists_boards_and_categories_the_app_joins(forum):
    v = call(Client(), "forumindex")["Variables"]
    fids = {f["fid"] for f in v["forumlist"]}
    assert str(forum["board"].pk) in fids
    assert str(forum["hidden"].pk) not in fids  # hidden from guests, as on the index
    joined = {fid for c in v["catlist"] for fid in c["forums"]}
    assert str(forum["board"].pk) in joined


def test_viewthread_pages_by_ppp_and_replies_stops_the_app(forum):
    t = forum["thread"]
    first = call(Client(), "viewthread", tid=t.pk, ppp=2)["Variables"]
    assert [p["position"] for p in first["postlist"]] == ["1", "2"]
    assert first["thread"]["replies"] == "2" and first["ppp"] == "2"
    second = call(Client(), "viewthread", tid=t.pk, ppp=2, page=2)["Variables"]
    assert [p["position"] for p in second["postlist"]] == ["3"]
    past = call(Client(), "viewthread", tid=t.pk, ppp=2, page=9)["Variables"]
    assert past["postlist"] == []  # not the last page again: the app would loop


def test_viewthread_html_uses_the_mobile_classes_and_absolute_urls(forum):
    make_reply(forum["thread"], forum["author"], "[quote]被引用的话[/quote]\n[code]a = 1\nb = 2[/code]\n[img]/static/x.png[/img]")  # fmt: skip
    posts = call(Client(), "viewthread", tid=forum["thread"].pk)["Variables"]["postlist"]
    html = posts[-1]["message"]
    assert '<div class="reply_wrap">被引用的话</div>' in html
    assert '<div class="blockcode"><span></span><ol><li>a = 1</li><li>b = 2</li></ol></div>' in html  # fmt: skip
    assert 'src="http://testserver/static/x.png"' in html
    assert "<blockquote" not in html and "<script" not in html


def test_password_and_hidden_content_never_leak(forum):
    reply = make_reply(
        forum["thread"], forum["author"], "[password]mima123[/password]绝密内容甲乙丙"
    )
    make_reply(forum["thread"], forum["author"], "[hide]回复可见的秘密丁戊[/hide]公开的部分")
    # Neither a guest nor a member who never replied (回复可见) sees the protected parts.
    for client in (Client(), _member(make_user("路人", group_id=GroupId.REGISTERED))):
        raw = client.get(URL, {"version": "4", "module": "viewthread", "tid": forum["thread"].pk}).content.decode()  # fmt: skip
        assert "绝密内容甲乙丙" not in raw and "mima123" not in raw
        assert "回复可见的秘密丁戊" not in raw
        assert "公开的部分" in raw
    # The author sees their own password post, as on the page.
    own = call(_member(forum["author"]), "viewthread", tid=forum["thread"].pk)["Variables"]
    assert any(
        "绝密内容甲乙丙" in p["message"] for p in own["postlist"] if p["pid"] == str(reply.pk)
    )


# --- log in, reply, read back: cookies only ---------------------------------------------------


def test_login_reply_viewthread_round_trip_with_cookies_only(forum):
    client = Client()
    guest = call(client, "forumindex")["Variables"]
    assert guest["member_uid"] == "0"
    logged = _login(client, forum["member"].username)
    assert logged["Message"]["messageval"] == "login_succeed"
    me = logged["Variables"]
    assert me["member_uid"] == str(forum["member"].pk)
    assert me["member_username"] == forum["member"].username
    assert me["formhash"] != guest["formhash"]  # rotated with the CSRF secret at log-in
    tid = forum["thread"].pk
    view = call(client, "viewthread", tid=tid)["Variables"]
    assert view["member_uid"] == me["member_uid"]
    reply = call(
        client,
        "sendreply",
        "post",
        tid=tid,
        fid=view["fid"],
        formhash=view["formhash"],
        message="从手机客户端发出的回复内容",
    )
    assert reply["Message"]["messageval"] == "post_reply_succeed"
    pid = reply["Variables"]["pid"]
    after = call(client, "viewthread", tid=tid)["Variables"]
    mine = [p for p in after["postlist"] if p["pid"] == pid]
    assert mine and "从手机客户端发出的回复内容" in mine[0]["message"]
    assert after["thread"]["replies"] == "3"
    assert Post.objects.get(pk=int(pid)).author == forum["member"]


def test_members_banned_from_visiting_cannot_log_in(forum):
    from luntan.bans.services import ban_member

    user = make_user("禁止访问者", group_id=GroupId.REGISTERED)
    ban_member(user, kind="visiting", reason="捣乱")
    client = Client()
    body = _login(client, user.username)
    assert body["Message"]["messageval"] == "user_banned"
    assert body["Variables"]["member_uid"] == "0"
    assert call(client, "forumindex")["Variables"]["member_uid"] == "0"


def test_login_failures_and_the_captcha_threshold(forum, settings):
    settings.LUNTAN_CAPTCHA = True
    settings.LUNTAN_CAPTCHA_LOGIN_FAILURES = 2
    client = Client()
    for _ in range(2):
        assert _login(client, forum["member"].username, "wrong")["Message"]["messageval"] == "login_invalid"  # fmt: skip
    assert call(client, "secure", type="login")["Variables"]["sechash"]
    # The web page would ask for its captcha now; the app is refused, not let through.
    assert _login(client, forum["member"].username)["Message"]["messageval"] == "login_strike"


def test_secure_answers_null_variables_without_a_captcha(forum):
    body = call(Client(), "secure", type="login")
    assert body["Variables"] is None and body["Version"] == "4"


def test_writes_need_the_formhash_of_the_session(forum):
    client = _member(forum["member"])
    other = call(_member(forum["author"]), "forumindex")["Variables"]["formhash"]
    for formhash in ("", "deadbeef", other):
        body = call(client, "sendreply", "post", tid=forum["thread"].pk, formhash=formhash, message="没有令牌的回复内容")  # fmt: skip
        assert body["Message"]["messageval"] == "submit_invalid"
    # GET is never a write.
    mine = call(client, "forumindex")["Variables"]["formhash"]
    body = call(
        client, "sendreply", tid=forum["thread"].pk, formhash=mine, message="GET 的回复内容"
    )
    assert body["Message"]["messageval"] == "submit_invalid"
    assert not Post.objects.filter(source__contains="的回复内容", thread=forum["thread"], author=forum["member"]).exclude(floor=2).exists()  # fmt: skip


def _post(client: Client, module: str, **params) -> dict:
    formhash = call(client, "forumindex")["Variables"]["formhash"]
    return call(client, module, "post", formhash=formhash, **params)


def test_newthread_goes_through_the_pipeline_and_its_limits(forum):
    client = _member(forum["member"])
    board = forum["board"]
    body = _post(client, "newthread", fid=board.pk, subject="手机发的主题", message="手机发的主题正文内容")  # fmt: skip
    assert body["Message"]["messageval"] == "post_newthread_succeed"
    thread = Thread.objects.get(subject="手机发的主题")
    assert body["Variables"]["tid"] == str(thread.pk)
    short = _post(client, "newthread", fid=board.pk, subject="太短", message="短")
    assert short["Message"]["messageval"] == "post_sm_isnull"
    site = SiteSettings.objects.get(pk=1)
    site.flood_seconds = 60
    site.save()
    flood = _post(client, "sendreply", tid=thread.pk, message="紧接着的第二条回复内容")
    assert flood["Message"]["messageval"] == "post_flood_ctrl"


def test_review_queue_holds_mobile_posts_as_the_pages_do(forum):
    site = SiteSettings.objects.get(pk=1)
    site.new_post_review = SiteSettings.NewPostReview.ALL
    site.save()
    body = _post(_member(forum["member"]), "sendreply", tid=forum["thread"].pk, message="需要审核的回复内容")  # fmt: skip
    assert body["Message"]["messageval"] == "post_reply_mod_succeed"
    assert Post.objects.get(source="需要审核的回复内容").state == Post.State.PENDING


def test_censor_words_apply(forum):
    from luntan.censor.models import CensorWord

    CensorWord.objects.create(find="违禁词", action=CensorWord.Action.BLOCK)
    body = _post(_member(forum["member"]), "sendreply", tid=forum["thread"].pk, message="这里有违禁词的回复内容")  # fmt: skip
    assert body["Message"]["messageval"] != "post_reply_succeed"
    assert not Post.objects.filter(source__contains="违禁词").exists()


# --- permissions: guest / member / banned / hidden board / password board --------------------


def test_guests_are_sent_to_log_in_for_every_write(forum):
    for module, params in (
        ("sendreply", {"tid": forum["thread"].pk, "message": "游客的回复内容"}),
        ("newthread", {"fid": forum["board"].pk, "subject": "游客", "message": "游客的主题内容"}),
        ("favthread", {"id": forum["thread"].pk}),
        ("favforum", {"id": forum["board"].pk}),
        ("pollvote", {"tid": forum["thread"].pk}),
        ("topicadmin", {"tid": forum["thread"].pk, "action": "delpost"}),
        ("mobilesign", {}),
    ):
        body = _post(Client(), module, **params)
        assert body["Message"]["messageval"] == "to_login//1", module


def test_banned_member_can_read_but_not_write(forum):
    client = _member(forum["banned"])
    assert "Message" not in call(client, "viewthread", tid=forum["thread"].pk)
    reply = _post(client, "sendreply", tid=forum["thread"].pk, message="被禁言者的回复内容")
    assert reply["Message"]["messageval"] == "post_forum_newreply_nopermission"
    new = _post(client, "newthread", fid=forum["board"].pk, subject="禁言", message="被禁言者的主题内容")  # fmt: skip
    assert new["Message"]["messageval"] == "post_forum_newthread_nopermission"
    assert not Post.objects.filter(author=forum["banned"]).exists()


@pytest.mark.parametrize("who", ["guest", "member"])
def test_hidden_board_is_not_found_in_every_module(forum, who):
    client = Client() if who == "guest" else _member(forum["member"])
    hidden, secret = forum["hidden"], forum["secret"]
    assert call(client, "forumdisplay", fid=hidden.pk)["Message"]["messageval"] == "forum_nonexistence"  # fmt: skip
    assert call(client, "checkpost", fid=hidden.pk)["Message"]["messageval"] == "forum_nonexistence"  # fmt: skip
    assert call(client, "viewthread", tid=secret.pk)["Message"]["messageval"] == "thread_nonexistence"  # fmt: skip
    news = call(client, "newthreads")["Variables"]["data"]
    assert str(secret.pk) not in {t["tid"] for t in news}
    if who == "member":
        assert _post(client, "sendreply", tid=secret.pk, message="隐藏版块的回复内容")["Message"]["messageval"] == "thread_nonexistence"  # fmt: skip
        assert _post(client, "favthread", id=secret.pk)["Message"]["messageval"] == "thread_nonexistence"  # fmt: skip


def test_password_board_asks_for_its_password_on_the_web(forum):
    from django.contrib.auth.hashers import make_password

    board = make_board("密码版块", password=make_password("open"))
    thread = make_thread(
        board, forum["author"], subject="密码版块主题", body="密码版块里的正文内容"
    )
    client = _member(forum["member"])
    assert call(client, "forumdisplay", fid=board.pk)["Message"]["messageval"] == "forum_passwd"
    view = call(client, "viewthread", tid=thread.pk)
    assert view["Message"]["messageval"] == "forum_passwd"
    assert "密码版块里的正文内容" not in str(view)
    assert str(thread.pk) not in {t["tid"] for t in call(client, "newthreads")["Variables"]["data"]}  # fmt: skip
    assert _post(client, "sendreply", tid=thread.pk, message="密码版块的回复内容")["Message"]["messageval"] == "forum_passwd"  # fmt: skip


def test_favourites_add_list_and_delete(forum):
    client = _member(forum["member"])
    added = _post(client, "favthread", id=forum["thread"].pk, favoritesubmit="true")
    assert added["Message"]["messageval"] == "do_success"
    again = _post(client, "favthread", id=forum["thread"].pk)
    assert again["Message"]["messageval"] == "favorite_repeat"
    listed = call(client, "myfavthread")["Variables"]["list"]
    assert [f["id"] for f in listed] == [str(forum["thread"].pk)]
    gone = _post(client, "favthread", favid=listed[0]["favid"], op="delete", deletesubmit="true")
    assert gone["Message"]["messageval"] == "do_success"
    assert call(client, "myfavthread")["Variables"]["list"] == []
    assert _post(client, "favforum", id=forum["board"].pk)["Message"]["messageval"] == "do_success"  # fmt: skip


def test_pollvote_and_special_poll(forum):
    from luntan.polls.services import PollSpec, create_poll

    thread = make_thread(
        forum["board"], forum["author"], subject="投票主题", body="请投票吧各位朋友"
    )
    create_poll(thread, PollSpec(options=("甲", "乙"), max_choices=1))
    client = _member(forum["member"])
    poll = call(client, "viewthread", tid=thread.pk)["Variables"]["special_poll"]
    assert set(poll["polloptions"]) == {"1", "2"} and poll["allowvote"] == "1"
    option = poll["polloptions"]["1"]["polloptionid"]
    body = _post(client, "pollvote", tid=thread.pk, **{"pollanswers[]": [option]})
    assert body["Message"]["messageval"] == "thread_poll_succeed"
    after = call(client, "viewthread", tid=thread.pk)["Variables"]["special_poll"]
    assert after["polloptions"]["1"]["votes"] == "1" and after["voterscount"] == "1"
    twice = _post(client, "pollvote", tid=thread.pk, **{"pollanswers[]": [option]})
    assert twice["Message"]["messageval"] == "poll_invalid"


def test_topicadmin_is_for_the_boards_moderators(forum):
    thread = forum["thread"]
    sofa = Post.objects.get(thread=thread, floor=2)
    refused = _post(_member(forum["member"]), "topicadmin", tid=thread.pk, action="banpost", **{"topiclist[]": [sofa.pk]})  # fmt: skip
    assert refused["Message"]["messageval"] == "admin_nopermission"
    done = _post(_member(forum["moderator"]), "topicadmin", tid=thread.pk, action="banpost", reason="广告", **{"topiclist[]": [sofa.pk]})  # fmt: skip
    assert done["Message"]["messageval"] == "admin_succeed"
    shown = call(Client(), "viewthread", tid=thread.pk)["Variables"]["postlist"]
    banned = next(p for p in shown if p["pid"] == str(sofa.pk))
    assert banned["status"] == "1" and "沙发的回复内容" not in banned["message"]


def test_mobilesign_without_a_rule_fails_cleanly(forum):
    client = _member(forum["member"])
    formhash = call(client, "forumindex")["Variables"]["formhash"]
    body = call(client, "mobilesign", "post", hash=formhash)
    assert body["Message"]["messageval"] in {"mobilesign_failed", "mobilesign_success"}
    assert call(client, "mobilesign", "post", hash="bad")["Message"]["messageval"] == "mobilesign_formhash_failed"  # fmt: skip


def test_forumupload_and_reply_with_the_image(forum):
    from luntan.api.tests.conftest import png_file

    client = _member(forum["member"])
    uploadhash = call(client, "checkpost", fid=forum["board"].pk)["Variables"]["allowperm"]["uploadhash"]  # fmt: skip
    bad = client.post(f"{URL}?version=4&module=forumupload&type=image", {"hash": "x", "Filedata": png_file()})  # fmt: skip
    assert bad.content.decode().startswith("DISCUZUPLOAD|8|")
    ok = client.post(f"{URL}?version=4&module=forumupload&type=image&fid={forum['board'].pk}", {"hash": uploadhash, "Filedata": png_file()})  # fmt: skip
    parts = ok.content.decode().split("|")
    assert parts[:2] == ["DISCUZUPLOAD", "0"] and int(parts[2]) > 0
    aid = parts[2]
    reply = client.post(
        f"{URL}?version=4&module=sendreply&attachnew[{aid}][description]={aid}",
        {
            "tid": forum["thread"].pk,
            "formhash": uploadhash,
            "message": f"带图 [attachimg]{aid}[/attachimg] 的回复",
        },  # fmt: skip
    ).json()
    assert reply["Message"]["messageval"] == "post_reply_succeed", reply["Message"]
    from luntan.attachments.models import Attachment

    assert Attachment.objects.get(pk=int(aid)).post_id == int(reply["Variables"]["pid"])


# --- ids ----------------------------------------------------------------------------------


def test_ids_never_collide_between_imported_and_new_content(forum):
    """An imported thread keeps its Discuz! tid; a new thread whose pk equals that tid
    is shown as pk + offset, and each id finds its own thread."""
    from luntan.api.mobile import ids
    from luntan.core.services import raise_mobile_id_offset

    new = forum["thread"]
    imported = make_thread(forum["board"], forum["author"], subject="导入的主题", body="导入主题的正文内容")  # fmt: skip
    Thread.objects.filter(pk=imported.pk).update(discuz_tid=new.pk)  # its old tid = new's pk
    off = raise_mobile_id_offset(new.pk)
    assert off > new.pk and off == ids.offset()
    by_old = call(Client(), "viewthread", tid=new.pk)["Variables"]["thread"]
    assert by_old["subject"] == "导入的主题" and by_old["tid"] == str(new.pk)
    by_new = call(Client(), "viewthread", tid=new.pk + off)["Variables"]["thread"]
    assert by_new["subject"] == "第一个主题" and by_new["tid"] == str(new.pk + off)
    # A pk-range id of an imported row is not another name for it.
    assert call(Client(), "viewthread", tid=imported.pk + off)["Message"]["messageval"] == "thread_nonexistence"  # fmt: skip
    listed = {t["subject"]: t["tid"] for t in call(Client(), "forumdisplay", fid=forum["board"].pk + off)["Variables"]["forum_threadlist"]}  # fmt: skip
    assert listed == {"导入的主题": str(new.pk), "第一个主题": str(new.pk + off)}
    # The offset only grows.
    assert raise_mobile_id_offset(3) == off


def test_avatar_php_redirects_to_the_members_avatar(forum):
    r = Client().get("/uc_server/avatar.php", {"uid": forum["author"].pk, "size": "big"})
    assert r.status_code == 302 and f"/{forum['author'].pk}/big" in r["Location"]
    guest = Client().get("/uc_server/avatar.php?uid=abc&size=<x>")
    assert guest.status_code == 302 and "/0/middle" in guest["Location"]


# --- junk never gives a 500 --------------------------------------------------------------------

JUNK = ["", "0", "-1", "abc", "9" * 30, "1e9", "１２", "\x00", "%00", "[]", "1,2,,", "<script>"]
PARAMS = ["fid", "tid", "page", "ppp", "uid", "authorid", "ordertype", "typeid", "fids", "start", "limit", "id", "favid", "pollanswers[]", "topiclist[]", "repquote", "cookietime", "username", "password", "message", "subject", "type", "action"]  # fmt: skip


def test_no_module_ever_answers_500_on_junk(forum):
    from luntan.api.mobile.views import MODULES as ALL

    member = _member(forum["member"])
    formhash = call(member, "forumindex")["Variables"]["formhash"]
    for module in [*ALL, "check", "secure", "forumupload", "nosuchmodule", ""]:
        for i, junk in enumerate(JUNK):
            params = {name: junk for name in PARAMS[i % 3 :: 3]}
            for client in (Client(), member):
                r = client.get(URL, {"version": junk or "4", "module": module, **params})
                assert r.status_code < 500, (module, params)
                r = client.post(f"{URL}?module={module}", {"formhash": formhash, **params})
                assert r.status_code < 500, (module, params)
                if module and module not in ("forumupload",) and r.content:
                    r.json()  # always JSON


def test_unknown_modules_answer_like_discuz(forum):
    assert Client().get(URL, {"module": "nosuch"}).json() == {"error": "module_not_exists"}
    known = call(Client(), "register")
    assert known["Message"]["messageval"] == "module_unsupported"


# --- query counts (pinned) -----------------------------------------------------------------------


def _count(client: Client, params: dict, django_assert_num_queries, n: int) -> None:
    call(client, params.pop("module"), **params)  # warm: settings, group rights, sessions
    with django_assert_num_queries(n):
        response = client.get(URL, {"version": "4", **params})
    assert response.status_code == 200


@pytest.mark.parametrize("floors", [3, 25])
def test_guest_viewthread_query_count_does_not_grow_with_the_page(forum, floors, django_assert_num_queries):  # fmt: skip
    thread = forum["thread"]
    for i in range(floors - 3):
        make_reply(thread, forum["member"], f"第 {i} 条补充的回复内容")
    client = Client()
    call(client, "viewthread", tid=thread.pk)
    # tid → pk, thread, floors seen, the page's posts, the view (written at once in the
    # tests; buffered in production), author uids, poll = 7 whatever the page's size
    with django_assert_num_queries(7):
        body = client.get(URL, {"version": "4", "module": "viewthread", "tid": thread.pk, "ppp": 20}).json()  # fmt: skip
    assert len(body["Variables"]["postlist"]) == min(floors, 20)


def test_guest_forumdisplay_query_count(forum, django_assert_num_queries):
    for i in range(5):
        make_thread(
            forum["board"], forum["member"], subject=f"主题{i}", body="足够长的主题正文内容"
        )
    client = Client()
    call(client, "forumdisplay", fid=forum["board"].pk)
    # board, sub-boards, types, threads, other boards' stickies, author uids = 6
    with django_assert_num_queries(6):
        body = client.get(URL, {"version": "4", "module": "forumdisplay", "fid": forum["board"].pk}).json()  # fmt: skip
    assert len(body["Variables"]["forum_threadlist"]) == 6


# --- the permission matrix: every module that takes a board or thread ------------------------


def _targets(forum) -> dict:
    from django.contrib.auth.hashers import make_password

    locked = make_board("上锁版块", password=make_password("open"))
    return {
        "hidden": (
            forum["hidden"],
            forum["secret"],
            "forum_nonexistence",
            "thread_nonexistence",
        ),  # fmt: skip
        "password": (
            locked,
            make_thread(locked, forum["author"], subject="上锁", body="上锁版块的正文内容"),
            "forum_passwd",
            "forum_passwd",
        ),
    }


BOARD_MODULES = {
    "forumdisplay": ("get", lambda b, t: {"fid": b.pk}),
    "checkpost": ("get", lambda b, t: {"fid": b.pk}),
    "newthread": (
        "post",
        lambda b, t: {"fid": b.pk, "subject": "题", "message": "被拒绝的主题内容"},
    ),  # fmt: skip
    "favforum": ("post", lambda b, t: {"id": b.pk}),
}
THREAD_MODULES = {
    "viewthread": ("get", lambda b, t: {"tid": t.pk}),
    "sendreply": ("post", lambda b, t: {"tid": t.pk, "message": "被拒绝的回复内容"}),
    "favthread": ("post", lambda b, t: {"id": t.pk}),
    "pollvote": ("post", lambda b, t: {"tid": t.pk, "pollanswers[]": "1"}),
    "topicadmin": ("post", lambda b, t: {"tid": t.pk, "action": "delpost", "topiclist[]": "1"}),
}


@pytest.mark.parametrize("who", ["member", "banned"])
@pytest.mark.parametrize("target", ["hidden", "password"])
def test_every_board_and_thread_module_refuses_what_the_pages_refuse(forum, who, target):
    board, thread, board_key, thread_key = _targets(forum)[target]
    client = _member(forum[who])
    before = Post.objects.count()
    for table, key in ((BOARD_MODULES, board_key), (THREAD_MODULES, thread_key)):
        for module, (method, build) in table.items():
            params = build(board, thread)
            body = _post(client, module, **params) if method == "post" else call(client, module, **params)  # fmt: skip
            assert body["Message"]["messageval"] == key, (module, body["Message"])
    assert Post.objects.count() == before


@pytest.mark.parametrize("module", [*BOARD_MODULES, *THREAD_MODULES])
def test_guests_get_the_same_refusals_or_a_log_in_prompt(forum, module):
    board, thread = forum["hidden"], forum["secret"]
    method, build = {**BOARD_MODULES, **THREAD_MODULES}[module]
    params = build(board, thread)
    body = _post(Client(), module, **params) if method == "post" else call(Client(), module, **params)  # fmt: skip
    assert body["Message"]["messageval"] in {"to_login//1", "forum_nonexistence", "thread_nonexistence"}  # fmt: skip


def test_profile_signature_is_the_one_the_profile_page_shows(client, forum):
    """The mobile profile's ``sightml`` follows the site's signature rules: the stored
    HTML rendered under the group's rights, and nothing for a banned member (Discuz!
    hides those; the web profile does too). Re-rendering the source with full BBCode
    leaked spam links of banned members and BBCode a group may not use."""
    from luntan.accounts import services

    author = forum["author"]
    services.set_signature(author, "[b]我的签名[/b]")
    space = call(client, "profile", uid=author.pk)["Variables"]["space"]
    assert "我的签名" in space["sightml"] and "<strong>" in space["sightml"]

    author.group_id = GroupId.BANNED_POSTING
    author.save(update_fields=["group"])
    space = call(client, "profile", uid=author.pk)["Variables"]["space"]
    assert space["sightml"] == ""


def test_a_message_over_the_limit_is_refused_not_cut_short(forum):
    """The web form refuses a PM over 20,000 characters; the app must not get it stored
    cut short with ``do_success`` (nothing is sent, the answer names the limit)."""
    from luntan.pms.models import Message

    sender = _member(forum["member"])
    before = Message.objects.count()
    long = _post(sender, "sendpm", touid=forum["author"].pk, message="x" * 20_001)
    assert long["Message"]["messageval"] == "post_message_toolong"
    assert "20000" in long["Message"]["messagestr"]
    assert Message.objects.count() == before
    fits = _post(sender, "sendpm", touid=forum["author"].pk, message="x" * 20_000)
    assert fits["Message"]["messageval"] == "do_success", fits["Message"]


def test_profile_lists_the_credits_the_web_profile_shows_with_their_names(client, forum):
    """``space.extcreditsN`` and ``extcredits`` (names, units) as Discuz!'s profile.php
    gives them, for the credits shown on the web profile; every value a string."""
    from luntan.credits.display import extcredit_names
    from luntan.credits.services import set_opening_balance

    author = forum["author"]
    set_opening_balance(author, {1: 7, 2: 42}, digestposts=3)
    body = call(client, "profile", uid=author.pk)["Variables"]
    shown = {
        pk: (name, unit)
        for pk, (name, unit, enabled, in_profile) in extcredit_names().items()
        if enabled and in_profile and name
    }
    assert shown, "the default site shows some credits"
    for pk, (name, unit) in shown.items():
        assert body["extcredits"][str(pk)]["title"] == name
        assert body["extcredits"][str(pk)]["unit"] == unit
    assert 2 in shown, "金钱 (extcredits2) is shown on the default site"
    assert body["space"]["extcredits2"] == str(author.credit_balance.extcredits2), body["space"]
    assert int(body["space"]["extcredits2"]) >= 42  # the opening balance, plus what was earned
    assert body["space"]["digestposts"] == "3"
    check_paths(body, {"space.extcredits" + str(pk): "string" for pk in shown})
