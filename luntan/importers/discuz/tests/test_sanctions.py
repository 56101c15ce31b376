"""Bans, IP bans, censor words, warnings, 屏蔽 posts and the moderation history come over
from Discuz! (issue 10 items 1 and "loses or exposes"), checked through the pages a
guest, a member and an administrator see."""

from __future__ import annotations

import time

import pytest

from luntan.accounts.models import User, UserGroup
from luntan.bans.models import Ban, IPBan
from luntan.censor.models import CensorWord
from luntan.censor.services import screen
from luntan.threads.models import Post, Thread

from .helpers import run_import

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]

NOW = int(time.time())
FUTURE = NOW + 30 * 86400


def _terms(expiry: int, restore: int, groupid: int) -> str:
    main = f'a:3:{{s:4:"time";i:{expiry};s:7:"adminid";i:0;s:7:"groupid";i:{restore};}}'
    return f'a:2:{{s:4:"main";{main}s:3:"ext";a:1:{{i:{groupid};i:{expiry};}}}}'


@pytest.fixture(scope="module")
def site(synthetic_db):
    db = synthetic_db
    members = [
        r[0]
        for r in db.query(
            "SELECT uid FROM pre_common_member WHERE groupid BETWEEN 10 AND 15 AND adminid = 0 "
            "ORDER BY uid LIMIT 2"
        )
    ]
    temp, expired = members
    db.query(
        "UPDATE pre_common_member SET groupid = 4, adminid = -1, groupexpiry = %s WHERE uid = %s",
        (FUTURE, temp),
    )
    db.query(
        "UPDATE pre_common_member_field_forum SET groupterms = %s WHERE uid = %s",
        (_terms(FUTURE, 12, 4), temp),
    )
    db.query(
        "INSERT INTO pre_common_member_crime (uid, operatorid, operator, action, reason, dateline) "
        "VALUES (%s, 1, 'admin', 4, '发广告刷屏', %s)",
        (temp, NOW - 3600),
    )
    db.query(
        "UPDATE pre_common_member SET groupid = 5, adminid = -1, groupexpiry = 1700000000 "
        "WHERE uid = %s",
        (expired,),
    )
    db.query(
        "UPDATE pre_common_member_field_forum SET groupterms = %s WHERE uid = %s",
        (_terms(1700000000, 11, 5), expired),
    )
    db.query(
        "INSERT INTO pre_common_banned (ip1, ip2, ip3, ip4, admin, dateline, expiration) VALUES "
        "(58, 218, -1, -1, 'admin', %s, %s), (1, 2, 3, 4, 'admin', 1500000000, 1600000000)",
        (NOW - 60, FUTURE),
    )
    # A public, visible thread with at least four visible floors.
    (tid,) = db.query(
        "SELECT t.tid FROM pre_forum_thread t JOIN pre_forum_forum f ON f.fid = t.fid "
        "JOIN pre_forum_forumfield ff ON ff.fid = t.fid "
        "WHERE t.displayorder = 0 AND t.closed = 0 AND t.readperm = 0 AND f.status = 1 "
        "AND ff.viewperm = '' AND ff.password = '' AND ff.redirect = '' AND t.special = 0 AND ("
        "SELECT COUNT(*) FROM pre_forum_post p WHERE p.tid = t.tid AND p.invisible = 0 "
        "AND p.position <= 20 AND p.status = 0) >= 4 ORDER BY t.tid LIMIT 1"
    )[0]
    posts = db.query(
        "SELECT pid, authorid, author FROM pre_forum_post WHERE tid = %s AND invisible = 0 "
        "AND first = 0 AND status = 0 AND position <= 20 ORDER BY position LIMIT 3",
        (tid,),
    )
    (warned_pid, warned_uid, warned_name), (banned_pid, _, _), (flag_pid, _, _) = posts
    db.query(
        "INSERT INTO pre_forum_warning (pid, operatorid, operator, authorid, author, dateline, "
        "reason) VALUES (%s, 1, 'admin', %s, %s, %s, '灌水警告')",
        (warned_pid, warned_uid, warned_name, NOW - 100),
    )
    db.query("UPDATE pre_forum_post SET status = status | 1 WHERE pid = %s", (banned_pid,))
    db.query(
        "UPDATE pre_forum_post SET message = '这是被屏蔽的秘密内容' WHERE pid = %s", (banned_pid,)
    )
    db.query("UPDATE pre_forum_post SET status = status | 2 WHERE pid = %s", (flag_pid,))
    db.query(
        "INSERT INTO pre_forum_threadmod (tid, uid, username, dateline, expiration, action, "
        "status, magicid, stamp, reason) VALUES (%s, 1, 'admin', %s, 0, 'CLS', 1, 0, -1, '')",
        (tid, NOW - 50),
    )
    db.ids = {
        "temp": temp,
        "expired": expired,
        "tid": tid,
        "warned": warned_pid,
        "banned": banned_pid,
        "flag": flag_pid,
    }
    return db


