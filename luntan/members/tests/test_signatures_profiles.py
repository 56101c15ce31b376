"""Signatures under posts (group limits, censor, banned members) and profile fields with
their privacy; the profile's recent threads never show a hidden board."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from luntan.accounts import profiles, services
from luntan.accounts.groups import GroupId
from luntan.accounts.models import Profile, UserGroup
from luntan.censor.models import CensorWord
from luntan.members import avatars
from luntan.members.tests.images import jpeg
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db


def _floors(client, thread) -> str:
    return client.get(f"/t/{thread.pk}/").content.decode()


def test_a_signature_shows_under_the_members_posts(client):
    member = make_user("签名者", group_id=GroupId.GOLD)  # 金牌会员: 300 chars, images
    services.set_signature(member, "[b]人生苦短[/b]")
    thread = make_thread(author=member)
    html = _floors(client, thread)
    assert '<div class="sign"><strong>人生苦短</strong></div>' in re.sub(r">\s+<", "><", html)


def test_group_limits_refuse_long_signatures_and_images():
    newbie = make_user("新人")  # 新手上路: 80 characters, no [img]
    with pytest.raises(ValidationError) as refused:
        services.set_signature(newbie, "长" * 81)
    assert refused.value.code == "sig_length"
    assert "最多 80 个字符" in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        services.set_signature(newbie, "[img]https://example.com/a.png[/img]")
    assert refused.value.code == "sig_image"
    gold = make_user("老手", group_id=GroupId.GOLD)
    services.set_signature(gold, "[img]https://example.com/a.png[/img]")
    assert "<img" in gold.signature_html
    limited = make_user("受限", group_id=UserGroup.LIMITED)  # maxsigsize 0
    with pytest.raises(ValidationError) as refused:
        services.set_signature(limited, "你好")
    assert refused.value.code == "sig_forbidden"


def test_a_group_without_bbcode_gets_its_signature_as_text():
    member = make_user("纯文本")
    member.group.allow_sig_bbcode = False
    member.group.save()
    services.set_signature(member, "[b]粗[/b]\n<script>")
    assert "[b]粗[/b]" in member.signature_html and "<script>" not in member.signature_html


def test_the_censor_screens_signatures():
    CensorWord.objects.create(find="坏词", replacement="**")
    member = make_user("说话人")
    assert services.set_signature(member, "一个坏词") == "一个**"


def test_a_banned_members_signature_is_hidden(client):
    member = make_user("被禁者", group_id=GroupId.GOLD)
    services.set_signature(member, "我的签名")
    thread = make_thread(author=member)
    assert "我的签名" in _floors(client, thread)
    member.group_id = UserGroup.BANNED_POSTING
    member.save()
    assert "我的签名" not in _floors(client, thread)


def test_the_settings_page_saves_the_signature_and_shows_errors(client):
    member = make_user("设置者")
    client.force_login(member)
    response = client.post(
        "/accounts/settings/", {"action": "signature", "signature": "天天开心"}, follow=True
    )
    assert "签名已保存" in response.content.decode()
    member.refresh_from_db()
    assert member.signature == "天天开心"
    response = client.post("/accounts/settings/", {"action": "signature", "signature": "长" * 90})
    assert response.status_code == 200
    assert "签名太长" in response.content.decode()


@override_settings(LUNTAN_POSTS_PER_PAGE=20)
def test_avatars_and_signatures_cost_the_thread_page_no_query(client, django_assert_num_queries):
    """The guest thread page stays at its pinned 3 queries (thread, posts, view flush)
    with every floor by a different member with an avatar and a signature."""
    thread = None
    for i in range(12):
        member = make_user(f"楼层{i}", group_id=GroupId.GOLD)
        services.set_signature(member, f"签名{i}号")
        avatars.upload_avatar(member, io.BytesIO(jpeg(32, 32)))
        if thread is None:
            thread = make_thread(author=member)
        else:
            make_reply(thread, author=member)
    client.get(f"/t/{thread.pk}/")  # warm
    with django_assert_num_queries(3):
        html = client.get(f"/t/{thread.pk}/").content.decode()
    assert html.count('class="sign"') == 12
    assert html.count("_middle.jpg") == 12


def test_profile_fields_follow_their_privacy(client):
    owner = make_user("主人")
    profiles.update_profile(
        owner,
        gender=Profile.Gender.FEMALE,
        birthday=date(1990, 5, 17),
        location="杭州",
        website="https://example.com/me",
        bio="喜欢爬山",
        privacy={"birthday": "self", "location": "members"},
    )
    guest_html = client.get(f"/u/{owner.pk}/").content.decode()
    assert "喜欢爬山" in guest_html and "女" in guest_html
    assert "1990-5-17" not in guest_html and "杭州" not in guest_html
    assert '<a href="https://example.com/me" rel="nofollow ugc">' in guest_html
    client.force_login(make_user("路人"))
    member_html = client.get(f"/u/{owner.pk}/").content.decode()
    assert "杭州" in member_html and "1990-5-17" not in member_html
    client.force_login(owner)
    own_html = client.get(f"/u/{owner.pk}/").content.decode()
    assert "1990-5-17" in own_html


def test_update_profile_refuses_bad_values():
    owner = make_user("乱填")
    with pytest.raises(ValidationError):
        profiles.update_profile(owner, website="javascript:alert(1)")
    with pytest.raises(ValidationError):
        profiles.update_profile(owner, privacy={"bio": "friends"})
    assert not Profile.objects.filter(user=owner).exists()


def test_the_settings_page_saves_profile_fields(client):
    owner = make_user("填表")
    client.force_login(owner)
    data = {"action": "profile", "gender": "1", "location": "成都", "website": "", "bio": ""}
    data.update({f"{n}_privacy": "public" for n in Profile.FIELDS})
    data["location_privacy"] = "self"
    client.post("/accounts/settings/", data)
    profile = Profile.objects.get(user=owner)
    assert profile.location == "成都" and profile.privacy["location"] == "self"


def test_recent_threads_never_show_a_hidden_board(client):
    author = make_user("两栖", group_id=UserGroup.SUPER_MODERATOR)
    public = make_board("公开版")
    hidden = make_board("密室", view_groups=[1, 2])
    make_thread(public, author=author, subject="公开的话题")
    secret = make_thread(hidden, author=author, subject="密室里的话题")
    open_thread = make_thread(public, subject="别人的帖子")
    make_reply(secret, author=author, body="密室回复")
    make_reply(open_thread, author=author, body="公开回复")
    author.refresh_from_db()
    html = client.get(f"/u/{author.pk}/").content.decode()
    assert "公开的话题" in html and "别人的帖子" in html
    assert "密室" not in html
    client.force_login(make_user("站长", group_id=UserGroup.ADMIN))
    assert "密室里的话题" in client.get(f"/u/{author.pk}/").content.decode()


def test_the_profile_says_whether_the_member_is_online(client):
    from luntan.online.services import touch, visitor_key

    member = make_user("在线者")
    assert '<span class="offline">离线</span>' in client.get(f"/u/{member.pk}/").content.decode()
    touch(visitor_key(member.pk, None), member.username)
    assert '<span class="online">在线</span>' in client.get(f"/u/{member.pk}/").content.decode()


def test_group_stars_and_digest_count_on_the_profile(client):
    from luntan.threads.models import Thread

    # 网站编辑, a special group: credits do not move its members to another group.
    author = make_user("精华作者", group_id=GroupId.EDITOR)
    UserGroup.objects.filter(pk=GroupId.EDITOR).update(stars=6)
    thread = make_thread(author=author)
    Thread.objects.filter(pk=thread.pk).update(digest=1)
    author.refresh_from_db()
    html = client.get(f"/u/{author.pk}/").content.decode()
    stars = re.search(r'<span class="stars"[^>]*>(.*?)</span>', html, re.S)
    assert stars, html
    assert stars.group(1).count("★") == 6
    assert '<dd class="digests">1</dd>' in html
