"""Importing the seed site (shared/discuz/seed_thread.sql): every value the fixture's
README lists under "What an importer test should assert for the seed"."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth import authenticate

from luntan.accounts.models import User
from luntan.boards.models import Board
from luntan.core.models import SiteSettings
from luntan.iplocation import format_region
from luntan.threads.models import Post, Thread

from .helpers import run_import, snapshot

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]

SUBJECT = "群众利益至高无上——简阳公安“大走访”开门评警侧记"
TIMES = (1307685231, 1307685367, 1307685864, 1307690971)
AUTHORS = ("简阳新闻官", "王者典范", "简阳新闻官", "雄州老杨")
REGIONS = ("中国江苏徐州", "中国四川眉山", "中国江苏徐州", "中国四川资阳")
# The users table of shared/discuz/README.md.
PASSWORDS = {
    "admin": "jyr@2007admin",
    "简阳新闻官": "xinwen2008",
    "王者典范": "wzdf1025",
    "雄州老杨": "雄州2011",
}


def utc(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


@pytest.fixture
def imported(seed_db):
    run_import(seed_db)
    return Thread.objects.get(discuz_tid=17406)


def test_seed_board_tree_and_thread_types(imported):
    category = Board.objects.get(kind=Board.Kind.CATEGORY, name="简阳人")
    assert category.discuz_fid == 1
    board = Board.objects.get(discuz_fid=36)
    assert (board.name, board.kind, board.parent) == ("简阳新闻", Board.Kind.BOARD, category)
    assert [t.name for t in board.thread_types.order_by("display_order")] == [
        "本地新闻",
        "新闻转播",
        "便民信息",
    ]
    assert board.thread_types_required and board.thread_types_prefix
    # the installer's 群组 categories (status 3) are not imported
    assert list(Board.objects.values_list("discuz_fid", flat=True).order_by("discuz_fid")) == [
        1,
        36,
    ]


def test_seed_thread_values(imported):
    thread = imported
    assert thread.subject == SUBJECT
    assert "&" not in thread.subject
    assert thread.type.name == "新闻转播"
    assert (thread.views, thread.replies, thread.max_floor) == (1166, 3, 4)
    assert thread.created == utc(1307685231)
    assert thread.last_post_at == utc(1307690971)
    assert thread.last_poster_name == "雄州老杨"
    assert thread.author.username == "简阳新闻官"
    assert (thread.state, thread.sticky, thread.digest, thread.closed) == (0, 0, 0, False)
    assert not thread.is_anonymous and thread.highlight == ""


def test_seed_posts_floors_authors_times_and_regions(imported):
    posts = list(imported.post_set.order_by("floor"))
    assert [p.floor for p in posts] == [1, 2, 3, 4]
    assert [p.discuz_pid for p in posts] == [196830, 196831, 196832, 196833]
    assert tuple(p.author_name for p in posts) == AUTHORS
    assert tuple(p.author.username for p in posts) == AUTHORS
    assert tuple(p.created for p in posts) == tuple(utc(t) for t in TIMES)
    assert tuple(format_region(p.ip_region, "city") for p in posts) == REGIONS
    assert [p.ip for p in posts] == [
        "58.218.204.37",
        "222.215.231.86",
        "58.218.204.37",
        "222.213.205.118",
    ]
    assert all(p.state == Post.State.VISIBLE and p.format == "bbcode" for p in posts)
    assert all(p.html and p.renderer_version for p in posts)


def test_seed_floor_one_source_is_the_original_message(imported):
    op = imported.post_set.get(floor=1)
    assert op.source.startswith("\u30006月9日讯拓宽警民沟通渠道,用心倾听群众呼声,")
    assert op.source.endswith("2000余个。\r\n\r\n\u3000\u3000")
    assert len(op.source) == 2640
    assert op.source.count("\r\n\r\n") == 21
    assert "简阳市公安局" in op.source and "简阳市公安局" in op.html
    for mojibake in ("ç®€", "Ã", "â€", "\ufffd"):
        assert mojibake not in op.source


def test_seed_floor_three_quotes_floor_two(imported):
    quote = imported.post_set.get(floor=3)
    assert "王者典范 发表于 2011-6-10 13:56" in quote.html
    assert "/forum.php?mod=redirect&amp;goto=findpost&amp;pid=196831&amp;ptid=17406" in quote.html
    assert "和谐 呵呵" in quote.html
    assert quote.source.endswith("[/quote]\n\n和谐 呵呵")
    target = Post.objects.get(discuz_pid=196831)
    assert (target.thread_id, target.floor) == (imported.pk, 2)


def test_seed_site_settings(imported):
    site = SiteSettings.objects.get(pk=1)
    assert site.site_name == "简阳人论坛"
    assert site.icp_number == "蜀ICP备07502275号-3"


@pytest.mark.parametrize("username", list(PASSWORDS))
def test_seed_members_log_in_with_their_discuz_passwords(imported, username):
    stored = User.objects.get(username=username)
    assert stored.password.startswith("discuz$")
    assert authenticate(username=username, password="wrong") is None
    user = authenticate(username=username, password=PASSWORDS[username])
    assert user is not None and user.pk == stored.pk
    user.refresh_from_db()
    assert not user.password.startswith("discuz$")  # upgraded at the first login
    assert authenticate(username=username, password=PASSWORDS[username]) is not None


def test_seed_members(imported):
    users = {u.username: u for u in User.objects.all()}
    assert set(users) == set(PASSWORDS)
    admin = users["admin"]
    assert admin.is_staff and admin.is_superuser and admin.group_id == 1
    assert admin.discuz_uid == 1 and admin.register_ip is None  # "hidden" in UCenter
    assert admin.date_joined == utc(1195524753)
    xinwen = users["简阳新闻官"]
    assert not xinwen.is_staff and xinwen.group_id == 11 and xinwen.credits == 63
    assert xinwen.register_ip == "58.218.197.112"
    assert xinwen.email == "jyxinwen@example.com"
    assert users["雄州老杨"].group_id == 10 and users["雄州老杨"].is_active


def test_seed_counters(imported):
    board = Board.objects.get(discuz_fid=36)
    assert (board.threads, board.posts) == (1, 4)
    assert board.last_thread_id == imported.pk
    assert board.last_post_at == utc(1307690971) and board.last_poster_name == "雄州老杨"
    posts = dict(User.objects.values_list("username", "posts"))
    assert posts == {"简阳新闻官": 2, "王者典范": 1, "雄州老杨": 1, "admin": 0}
    assert User.objects.get(username="简阳新闻官").threads == 1


def test_seed_second_import_creates_and_changes_nothing(seed_db):
    first = run_import(seed_db)
    assert first["posts"].created == 4 and first["members"].created == 4
    before = snapshot()
    second = run_import(seed_db)
    assert second.created == 0 and second.updated == 0
    assert snapshot() == before


def test_reimport_keeps_a_password_upgraded_or_changed_in_luntan(seed_db):
    run_import(seed_db)
    assert authenticate(username="雄州老杨", password="雄州2011") is not None  # upgrades
    changed = User.objects.get(username="王者典范")
    changed.set_password("new-password-1025")
    changed.save()
    upgraded = {u.username: u.password for u in User.objects.all()}
    report = run_import(seed_db)
    assert report["members"].updated == 0
    assert {u.username: u.password for u in User.objects.all()} == upgraded
    assert authenticate(username="王者典范", password="new-password-1025") is not None
    assert authenticate(username="王者典范", password="wzdf1025") is None
