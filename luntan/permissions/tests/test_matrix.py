"""The permission matrix: each group × each action × a public, a members-only, a hidden
and a password board, answered by :mod:`luntan.permissions` (and, for a few cells, by
the real pages, so the views ask the same module).

Columns of :data:`EXPECTED`: V view board, R read a thread, S start a thread, P reply
(post), U upload, D download (non-image) attachments. ``Y`` allowed, ``.`` denied.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache

from luntan import permissions
from luntan.accounts.groups import GroupId
from luntan.accounts.models import UserGroup
from luntan.permissions import Viewer
from luntan.permissions.passwords import fingerprint, set_board_password
from luntan.threads.tests.factories import make_board, make_thread, make_user

pytestmark = pytest.mark.django_db

MEMBER_GROUPS = [
    GroupId.ADMIN,
    GroupId.SUPER_MODERATOR,
    GroupId.MODERATOR,
    GroupId.NEWBIE,
    GroupId.REGISTERED,
    GroupId.INTERMEDIATE,
    GroupId.ADVANCED,
    GroupId.GOLD,
    GroupId.VETERAN,
]
PASSWORD = "芝麻开门"

GROUPS = {
    "游客": None,
    "新手上路": GroupId.NEWBIE,
    "注册会员": GroupId.REGISTERED,
    "版主(本版)": GroupId.MODERATOR,
    "超级版主": GroupId.SUPER_MODERATOR,
    "管理员": GroupId.ADMIN,
    "禁止发言": GroupId.BANNED_POSTING,
    "禁止访问": GroupId.BANNED_VISITING,
    "等待验证会员": GroupId.AWAITING_VERIFICATION,
}
BOARDS = ("public", "members", "hidden", "password")
ACTIONS = "VRSPUD"

#                  public    members   hidden    password
EXPECTED = {
    "游客": ("YY...Y", "......", "......", "Y....."),
    "新手上路": ("YYYYYY", "YYYYYY", "......", "Y....."),
    "注册会员": ("YYYYYY", "YYYYYY", "......", "Y....."),
    "版主(本版)": ("YYYYYY", "YYYYYY", "YYYYYY", "YYYYYY"),
    "超级版主": ("YYYYYY", "YYYYYY", "YYYYYY", "YYYYYY"),
    "管理员": ("YYYYYY", "YYYYYY", "YYYYYY", "YYYYYY"),
    "禁止发言": ("YY....", "......", "......", "Y....."),
    "禁止访问": ("......", "......", "......", "......"),
    "等待验证会员": ("YY....", "......", "......", "Y....."),
}


@pytest.fixture(autouse=True)
def _fresh_rights():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def boards():
    built = {
        "public": make_board("公共版块"),
        "members": make_board("会员版块", view_groups=MEMBER_GROUPS),
        "hidden": make_board("隐藏版块", is_hidden=True),
        "password": make_board("密码版块"),
    }
    set_board_password(built["password"], PASSWORD)
    threads = {
        name: make_thread(b, subject=f"{b.name}的主题", body=f"{b.name}独有的正文内容")
        for name, b in built.items()
    }
    return built, threads


def _viewer(label, boards, unlocked=None) -> Viewer:
    group_id = GROUPS[label]
    if group_id is None:
        return Viewer(AnonymousUser(), unlocked_boards=unlocked)
    user = make_user(group_id=group_id)
    if label == "版主(本版)":
        for board in boards.values():
            board.moderators.add(user)
    return Viewer(user, unlocked_boards=unlocked)


def _answers(user, board, thread) -> str:
    board.refresh_from_db()
    thread.refresh_from_db()
    results = (
        permissions.can_view_board(user, board),
        permissions.can_view_thread(user, thread),
        permissions.can_start_thread(user, board),
        permissions.can_reply(user, thread),
        permissions.can_upload(user, board),
        permissions.can_download(user, board),
    )
    return "".join("Y" if ok else "." for ok in results)


@pytest.mark.parametrize("label", list(GROUPS))
def test_permission_matrix(label, boards):
    built, threads = boards
    user = _viewer(label, built)
    got = tuple(_answers(user, built[name], threads[name]) for name in BOARDS)
    assert got == EXPECTED[label], f"{label}: {dict(zip(BOARDS, got, strict=True))}"


@pytest.mark.parametrize("label", list(GROUPS))
def test_a_bare_user_gets_the_same_answers_as_their_viewer(label, boards):
    """The transition: permission functions still take a User (wrapped in a Viewer)."""
    built, threads = boards
    viewer = _viewer(label, built)
    got = tuple(_answers(viewer.user, built[name], threads[name]) for name in BOARDS)
    assert got == EXPECTED[label]


def test_a_viewer_asks_for_its_moderated_boards_once(boards, django_assert_num_queries):
    built, threads = boards
    viewer = _viewer("版主(本版)", built)
    for name in ("hidden", "members"):
        built[name].refresh_from_db()
    assert viewer.rights.allow_visit  # the group rights are cached apart (warm them)
    with django_assert_num_queries(1):
        assert permissions.can_view_board(viewer, built["hidden"])
        assert permissions.is_moderator(viewer, built["members"])
        assert permissions.board_locked(viewer, built["password"]) is False
        assert permissions.denied_board_ids(viewer, boards=list(built.values())) == set()


@pytest.mark.parametrize("label", ["新手上路", "注册会员", "游客"])
def test_unlocking_the_password_board_opens_it_like_a_public_one(label, boards):
    built, threads = boards
    board = built["password"]
    user = _viewer(label, built, unlocked={str(board.pk): fingerprint(board)})
    assert _answers(user, board, threads["password"]) == EXPECTED[label][0]
    set_board_password(board, "换了密码")  # a new password locks everyone out again
    assert _answers(user, board, threads["password"]) == EXPECTED[label][3]


def test_listings_leave_out_what_the_viewer_may_not_read(boards):
    built, threads = boards
    from luntan.threads.models import Post, Thread

    guest = AnonymousUser()
    seen = set(
        permissions.filter_threads_queryset(Thread.objects.all(), guest).values_list(
            "pk", flat=True
        )
    )
    assert seen == {threads["public"].pk}
    posts = permissions.filter_posts_queryset(Post.objects.all(), guest)
    assert set(posts.values_list("thread_id", flat=True)) == {threads["public"].pk}
    member = make_user()
    seen = set(
        permissions.filter_threads_queryset(Thread.objects.all(), member).values_list(
            "pk", flat=True
        )
    )
    assert seen == {threads["public"].pk, threads["members"].pk}
    admin = make_user(group_id=UserGroup.ADMIN)
    assert permissions.filter_threads_queryset(Thread.objects.all(), admin).count() == 4


# --- the same answers through the pages ---------------------------------------------------


def test_pages_follow_the_matrix_for_a_guest(client, boards):
    built, threads = boards
    assert client.get(f"/t/{threads['public'].pk}/").status_code == 200
    assert client.get(f"/t/{threads['members'].pk}/").status_code == 404
    assert client.get(f"/t/{threads['hidden'].pk}/").status_code == 404
    locked = client.get(f"/t/{threads['password'].pk}/")
    assert locked.status_code == 302
    assert locked["Location"].startswith(f"/f/{built['password'].pk}/password/")
    assert client.get(f"/f/{built['password'].pk}/").status_code == 302
    index = client.get("/").content.decode()
    assert "公共版块" in index and "密码版块" in index
    assert "隐藏版块" not in index and "会员版块" not in index


def test_password_form_unlocks_the_board_for_the_session(client, boards):
    built, threads = boards
    board, thread = built["password"], threads["password"]
    url = f"/f/{board.pk}/password/?next=/t/{thread.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and 'name="password"' in page.content.decode()
    wrong = client.post(url, {"password": "不对"})
    assert wrong.status_code == 200 and "密码错误" in wrong.content.decode()
    assert client.get(f"/t/{thread.pk}/").status_code == 302
    right = client.post(url, {"password": PASSWORD, "next": f"/t/{thread.pk}/"})
    assert right.status_code == 302 and right["Location"] == f"/t/{thread.pk}/"
    assert client.get(f"/t/{thread.pk}/").status_code == 200
    assert client.get(f"/f/{board.pk}/").status_code == 200
    # an open redirect is refused
    again = client.post(url, {"password": PASSWORD, "next": "https://evil.example/"})
    assert again["Location"] == board.get_absolute_url()


def test_password_form_needs_the_csrf_token(boards):
    from django.test import Client

    built, _threads = boards
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(f"/f/{built['password'].pk}/password/", {"password": PASSWORD})
    assert response.status_code == 403


def test_password_form_is_404_for_boards_without_password_or_unseen(client, boards):
    built, _threads = boards
    assert client.get(f"/f/{built['public'].pk}/password/").status_code == 404
    assert client.get(f"/f/{built['hidden'].pk}/password/").status_code == 404


def test_members_read_and_post_through_the_pages(client, boards):
    built, threads = boards
    member = make_user()
    client.force_login(member)
    assert client.get(f"/t/{threads['members'].pk}/").status_code == 200
    assert client.get(f"/f/{built['members'].pk}/new/").status_code == 200
    assert client.get(f"/f/{built['hidden'].pk}/new/").status_code == 404


# --- per-board overrides and group rights -------------------------------------------------


def test_board_lists_override_the_group_rights(boards):
    built, threads = boards
    board, thread = built["public"], threads["public"]
    newbie, senior = make_user(), make_user(group_id=11)
    board.post_groups = [11]
    board.reply_groups = [11]
    board.download_groups = [11]
    board.upload_groups = [11]
    board.save()
    thread.refresh_from_db()
    for action in (permissions.can_start_thread, permissions.can_upload, permissions.can_download):
        assert not action(newbie, board) and action(senior, board)
    assert not permissions.can_reply(newbie, thread) and permissions.can_reply(senior, thread)
    # A board list may also grant what the group lacks (Discuz! forumperm).
    guest_group = UserGroup.objects.get(pk=UserGroup.NEWBIE)
    guest_group.allow_reply = False
    guest_group.save()
    board.reply_groups = [UserGroup.NEWBIE]
    board.save()
    thread.refresh_from_db()
    assert permissions.can_reply(newbie, thread)


def test_group_rights_changes_apply_at_once(boards):
    built, threads = boards
    newbie = make_user()
    assert permissions.can_start_thread(newbie, built["public"])
    group = UserGroup.objects.get(pk=UserGroup.NEWBIE)
    group.allow_post = False
    group.save()  # drops the cached rights
    assert not permissions.can_start_thread(newbie, built["public"])
    assert permissions.can_reply(newbie, threads["public"])


def test_read_access_zero_hides_threads_but_not_the_board(client, boards):
    built, threads = boards
    group = UserGroup.objects.get(pk=UserGroup.NEWBIE)
    group.read_access = 0
    group.save()
    member = make_user()
    assert permissions.can_view_board(member, built["public"])
    assert not permissions.can_view_thread(member, threads["public"])
    client.force_login(member)
    response = client.get(f"/t/{threads['public'].pk}/")
    assert response.status_code == 403 and "没有阅读主题的权限" in response.content.decode()
    # a board naming the group in view_groups lets it read there (Discuz! viewperm)
    assert permissions.can_view_thread(member, threads["members"])
    seen = permissions.filter_threads_queryset(threads["public"].__class__.objects.all(), member)
    assert seen.filter(pk=threads["public"].pk).count() == 0


def test_hide_and_image_rights_bind_members_posting_through_the_form(client, boards):
    built, _threads = boards
    newbie = make_user()
    client.force_login(newbie)
    body = "[hide]只给回复者看的内容，足够长的正文[/hide]"
    response = client.post(
        f"/f/{built['public'].pk}/new/",
        {"subject": "试试隐藏", "body": body, "format": "bbcode", "token": "h1"},
    )
    assert response.status_code == 200
    assert "不能使用 [hide] 代码" in response.content.decode()
    senior = make_user(group_id=UserGroup.SUPER_MODERATOR)
    assert permissions.can_use_hide_code(senior)


def test_thread_page_query_count_is_unchanged_for_guests(
    client, boards, django_assert_max_num_queries
):
    _built, threads = boards
    url = f"/t/{threads['public'].pk}/"
    client.get(url)
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200


# --- moving into a hidden board; quotes and permalinks of hidden posts -------------------


def test_thread_moved_into_a_hidden_board_leaves_listings_and_search(client, boards):
    from luntan.search.service import SearchRequest, search_posts
    from luntan.threads.models import Thread

    built, _threads = boards
    with_word = make_thread(built["public"], subject="山竹季节到了", body="今年的山竹特别甜")
    from luntan import search

    search.reindex_thread(with_word.pk)
    guest = AnonymousUser()
    hits = search_posts(SearchRequest(q="山竹"), guest).hits
    assert [h.post.thread_id for h in hits] == [with_word.pk]
    Thread.objects.filter(pk=with_word.pk).update(board=built["hidden"])
    search.reindex_thread(with_word.pk)
    assert search_posts(SearchRequest(q="山竹"), guest).hits == []
    assert not permissions.filter_threads_queryset(Thread.objects.filter(pk=with_word.pk), guest)
    assert "山竹" not in client.get(f"/f/{built['public'].pk}/").content.decode()
    admin = make_user(group_id=UserGroup.ADMIN)
    assert [h.post.thread_id for h in search_posts(SearchRequest(q="山竹"), admin).hits] == [
        with_word.pk
    ]


def test_quote_and_permalink_of_a_hidden_post_reveal_nothing(client, boards):
    built, threads = boards
    secret = threads["hidden"].post_set.get(floor=1)
    assert client.get(f"/p/{secret.pk}/").status_code == 404
    member = make_user()
    client.force_login(member)
    assert client.get(f"/p/{secret.pk}/").status_code == 404
    page = client.get(f"/t/{threads['public'].pk}/reply/?quote={secret.pk}")
    assert page.status_code == 200
    assert secret.source not in page.content.decode()
    locked = threads["password"].post_set.get(floor=1)
    assert client.get(f"/p/{locked.pk}/").status_code == 302  # to the password form
