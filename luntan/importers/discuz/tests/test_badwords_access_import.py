"""UCenter's word list (``ucenter_badwords``) joins ``common_word`` as censor words, and
``forum_access`` and ``common_admingroup`` are read (issue 10 item 1)."""

from __future__ import annotations

import pytest

from luntan.accounts.models import User
from luntan.censor.models import CensorWord
from luntan.importers.discuz.report import render_report
from luntan.threads.models import Post

from .helpers import run_import

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]


@pytest.fixture(scope="module")
def site(synthetic_db):
    db = synthetic_db
    db.query(
        "INSERT INTO pre_ucenter_badwords (admin, find, replacement, findpattern) VALUES "
        "('admin', '黄牛票', '{BANNED}', '/黄牛票/is'), ('admin', '代购', '**', '/代购/is')"
    )
    db.query(
        "INSERT INTO pre_forum_access (uid, fid, allowview, allowpost) "
        "SELECT 2, fid, 1, -1 FROM pre_forum_forum WHERE type = 'forum' ORDER BY fid LIMIT 1"
    )
    yield db
    db.query("DELETE FROM pre_ucenter_badwords WHERE find IN ('黄牛票', '代购')")
    db.query("DELETE FROM pre_forum_access WHERE uid = 2")


def test_ucenter_badwords_block_and_replace_in_new_posts(site, client):
    report = run_import(site)
    stats = report["UCenter bad words"]
    (rows,) = site.query("SELECT COUNT(*) FROM pre_ucenter_badwords")[0]
    assert stats.read == rows
    assert CensorWord.objects.get(find="黄牛票").action == CensorWord.Action.BLOCK
    assert CensorWord.objects.get(find="代购").action == CensorWord.Action.REPLACE
    # A member's reply through the page: blocked with the word, replaced with the other.
    post = Post.objects.filter(thread__state=0, thread__closed=False, floor=1).first()
    client.force_login(User.objects.get(discuz_uid=1))
    url = f"{post.thread.get_absolute_url()}reply/"
    refused = client.post(url, {"body": "出黄牛票一张，需要的联系", "format": "bbcode"})
    assert not Post.objects.filter(source__contains="出黄牛票").exists()
    assert refused.status_code in (200, 400, 403)
    client.post(url, {"body": "海外代购化妆品，诚信经营", "format": "bbcode"})
    mine = Post.objects.filter(source__contains="化妆品").first()
    assert mine is not None and "代购" not in mine.html and "**" in mine.html
    text = render_report(report)
    # Both are read now (test_access_admingroup_import.py checks what they do).
    unread = text.split("Discuz! tables not read")[1]
    assert "forum_access" not in unread and "common_admingroup" not in unread
    assert report["board access"].read == 1 and report["admin-group rights"].read > 0
