"""Avatar uploads: content checks, the square crop, the three sizes, the pages."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from luntan.accounts import avatars as names
from luntan.accounts.models import User
from luntan.members import avatars
from luntan.members.tests.images import jpeg, two_colour_png
from luntan.threads.tests.factories import make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db


def _stored(user: User, size: str) -> Image.Image:
    user.refresh_from_db()
    with default_storage.open(names.stored_name(user.avatar, size)) as f:
        img = Image.open(io.BytesIO(f.read()))
        img.load()
    return img


def test_upload_makes_three_square_sizes_from_the_chosen_square():
    member = make_user("画家")
    avatars.upload_avatar(member, io.BytesIO(two_colour_png()), avatars.Crop(0, 0, 100))
    for size, px in names.SIZES.items():
        img = _stored(member, size)
        assert img.size == (px, px) and img.format == "JPEG"
    r, g, b = _stored(member, "big").convert("RGB").getpixel((100, 100))
    assert r > 200 and b < 60  # the red left half was chosen
    assert names.avatar_url(member, "small").endswith("_small.jpg")


def test_without_a_crop_the_centre_square_is_taken():
    member = make_user("画家二")
    avatars.upload_avatar(member, io.BytesIO(two_colour_png(300, 200)))
    big = _stored(member, "big").convert("RGB")
    left, right = big.getpixel((20, 100)), big.getpixel((180, 100))
    assert left[0] > 200 and right[2] > 200  # the square spans both halves


def test_a_crop_outside_the_image_is_clamped():
    member = make_user("画家三")
    avatars.upload_avatar(member, io.BytesIO(two_colour_png()), avatars.Crop(290, 150, 9999))
    assert _stored(member, "big").size == (200, 200)


def test_a_file_that_is_not_an_image_is_refused_with_a_message():
    member = make_user("捣蛋")
    with pytest.raises(ValidationError) as refused:
        avatars.upload_avatar(member, io.BytesIO(b"<?php echo 1; ?>" * 10))
    assert refused.value.code == "not_image"
    assert "JPG、PNG、GIF 或 WebP" in refused.value.messages[0]
    damaged = jpeg()[:200]
    with pytest.raises(ValidationError) as refused:
        avatars.upload_avatar(member, io.BytesIO(damaged))
    assert refused.value.code == "image"
    member.refresh_from_db()
    assert member.avatar == ""


def test_a_huge_image_is_refused_by_pixels_and_by_bytes(settings):
    member = make_user("巨图")
    settings.LUNTAN_ATTACHMENT_MAX_PIXELS = 50 * 50
    with pytest.raises(ValidationError) as refused:
        avatars.upload_avatar(member, io.BytesIO(jpeg(100, 100)))
    assert refused.value.code == "pixels"
    settings.LUNTAN_ATTACHMENT_MAX_PIXELS = 40_000_000
    settings.LUNTAN_AVATAR_MAX_BYTES = 100
    with pytest.raises(ValidationError) as refused:
        avatars.upload_avatar(member, io.BytesIO(jpeg(100, 100)))
    assert refused.value.code == "too_big"
    assert "头像文件太大" in refused.value.messages[0]


def test_a_new_upload_replaces_the_old_files(django_capture_on_commit_callbacks):
    member = make_user("换头像")
    old = avatars.upload_avatar(member, io.BytesIO(jpeg(colour=(200, 0, 0))))
    with django_capture_on_commit_callbacks(execute=True):
        new = avatars.upload_avatar(member, io.BytesIO(jpeg(colour=(0, 0, 200))))
    assert new != old
    assert default_storage.exists(names.stored_name(new, "big"))
    assert not default_storage.exists(names.stored_name(old, "big"))


def test_the_settings_page_uploads_and_refuses(client):
    member = make_user("上传者")
    client.force_login(member)
    upload = SimpleUploadedFile("me.png", two_colour_png(), content_type="image/png")
    response = client.post(
        "/accounts/settings/avatar/",
        {"avatar": upload, "crop_x": "150", "crop_y": "0", "crop_side": "150"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.avatar
    assert _stored(member, "big").convert("RGB").getpixel((100, 100))[2] > 200  # blue half
    page = client.get("/accounts/settings/").content.decode()
    assert names.avatar_url(member, "big") in page
    bad = SimpleUploadedFile("evil.jpg", b"GIF89a not really", content_type="image/jpeg")
    response = client.post("/accounts/settings/avatar/", {"avatar": bad}, follow=True)
    assert "图片文件已损坏或格式不对" in response.content.decode()
    response = client.post("/accounts/settings/avatar/", {"action": "remove"}, follow=True)
    member.refresh_from_db()
    assert member.avatar == ""
    assert "已恢复默认头像" in response.content.decode()


def test_guests_cannot_upload(client):
    response = client.post("/accounts/settings/avatar/", {})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_avatars_show_on_floors_profile_and_header(client):
    author = make_user("有头像")
    avatars.upload_avatar(author, io.BytesIO(jpeg()))
    plain = make_user("没头像")
    thread = make_thread(author=author)
    make_reply(thread, author=plain)
    html = client.get(f"/t/{thread.pk}/").content.decode()
    assert names.avatar_url(author, "middle") in html
    assert f"/avatar/{plain.pk}/middle.svg" in html
    assert names.avatar_url(author, "big") in client.get(f"/u/{author.pk}/").content.decode()
    client.force_login(author)
    header = client.get("/").content.decode()
    assert f'class="nav-avatar" src="{names.avatar_url(author, "small")}"' in header


def test_stored_avatars_are_served_from_local_storage(client):
    member = make_user("看图")
    avatars.upload_avatar(member, io.BytesIO(jpeg()))
    response = client.get(names.avatar_url(member, "small"))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (48, 48)
    assert client.get("/media/avatars/000/00/00/01_0000000000_big.jpg").status_code == 404
    assert client.get("/media/attachments/secret.jpg").status_code == 404
