"""upload(): what is accepted, what is refused (the issue's security checks), how it is stored."""

from __future__ import annotations

import io
import re
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from PIL import Image

from luntan.accounts.models import UserGroup
from luntan.attachments import services
from luntan.attachments.models import Attachment
from luntan.attachments.tests.files import (
    GPS_IFD,
    HTML_BYTES,
    OLE2_BYTES,
    ORIENTATION,
    PDF_BYTES,
    PHP_BYTES,
    SVG_SCRIPT,
    docx_bytes,
    image_bytes,
    jpeg_with_gps,
    png_declaring,
    upload_file,
    zip_bytes,
)
from luntan.threads.tests.factories import make_user

pytestmark = pytest.mark.django_db

STORED = re.compile(r"^attachments/\d{4}/\d{2}/\d{2}/[0-9a-f]{32}\.[a-z0-9]+$")


def member(**fields):
    return make_user(group_id=fields.pop("group_id", 11), **fields)


def stored_files(media) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def refused(user, name, content, code):
    with pytest.raises(ValidationError) as info:
        services.upload(user, upload_file(name, content))
    assert info.value.code == code, info.value.messages
    return info.value.messages[0]


# --- accepted files --------------------------------------------------------------------------


def test_a_jpeg_is_stored_under_a_random_dated_name_with_a_thumbnail(media):
    user = member()
    a = services.upload(user, upload_file("照片.jpg", image_bytes(size=(900, 600))))
    assert STORED.match(a.stored_name) and a.stored_name.endswith(".jpg")
    assert a.filename == "照片.jpg" and a.uploader == user and a.post is None
    assert a.is_image and a.content_type == "image/jpeg"
    assert (a.width, a.height) == (900, 600)
    assert a.size == default_storage.size(a.stored_name)
    with default_storage.open(a.thumbnail_name) as f:
        thumb = Image.open(f)
        assert thumb.size == (300, 200) and thumb.format == "JPEG"
    assert ".thumb." in a.thumbnail_name
    assert len(stored_files(media)) == 2


def test_a_small_image_is_its_own_thumbnail():
    a = services.upload(member(), upload_file("icon.png", image_bytes("PNG", (64, 64))))
    assert a.is_image and a.content_type == "image/png" and a.thumbnail_name == ""


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("anim.gif", image_bytes("GIF"), "image/gif"),
        ("pic.webp", image_bytes("WEBP"), "image/webp"),
        (
            "报名表.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("旧文档.doc", OLE2_BYTES, "application/x-ole-storage"),
        ("表格.xls", OLE2_BYTES, "application/x-ole-storage"),
        ("说明.pdf", PDF_BYTES, "application/pdf"),
        ("资料.zip", zip_bytes({"a.txt": b"hello"}), "application/zip"),
        ("压缩.7z", b"7z\xbc\xaf\x27\x1c" + b"\x00" * 40, "application/x-7z-compressed"),
        ("压缩.rar", b"Rar!\x1a\x07\x01\x00" + b"\x00" * 40, "application/vnd.rar"),
        ("说明.txt", "简阳新闻 a < b 且 c > d\r\n".encode(), "text/plain"),
        ("gbk.txt", "简阳新闻，中文编码".encode("gbk"), "text/plain"),
    ],
)
def test_allowed_types_are_accepted(name, content, mime):
    a = services.upload(member(), upload_file(name, content))
    assert a.content_type == mime and a.filename == name
    assert a.stored_name.rsplit(".", 1)[1] in {
        "gif",
        "webp",
        "docx",
        "doc",
        "pdf",
        "zip",
        "7z",
        "rar",
        "txt",
    }