@pytest.fixture
def report(site):
    return run_import(site)


def test_temporary_ban_keeps_reason_operator_and_expiry(site, report, client):
    user = User.objects.get(discuz_uid=site.ids["temp"])
    assert user.group_id == UserGroup.BANNED_POSTING
    ban = Ban.objects.get(user=user, lifted_at=None)
    assert ban.reason == "发广告刷屏" and ban.operator_name == "admin"
    assert ban.expires_at is not None and int(ban.expires_at.timestamp()) == FUTURE
    assert ban.previous_group_id == 12
    page = client.get("/bans/").content.decode()
    row = page[page.index(user.username) :]
    row = row[: row.index("</tr>")]
    assert "发广告刷屏" in row and "admin" in row and "永久" not in row
    # The ban whose expiry passed is over: back in the restored group, not in 小黑屋.
    freed = User.objects.get(discuz_uid=site.ids["expired"])
    assert freed.group_id == 11
    assert freed.username not in page
    assert Ban.objects.get(user=freed).lifted_at is not None


def test_ip_bans_refuse_posting_from_the_address(site, report, client):
    assert set(IPBan.objects.values_list("pattern", flat=True)) == {"58.218.*.*"}
    assert report["IP bans"].notes == {"expired": 1}
    user = User.objects.get(discuz_uid=site.ids["temp"] + 5)
    client.force_login(user)
    refused = client.post("/search/", REMOTE_ADDR="58.218.7.9")
    assert refused.status_code == 403
    assert "IP 地址不被允许" in refused.content.decode()


def test_censor_words_are_imported_and_applied(site, report):
    (rows,) = site.query("SELECT COUNT(*) FROM pre_common_word")[0]
    assert CensorWord.objects.count() + report["censor words"].skipped == rows
    for find, repl in site.query("SELECT find, replacement FROM pre_common_word"):
        word = CensorWord.objects.filter(find=find).first()
        if word is None:
            continue
        if repl == "{BANNED}":
            assert word.action == CensorWord.Action.BLOCK
            if not find.startswith("/") and "{" not in find:
                assert screen(f"你好{find}呀").blocked
        elif repl == "{MOD}":
            assert word.action == CensorWord.Action.MODERATE
    assert CensorWord.objects.filter(action=CensorWord.Action.BLOCK).exists()


def test_banned_and_warned_posts_and_history_on_the_thread_page(site, report, client):
    thread = Thread.objects.get(discuz_tid=site.ids["tid"])
    url = thread.get_absolute_url()
    guest = client.get(url).content.decode()
    assert "提示: 该帖被管理员或版主屏蔽" in guest
    assert "这是被屏蔽的秘密内容" not in guest
    assert guest.count("该帖作者被警告") == 2  # forum_warning row + status bit 2
    assert "本主题由 admin 于" in guest and "关闭" in guest
    client.force_login(User.objects.get(discuz_uid=1))
    admin = client.get(url).content.decode()
    assert "这是被屏蔽的秘密内容" in admin
    banned = Post.objects.get(discuz_pid=site.ids["banned"])
    assert banned.state == Post.State.VISIBLE
    assert report["warnings"].created == 1


def test_second_run_creates_nothing(site, report):
    again = run_import(site)
    for name in (
        "bans",
        "IP bans",
        "censor words",
        "warnings",
        "post 屏蔽/警告",
        "moderation history",
        "ratings",
        "credit balances",
    ):
        assert (again[name].created, again[name].updated) == (0, 0), name
        assert again[name].imported == report[name].imported, name


def test_ratings_with_their_ledger_and_balances_equal_discuz(site, report, client):
    from luntan.credits.models import CreditLog, MemberCredits, PostRating

    (rows,) = site.query("SELECT COUNT(*) FROM pre_forum_ratelog")[0]
    assert rows > 0
    assert PostRating.objects.count() == rows - report["ratings"].skipped
    rating = PostRating.objects.select_related("post__thread").first()
    author = rating.post.author
    assert CreditLog.objects.filter(user=author, post_id=rating.post_id, action="import").exists()
    ext = site.query(
        "SELECT extcredits1, extcredits2 FROM pre_common_member_count WHERE uid = %s",
        (author.discuz_uid,),
    )[0]
    balance = MemberCredits.objects.get(user=author)
    assert (balance.extcredits1, balance.extcredits2) == tuple(ext)
    post = rating.post
    thread = post.thread
    if thread.state == Thread.State.NORMAL and post.state == Post.State.VISIBLE:
        page = client.get(thread.get_absolute_url() + f"?page={(post.floor - 1) // 20 + 1}")
        assert "参与人数" in page.content.decode()
