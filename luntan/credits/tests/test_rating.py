"""Rating a post (评分): who may, how much a day, and the log under the post."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from luntan.accounts.models import UserGroup
from luntan.core.models import get_site_settings
from luntan.core.tests.pages import long_thread
from luntan.credits import services
from luntan.credits.models import MemberCredits, PostRating
from luntan.credits.rating import rate_post
from luntan.threads.models import Post
from luntan.threads.tests.factories import make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db

DAY = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)  # 10:00 GMT+8


@pytest.fixture
def post():
    return make_reply(make_thread(), make_user("作者"), "值得一看的回复")


def senior(name: str | None = None):
    """A 注册会员 with the 100 金钱 that keep them there when they log in."""
    user = make_user(name, group_id=11)
    services.apply_change(user, {2: 100}, "admin")
    return user


def weiwang(user) -> int:
    row = MemberCredits.objects.filter(pk=user.pk).first()
    return row.extcredits1 if row else 0


def test_registered_member_gives_weiwang_to_the_author(post):
    rater = make_user("评分人", group_id=11)
    rate_post(rater=rater, post=post, extcredit=1, score=3, reason="好帖", now=DAY)
    assert weiwang(post.author) == 3
    # posts 1 + reply 金钱 1 + 威望 3×2
    assert post.author.__class__.objects.get(pk=post.author_id).credits == 1 + 1 + 6


def test_newbies_cannot_rate(post):
    with pytest.raises(PermissionDenied, match="没有评分权限"):
        rate_post(rater=make_user(), post=post, extcredit=1, score=1, reason="好")


def test_nobody_rates_their_own_post(post):
    post.author.group_id = 11
    post.author.save(update_fields=["group"])
    with pytest.raises(PermissionDenied, match="自己"):
        rate_post(rater=post.author, post=post, extcredit=1, score=1, reason="好")


@pytest.mark.parametrize("score", [0, 6, -6])
def test_score_must_be_within_the_group_range(post, score):
    with pytest.raises(ValidationError) as exc:
        rate_post(rater=make_user(group_id=11), post=post, extcredit=1, score=score, reason="好")
    assert exc.value.code == "score"


def test_money_is_not_a_rating_credit_for_members(post):
    with pytest.raises(ValidationError) as exc:
        rate_post(rater=make_user(group_id=11), post=post, extcredit=2, score=1, reason="好")
    assert exc.value.code == "extcredit"


def test_reason_is_required(post):
    with pytest.raises(ValidationError) as exc:
        rate_post(rater=make_user(group_id=11), post=post, extcredit=1, score=1, reason="  ")
    assert exc.value.code == "reason"


def test_daily_limit_per_group_resets_the_next_site_day():
    rater = make_user(group_id=11)  # ±5, 5 points a day
    thread = make_thread()
    posts = [make_reply(thread, make_user()) for _ in range(3)]
    rate_post(rater=rater, post=posts[0], extcredit=1, score=3, reason="好", now=DAY)
    with pytest.raises(ValidationError) as exc:
        rate_post(rater=rater, post=posts[1], extcredit=1, score=-3, reason="差", now=DAY)
    assert exc.value.code == "daily" and "2" in exc.value.messages[0]
    rate_post(rater=rater, post=posts[1], extcredit=1, score=-2, reason="差", now=DAY)
    tomorrow = DAY + timedelta(hours=14)  # 00:00 GMT+8 next day
    rate_post(rater=rater, post=posts[2], extcredit=1, score=5, reason="好", now=tomorrow)


def test_moderators_rate_up_to_thirty(post):
    rate_post(
        rater=make_user(group_id=UserGroup.MODERATOR),
        post=post,
        extcredit=1,
        score=30,
        reason="精彩",
    )
    assert weiwang(post.author) == 30


def test_a_post_is_rated_once_per_rater(post):
    rater = make_user(group_id=12)
    rate_post(rater=rater, post=post, extcredit=1, score=1, reason="好")
    with pytest.raises(ValidationError) as exc:
        rate_post(rater=rater, post=post, extcredit=1, score=1, reason="再来")
    assert exc.value.code == "again"


def test_rating_log_shows_under_the_post(client, post):
    rater = make_user("老杨", group_id=11)
    rate_post(rater=rater, post=post, extcredit=1, score=2, reason="说得好<b>")
    html = client.get(f"/t/{post.thread_id}/").content.decode()
    log = html[html.index(f'id="pid{post.pk}"') :]
    assert "ratelog" in log and "威望 +2" in log and "老杨" in log
    assert "说得好&lt;b&gt;" in log  # escaped
    op_html = html[: html.index(f'id="pid{post.pk}"')]
    assert "ratelog" not in op_html


def test_rate_form_post_rates_and_redirects(client, post):
    rater = senior()
    client.force_login(rater)
    page = client.get(f"/p/{post.pk}/rate/")
    assert page.status_code == 200 and "威望" in page.content.decode()
    response = client.post(f"/p/{post.pk}/rate/", {"extcredit": "1", "score": "+2", "reason": "赞"})
    assert response.status_code == 302 and response["Location"] == f"/p/{post.pk}/"
    assert PostRating.objects.get().score == 2


def test_rate_form_errors_are_shown(client, post):
    client.force_login(senior())
    response = client.post(f"/p/{post.pk}/rate/", {"extcredit": "1", "score": "9", "reason": "赞"})
    assert response.status_code == 400
    assert "-5 到 5" in response.content.decode()
    assert not PostRating.objects.exists()


def test_rate_form_refuses_newbies_and_sends_guests_to_log_in(client, post):
    assert client.get(f"/p/{post.pk}/rate/").status_code == 302
    client.force_login(make_user())
    response = client.post(f"/p/{post.pk}/rate/", {"extcredit": "1", "score": "1", "reason": "赞"})
    assert response.status_code == 403 and "没有评分权限" in response.content.decode()


def test_rate_endpoint_checks_csrf(post):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(senior())
    response = client.post(f"/p/{post.pk}/rate/", {"extcredit": "1", "score": "1", "reason": "赞"})
    assert response.status_code == 403
    assert not PostRating.objects.exists()


def test_members_who_may_rate_get_the_link_under_others_posts(client, post):
    client.force_login(senior())
    html = client.get(f"/t/{post.thread_id}/").content.decode()
    assert f'href="/p/{post.pk}/rate/"' in html
    client.force_login(make_user())
    assert "/rate/" not in client.get(f"/t/{post.thread_id}/").content.decode()


@override_settings(LUNTAN_POSTS_PER_PAGE=20)
def test_ratings_cost_one_query_for_the_whole_page(client, django_assert_num_queries):
    thread = long_thread(20)
    floors = list(Post.objects.filter(thread=thread).order_by("floor"))
    raters = [make_user(f"评{i}", group_id=12) for i in range(3)]
    for p in floors[1:6]:
        for r in raters:
            if r.pk != p.author_id:
                rate_post(rater=r, post=p, extcredit=1, score=1, reason="好")
    get_site_settings()
    client.get(f"/t/{thread.pk}/")
    # thread, posts (with has_ratings), ratings of the page, view-count flush
    with django_assert_num_queries(4):
        html = client.get(f"/t/{thread.pk}/").content.decode()
    assert html.count('class="ratelog"') == 5


def test_floor_sidebar_shows_the_authors_total(client, post):
    html = client.get(f"/t/{post.thread_id}/").content.decode()
    assert '<span class="credits">积分 2</span>' in html  # 1 post + 金钱 1
