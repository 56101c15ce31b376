"""Uploads whose file name is not valid UTF-8 (``../../\\xff\\xfe.jpg`` sent as raw bytes).

Django's multipart parser skips a part whose headers do not decode, so the post used to be
created and the file silently dropped. The attachments' upload handler repairs such
headers before parsing: the file is kept under a safe display name.
"""

from __future__ import annotations

import re

import pytest

from luntan.attachments.models import Attachment
from luntan.attachments.tests.files import image_bytes
from luntan.core.models import get_site_settings
from luntan.threads.models import Thread
from luntan.threads.tests.factories import make_board, make_user

pytestmark = pytest.mark.django_db
BOUNDARY = b"luntanBoundary7MA4YWxkTrZu0gW"


def _multipart(fields: dict[str, str], files: list[tuple[bytes, bytes]]) -> bytes:
    out = b""
    for name, value in fields.items():
        out += b"--" + BOUNDARY + b"\r\n"
        out += f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        out += value.encode() + b"\r\n"
    for filename, content in files:
        out += b"--" + BOUNDARY + b"\r\n"
        out += b'Content-Disposition: form-data; name="attach_files"; filename="'
        out += filename + b'"\r\nContent-Type: image/jpeg\r\n\r\n' + content + b"\r\n"
    return out + b"--" + BOUNDARY + b"--\r\n"


@pytest.mark.parametrize(
    "raw_name", [b"../../\xff\xfe.jpg", b"..\\..\\\xff\xfe.jpg", b"\xc0\xaf\xc0\xae.jpg"]
)
def test_a_file_named_with_undecodable_bytes_is_kept_under_a_safe_name(client, raw_name):
    row = get_site_settings()
    row.flood_seconds = 0
    row.save()
    client.force_login(make_user(group_id=11))
    board = make_board()
    url = f"/f/{board.pk}/new/"
    token = re.search(r'name="token"[^>]*value="([^"]+)"', client.get(url).content.decode())
    body = _multipart(
        {
            "subject": "怪名字附件",
            "body": "这是一条足够长的帖子内容，超过十个字。",
            "format": "bbcode",
            "token": token.group(1) if token else "",
        },
        [(raw_name, image_bytes("JPEG"))],
    )
    response = client.generic(
        "POST", url, body, content_type=f"multipart/form-data; boundary={BOUNDARY.decode()}"
    )
    assert response.status_code == 302
    op = Thread.objects.get(subject="怪名字附件").post_set.get(floor=1)
    (attachment,) = Attachment.objects.filter(post=op)
    assert attachment.filename.endswith(".jpg")
    assert "/" not in attachment.filename and "\\" not in attachment.filename
    assert ".." not in attachment.filename


def test_a_file_content_line_that_looks_like_a_header_is_not_touched(client):
    """Only the part headers are repaired; bytes inside a file are never changed."""
    from django.http.multipartparser import MultiPartParser

    from luntan.attachments.uploads import RepairingUploadHandler

    content = b"\r\nContent-Disposition: \xff\xfe\r\n\r\nrest"
    body = _multipart({}, [(b"ok.bin", content)])
    meta = {
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY.decode()}",
        "CONTENT_LENGTH": str(len(body)),
    }
    import io

    from django.core.files.uploadhandler import MemoryFileUploadHandler

    parser = MultiPartParser(
        meta, io.BytesIO(body), [RepairingUploadHandler(), MemoryFileUploadHandler()], "utf-8"
    )
    _post, files = parser.parse()
    assert files["attach_files"].read() == content
