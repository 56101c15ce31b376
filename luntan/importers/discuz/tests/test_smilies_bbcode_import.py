"""Smilies (``common_smiley`` + ``forum_imagetype`` with the images of ``--smiley-dir``)
and custom BBCode (``forum_bbcode``) come over (issue 10 item 3): a guest reading an
imported post sees the smiley images, the emoji where an image is missing, safe custom
tags rendered and unsafe ones as readable text; a member's new reply uses them too; the
report lists every custom tag."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from luntan.accounts.models import User
from luntan.core.models import CustomBBCode, Smiley
from luntan.importers.discuz.service import import_site
from luntan.threads.models import Post

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]

MESSAGE = (
    "你好 :) 和 :( 还有 {:3_44:} 以及 {:2_25:} X[sup]2[/sup] [fly]飞过[/fly] "
    "[qq]10001[/qq] [red]红字[/red] [code]:)[/code]"
)


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (20, 20), 1).save(out, "GIF")
    return out.getvalue()


@pytest.fixture(scope="module")
def site(synthetic_db, tmp_path_factory):
    db = synthetic_db
    folder = tmp_path_factory.mktemp("smiley")
    (folder / "default").mkdir()
    (folder / "grapeman").mkdir()
    (folder / "default" / "smile.gif").write_bytes(_gif())
    (folder / "default" / "sad.gif").write_bytes(b"<?php echo 'not an image'; ?>")
    (url44,) = db.query("SELECT url FROM pre_common_smiley WHERE id = 44")[0]
    (folder / "grapeman" / url44).write_bytes(_gif())
    (pid, tid) = db.query(
        "SELECT p.pid, p.tid FROM pre_forum_post p JOIN pre_forum_thread t ON t.tid = p.tid "
        "JOIN pre_forum_forumfield ff ON ff.fid = t.fid JOIN pre_forum_forum f ON f.fid = t.fid "
        "WHERE p.invisible = 0 AND p.status = 0 AND p.first = 0 AND p.position <= 10 "
        "AND t.displayorder = 0 AND t.readperm = 0 AND t.special = 0 AND f.status = 1 "
        "AND ff.viewperm = '' AND ff.password = '' AND ff.redirect = '' ORDER BY p.pid LIMIT 1"
    )[0]
    db.query("UPDATE pre_forum_post SET message = %s WHERE pid = %s", (MESSAGE, pid))
    db.query("UPDATE pre_forum_bbcode SET available = 1 WHERE tag IN ('sup', 'fly')")
    db.query(
        "INSERT INTO pre_forum_bbcode (available, tag, icon, replacement, example, explanation, "
        "params, prompt, nest, displayorder, perm) VALUES (1, 'red', '', "
        "'<span style=\"color: red\">{1}</span>', '[red]x[/red]', '红字', 1, '', 1, 30, '')"
    )
    db.folder, db.pid = folder, pid
    return db


@pytest.fixture
def report(site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    conn = site.connect()
    try:
        return import_site(conn, "pre_", smiley_dir=str(site.folder))
    finally:
        conn.close()


def test_smilies_and_custom_tags_on_the_page_a_guest_reads(site, report, client):
    post = Post.objects.get(discuz_pid=site.pid)
    page = client.get(post.thread.get_absolute_url()).content.decode()
    body = page[page.index("你好") :]
    body = body[: body.index("红字") + 20]
    assert 'class="smiley" src="/media/smilies/default/smile.gif"' in body
    assert (
        f'src="/media/smilies/grapeman/{Smiley.objects.get(discuz_id=44).image.rsplit("/")[-1]}"'
        in body
    )
    assert "🙁" in body and ":(" not in body  # the "image" was no image: the emoji
    assert "{:2_25:}" not in body and "🙂" in body  # coolmonkey folder missing
    assert "X<sup>2</sup>" in body
    assert "飞过" in body and "[fly]" not in body and "marquee" not in body
    assert "10001" in body and "[qq]" not in body and "wpa.qq.com" not in body
    assert '<span style="color: red">红字</span>' in body or "color:red" in body
    assert "<code>:)</code>" in page or ":)</code>" in page  # never inside code
    stats = report["smilies"]
    assert stats.notes["image file is not an image (shown as emoji)"] == 1
    assert stats.notes["image file missing (shown as emoji)"] >= 16
    assert stats.notes["stamps (图章): not imported"] > 0
    assert Smiley.objects.filter(image="").exclude(emoji="").count() >= 17


def test_report_lists_each_custom_tag(site, report):
    notes = report["custom BBCode"].notes
    assert notes["[sup] rendered with its HTML"] == 1
    assert notes["[red] rendered with its HTML"] == 1
    assert notes["[fly] unsafe HTML: content shown as text"] == 1
    assert notes["[qq] unsafe HTML: content shown as text"] == 1
    assert notes["[sub] disabled in Discuz!: stays literal BBCode"] == 1
    assert CustomBBCode.objects.get(tag="fly").rendering == "text"
    from luntan.importers.discuz.report import render_report

    text = render_report(report)
    assert "[qq] unsafe HTML: content shown as text" in text
    assert "forum_bbcode:" not in text and "common_smiley:" not in text  # all read


def test_member_reply_uses_the_smilies_and_tags(site, report, client):
    post = Post.objects.get(discuz_pid=site.pid)
    member = User.objects.get(discuz_uid=1)  # the site's administrator, who may reply anywhere
    client.force_login(member)
    thread = post.thread
    response = client.post(
        f"{thread.get_absolute_url()}reply/", {"body": "新回复 :) [sup]3[/sup]", "format": "bbcode"}
    )
    assert response.status_code in (200, 302)
    mine = Post.objects.filter(thread=thread, author=member).order_by("-pk").first()
    assert mine is not None and "新回复" in mine.source
    assert 'class="smiley"' in mine.html and "<sup>3</sup>" in mine.html


def test_rerun_changes_nothing_and_keeps_the_rendering(site, report):
    again = import_site(site.connect(), "pre_", smiley_dir=str(site.folder))
    assert again["smilies"].created == again["smilies"].updated == 0
    assert again["custom BBCode"].created == again["custom BBCode"].updated == 0
    assert 'class="smiley"' in Post.objects.get(discuz_pid=site.pid).html
