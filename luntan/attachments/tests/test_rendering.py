"""Attachments on the thread page: inline [attach], the 附件 box, constant queries."""

from __future__ import annotations

import pytest
from django.test import override_settings

from luntan.attachments import services
from luntan.attachments.conf import format_size
from luntan.attachments.models import Attachment
from luntan.attachments.rendering import render_post_attachments
from luntan.attachments.tests.files import docx_bytes, image_bytes, upload_file
from luntan.core.models import get_site_settings
from luntan.threads.tests.factories import make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db


def _attach(post, user, *files):
    made = [services.upload(user, upload_file(name, content)) for name, content in files]
    services.bind(post, [a.pk for a in made], user)
    return made


def _row(**fields):
    defaults = dict(
        pk=7,
        filename="a.txt",
        size=2048,
        is_image=False,
        width=0,
        height=0,
        thumbnail_name="",
        downloads=0,
        discuz_aid=None,
    )
    defaults.update(fields)
    a = Attachment(**{k: v for k, v in defaults.items() if k != "pk"})
    a.pk = defaults["pk"]
    return a


PLACEHOLDER = '<span class="attach-placeholder" data-aid="{}">附件 {}</span>'


def test_inline_image_becomes_a_thumbnail_linking_to_the_full_image():
    img = _row(pk=7, filename="图.jpg", is_image=True, width=900, height=600, thumbnail_name="t")
    html, box = render_post_attachments("看图 " + PLACEHOLDER.format(7, 7), [img])
    assert '<a class="attach-img" href="/attachments/7/"' in html
    assert '<img src="/attachments/7/thumb/" alt="图.jpg" width="300" height="200"' in html
    assert box == ""  # used inline, not listed again


def test_inline_file_becomes_a_download_link_with_size_and_count():
    f = _row(pk=8, filename="报名表.docx", size=23962, downloads=3)
    html, _ = render_post_attachments(PLACEHOLDER.format(8, 8), [f])
    assert '<a href="/attachments/8/" rel="nofollow">报名表.docx</a>' in html
    assert "(23.4 KB, 下载次数: 3)" in html


def test_foreign_or_missing_ids_stay_text():
    html = PLACEHOLDER.format(99, 99)
    assert render_post_attachments(html, [_row(pk=7)])[0] == html
    assert render_post_attachments(html, [])[0] == html


def test_attachments_not_used_inline_are_listed_under_the_post():
    img = _row(pk=1, filename="a.png", is_image=True, width=100, height=50, size=5000)
    doc = _row(pk=2, filename="报名表.docx", size=23962, downloads=3)
    _, box = render_post_attachments("正文", [img, doc])
    assert box.startswith('<div class="attachments"><h4>附件</h4>')
    assert '<img src="/attachments/1/thumb/" alt="a.png" width="100" height="50"' in box
    assert (
        '附件: <a href="/attachments/2/" rel="nofollow">报名表.docx</a> <em>(23.4 KB, 下载次数: 3)</em>'
        in box
    )


def test_filenames_are_escaped():
    evil = _row(pk=3, filename='"><script>alert(1)</script>.txt')
    html, box = render_post_attachments(PLACEHOLDER.format(3, 3), [evil])
    assert "<script>" not in html and "&lt;script&gt;" in html
    _, box = render_post_attachments("", [evil])
    assert "<script>" not in box


def test_imported_attachments_match_discuz_aids():
    a = _row(pk=5, discuz_aid=12345, filename="老附件.zip")
    html, box = render_post_attachments(PLACEHOLDER.format(12345, 12345), [a])
    assert "老附件.zip" in html and box == ""


# --- the thread page ------------------------------------------------------------------------