def test_animated_gif_keeps_its_frames():
    frames = [Image.new("RGB", (20, 20), c) for c in ("red", "green", "blue")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    a = services.upload(member(), upload_file("动图.gif", out.getvalue()))
    with default_storage.open(a.stored_name) as f:
        assert Image.open(f).n_frames == 3


# --- EXIF ------------------------------------------------------------------------------------


def test_gps_exif_is_stripped_from_the_stored_jpeg():
    original = Image.open(io.BytesIO(jpeg_with_gps()))
    assert original.getexif().get_ifd(GPS_IFD)  # the upload really has a GPS position
    a = services.upload(member(), upload_file("现场.jpg", jpeg_with_gps()))
    for name in (a.stored_name, a.thumbnail_name):
        with default_storage.open(name) as f:
            stored = Image.open(f)
            exif = stored.getexif()
            assert not exif.get_ifd(GPS_IFD)
            assert len(exif) == 0
            assert "exif" not in stored.info and "xmp" not in stored.info
        with default_storage.open(name) as f:
            raw = f.read()
        assert b"SpyCam" not in raw and b"Exif" not in raw


def test_exif_orientation_is_applied_before_stripping():
    # Orientation 6: the camera was turned; viewers rotate 90° clockwise to show it upright.
    a = services.upload(member(), upload_file("竖拍.jpg", jpeg_with_gps((400, 200), orientation=6)))
    assert (a.width, a.height) == (200, 400)
    with default_storage.open(a.stored_name) as f:
        img = Image.open(f)
        assert img.size == (200, 400) and ORIENTATION not in img.getexif()
        # the yellow marker (top-left of the sensor) is now top-right
        r, g, b = img.convert("RGB").getpixel((190, 10))
        assert r > 200 and g > 200 and b < 80


# --- refused files ---------------------------------------------------------------------------


def test_svg_with_script_is_refused(media):
    refused(member(), "logo.svg", SVG_SCRIPT, "extension")
    refused(member(), "logo.png", SVG_SCRIPT, "mismatch")
    refused(member(), "logo.txt", SVG_SCRIPT, "mismatch")
    assert stored_files(media) == []


def test_svg_allowed_by_setting_is_stored_as_a_plain_file(settings):
    settings.LUNTAN_ATTACHMENT_EXTENSIONS = ["svg"]
    a = services.upload(member(), upload_file("logo.svg", SVG_SCRIPT))
    assert not a.is_image and a.content_type == "image/svg+xml"


@pytest.mark.parametrize(
    "content", [PHP_BYTES, HTML_BYTES, b"GIF89a<script>x</script>"[:3] + PHP_BYTES]
)
def test_php_or_html_renamed_jpg_is_refused(media, content):
    message = refused(member(), "shell.jpg", content, "mismatch")
    assert message == "文件内容与扩展名不符 (.jpg)"
    assert stored_files(media) == []


def test_html_named_txt_is_refused():
    refused(member(), "readme.txt", b"hello\n<script>alert(1)</script>", "mismatch")
    refused(member(), "page.txt", HTML_BYTES, "mismatch")


def test_a_fake_image_with_the_right_magic_is_refused():
    refused(member(), "fake.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, "image")


def test_a_zip_named_docx_is_refused():
    refused(member(), "伪装.docx", zip_bytes({"evil.exe": b"MZ"}), "mismatch")


def test_unknown_binary_is_refused():
    refused(member(), "data.txt", b"MZ\x90\x00\x03\x00\x00\x00" * 10, "type")


def test_path_traversal_name_with_a_forbidden_extension_is_refused(media):
    message = refused(member(), "../../x.php", PHP_BYTES, "extension")
    assert message.startswith("不允许上传该类型的文件")
    assert stored_files(media) == []


def test_path_traversal_name_is_stored_safely(media):
    a = services.upload(member(), upload_file("../../x.php.txt", b"just text"))
    assert a.filename == "x.php.txt"
    assert STORED.match(a.stored_name) and a.stored_name.endswith(".txt")
    files = stored_files(media)
    assert files == [a.stored_name]
    assert not (media.parent / "x.php.txt").exists()


def test_twenty_thousand_square_png_is_refused_from_its_header(media):
    bomb = png_declaring(20_000, 20_000)
    assert len(bomb) < 200
    started = time.perf_counter()
    message = refused(member(), "bomb.png", bomb, "pixels")
    assert time.perf_counter() - started < 1.0  # decoding 400 MP would take far longer
    assert message == "图片尺寸过大 (最多 40 百万像素)"
    assert stored_files(media) == []


def test_pixel_limit_below_pillows_own_is_enforced(settings):
    settings.LUNTAN_ATTACHMENT_MAX_PIXELS = 1_000_000
    refused(member(), "wide.png", png_declaring(2000, 600), "pixels")
    refused(member(), "wide.jpg", image_bytes(size=(1100, 1000)), "pixels")


def test_oversized_file_is_refused_with_the_groups_limit():
    newbie = make_user(group_id=UserGroup.NEWBIE)
    big = b"x" * (1024 * 1024 + 1)
    assert refused(newbie, "大.txt", big, "size") == "附件大小超过限制 (最大 1 MB)"
    assert refused(member(), "大.txt", b"y" * (2 * 1024 * 1024 + 1), "size") == (
        "附件大小超过限制 (最大 2 MB)"
    )
    assert services.upload(member(), upload_file("大.txt", big)).size == len(big)


def test_admins_may_upload_larger_files():
    admin = make_user(group_id=UserGroup.ADMIN)
    data = b"z" * (3 * 1024 * 1024)
    assert services.upload(admin, upload_file("big.txt", data)).size == len(data)


def test_empty_file_is_refused():
    refused(member(), "空.txt", b"", "empty")


def test_daily_count_limit_per_group(settings):
    newbie = make_user(group_id=UserGroup.NEWBIE)
    for i in range(10):
        services.upload(newbie, upload_file(f"{i}.txt", b"ok"))
    assert refused(newbie, "11.txt", b"ok", "daily") == "今天上传的附件已达上限 (每天 10 个)"
    # another member of the same group is not affected
    services.upload(make_user(group_id=UserGroup.NEWBIE), upload_file("a.txt", b"ok"))


def test_daily_count_restarts_at_midnight_site_time():
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    newbie = make_user(group_id=UserGroup.NEWBIE)
    evening = datetime(2025, 6, 10, 23, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    for i in range(10):
        services.upload(newbie, upload_file(f"{i}.txt", b"ok"), now=evening)
    refused_at = evening + timedelta(minutes=30)
    with pytest.raises(ValidationError):
        services.upload(newbie, upload_file("x.txt", b"ok"), now=refused_at)
    services.upload(
        newbie, upload_file("x.txt", b"ok"), now=evening + timedelta(hours=1, minutes=1)
    )


@pytest.mark.parametrize(
    "group", [UserGroup.GUEST, UserGroup.AWAITING_VERIFICATION, UserGroup.BANNED_POSTING]
)
def test_members_who_may_not_post_may_not_upload(group):
    with pytest.raises(PermissionDenied):
        services.upload(make_user(group_id=group), upload_file("a.txt", b"ok"))
    assert not Attachment.objects.exists()


def test_anonymous_user_may_not_upload():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.upload(AnonymousUser(), upload_file("a.txt", b"ok"))


def test_the_client_content_type_is_ignored():
    f = upload_file("a.txt", PHP_BYTES, content_type="text/plain")
    with pytest.raises(ValidationError):
        services.upload(member(), f)
