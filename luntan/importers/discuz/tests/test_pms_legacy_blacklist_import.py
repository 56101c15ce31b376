"""UCenter 1.x's legacy ``pms`` table and the 黑名单 of ``ucenter_memberfields.blacklist``
(a comma list of names, or ``{ALL}``) → luntan's one-to-one conversations, blocks and
"accept nobody"; counted in the import report; a second run writes nothing; a member
outside the conversation sees nothing of it."""

from __future__ import annotations

import secrets

import pytest

from luntan.accounts.models import User
from luntan.importers.discuz.pms import parse_blacklist
from luntan.importers.discuz.report import render_report
from luntan.pms import services
from luntan.pms.models import Block, Message, Participant, PMSettings

from .conftest import DiscuzDatabase, server
from .helpers import run_import

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]

LEGACY_TABLE = """
CREATE TABLE pre_ucenter_pms (
  pmid int(10) unsigned NOT NULL AUTO_INCREMENT,
  msgfrom varchar(15) NOT NULL DEFAULT '',
  msgfromid mediumint(8) unsigned NOT NULL DEFAULT '0',
  msgtoid mediumint(8) unsigned NOT NULL DEFAULT '0',
  folder enum('inbox','outbox') NOT NULL DEFAULT 'inbox',
  new tinyint(1) NOT NULL DEFAULT '0',
  subject varchar(75) NOT NULL DEFAULT '',
  dateline int(10) unsigned NOT NULL DEFAULT '0',
  message text NOT NULL,
  delstatus tinyint(1) unsigned NOT NULL DEFAULT '0',
  related int(10) unsigned NOT NULL DEFAULT '0',
  PRIMARY KEY (pmid)
) DEFAULT CHARSET=utf8mb4
"""


@pytest.fixture(scope="module")
def pms_db():
    """A small generated site (``pms_…`` database) with a legacy ``pms`` table."""
    host, port = server()
    db = DiscuzDatabase(host, port)
    db.name = f"pms_{secrets.token_hex(6)}"
    try:
        db.load()
        db.generate("--users", "30", "--threads", "5", "--seed", "11")
        db.query(LEGACY_TABLE)
    except BaseException:
        db.drop()
        raise
    yield db
    db.drop()


def test_parse_blacklist():
    assert parse_blacklist("张三, 李四,张三\n王五") == (["张三", "李四", "王五"], False)
    assert parse_blacklist("{ALL}") == ([], True)
    assert parse_blacklist("") == ([], False)


def test_legacy_pms_and_blacklists_come_over(pms_db, client):
    db = pms_db
    members = db.query(
        "SELECT uid, username FROM pre_common_member WHERE groupid NOT IN (4, 5, 6, 8) "
        "ORDER BY uid LIMIT 4"
    )
    (a_uid, a_name), (b_uid, b_name), (c_uid, c_name), (d_uid, d_name) = members
    rows = [
        # pmid, from name, from, to, folder, new, subject, dateline, message, delstatus
        (1, a_name, a_uid, b_uid, "inbox", 1, "老帖子", 1200000000, "[b]好久不见[/b]", 0),
        (2, b_name, b_uid, a_uid, "inbox", 0, "", 1200000100, "是啊", 0),
        (3, a_name, a_uid, b_uid, "inbox", 0, "", 1200000200, "被收件人删了", 1),
        (4, a_name, a_uid, c_uid, "outbox", 0, "", 1200000300, "草稿", 0),
        (5, "system", 0, a_uid, "inbox", 1, "", 1200000400, "系统", 0),
        (6, a_name, a_uid, 999999, "inbox", 1, "", 1200000500, "无此人", 0),
    ]
    db.query("DELETE FROM pre_ucenter_pms")
    for row in rows:
        db.query(
            "INSERT INTO pre_ucenter_pms (pmid, msgfrom, msgfromid, msgtoid, folder, new, "
            "subject, dateline, message, delstatus) VALUES "
            "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            row,
        )
    db.query("UPDATE pre_ucenter_memberfields SET blacklist = ''")
    db.query(
        "UPDATE pre_ucenter_memberfields SET blacklist = %s WHERE uid = %s",
        (f"{b_name},{c_name}, 无此人", a_uid),
    )
    db.query("UPDATE pre_ucenter_memberfields SET blacklist = '{ALL}' WHERE uid = %s", (d_uid,))

    report = run_import(db)
    legacy = report["legacy PMs"]
    assert legacy.read == 6 and legacy.created == 3 and legacy.skipped == 3
    assert legacy.notes["legacy pm draft (folder outbox)"] == 1
    assert legacy.notes["legacy system pm (msgfromid 0)"] == 1
    assert legacy.notes["legacy pm member not imported"] == 1
    blacklists = report["PM blacklists"]
    assert blacklists.created == 2 and blacklists.notes["blacklisted name not imported"] == 1
    text = render_report(report, database=db.name)
    assert "legacy PMs" in text and "PM blacklists" in text

    a, b, c, d = (User.objects.get(discuz_uid=u) for u in (a_uid, b_uid, c_uid, d_uid))
    msgs = Message.objects.filter(discuz_legacy_pmid__isnull=False).order_by("discuz_legacy_pmid")
    assert [m.discuz_legacy_pmid for m in msgs] == [1, 2, 3]
    conv = msgs[0].conversation
    assert not conv.is_group and {p.user_id for p in conv.participants.all()} == {a.pk, b.pk}
    assert "<strong>老帖子</strong>" in msgs[0].html and "<strong>好久不见</strong>" in msgs[0].html
    assert msgs[2].hidden_for_id == b.pk
    assert Participant.objects.get(conversation=conv, user=b).unread
    b.refresh_from_db()
    assert b.pm_unread >= 1
    conv.refresh_from_db()
    assert conv.last_excerpt  # finish_import filled the inbox columns
    # 黑名单 and {ALL}
    assert set(Block.objects.filter(owner=a).values_list("blocked_id", flat=True)) == {b.pk, c.pk}
    assert PMSettings.objects.get(user=d).accept == PMSettings.Accept.NOBODY
    with pytest.raises(Exception):  # noqa: B017 - blocked: ValidationError
        services.send_message(b, "还在吗", recipients=[a])

    # the members read it; a member outside the conversation does not
    client.force_login(a)
    assert "好久不见" in client.get(f"/pm/{conv.pk}/").content.decode()
    client.force_login(b)
    page = client.get(f"/pm/{conv.pk}/").content.decode()
    assert "好久不见" in page and "被收件人删了" not in page
    client.force_login(c)
    assert client.get(f"/pm/{conv.pk}/").status_code == 404

    before = list(Message.objects.order_by("pk").values()), list(Block.objects.values())
    again = run_import(db)
    assert again["legacy PMs"].created == 0 and again["PM blacklists"].created == 0
    after = list(Message.objects.order_by("pk").values()), list(Block.objects.values())
    assert after == before