def test_thread_page_shows_inline_and_listed_attachments(client):
    author = make_user(group_id=11)
    thread = make_thread(author=author, body="楼主正文")
    op = thread.post_set.get()
    img, doc = _attach(
        op, author, ("现场.jpg", image_bytes(size=(800, 600))), ("报名表.docx", docx_bytes())
    )
    pic = services.upload(author, upload_file("第二张.png", image_bytes("PNG", (640, 480))))
    reply = make_reply(
        thread, author, f"看图 [attach]{pic.pk}[/attach] 和 [attach]{img.pk}[/attach]"
    )
    services.bind(reply, [pic.pk], author)
    html = client.get(f"/t/{thread.pk}/").content.decode()
    # the OP lists both its attachments in its 附件 box
    op_html = html.split(f'id="pid{op.pk}"')[1].split("</article>")[0]
    assert '<div class="attachments"><h4>附件</h4>' in op_html
    assert (
        f'<img src="/attachments/{img.pk}/thumb/" alt="现场.jpg" width="300" height="225"'
        in op_html
    )
    assert f">报名表.docx</a> <em>({format_size(doc.size)}, 下载次数: 0)</em>" in op_html
    # the reply shows its own picture inline (and so not in a box) ...
    reply_html = html.split(f'id="pid{reply.pk}"')[1].split("</article>")[0]
    assert f'看图 <a class="attach-img" href="/attachments/{pic.pk}/"' in reply_html
    assert '<div class="attachments">' not in reply_html
    # ... and the OP's attachment id stays text there: it is not the reply's
    assert f'data-aid="{img.pk}">附件 {img.pk}</span>' in reply_html


def _warm(client, url):
    get_site_settings()
    client.get(url)


@override_settings(LUNTAN_POSTS_PER_PAGE=20)
@pytest.mark.parametrize("with_files", [1, 12])
def test_thread_page_costs_one_query_for_all_attachments(
    client, django_assert_num_queries, with_files
):
    author = make_user(group_id=11)
    thread = make_thread(author=author)
    posts = [thread.post_set.get()] + [make_reply(thread, author) for _ in range(15)]
    for post in posts[:with_files]:
        _attach(post, author, ("a.png", image_bytes("PNG")), ("b.txt", b"text"))
    url = f"/t/{thread.pk}/"
    _warm(client, url)
    with django_assert_num_queries(4):  # thread, posts, attachments, view-count flush
        response = client.get(url)
    assert response.content.decode().count('<div class="attachments">') == with_files


@override_settings(LUNTAN_POSTS_PER_PAGE=20)
def test_thread_page_without_attachments_costs_no_extra_query(client, django_assert_num_queries):
    author = make_user(group_id=11)
    thread = make_thread(author=author)
    make_reply(thread, author)
    _warm(client, f"/t/{thread.pk}/")
    with django_assert_num_queries(3):  # thread, posts, view-count flush
        client.get(f"/t/{thread.pk}/")


def test_reading_mode_shows_the_ops_attachments(client):
    author = make_user(group_id=11)
    pic = services.upload(author, upload_file("图.png", image_bytes("PNG", (500, 400))))
    doc = services.upload(author, upload_file("表.docx", docx_bytes()))
    thread = make_thread(author=author, body=f"正文 [attach]{pic.pk}[/attach]")
    services.bind(thread.post_set.get(), [pic.pk, doc.pk], author)
    html = client.get(f"/t/{thread.pk}/read/").content.decode()
    assert f'正文 <a class="attach-img" href="/attachments/{pic.pk}/"' in html
    assert ">表.docx</a>" in html


def test_thumbnail_size_of_a_very_tall_image_keeps_its_aspect():
    tall = _row(
        pk=9, filename="长图.png", is_image=True, width=600, height=6000, thumbnail_name="t"
    )
    html, _ = render_post_attachments(PLACEHOLDER.format(9, 9), [tall])
    assert 'width="120" height="1200"' in html


def test_stored_thumbnail_matches_the_size_in_the_page():
    from django.core.files.storage import default_storage
    from PIL import Image

    from luntan.attachments.rendering import _thumb_size

    for size in ((900, 600), (600, 6000), (301, 77)):
        a = services.upload(make_user(group_id=11), upload_file("x.png", image_bytes("PNG", size)))
        with default_storage.open(a.thumbnail_name) as f:
            assert Image.open(f).size == _thumb_size(a)
