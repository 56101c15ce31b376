"""Posting pages: new thread, reply, quick reply (htmx and plain), edit, delete,
revisions and preview — permissions, CSRF, bad input and XSS through the forms."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import timezone

from luntan.accounts.models import UserGroup
from luntan.core.tests.pages import seed_thread
from luntan.credits import services as credits
from luntan.threads.models import Post, PostRevision, Thread
from luntan.threads.posting import Trust
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db

LONG_ENOUGH = "这是一条足够长的回复内容，超过十个字。"
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def seed():
    return seed_thread()


@pytest.fixture
def member(client):
    user = make_user("发帖人")
    client.force_login(user)
    return user


def token_of(html: str) -> str:
    return re.search(r'name="token"[^>]*value="([^"]+)"', html).group(1)


def form_token(client, url: str) -> str:
    return token_of(client.get(url).content.decode())


# --- new thread ---------------------------------------------------------------------------


def test_new_thread_page_shows_the_form_with_types_toolbar_and_format(client, seed, member):
    response = client.get(f"/f/{seed.board.pk}/new/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "发表帖子" in html and 'name="subject"' in html and 'name="body"' in html
    assert "新闻转播" in html and 'name="type"' in html
    assert 'value="markdown"' in html and 'data-tag="quote"' in html
    assert "threads/htmx.min.js" in html and "threads/editor.js" in html
    assert 'name="token"' in html


def test_posting_a_new_thread_redirects_to_it(client, seed, member):
    url = f"/f/{seed.board.pk}/new/"
    data = {
        "type": seed.news_type.pk,
        "subject": "  新的 主题 ",
        "body": LONG_ENOUGH,
        "format": "bbcode",
        "token": form_token(client, url),
    }
    response = client.post(url, data)
    thread = Thread.objects.get(subject="新的 主题")
    assert response.status_code == 302 and response["Location"] == f"/t/{thread.pk}/"
    assert thread.type_id == seed.news_type.pk and thread.author_id == member.pk
    assert client.post(url, data)["Location"] == f"/t/{thread.pk}/"  # double submit
    assert Thread.objects.filter(subject="新的 主题").count() == 1


def test_board_that_requires_a_type_refuses_a_thread_without_one(client, member):
    board = make_board(types=("公告", "讨论"), thread_types_required=True)
    response = client.post(
        f"/f/{board.pk}/new/", {"subject": "无分类", "body": LONG_ENOUGH, "format": "bbcode"}
    )
    assert response.status_code == 200
    assert "请选择主题分类。" in response.content.decode()
    assert not Thread.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"subject": "", "body": LONG_ENOUGH}, "标题不能为空。"),
        ({"subject": "长" * 81, "body": LONG_ENOUGH}, "标题不能超过 80 个字符（当前 81 个字符）。"),
        ({"subject": "标题", "body": "   "}, "内容不能为空。"),
        (
            {"subject": "标题", "body": "太短"},
            "抱歉，您的帖子小于 10 个字符的限制（当前 4 个字符，汉字算两个）。",
        ),
        ({"subject": "标题", "body": "长" * 5001}, "抱歉，您的帖子超过 10000 个字符的限制"),
        ({"subject": "标题", "body": LONG_ENOUGH, "format": "html"}, "有效的选项"),
    ],
)
def test_bad_new_thread_input_gives_the_form_back_in_chinese(client, member, data, message):
    board = make_board()
    response = client.post(f"/f/{board.pk}/new/", {"format": "bbcode", **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Thread.objects.exists()


def test_preview_shows_the_rendered_body_and_posts_nothing(client, member):
    board = make_board()
    response = client.post(
        f"/f/{board.pk}/new/",
        {
            "subject": "预览",
            "body": "[b]粗体[/b]<script>alert(1)</script>",
            "format": "bbcode",
            "preview": "1",
        },
    )
    html = response.content.decode()
    assert "<strong>粗体</strong>" in html or "<b>粗体</b>" in html
    assert "<script>alert(1)</script>" not in html
    assert not Thread.objects.exists()


def test_category_board_refuses_new_threads(client, seed, member):
    response = client.get(f"/f/{seed.category.pk}/new/")
    assert response.status_code == 403
    assert "该版块不能发帖。" in response.content.decode()


# --- permission matrix --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/f/{board}/new/", "/t/{thread}/reply/", "/p/{post}/edit/", "/p/{post}/delete/"],
)
def test_guests_are_sent_to_log_in(client, seed, url):
    url = url.format(board=seed.board.pk, thread=seed.thread.pk, post=seed.posts[1].pk)
    for response in (client.get(url), client.post(url, {"body": LONG_ENOUGH})):
        assert response.status_code == 302
        assert "/login/" in response["Location"] and "next=" in response["Location"]
    assert Post.objects.count() == 4


@pytest.mark.parametrize("group_id", [UserGroup.BANNED_POSTING, UserGroup.AWAITING_VERIFICATION])
def test_members_who_may_not_post_get_a_403_page_with_the_reason(client, seed, group_id):
    client.force_login(make_user(group_id=group_id))
    for url in (f"/f/{seed.board.pk}/new/", f"/t/{seed.thread.pk}/reply/"):
        response = client.post(url, {"subject": "x", "body": LONG_ENOUGH, "format": "bbcode"})
        html = response.content.decode()
        assert response.status_code == 403
        assert "提示信息" in html and "<footer" in html  # the site layout
        assert "不能发帖" in html or "等待验证" in html
    assert Post.objects.count() == 4
    page = client.get(f"/t/{seed.thread.pk}/").content.decode()
    assert 'id="fastpost"' not in page


def test_closed_thread_has_no_reply_box_and_refuses_replies(client, seed, member):
    Thread.objects.filter(pk=seed.thread.pk).update(closed=True)
    page = client.get(f"/t/{seed.thread.pk}/").content.decode()
    assert "本主题已关闭" in page and 'id="fastpost"' not in page
    assert "fl-quote" not in page
    response = client.post(f"/t/{seed.thread.pk}/reply/", {"body": LONG_ENOUGH, "format": "bbcode"})
    assert response.status_code == 403 and "该主题已关闭" in response.content.decode()
    assert Post.objects.count() == 4


def test_moderators_reply_to_closed_threads(client, seed):
    Thread.objects.filter(pk=seed.thread.pk).update(closed=True)
    client.force_login(make_user(group_id=UserGroup.SUPER_MODERATOR))
    page = client.get(f"/t/{seed.thread.pk}/").content.decode()
    assert 'id="fastpost"' in page
    response = client.post(
        f"/t/{seed.thread.pk}/reply/", {"body": "版主说两句", "format": "bbcode"}
    )
    assert response.status_code == 302  # no length limit for moderators either


def test_others_cannot_edit_or_delete_a_post(client, seed, member):
    post = seed.posts[1]
    for url in (f"/p/{post.pk}/edit/", f"/p/{post.pk}/delete/"):
        assert client.get(url).status_code == 403
        assert client.post(url, {"body": LONG_ENOUGH, "format": "bbcode"}).status_code == 403
    assert Post.objects.get(pk=post.pk).source == post.source


def test_revisions_are_not_for_other_members(client, seed, member):
    post = seed.posts[1]
    assert client.get(f"/p/{post.pk}/revisions/").status_code == 403


def test_unknown_or_hidden_things_are_404(client, member):
    board = make_board(is_hidden=True)
    thread = make_thread(board)
    for url in (
        f"/f/{board.pk}/new/",
        f"/t/{thread.pk}/reply/",
        f"/p/{thread.post_set.get().pk}/edit/",
        "/f/999999/new/",
        "/t/999999/reply/",
        "/p/999999/edit/",
        "/p/999999/delete/",
        "/p/999999/revisions/",
    ):
        assert client.get(url).status_code == 404, url


# --- CSRF ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/f/{board}/new/",
        "/t/{thread}/reply/",
        "/p/{post}/edit/",
        "/p/{post}/delete/",
        "/preview/",
    ],
)
def test_every_posting_post_needs_the_csrf_token(seed, url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(seed.replier)
    url = url.format(board=seed.board.pk, thread=seed.thread.pk, post=seed.posts[1].pk)
    data = {"subject": "跨站", "body": LONG_ENOUGH, "format": "bbcode"}
    assert client.post(url, data).status_code == 403
    assert client.post(url, data, **HX).status_code == 403
    assert Post.objects.count() == 4
    assert Post.objects.get(pk=seed.posts[1].pk).state == Post.State.VISIBLE


def test_posting_with_the_csrf_token_from_the_page_works(seed):
    client = Client(enforce_csrf_checks=True)
    client.force_login(seed.replier)
    page = client.get(f"/t/{seed.thread.pk}/").content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        f"/t/{seed.thread.pk}/reply/",
        {
            "csrfmiddlewaretoken": csrf,
            "body": LONG_ENOUGH,
            "format": "bbcode",
            "token": token_of(page),
        },
    )
    assert response.status_code == 302


# --- reply and quick reply ----------------------------------------------------------------


def test_thread_page_shows_quick_reply_and_floor_links_to_members(client, seed, member):
    html = client.get(f"/t/{seed.thread.pk}/").content.decode()
    assert "快速回复" in html and 'id="fastpost"' in html
    assert html.count('class="fl-quote"') == 4 and html.count('class="fl-reply"') == 4
    assert 'class="fl-edit"' not in html  # none of the floors is theirs
    assert "您需要登录后才可以回帖" not in html


def test_author_sees_edit_and_delete_on_their_own_floors_only(client, seed):
    client.force_login(seed.replier)
    html = client.get(f"/t/{seed.thread.pk}/").content.decode()
    assert html.count('class="fl-edit"') == 1
    assert f'href="/p/{seed.posts[1].pk}/edit/"' in html
    assert f'href="/p/{seed.posts[1].pk}/delete/"' in html


def test_guests_keep_the_login_prompt_and_get_no_action_links(client, seed):
    html = client.get(f"/t/{seed.thread.pk}/").content.decode()
    assert "您需要登录后才可以回帖" in html
    assert 'id="fastpost"' not in html and "fl-quote" not in html
    assert "htmx.min.js" not in html


def test_plain_quick_reply_redirects_to_the_new_floor(client, seed, member):
    page = client.get(f"/t/{seed.thread.pk}/").content.decode()
    response = client.post(
        f"/t/{seed.thread.pk}/reply/",
        {"body": LONG_ENOUGH, "format": "bbcode", "token": token_of(page), "page": "1"},
    )
    post = Post.objects.get(thread=seed.thread, floor=5)
    assert response.status_code == 302 and response["Location"] == f"/p/{post.pk}/"
    assert post.author_id == member.pk and post.ip == "127.0.0.1"


def test_htmx_quick_reply_answers_with_the_new_floor_and_a_fresh_token(client, seed, member):
    page = client.get(f"/t/{seed.thread.pk}/").content.decode()
    token = token_of(page)
    response = client.post(
        f"/t/{seed.thread.pk}/reply/",
        {"body": "[b]新楼层[/b]内容足够长了", "format": "bbcode", "token": token, "page": "1"},
        **HX,
    )
    html = response.content.decode()
    post = Post.objects.get(thread=seed.thread, floor=5)
    assert response.status_code == 200
    assert html.startswith(f'<article class="floor" id="pid{post.pk}">')
    assert "<strong>新楼层</strong>" in html or "<b>新楼层</b>" in html
    assert "<html" not in html
    assert 'hx-swap-oob="true"' in html and token_of(html) != token
    assert 'class="fl-edit"' in html  # the poster may edit their new floor


def test_htmx_quick_reply_from_another_page_redirects_to_the_floor(client, seed, member):
    response = client.post(
        f"/t/{seed.thread.pk}/reply/",
        {"body": LONG_ENOUGH, "format": "bbcode", "token": "abc", "page": ""},
        **HX,
    )
    post = Post.objects.get(thread=seed.thread, floor=5)
    assert response["HX-Redirect"] == f"/p/{post.pk}/"


def test_htmx_quick_reply_errors_come_back_in_the_box(client, seed, member):
    response = client.post(
        f"/t/{seed.thread.pk}/reply/", {"body": "短", "format": "bbcode", "page": "1"}, **HX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#fastpost" and response["HX-Reswap"] == "outerHTML"
    assert html.lstrip().startswith('<section class="reply-box fastpost" id="fastpost">')
    assert "小于 10 个字符的限制" in html and ">短</textarea>" in html
    assert Post.objects.count() == 4


def test_flood_control_message_on_the_reply_page(client, seed, member):
    url = f"/t/{seed.thread.pk}/reply/"
    assert (
        client.post(url, {"body": LONG_ENOUGH, "format": "bbcode", "token": "a1"}).status_code
        == 302
    )
    response = client.post(url, {"body": LONG_ENOUGH, "format": "bbcode", "token": "a2"})
    assert response.status_code == 200
    assert "您两次发表间隔少于 15 秒，请稍候再发" in response.content.decode()
    assert Post.objects.filter(author=member).count() == 1


def test_double_submit_of_one_reply_form_creates_one_post(client, seed, member):
    url = f"/t/{seed.thread.pk}/reply/"
    data = {"body": LONG_ENOUGH, "format": "bbcode", "token": form_token(client, url)}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first["Location"] == second["Location"]
    assert Post.objects.filter(author=member).count() == 1


def test_full_reply_page_with_quote_stores_discuz_quote(client, seed, member):
    quoted = seed.posts[1]
    page = client.get(f"/t/{seed.thread.pk}/reply/?quote={quoted.pk}").content.decode()
    assert f'name="quote" value="{quoted.pk}"' in page
    assert "引用 李四 发表于 2011-6-10 13:56" in page
    response = client.post(
        f"/t/{seed.thread.pk}/reply/",
        {
            "body": "同意楼上的看法，说得很好。",
            "format": "bbcode",
            "quote": quoted.pk,
            "token": token_of(page),
        },
    )
    post = Post.objects.get(thread=seed.thread, floor=5)
    assert response["Location"] == f"/p/{post.pk}/"
    assert post.source.startswith(
        f"[quote][size=2][url=/p/{quoted.pk}/][color=#999999]李四 发表于 2011-6-10 13:56"
    )


def test_reply_link_starts_the_text_with_a_mention(client, seed, member):
    page = client.get(f"/t/{seed.thread.pk}/reply/?to={seed.posts[1].pk}").content.decode()
    assert ">@李四 </textarea>" in page


def test_quote_from_another_thread_is_ignored(client, seed, member):
    other = make_reply(make_thread())
    page = client.get(f"/t/{seed.thread.pk}/reply/?quote={other.pk}").content.decode()
    assert 'name="quote"' not in page or f'value="{other.pk}"' not in page


@pytest.mark.parametrize(
    "params",
    [
        {"quote": "x"},
        {"quote": "-1"},
        {"quote": "99999999999999999999999"},
        {"format": "<script>"},
        {"token": "t" * 100},
        {"page": "abc"},
        {"body": "\x00\x01\x7f"},
    ],
)
def test_malformed_reply_input_never_fails(client, seed, member, params):
    data = {"body": LONG_ENOUGH, "format": "bbcode", **params}
    for extra in ({}, HX):
        response = client.post(f"/t/{seed.thread.pk}/reply/", data, **extra)
        assert response.status_code in (200, 204, 302)


# --- edit ---------------------------------------------------------------------------------


def test_author_edits_a_reply_and_the_notice_shows_after_sixty_seconds(client, seed):
    client.force_login(seed.replier)
    post = seed.posts[1]  # written in 2011
    page = client.get(f"/p/{post.pk}/edit/").content.decode()
    assert "说得好听，做得怎么样？" in page and 'name="subject"' not in page
    response = client.post(
        f"/p/{post.pk}/edit/",
        {"body": "改过的内容，补充一些细节。", "format": "bbcode", "reason": "补充"},
    )
    assert response.status_code == 302 and response["Location"] == f"/p/{post.pk}/"
    post.refresh_from_db()
    assert post.source == "改过的内容，补充一些细节。" and post.edited_by_name == "李四"
    html = client.get(f"/t/{seed.thread.pk}/").content.decode()
    assert "本帖最后由 李四 于" in html
    assert PostRevision.objects.get(post=post).reason == "补充"


def test_quick_edit_within_sixty_seconds_shows_no_notice(client, seed, member):
    url = f"/t/{seed.thread.pk}/reply/"
    client.post(url, {"body": LONG_ENOUGH, "format": "bbcode", "token": "q1"})
    post = Post.objects.get(author=member)
    client.post(f"/p/{post.pk}/edit/", {"body": "马上改一下，内容够长。", "format": "bbcode"})
    post.refresh_from_db()
    assert post.edited_at is None and post.source == "马上改一下，内容够长。"
    assert "本帖最后由" not in client.get(f"/t/{seed.thread.pk}/").content.decode()


def test_op_edit_changes_subject_and_type(client, seed):
    client.force_login(seed.op_author)
    op = seed.posts[0]
    page = client.get(f"/p/{op.pk}/edit/").content.decode()
    assert 'value="社区开放日活动纪实"' in page and 'name="type"' in page
    other_type = seed.board.thread_types.get(name="求助")
    client.post(
        f"/p/{op.pk}/edit/",
        {"subject": "新标题", "type": other_type.pk, "body": op.source, "format": "bbcode"},
    )
    seed.thread.refresh_from_db()
    assert (seed.thread.subject, seed.thread.type_id) == ("新标题", other_type.pk)


def test_edit_window_closes_for_authors_but_not_moderators(client, seed):
    from luntan.core.models import get_site_settings

    site = get_site_settings()
    site.edit_window_seconds = 3600
    site.save()
    client.force_login(seed.replier)
    response = client.get(f"/p/{seed.posts[1].pk}/edit/")
    assert response.status_code == 403 and "已超过可编辑的时间。" in response.content.decode()
    client.force_login(make_user(group_id=UserGroup.SUPER_MODERATOR))
    assert client.get(f"/p/{seed.posts[1].pk}/edit/").status_code == 200


def test_bad_edit_input_keeps_the_post(client, seed):
    client.force_login(seed.replier)
    post = seed.posts[1]
    for data in ({"body": ""}, {"body": "短"}, {"body": LONG_ENOUGH, "format": "x"}):
        response = client.post(f"/p/{post.pk}/edit/", {"format": "bbcode", **data})
        assert response.status_code == 200
    post.refresh_from_db()
    assert post.source == "说得好听，做得怎么样？" and not PostRevision.objects.exists()


def test_moderator_reads_the_revision_history(client, seed):
    client.force_login(seed.replier)
    post = seed.posts[1]
    client.post(f"/p/{post.pk}/edit/", {"body": "第二版内容，足够长了。", "format": "bbcode"})
    mod = make_user(group_id=UserGroup.SUPER_MODERATOR)
    client.force_login(mod)
    html = client.get(f"/p/{post.pk}/revisions/").content.decode()
    assert "编辑记录" in html and "说得好听，做得怎么样？" in html and "第二版内容" in html
    thread_page = client.get(f"/t/{seed.thread.pk}/").content.decode()
    assert f'href="/p/{post.pk}/revisions/"' in thread_page


# --- delete -------------------------------------------------------------------------------


def test_delete_asks_then_soft_deletes_the_reply(client, seed):
    client.force_login(seed.third)
    post = seed.posts[3]
    page = client.get(f"/p/{post.pk}/delete/").content.decode()
    assert "确定删除" in page and "<form" in page
    assert Post.objects.get(pk=post.pk).state == Post.State.VISIBLE  # GET deletes nothing
    response = client.post(f"/p/{post.pk}/delete/")
    # The author no longer sees the floor (its permalink is 404 for them): back to the
    # visible floor before it, a link that works.
    assert response["Location"] == f"/p/{seed.posts[2].pk}/"
    assert client.get(response["Location"]).status_code == 302
    assert client.get(f"/p/{post.pk}/").status_code == 404
    assert Post.objects.get(pk=post.pk).state == Post.State.DELETED
    # members no longer see the floor (moderators see 该帖已被删除 there)
    assert f'id="pid{post.pk}"' not in client.get(f"/t/{seed.thread.pk}/").content.decode()
    assert client.post(f"/p/{post.pk}/delete/").status_code == 403  # already deleted


def test_a_moderator_deleting_a_reply_goes_back_to_its_placeholder(client, seed):
    client.force_login(make_user(group_id=UserGroup.SUPER_MODERATOR))
    post = seed.posts[2]
    response = client.post(f"/p/{post.pk}/delete/")
    assert response["Location"] == f"/p/{post.pk}/"
    assert client.get(response["Location"]).status_code == 302  # moderators see 该帖已被删除


def test_moderator_deleting_the_op_recycles_the_thread(client, seed):
    client.force_login(make_user(group_id=UserGroup.SUPER_MODERATOR))
    response = client.post(f"/p/{seed.posts[0].pk}/delete/")
    assert response["Location"] == seed.board.get_absolute_url()
    assert Thread.objects.get(pk=seed.thread.pk).state == Thread.State.RECYCLED
    assert client.get(f"/t/{seed.thread.pk}/").status_code == 404


def test_author_cannot_delete_an_op_with_replies(client, seed):
    client.force_login(seed.op_author)
    response = client.post(f"/p/{seed.posts[0].pk}/delete/")
    assert response.status_code == 403 and "不能删除楼主帖" in response.content.decode()


# --- XSS through the forms ----------------------------------------------------------------

XSS_BBCODE = [
    "[url=javascript:alert(1)]点我[/url]",
    '[url=http://x.org/" onmouseover="alert(1)]x[/url]',
    "[img]javascript:alert(1)[/img]",
    '[img]http://x.org/a.png" onerror="alert(1)[/img]',
    "[color=red;background:url(javascript:alert(1))]字[/color]",
    '[color=#fff" onclick="alert(1)]字[/color]',
    "[size=7;position:fixed]字[/size]",
    '[size=3" style="x]字[/size]',
    "[quote]<script>alert(1)</script>[/quote]",
    "[quote][size=2][url=javascript:alert(1)][color=#999999]x 发表于[/color][/url][/size][/quote]",
]
XSS_MARKDOWN = [
    "[点我](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
]
_BAD_URL = re.compile(r"^\s*(javascript|data|vbscript):", re.I)


class _Markup(HTMLParser):
    """Collects what a browser would act on: tags and their attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "style", "form", "base", "meta"):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") or name.startswith("hx-") or name == "srcdoc":
                self.problems.append(f"{tag} {name}")
            if name in ("href", "src", "action", "formaction") and _BAD_URL.search(value):
                self.problems.append(f"{tag} {name}={value}")
            if name == "style" and re.search(r"url\(|expression|position|javascript", value, re.I):
                self.problems.append(f"{tag} style={value}")


