"""Discuz! signatures (sightml), common_member_profile with its privacy, and UCenter
avatar files come over; a missing avatar file is reported, not fatal; a rerun writes
nothing new; the thread page and the profile show what came over."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from luntan.accounts import avatars
from luntan.accounts.models import Profile, User
from luntan.importers.discuz.profiles import parse_privacy, website_of
from luntan.importers.discuz.report import render_report
from luntan.importers.discuz.service import import_site
from luntan.threads.models import Post

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]


def _jpeg(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (200, 200), colour).save(out, "JPEG")
    return out.getvalue()


def _run(db, avatar_dir):
    conn = db.connect()
    try:
        return import_site(conn, "pre_", batch=500, avatar_dir=str(avatar_dir))
    finally:
        conn.close()


def test_privacy_and_website_parsing():
    blob = 'a:1:{s:7:"profile";a:3:{s:8:"birthday";i:3;s:6:"gender";i:0;s:3:"bio";i:1;}}'
    assert parse_privacy(blob) == {"birthday": "self", "gender": "public", "bio": "self"}
    assert parse_privacy("") == {}
    assert website_of("www.example.com") == "http://www.example.com"
    assert website_of("javascript:alert(1)") == ""


def test_profiles_signatures_and_avatars_come_over(synthetic_db, tmp_path, settings, client):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    poster_uid, with_file, without_file = (
        r[0]
        for r in synthetic_db.query(
            "SELECT m.uid FROM pre_common_member m JOIN pre_forum_post p ON p.authorid = m.uid "
            "WHERE m.groupid IN (1, 2, 3, 10, 11, 12, 13, 14, 15) AND p.invisible = 0 "
            "AND p.anonymous = 0 GROUP BY m.uid ORDER BY m.uid LIMIT 3"
        )
    )
    synthetic_db.query(
        "UPDATE pre_common_member_field_forum SET sightml = %s WHERE uid = %s",
        ('<font color="red">天天向上</font><script>alert(1)</script>', poster_uid),
    )
    synthetic_db.query(
        "UPDATE pre_common_member_profile SET gender = 2, birthyear = 1990, birthmonth = 5, "
        "birthday = 17, resideprovince = '四川省', residecity = '成都市', residedist = '', "
        "site = 'www.example.com', bio = '爱好摄影' WHERE uid = %s",
        (poster_uid,),
    )
    synthetic_db.query(
        "UPDATE pre_common_member_field_home SET privacy = %s WHERE uid = %s",
        ('a:1:{s:7:"profile";a:1:{s:8:"birthday";i:3;}}', poster_uid),
    )
    synthetic_db.query(
        "UPDATE pre_common_member SET avatarstatus = 1 WHERE uid IN (%s, %s)",
        (with_file, without_file),
    )
    avatar_dir = tmp_path / "avatar"
    path = avatar_dir / f"{avatars.uid_path(with_file)}_avatar_big.jpg"
    path.parent.mkdir(parents=True)
    path.write_bytes(_jpeg((10, 120, 200)))

    report = _run(synthetic_db, avatar_dir)
    poster = User.objects.get(discuz_uid=poster_uid)
    assert poster.signature.startswith("天天向上")
    assert "天天向上" in poster.signature_html and "<script" not in poster.signature_html
    profile = Profile.objects.get(user=poster)
    assert (profile.gender, str(profile.birthday), profile.location, profile.website) == (
        2,
        "1990-05-17",
        "四川省 成都市",
        "http://www.example.com",
    )
    assert profile.bio == "爱好摄影" and profile.privacy == {"birthday": "self"}

    member = User.objects.get(discuz_uid=with_file)
    assert member.avatar
    for size, px in avatars.SIZES.items():
        with default_storage.open(avatars.stored_name(member.avatar, size)) as f:
            assert Image.open(f).size == (px, px)
    assert report["avatars"].notes.get("avatar file missing", 0) >= 1
    assert User.objects.get(discuz_uid=without_file).avatar == ""

    text = render_report(report)
    assert "common_member_profile:" not in text and "common_member_field_forum:" not in text
    assert "profiles and signatures" in text

    # What a reader sees: the signature under the poster's floor, the profile fields.
    post = Post.objects.filter(author=poster, state=Post.State.VISIBLE, is_anonymous=False)
    post = post.select_related("thread").order_by("pk").first()
    html = client.get(f"/p/{post.pk}/", follow=True).content.decode()
    if poster.group.max_sig_size:
        assert "天天向上" in html
    page = client.get(f"/u/{poster.pk}/").content.decode()
    assert "爱好摄影" in page and "1990-5-17" not in page
    assert 'href="http://www.example.com" rel="nofollow ugc"' in page

    # A rerun changes nothing.
    stem = member.avatar
    again = _run(synthetic_db, avatar_dir)
    assert again["profiles and signatures"].created == 0
    assert again["profiles and signatures"].updated == 0
    assert again["avatars"].created == 0 and again["avatars"].updated == 0
    member.refresh_from_db()
    assert member.avatar == stem
