"""Censor words (词语过滤): patterns, actions, where they apply, the import and the page."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from luntan.accounts.models import UserGroup
from luntan.censor.models import CensorWord
from luntan.censor.services import (
    check_username,
    compile_find,
    import_words,
    parse_line,
    screen,
    screen_signature,
)
from luntan.threads.models import Post, Thread
from luntan.threads.posting import Trust
from luntan.threads.services import PostingLimits, PostInput, create_thread, edit_post, reply
from luntan.threads.tests.factories import make_board, make_thread, make_user

pytestmark = pytest.mark.django_db

LIMITS = PostingLimits()


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def words():
    CensorWord.objects.create(find="代开发票", action=CensorWord.Action.BLOCK)
    CensorWord.objects.create(find="刷单", action=CensorWord.Action.MODERATE)
    CensorWord.objects.create(find="傻{1}瓜", action=CensorWord.Action.REPLACE)
    CensorWord.objects.create(
        find="/v[i1]agra/", action=CensorWord.Action.REPLACE, replacement="**"
    )


def test_plain_wildcard_and_regex_patterns(words):
    assert screen("你这个傻瓜").text == "你这个***"
    assert screen("你这个傻x瓜").text == "你这个***"
    assert screen("你这个傻xx瓜").text == "你这个傻xx瓜"
    assert screen("buy VIAGRA and v1agra").text == "buy ** and **"
    assert screen("诚信代开发票").blocked
    assert screen("兼职刷单").moderate


@pytest.mark.parametrize(
    "find", ["/(a+)+$/", "/(\\w*)*x/", "/(a|aa)+{2,}/", "/(x)\\1/", "/[/", "/a*/", "  "]
)
def test_unsafe_or_invalid_patterns_are_refused(find):
    with pytest.raises(ValidationError):
        compile_find(find)


def test_blocked_word_refuses_thread_subject_and_body(words):
    board, author = make_board(), make_user()
    for subject, body in (("代开发票", "正文内容足够长"), ("普通标题", "这里代开发票哦")):
        with pytest.raises(ValidationError) as info:
            create_thread(
                trust=Trust.MODERATOR,
                board=board,
                author=author,
                subject=subject,
                body=PostInput(body),
            )
        assert "不能发表的内容" in info.value.messages[0]
    assert not Thread.objects.exists()


def test_replaced_words_are_stored_starred(words):
    thread = make_thread(subject="傻瓜相机", body="用傻瓜相机拍的")
    assert thread.subject == "***相机"
    assert thread.post_set.get(floor=1).source == "用***相机拍的"


def test_moderated_thread_and_reply_wait_for_review_uncounted(words):
    board = make_board()
    author = make_user()
    pending = create_thread(
        trust=Trust.MODERATOR,
        board=board,
        author=author,
        subject="兼职刷单",
        body=PostInput("日结工资"),
    )
    assert pending.state == Thread.State.PENDING
    assert pending.post_set.get().state == Post.State.PENDING
    board.refresh_from_db()
    assert board.threads == 0
    thread = make_thread(board)
    post = reply(trust=Trust.MODERATOR, thread=thread, author=author, body=PostInput("来刷单吧"))
    assert post.state == Post.State.PENDING and post.floor == 2
    thread.refresh_from_db()
    assert thread.replies == 0 and thread.max_floor == 2
    nxt = reply(
        trust=Trust.MODERATOR, thread=thread, author=make_user(), body=PostInput("正常回复")
    )
    assert nxt.floor == 3


def test_edits_are_screened_and_may_not_need_review(words):
    thread = make_thread(body="原来的内容")
    op = thread.post_set.get(floor=1)
    saved = edit_post(
        trust=Trust.MODERATOR, post=op, editor=thread.author, body=PostInput("改成傻瓜")
    )
    assert saved.source == "改成***"
    with pytest.raises(ValidationError):
        edit_post(trust=Trust.MODERATOR, post=op, editor=thread.author, body=PostInput("改成刷单"))
    with pytest.raises(ValidationError):
        edit_post(
            trust=Trust.MODERATOR, post=op, editor=thread.author, body=PostInput("改成代开发票")
        )


def test_posting_form_shows_the_censor_message(client, words):
    board = make_board()
    client.force_login(make_user())
    response = client.post(
        f"/f/{board.pk}/new/",
        {"subject": "标题", "body": "诚信代开发票，联系我", "format": "bbcode", "token": "c1"},
    )
    assert response.status_code == 200
    assert "您的帖子包含不能发表的内容" in response.content.decode()


def test_moderated_post_by_form_tells_the_author(client, words):
    board = make_board()
    client.force_login(make_user())
    response = client.post(
        f"/f/{board.pk}/new/",
        {
            "subject": "兼职刷单日结",
            "body": "正文内容足够长了吧",
            "format": "bbcode",
            "token": "c2",
        },
    )
    assert response.status_code == 200 and "审核" in response.content.decode()
    thread = make_thread(board)
    client.force_login(make_user())  # another member: no flood interval in the way
    quick = client.post(
        f"/t/{thread.pk}/reply/",
        {"body": "一起来刷单赚钱吧朋友们", "format": "bbcode", "token": "c3"},
        HTTP_HX_REQUEST="true",
    )
    assert "审核" in quick.content.decode()
    assert Post.objects.filter(state=Post.State.PENDING).count() == 2


def test_usernames_and_signatures(words):
    with pytest.raises(ValidationError):
        check_username("傻瓜王")
    check_username("好人")
    assert screen_signature("我是傻瓜") == "我是***"
    with pytest.raises(ValidationError):
        screen_signature("刷单请联系")


def test_registration_refuses_a_censored_username(client, words):
    response = client.post(
        "/accounts/signup/",
        {"username": "代开发票王", "email": "a@example.org", "password1": "x", "password2": "x"},
    )
    assert "用户名包含不能使用的词语" in response.content.decode()


@pytest.mark.parametrize(
    ("line", "parsed"),
    [
        ("坏词", ("坏词", "replace", "")),
        ("坏词=好词", ("坏词", "replace", "好词")),
        ("坏词={BANNED}", ("坏词", "block", "")),
        ("坏词={MOD}", ("坏词", "moderate", "")),
        ("/a=b/={BANNED}", ("/a=b/", "block", "")),
        ("/ab+c/", ("/ab+c/", "replace", "")),
        ("   ", None),
    ],
)
def test_import_lines(line, parsed):
    assert parse_line(line) == parsed


def test_import_adds_updates_and_reports_bad_lines():
    CensorWord.objects.create(find="旧词", action=CensorWord.Action.REPLACE)
    result = import_words("新词={BANNED}\n旧词={MOD}\n/(a+)+/\n\n换词=**")
    assert (result.added, result.updated) == (2, 1)
    assert result.errors and result.errors[0][0] == 3
    assert CensorWord.objects.get(find="旧词").action == "moderate"
    assert screen("有新词").blocked


def test_censor_page_is_for_admins(client):
    client.force_login(make_user(group_id=UserGroup.SUPER_MODERATOR))
    assert client.get("/censor/").status_code == 404
    client.force_login(make_user(group_id=UserGroup.ADMIN))
    assert client.get("/censor/").status_code == 200
    client.post("/censor/", {"find": "垃圾", "action": "replace", "replacement": ""})
    client.post("/censor/", {"words": "广告={BANNED}\n/(x+)+/", "overwrite": "on"})
    assert set(CensorWord.objects.values_list("find", flat=True)) == {"垃圾", "广告"}
    page = client.get("/censor/").content.decode()
    assert "垃圾" in page and "广告" in page
    word = CensorWord.objects.get(find="垃圾")
    client.post("/censor/", {"delete": str(word.pk)})
    assert not CensorWord.objects.filter(find="垃圾").exists()


def test_screening_costs_no_query_when_warm(words, django_assert_num_queries):
    screen("热身")
    with django_assert_num_queries(0):
        screen("傻瓜")


def test_add_and_delete_word_services_refresh_the_rules():
    from luntan.censor.services import add_word, delete_word, screen

    admin = make_user(group_id=UserGroup.ADMIN)
    word = add_word("刷单", action=CensorWord.Action.BLOCK, operator=admin)
    assert word.operator_name == admin.username
    assert screen("来刷单吧").blocked  # the cached rules were dropped at once
    assert delete_word(word.pk) is True
    assert not screen("来刷单吧").blocked
    assert delete_word(word.pk) is False  # already gone: not an error
    with pytest.raises(ValidationError):
        add_word("/(x+)+/", action=CensorWord.Action.BLOCK)
    assert not CensorWord.objects.exists()