def dangers(html: str) -> list[str]:
    """Active markup in ``html`` that a post must never produce (text is fine)."""
    parser = _Markup()
    parser.feed(html)
    return parser.problems


@pytest.mark.parametrize(
    ("fmt", "payload"),
    [("bbcode", p) for p in XSS_BBCODE] + [("markdown", p) for p in XSS_MARKDOWN],
)
def test_xss_through_the_reply_form_renders_harmless(client, seed, member, fmt, payload):
    response = client.post(
        f"/t/{seed.thread.pk}/reply/",
        {"body": payload + " 附带一些正文文字，写得长一些。", "format": fmt, "token": "x"},
    )
    assert response.status_code == 302
    post = Post.objects.get(thread=seed.thread, floor=5)
    html = client.get(f"/t/{seed.thread.pk}/").content.decode()
    floor = html[html.index(f'id="pid{post.pk}"') :]
    floor = floor[: floor.index("</article>")]
    assert dangers(floor) == [], floor
    preview = client.post("/preview/", {"body": payload, "format": fmt}).content.decode()
    assert dangers(preview) == [], preview


def test_xss_in_subject_and_mention_names_is_escaped(client, member):
    board = make_board()
    client.post(
        f"/f/{board.pk}/new/",
        {
            "subject": "<script>alert(1)</script>",
            "body": LONG_ENOUGH,
            "format": "bbcode",
            "token": "s",
        },
    )
    thread = Thread.objects.get()
    html = client.get(f"/t/{thread.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_preview_endpoint_is_for_members(client):
    assert client.post("/preview/", {"body": "x", "format": "bbcode"}).status_code == 403


# --- mentions through the form ------------------------------------------------------------


def test_mentions_in_a_reply_link_to_the_member(client, seed, member):
    client.post(
        f"/t/{seed.thread.pk}/reply/",
        {"body": "@王五 你怎么看？@不存在的人 也来看看", "format": "bbcode", "token": "m"},
    )
    html = client.get(f"/t/{seed.thread.pk}/").content.decode()
    assert f'<a href="/u/{seed.third.pk}/"' in html and "@王五" in html
    assert "@不存在的人" in html


# --- the thread page stays cheap ----------------------------------------------------------


def test_member_thread_page_costs_one_query_more_than_before(client, django_assert_num_queries):
    from luntan.core.models import get_site_settings
    from luntan.core.tests.pages import long_thread

    thread = long_thread(25)
    member = Post.objects.get(thread=thread, floor=2).author
    client.force_login(member)
    get_site_settings()
    client.get(f"/t/{thread.pk}/")
    # member (session from cache), is_moderator, thread, posts, view-count flush
    with django_assert_num_queries(5):
        html = client.get(f"/t/{thread.pk}/?page=2").content.decode()
    assert 'id="fastpost"' in html and html.count('class="fl-edit"') >= 2


def test_edit_notice_uses_the_time_of_the_edit(client, seed):
    post = seed.posts[1]
    from luntan.threads.services import PostInput, edit_post

    when = timezone.now() - timedelta(minutes=5)
    edit_post(
        trust=Trust.MODERATOR,
        post=post,
        editor=seed.replier,
        body=PostInput("改后的文字"),
        now=when,
    )
    html = client.get(f"/t/{seed.thread.pk}/").content.decode()
    local = timezone.localtime(when, timezone.get_fixed_timezone(480))
    assert (
        f"本帖最后由 李四 于 {local.year}-{local.month}-{local.day} {local:%H:%M:%S} 编辑" in html
    )


# --- human check (captcha) ----------------------------------------------------------------


@pytest.fixture
def captcha_on(settings):
    settings.LUNTAN_CAPTCHA = True
    from django.core.cache import cache

    cache.clear()  # used solutions are remembered in the cache


def test_new_members_solve_the_captcha_to_reply(client, seed, member, captcha_on):
    from luntan.accounts.tests.helpers import solve_from_page

    page = client.get(f"/t/{seed.thread.pk}/").content.decode()
    assert 'class="captcha-box lt-captcha"' in page and 'id="captcha-row"' in page
    url = f"/t/{seed.thread.pk}/reply/"
    data = {"body": LONG_ENOUGH, "format": "bbcode", "token": token_of(page), "page": "1"}
    refused = client.post(url, data)
    assert refused.status_code == 200 and "请完成人机验证。" in refused.content.decode()
    assert Post.objects.count() == 4
    solved = solve_from_page(page)
    response = client.post(url, {**data, "captcha": solved}, **HX)
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith('<article class="floor"')
    assert 'id="captcha-row" hx-swap-oob="true"' in html  # a fresh challenge for the next one
    again = client.post(url, {**data, "token": "another", "captcha": solved}, **HX)
    assert "人机验证" in again.content.decode() and again["HX-Retarget"] == "#fastpost"
    assert Post.objects.count() == 5


def test_new_thread_form_needs_the_captcha_too(client, member, captcha_on):
    from luntan.accounts.tests.helpers import solve_from_page

    board = make_board()
    page = client.get(f"/f/{board.pk}/new/").content.decode()
    data = {"subject": "要验证", "body": LONG_ENOUGH, "format": "bbcode", "token": token_of(page)}
    assert client.post(f"/f/{board.pk}/new/", data).status_code == 200
    assert not Thread.objects.exists()
    response = client.post(f"/f/{board.pk}/new/", {**data, "captcha": solve_from_page(page)})
    assert response.status_code == 302 and Thread.objects.count() == 1


def test_members_past_their_first_posts_post_without_the_captcha(client, seed, captcha_on):
    senior = make_user(posts=5)  # LUNTAN_CAPTCHA_FIRST_POSTS (5) posts already
    credits.apply_change(senior, {2: 100}, "admin")
    client.force_login(senior)
    page = client.get(f"/t/{seed.thread.pk}/").content.decode()
    assert "lt-captcha" not in page
    response = client.post(
        f"/t/{seed.thread.pk}/reply/", {"body": LONG_ENOUGH, "format": "bbcode", "token": "s"}
    )
    assert response.status_code == 302


def test_a_new_member_edits_without_the_captcha(client, member, captcha_on):
    """Discuz! asks new members for their first posts, not for every edit."""
    thread = make_thread(make_board(), member, subject="我的新帖", body=LONG_ENOUGH)
    post = thread.post_set.get()
    page = client.get(f"/p/{post.pk}/edit/").content.decode()
    assert "lt-captcha" not in page
    data = {"subject": "我的新帖", "body": LONG_ENOUGH + "补充", "format": "bbcode"}
    response = client.post(f"/p/{post.pk}/edit/", data)
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.source.endswith("补充")
