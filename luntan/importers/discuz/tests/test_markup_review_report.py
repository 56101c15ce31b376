"""Issue 10 items the other importer tests did not check through the pages:

- item 3: an imported ``[hide]`` keeps Discuz!'s rule (reply to see; the author, the
  moderators and the administrators always see it) and an imported ``[password]`` thread
  is protected (the password never shown, the text only after it was typed);
- item 1: a reply waiting for review (``invisible`` -2) and a recycled reply (-5) are not
  shown to guests and members; the board's moderator finds the first in 审核; a board's
  发帖审核 (``modnewposts``) holds a member's new thread;
- item 7: the report names every table of ``shared/discuz/schema`` once — read (with its
  row count, the phases saying what became of the rows) or not read (with the reason).

Hand-made rows on the generated site (``generate.py --users 200 --threads 300 --seed 7``).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from luntan.accounts.models import User
from luntan.importers.discuz.report import render_report
from luntan.threads.models import Post, Thread

from .conftest import DISCUZ
from .helpers import run_import

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]

SECRET = "只有回复者才能看到的秘密"
PASSWORD = "kai-men-123"
LOCKED = "密码帖里的正文内容"


def _public_threads(db, n):
    return [
        r[0]
        for r in db.query(
            "SELECT t.tid FROM pre_forum_thread t JOIN pre_forum_forum f ON f.fid = t.fid "
            "JOIN pre_forum_forumfield ff ON ff.fid = t.fid WHERE t.displayorder = 0 "
            "AND t.closed = 0 AND t.readperm = 0 AND f.status = 1 AND ff.viewperm = '' "
            "AND ff.password = '' AND ff.redirect = '' AND t.special = 0 "
            "AND t.replies BETWEEN 3 AND 15 AND t.authorid > 0 AND EXISTS (SELECT 1 FROM "
            "pre_forum_moderator m WHERE m.fid = t.fid AND m.uid > 1) ORDER BY t.tid LIMIT %s",
            (n,),
        )
    ]


@pytest.fixture(scope="module")
def site(synthetic_db):
    db = synthetic_db
    hide, password, review = _public_threads(db, 3)
    db.query(
        "UPDATE pre_forum_post SET message = %s WHERE tid = %s AND first = 1",
        (f"公开的开头[hide]{SECRET}[/hide]", hide),
    )
    db.query(
        "UPDATE pre_forum_post SET message = %s WHERE tid = %s AND first = 1",
        (f"[password]{PASSWORD}[/password]{LOCKED}", password),
    )
    pids = [
        r[0]
        for r in db.query(
            "SELECT pid FROM pre_forum_post WHERE tid = %s AND first = 0 ORDER BY position LIMIT 2",
            (review,),
        )
    ]
    db.query(
        "UPDATE pre_forum_post SET invisible = -2, message = '等待审核的回复内容' WHERE pid = %s",
        (pids[0],),
    )
    db.query(
        "UPDATE pre_forum_post SET invisible = -5, message = '回收站里的回复内容' WHERE pid = %s",
        (pids[1],),
    )
    # 发帖审核 on 灌水乐园 (fid 46): new threads and replies wait for a moderator.
    db.query("UPDATE pre_forum_forum SET modnewposts = 2 WHERE fid = 46")
    db.ids = {"hide": hide, "password": password, "review": review}
    yield db
    db.query("UPDATE pre_forum_forum SET modnewposts = 0 WHERE fid = 46")


@pytest.fixture
def report(site):
    return run_import(site)


def _page(client: Client, thread: Thread, user: User | None = None) -> str:
    if user is not None:
        client.force_login(user)
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_imported_hide_keeps_the_discuz_rule(site, report):
    thread = Thread.objects.get(discuz_tid=site.ids["hide"])
    replier = (
        Post.objects.filter(thread=thread, floor__gt=1, author__isnull=False)
        .exclude(author=thread.author)
        .first()
        .author
    )
    writers = set(Post.objects.filter(thread=thread).values_list("author_id", flat=True))
    stranger = (
        User.objects.filter(group_id__in=(10, 11, 12), is_active=True)
        .exclude(pk__in=writers)
        .exclude(moderated_boards__isnull=False)
        .first()
    )
    moderator = thread.board.moderators.first()
    admin = User.objects.get(discuz_uid=1)
    assert SECRET not in _page(Client(), thread)  # guest
    assert SECRET not in _page(Client(), thread, stranger)
    assert "公开的开头" in _page(Client(), thread, stranger)
    for who in (replier, thread.author, moderator, admin):
        assert SECRET in _page(Client(), thread, who), who


def test_imported_password_thread_is_protected(site, report):
    thread = Thread.objects.get(discuz_tid=site.ids["password"])
    first = Post.objects.get(thread=thread, floor=1)
    member = User.objects.filter(group_id__in=(10, 11, 12), is_active=True).exclude(
        pk=thread.author_id
    )[0]
    client = Client()
    for page in (_page(client, thread), _page(client, thread, member)):
        assert PASSWORD not in page and LOCKED not in page
        assert "密码帖" in page
    wrong = client.post(f"/p/{first.pk}/password/", {"password": "nope"})
    assert LOCKED not in wrong.content.decode()
    right = client.post(f"/p/{first.pk}/password/", {"password": PASSWORD})
    assert right.status_code == 302
    page = _page(client, thread)
    assert LOCKED in page and PASSWORD not in page
    assert LOCKED in _page(Client(), thread, thread.author)


def test_review_and_recycled_replies_are_hidden_but_queued_for_moderators(site, report):
    thread = Thread.objects.get(discuz_tid=site.ids["review"])
    member = User.objects.filter(group_id__in=(10, 11, 12), is_active=True).first()
    for page in (_page(Client(), thread), _page(Client(), thread, member)):
        assert "等待审核的回复内容" not in page and "回收站里的回复内容" not in page
    pending = Post.objects.get(thread=thread, source="等待审核的回复内容")
    assert pending.state == Post.State.PENDING
    assert Post.objects.get(thread=thread, source="回收站里的回复内容").state == Post.State.DELETED
    moderator = thread.board.moderators.first()
    client = Client()
    client.force_login(moderator)
    queue = client.get("/mod/queue/")
    assert queue.status_code == 200 and "等待审核的回复内容" in queue.content.decode()


def test_board_review_setting_holds_a_members_new_thread(site, report):
    from luntan.boards.models import Board

    board = Board.objects.get(discuz_fid=46)
    member = User.objects.filter(group_id__in=(11, 12, 13), is_active=True).exclude(
        moderated_boards__isnull=False
    )[0]
    client = Client()
    client.force_login(member)
    response = client.post(
        f"/f/{board.pk}/new/",
        {"subject": "需要审核的新主题", "body": "审核测试的正文内容", "format": "bbcode"},
        follow=True,
    )
    assert response.status_code == 200 and "审核" in response.content.decode()
    thread = Thread.objects.get(subject="需要审核的新主题")
    assert thread.state == Thread.State.PENDING
    assert "需要审核的新主题" not in Client().get(board.get_absolute_url()).content.decode()


def _schema_tables() -> set[str]:
    tables = set(re.findall(r"CREATE TABLE pre_(\w+)", (DISCUZ / "schema/install.sql").read_text()))
    uc = re.findall(r"CREATE TABLE uc_(\w+)", (DISCUZ / "schema/uc.sql").read_text())
    return tables | {f"ucenter_{name}" for name in uc}


def test_report_names_every_schema_table_once(site, report):
    text = render_report(report)
    schema = _schema_tables()
    assert len(schema) > 250
    read_part = text.split("Discuz! tables read:")[1].split("Discuz! tables not read:")[0]
    unread_part = text.split("Discuz! tables not read:")[1]
    read = set(re.findall(r"(\w+) \(\d+\)", read_part))
    listed = set(re.findall(r"^    (\w+): \d+ rows — .+$", unread_part, re.M))
    empty_line = re.search(r"^    empty: (.*)$", unread_part, re.M)
    empty = set(empty_line.group(1).split(", ")) if empty_line else set()
    assert not read & (listed | empty)
    missing = schema - read - listed - empty
    assert not missing, sorted(missing)
    # What the import is built on is read, with the row counts of the Discuz! tables.
    for table in ("common_member", "forum_thread", "forum_post", "forum_access"):
        assert table in read
    (posts,) = site.query("SELECT COUNT(*) FROM pre_forum_post")[0]
    assert f"forum_post ({posts})" in read_part
    # Every non-empty table not read says why, in words (no bare "not imported").
    bare = re.findall(r"^    (\w+): \d+ rows — not imported$", unread_part, re.M)
    assert not bare, bare


def test_damaged_text_stops_the_import_with_a_clear_message(seed_db):
    """Item 5: names already damaged by a wrong conversion (``锟斤拷``) stop the command
    with a message saying what to fix, before anything is written."""
    from io import StringIO

    from django.core.management import CommandError, call_command

    ((uid, name),) = seed_db.query(
        "SELECT uid, username FROM pre_common_member ORDER BY uid DESC LIMIT 1"
    )
    seed_db.query("UPDATE pre_common_member SET username = '锟斤拷锟斤拷' WHERE uid = %s", (uid,))
    before = User.objects.count()
    try:
        with pytest.raises(CommandError) as refused:
            call_command(
                "import_discuz",
                host=seed_db.host,
                port=seed_db.port,
                user="root",
                password="",
                database=seed_db.name,
                stdout=StringIO(),
            )
    finally:
        seed_db.query("UPDATE pre_common_member SET username = %s WHERE uid = %s", (name, uid))
    assert "mojibake" in str(refused.value) and "--source-charset" in str(refused.value)
    assert User.objects.count() == before
