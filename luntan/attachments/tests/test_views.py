"""Serving attachments: headers, permissions, counters; the upload endpoint."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from luntan.accounts.models import UserGroup
from luntan.attachments import services
from luntan.attachments.tests.files import SVG_SCRIPT, docx_bytes, image_bytes, upload_file
from luntan.threads.models import Post
from luntan.threads.tests.factories import make_board, make_thread, make_user

pytestmark = pytest.mark.django_db

CSP = "default-src 'none'; sandbox"


def _posted(name, content, *, board=None, **user_fields):
    author = make_user(group_id=user_fields.pop("group_id", 11), **user_fields)
    thread = make_thread(board=board, author=author)
    post = thread.post_set.get()
    a = services.upload(author, upload_file(name, content))
    services.bind(post, [a.pk], author)
    return a, post


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def assert_safe_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == CSP


def test_image_is_served_inline_with_its_stored_type(client):
    a, _ = _posted("现场照片.jpg", image_bytes(size=(800, 600)))
    response = client.get(f"/attachments/{a.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == (
        f'inline; filename="attachment-{a.pk}.jpg"; '
        "filename*=UTF-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.jpg"
    )
    assert_safe_headers(response)
    assert _body(response)[:3] == b"\xff\xd8\xff"


def test_thumbnail_is_served_and_not_counted(client):
    a, _ = _posted("p.png", image_bytes("PNG", (900, 300)))
    response = client.get(f"/attachments/{a.pk}/thumb/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert_safe_headers(response)
    a.refresh_from_db()
    assert a.downloads == 0


def test_file_download_has_a_cjk_content_disposition_and_counts(client):
    a, _ = _posted("报名表.docx", docx_bytes())
    for _ in range(2):
        response = client.get(f"/attachments/{a.pk}/")
        assert response.status_code == 200
        _body(response)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == (
        f'attachment; filename="attachment-{a.pk}.docx"; '
        "filename*=UTF-8''%E6%8A%A5%E5%90%8D%E8%A1%A8.docx"
    )
    assert_safe_headers(response)
    a.refresh_from_db()
    assert a.downloads == 2
    assert client.head(f"/attachments/{a.pk}/").status_code == 200
    a.refresh_from_db()
    assert a.downloads == 2


def test_non_images_have_no_thumbnail(client):
    a, _ = _posted("a.txt", b"text")
    assert client.get(f"/attachments/{a.pk}/thumb/").status_code == 404


def test_traversal_named_file_is_a_download_with_a_harmless_name(client):
    a, _ = _posted("../../x.php.txt", b"<? not php")
    response = client.get(f"/attachments/{a.pk}/")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith('attachment; filename="x.php.txt";')
    assert "/" not in response["Content-Disposition"].split("filename*=")[1].replace("%2F", "")


def test_allowed_svg_is_never_inline(client, settings):
    settings.LUNTAN_ATTACHMENT_EXTENSIONS = ["svg"]
    a, _ = _posted("logo.svg", SVG_SCRIPT)
    response = client.get(f"/attachments/{a.pk}/")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert_safe_headers(response)
    assert client.get(f"/attachments/{a.pk}/thumb/").status_code == 404


def test_attachment_in_a_hidden_board_is_404_for_guests_and_members(client):
    a, _ = _posted("秘密.jpg", image_bytes(), board=make_board("内部", is_hidden=True))
    assert client.get(f"/attachments/{a.pk}/").status_code == 404
    assert client.get(f"/attachments/{a.pk}/thumb/").status_code == 404
    client.force_login(make_user(group_id=11))
    assert client.get(f"/attachments/{a.pk}/").status_code == 404
    client.force_login(make_user(group_id=UserGroup.ADMIN))
    assert client.get(f"/attachments/{a.pk}/").status_code == 200


def test_attachment_of_a_deleted_post_is_404(client):
    a, post = _posted("a.txt", b"text")
    Post.objects.filter(pk=post.pk).update(state=Post.State.DELETED)
    assert client.get(f"/attachments/{a.pk}/").status_code == 404


def test_unbound_upload_is_seen_only_by_its_uploader(client):
    owner = make_user(group_id=11)
    a = services.upload(owner, upload_file("草稿.jpg", image_bytes()))
    assert client.get(f"/attachments/{a.pk}/").status_code == 404
    client.force_login(make_user(group_id=11))
    assert client.get(f"/attachments/{a.pk}/").status_code == 404
    client.force_login(owner)
    assert client.get(f"/attachments/{a.pk}/").status_code == 200


def test_unknown_attachment_is_404(client):
    assert client.get("/attachments/12345/").status_code == 404
    assert client.get("/attachments/99999999999999999999/").status_code == 404


def test_missing_file_is_404_not_500(client):
    from django.core.files.storage import default_storage

    a, _ = _posted("a.txt", b"text")
    default_storage.delete(a.stored_name)
    assert client.get(f"/attachments/{a.pk}/").status_code == 404


# --- upload endpoint ---------------------------------------------------------------------------


def test_upload_endpoint_stores_the_file_and_answers_json(client):
    client.force_login(make_user(group_id=11))
    response = client.post(
        "/attachments/upload/", {"file": upload_file("图.png", image_bytes("PNG"))}
    )
    assert response.status_code == 201
    assert_safe_headers(response)
    data = json.loads(response.content)
    assert data["name"] == "图.png" and data["is_image"] is True
    assert data["bbcode"] == f"[attach]{data['id']}[/attach]"
    assert data["url"] == f"/attachments/{data['id']}/"


def test_upload_endpoint_refuses_guests_and_bad_files(client):
    response = client.post("/attachments/upload/", {"file": upload_file("a.txt", b"x")})
    assert response.status_code == 403
    client.force_login(make_user(group_id=UserGroup.NEWBIE))
    response = client.post(
        "/attachments/upload/", {"file": upload_file("a.txt", b"x" * (1024 * 1024 + 5))}
    )
    assert response.status_code == 400
    assert json.loads(response.content) == {"error": "附件大小超过限制 (最大 1 MB)"}
    response = client.post("/attachments/upload/", {})
    assert response.status_code == 400


def test_upload_endpoint_needs_post_and_csrf():
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(group_id=11))
    assert (
        client.post("/attachments/upload/", {"file": upload_file("a.txt", b"x")}).status_code == 403
    )
    assert client.get("/attachments/upload/").status_code == 405
