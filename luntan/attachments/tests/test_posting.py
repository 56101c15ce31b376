"""Attachments through the posting pages: new thread, reply, quick reply (htmx), edit."""

from __future__ import annotations

import re

import pytest

from luntan.attachments import services
from luntan.attachments.models import Attachment
from luntan.attachments.tests.files import PHP_BYTES, docx_bytes, image_bytes, upload_file
from luntan.core.models import get_site_settings
from luntan.threads.models import Post, Thread
from luntan.threads.tests.factories import make_board, make_thread, make_user

pytestmark = pytest.mark.django_db

TEXT = "这是一条足够长的帖子内容，超过十个字。"
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def no_flood_control():
    row = get_site_settings()
    row.flood_seconds = 0
    row.save()


@pytest.fixture
def member(client):
    user = make_user(group_id=11)
    client.force_login(user)
    return user


def token(client, url):
    m = re.search(r'name="token"[^>]*value="([^"]+)"', client.get(url).content.decode())
    return m.group(1) if m else ""


def test_posting_forms_carry_a_file_input(client, member):
    board = make_board()
    thread = make_thread(board=board, author=member)
    for url in (
        f"/f/{board.pk}/new/",
        f"/t/{thread.pk}/reply/",
        f"/t/{thread.pk}/",
        f"/p/{thread.post_set.get().pk}/edit/",
    ):
        html = client.get(url).content.decode()
        assert 'enctype="multipart/form-data"' in html, url
        assert 'type="file" name="attach_files" multiple' in html, url
        assert 'name="attachments"' in html, url


def test_new_thread_with_files_binds_them_to_the_op(client, member):
    board = make_board()
    url = f"/f/{board.pk}/new/"
    response = client.post(
        url,
        {
            "subject": "带附件的主题",
            "body": TEXT,
            "format": "bbcode",
            "token": token(client, url),
            "attach_files": [
                upload_file("图.png", image_bytes("PNG", (600, 400))),
                upload_file("报名表.docx", docx_bytes()),
            ],
        },
    )
    assert response.status_code == 302
    thread = Thread.objects.get(subject="带附件的主题")
    op = thread.post_set.get(floor=1)
    assert sorted(op.attachments.values_list("filename", flat=True)) == ["图.png", "报名表.docx"]
    assert set(Attachment.objects.values_list("thread_id", flat=True)) == {thread.pk}
    html = client.get(thread.get_absolute_url()).content.decode()
    assert '<div class="attachments"><h4>附件</h4>' in html and "报名表.docx" in html


def test_reply_can_put_an_uploaded_image_inline(client, member):
    thread = make_thread(author=member)
    pre = services.upload(member, upload_file("现场.jpg", image_bytes(size=(800, 600))))
    url = f"/t/{thread.pk}/reply/"
    response = client.post(
        url,
        {
            "body": f"{TEXT} [attach]{pre.pk}[/attach]",
            "format": "bbcode",
            "token": token(client, url),
            "attachments": str(pre.pk),
        },
    )
    assert response.status_code == 302
    reply = Post.objects.get(thread=thread, floor=2)
    assert list(reply.attachments.all()) == [pre]
    html = client.get(f"/t/{thread.pk}/").content.decode()
    assert f'<a class="attach-img" href="/attachments/{pre.pk}/"' in html


def test_quick_reply_with_htmx_returns_the_floor_with_its_attachment(client, member):
    thread = make_thread(author=member)
    response = client.post(
        f"/t/{thread.pk}/reply/",
        {
            "body": TEXT,
            "format": "bbcode",
            "token": token(client, f"/t/{thread.pk}/"),
            "page": "1",
            "attach_files": upload_file("快照.png", image_bytes("PNG", (500, 300))),
        },
        **HX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    a = Attachment.objects.get()
    assert a.post.floor == 2
    assert f'<img src="/attachments/{a.pk}/thumb/" alt="快照.png" width="300" height="180"' in html


def test_a_refused_file_keeps_the_form_and_writes_no_post(client, member):
    thread = make_thread(author=member)
    url = f"/t/{thread.pk}/reply/"
    response = client.post(
        url,
        {
            "body": TEXT,
            "format": "bbcode",
            "token": token(client, url),
            "attach_files": [upload_file("shell.jpg", PHP_BYTES), upload_file("ok.txt", b"fine")],
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "shell.jpg: 文件内容与扩展名不符 (.jpg)" in html
    # the good file is stored (no row yet) and kept, signed, for the next submission
    assert not Attachment.objects.exists()
    kept = re.search(r'name="staged" value="([^"]+)"', html).group(1)
    assert not Post.objects.filter(thread=thread, floor=2).exists()
    again = client.post(url, {"body": TEXT, "format": "bbcode", "staged": kept})
    assert again.status_code == 302
    post = Post.objects.get(thread=thread, floor=2)
    assert list(post.attachments.values_list("filename", flat=True)) == ["ok.txt"]


def test_someone_elses_upload_id_is_refused_and_the_post_rolled_back(client, member):
    thread = make_thread(author=member)
    theirs = services.upload(make_user(group_id=11), upload_file("别人的.txt", b"x"))
    url = f"/t/{thread.pk}/reply/"
    response = client.post(
        url,
        {
            "body": TEXT,
            "format": "bbcode",
            "token": token(client, url),
            "attachments": str(theirs.pk),
        },
    )
    assert response.status_code == 200
    assert "只能使用自己上传的附件。" in response.content.decode()
    assert not Post.objects.filter(thread=thread, floor=2).exists()
    theirs.refresh_from_db()
    assert theirs.post is None


def test_edit_can_add_an_attachment(client, member):
    thread = make_thread(author=member, body=TEXT)
    op = thread.post_set.get()
    url = f"/p/{op.pk}/edit/"
    response = client.post(
        url,
        {
            "subject": thread.subject,
            "body": TEXT + "（补充附件）",
            "format": "bbcode",
            "token": token(client, url),
            "attach_files": upload_file("补充.txt", b"more"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(op.attachments.values_list("filename", flat=True)) == ["补充.txt"]
