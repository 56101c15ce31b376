"""Attachments come over with their files (issue 10 item 2): inline images in the posts a
guest reads, download counts, a missing file reported but not fatal, and the old
``forum.php?mod=attachment&aid=…`` links (plain and encoded) answering with the file."""

from __future__ import annotations

import base64
import re

import pytest

from luntan.attachments.models import Attachment
from luntan.threads.models import Post

from .conftest import _make
from .helpers import import_site

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dz_attachment")
    db = _make(
        generate=["--users", "100", "--threads", "200", "--seed", "3", "--attach-dir", str(folder)]
    )
    db.folder = folder
    # One file is lost on the old server.
    (path,) = db.query("SELECT attachment FROM pre_forum_attachment_0 ORDER BY aid LIMIT 1")[0]
    (folder / "forum" / path).unlink()
    db.query(
        "UPDATE pre_forum_attachment SET downloads = 17 WHERE aid = (SELECT MIN(aid) FROM pre_forum_attachment_1)"
    )
    yield db
    db.drop()


@pytest.fixture
def report(site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # files of this test only
    conn = site.connect()
    try:
        return import_site(conn, "pre_", attach_dir=str(site.folder))
    finally:
        conn.close()


def test_attachments_with_files_counts_and_missing_file(site, report):
    (rows,) = site.query("SELECT COUNT(*) FROM pre_forum_attachment WHERE tableid < 10")[0]
    stats = report["attachments"]
    assert stats.notes["file missing under --attach-dir"] == 1
    assert Attachment.objects.count() == stats.imported == rows - stats.skipped
    assert Attachment.objects.count() >= rows - 3
    (aid,) = site.query("SELECT MIN(aid) FROM pre_forum_attachment_1")[0]
    assert Attachment.objects.get(discuz_aid=aid).downloads == 17
    assert Attachment.objects.filter(is_image=True).exclude(width=0).exists()


def test_inline_image_and_legacy_links_answer_with_the_file(site, report, client):
    inline = (
        Attachment.objects.filter(is_image=True, post__state=Post.State.VISIBLE)
        .select_related("post__thread")
        .order_by("pk")
    )
    for a in inline:
        if f"[attach]{a.discuz_aid}[/attach]" in a.post.source and a.post.floor <= 20:
            break
    else:
        pytest.fail("no inline image in the generated site")
    thread = a.post.thread
    page = client.get(thread.get_absolute_url())
    if page.status_code != 200:  # staff-only board: the administrator reads it
        from luntan.accounts.models import User

        client.force_login(User.objects.get(discuz_uid=1))
        page = client.get(thread.get_absolute_url())
    html = page.content.decode()
    assert re.search(rf'<img src="/attachments/{a.pk}/thumb/"', html), "inline image"
    assert f"附件 {a.discuz_aid}<" not in html
    direct = client.get(f"/attachments/{a.pk}/")
    assert direct.status_code == 200 and direct["Content-Type"].startswith("image/")
    for value in (
        str(a.discuz_aid),
        base64.b64encode(
            f"{a.discuz_aid}|0123abcd|1600000000|5|{thread.discuz_tid}".encode()
        ).decode(),
    ):
        old = client.get("/forum.php", {"mod": "attachment", "aid": value}, follow=True)
        assert old.status_code == 200, value
        assert old.redirect_chain[-1][0] == f"/attachments/{a.pk}/"
        assert b"".join(old.streaming_content)[:2] in (b"\xff\xd8", b"\x89P", b"GI")
    assert client.get("/forum.php", {"mod": "attachment", "aid": "999999"}).status_code == 404


def test_second_run_copies_nothing_again(site, report):
    conn = site.connect()
    try:
        again = import_site(conn, "pre_", attach_dir=str(site.folder))
    finally:
        conn.close()
    assert (again["attachments"].created, again["attachments"].updated) == (0, 0)
    assert again["attachments"].imported == report["attachments"].imported
