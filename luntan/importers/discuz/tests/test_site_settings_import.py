"""Board settings, credit names/formula/rules, members' last visit and verified e-mails
come from Discuz! (issue 10 item 1), checked on the pages a member sees."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from luntan.accounts.models import User
from luntan.boards.models import Board
from luntan.credits.models import CreditRule, CreditSettings, ExtCredit

from .helpers import run_import

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]

EXTCREDITS = (
    'a:3:{i:1;a:3:{s:5:"title";s:6:"威望";s:4:"unit";s:0:"";s:9:"available";s:1:"1";}'
    'i:2;a:3:{s:5:"title";s:6:"铜板";s:4:"unit";s:3:"枚";s:9:"available";s:1:"1";}'
    'i:3;a:3:{s:5:"title";s:6:"贡献";s:4:"unit";s:0:"";s:9:"available";s:1:"0";}}'
)
FORMULA = "posts+digestposts*5+extcredits1*3+extcredits2"


@pytest.fixture(scope="module")
def site(synthetic_db):
    db = synthetic_db
    db.query("UPDATE pre_common_setting SET svalue = %s WHERE skey = 'extcredits'", (EXTCREDITS,))
    db.query("UPDATE pre_common_setting SET svalue = %s WHERE skey = 'creditsformula'", (FORMULA,))
    db.query("UPDATE pre_common_credit_rule SET extcredits2 = 3 WHERE action = 'reply'")
    (fid,) = db.query(
        "SELECT fid FROM pre_forum_forum WHERE type = 'forum' AND status = 1 ORDER BY fid LIMIT 1"
    )[0]
    db.query("UPDATE pre_forum_forum SET modnewposts = 2, autoclose = 30 WHERE fid = %s", (fid,))
    uids = [
        r[0]
        for r in db.query(
            "SELECT uid FROM pre_common_member WHERE uid > 1 AND email LIKE '%%@%%' ORDER BY uid LIMIT 2"
        )
    ]
    db.query("UPDATE pre_common_member SET emailstatus = 1 WHERE uid = %s", (uids[0],))
    db.query("UPDATE pre_common_member SET emailstatus = 0 WHERE uid = %s", (uids[1],))
    db.query(
        "UPDATE pre_common_member_status SET lastvisit = 1700000000 WHERE uid = %s", (uids[0],)
    )
    db.ids = {"fid": fid, "verified": uids[0], "unverified": uids[1]}
    return db


@pytest.fixture
def report(site):
    return run_import(site)


def test_credit_names_units_formula_and_rules(site, report, client):
    assert ExtCredit.objects.get(pk=2).name == "铜板" and ExtCredit.objects.get(pk=2).unit == "枚"
    assert ExtCredit.objects.get(pk=3).enabled is False
    assert CreditSettings.objects.get(pk=1).formula == FORMULA
    assert CreditRule.objects.get(action="reply").extcredits2 == 3
    user = User.objects.get(discuz_uid=site.ids["verified"])
    page = client.get(f"/u/{user.pk}/").content.decode()
    assert "铜板" in page and "金钱" not in page


def test_board_settings_and_member_status(site, report):
    board = Board.objects.get(discuz_fid=site.ids["fid"])
    assert board.moderate_new_posts is True
    assert not Board.objects.exclude(pk=board.pk).filter(moderate_new_posts=True).exists()
    assert report["boards"].notes["boards with 自动关闭主题 set (not kept)"] == 1
    user = User.objects.get(discuz_uid=site.ids["verified"])
    assert int(user.last_login.timestamp()) == 1700000000
    assert EmailAddress.objects.get(user=user).verified is True
    other = User.objects.get(discuz_uid=site.ids["unverified"])
    assert EmailAddress.objects.get(user=other).verified is False
    again = run_import(site)
    for name in ("credit settings", "member status", "boards"):
        assert (again[name].created, again[name].updated) == (0, 0), name
