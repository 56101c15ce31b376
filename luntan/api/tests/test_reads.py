"""Read endpoints: boards, threads of a board (cursor pages, filters), a thread's floors
(the thread page's paging and visibility), posts, members and search."""

from __future__ import annotations

import pytest
from django.test import override_settings

from luntan.api.tests.conftest import bearer_client
from luntan.threads.models import Post
from luntan.threads.tests.factories import make_reply, make_thread

pytestmark = pytest.mark.django_db


def test_board_tree_leaves_out_hidden_boards(client, forum):
    tree = client.get("/api/v1/boards").json()
    names = []

    def walk(nodes):
        for n in nodes:
            names.append(n["name"])
            walk(n["children"])

    walk(tree)
    assert "新闻" in names
    assert "内部" not in names
    board = next(c for cat in tree for c in cat["children"] if c["name"] == "新闻")
    assert board["threads"] == 1 and board["posts"] == 3
    assert board["last_post"]["thread_id"] == forum["thread"].pk


def test_board_tree_gives_sub_boards_their_last_subject_unless_locked(client, forum):
    from luntan.permissions.passwords import set_board_password
    from luntan.threads.tests.factories import make_board

    sub = make_board("子版", parent=forum["board"])
    locked = make_board("密码子版", parent=forum["board"])
    make_thread(sub, forum["author"], subject="子版块的主题")
    make_thread(locked, forum["author"], subject="锁着的主题")
    set_board_password(locked, "暗号")
    tree = client.get("/api/v1/boards").json()
    board = next(c for cat in tree for c in cat["children"] if c["name"] == "新闻")
    subs = {s["name"]: s for s in board["children"]}
    assert subs["子版"]["last_post"]["subject"] == "子版块的主题"
    assert subs["密码子版"]["locked"] is True
    assert subs["密码子版"]["last_post"] is None


def test_board_detail_and_types(client, forum):
    body = client.get(f"/api/v1/boards/{forum['board'].pk}").json()
    assert [t["name"] for t in body["thread_types"]] == ["公告", "讨论"]
    assert body["can_start_thread"] is False  # a guest


def test_board_threads_cursor_pages_through_everything_once(client, forum):
    board, author = forum["board"], forum["author"]
    made = [make_thread(board, author, subject=f"主题{i}") for i in range(7)]
    seen, cursor = [], None
    for _ in range(10):
        url = f"/api/v1/boards/{board.pk}/threads?limit=3"
        if cursor:
            url += f"&cursor={cursor}"
        body = client.get(url).json()
        seen += [t["id"] for t in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted([forum["thread"].pk, *(t.pk for t in made)])
    assert len(seen) == len(set(seen))


def test_board_threads_filters_and_order(client, forum):
    board = forum["board"]
    kind = board.thread_types.get(name="公告")
    typed = make_thread(board, forum["author"], subject="有分类", thread_type=kind)
    url = f"/api/v1/boards/{board.pk}/threads"
    ids = [t["id"] for t in client.get(f"{url}?type={kind.pk}").json()["items"]]
    assert ids == [typed.pk]
    assert client.get(f"{url}?digest=true").json()["items"] == []
    assert len(client.get(f"{url}?sticky=false").json()["items"]) == 2
    created = [t["id"] for t in client.get(f"{url}?order=created").json()["items"]]
    assert created == [typed.pk, forum["thread"].pk]


def test_bad_cursor_is_a_400_problem(client, forum):
    response = client.get(f"/api/v1/boards/{forum['board'].pk}/threads?cursor=garbage!")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"


def test_thread_floors_match_the_page(client, forum):
    thread = forum["thread"]
    body = client.get(f"/api/v1/threads/{thread.pk}").json()
    assert body["thread"]["subject"] == "第一个主题"
    assert [f["floor"] for f in body["floors"]] == [1, 2, 3]
    assert body["floors"][0]["label"] == "楼主"
    assert body["floors"][1]["label"] == "沙发"
    assert "楼主的正文内容" in body["floors"][0]["html"]
    assert body["thread"]["can_reply"] is False


@override_settings(LUNTAN_POSTS_PER_PAGE=2)
def test_thread_paging_author_filter_and_desc(client, forum):
    thread = forum["thread"]
    url = f"/api/v1/threads/{thread.pk}"
    page2 = client.get(f"{url}?page=2").json()
    assert page2["num_pages"] == 2 and [f["floor"] for f in page2["floors"]] == [3]
    past = client.get(f"{url}?page=99").json()
    assert past["page"] == 2
    mine = client.get(f"{url}?author={forum['author'].pk}").json()
    assert [f["floor"] for f in mine["floors"]] == [1, 3]
    desc = client.get(f"{url}?order=desc").json()
    assert [f["floor"] for f in desc["floors"]][0] == 1


def test_deleted_floor_is_left_out_for_members_and_kept_without_body_for_moderators(client, forum):
    from luntan.accounts.models import UserGroup
    from luntan.threads.posting import DeleteRequest, Trust, delete
    from luntan.threads.tests.factories import make_user

    post = forum["thread"].post_set.get(floor=2)
    delete(DeleteRequest(post=post, actor=forum["member"], trust=Trust.MEMBER))
    url = f"/api/v1/threads/{forum['thread'].pk}"
    assert 2 not in [f["floor"] for f in client.get(url).json()["floors"]]
    client.force_login(make_user("超版", group_id=UserGroup.SUPER_MODERATOR))
    floors = client.get(url).json()["floors"]
    assert floors[1]["floor"] == 2
    assert floors[1]["deleted"] is True and floors[1]["html"] is None


def test_post_detail_gives_its_page(client, forum):
    post = forum["thread"].post_set.get(floor=3)
    body = client.get(f"/api/v1/posts/{post.pk}").json()
    assert body["thread_id"] == forum["thread"].pk
    assert body["floor"]["floor"] == 3 and body["page"] == 1


def test_post_detail_of_a_deleted_floor_is_404_unless_moderator(client, forum):
    post = forum["thread"].post_set.get(floor=2)
    Post.objects.filter(pk=post.pk).update(state=Post.State.DELETED)
    response = client.get(f"/api/v1/posts/{post.pk}")
    assert response.status_code == 404 and "沙发的回复内容" not in response.content.decode()
    assert "会员乙" not in response.content.decode()
    assert bearer_client(forum["member"]).get(f"/api/v1/posts/{post.pk}").status_code == 404
    body = bearer_client(forum["moderator"]).get(f"/api/v1/posts/{post.pk}").json()
    assert body["floor"]["floor"] == 2 and body["floor"]["deleted"] is True


def test_member_profile_hides_hidden_board_counts(client, forum):
    body = client.get(f"/api/v1/members/{forum['author'].pk}").json()
    assert body["username"] == "楼主甲"
    assert body["threads"] == 1  # the hidden board's thread is not counted for a guest


def test_me_needs_a_member(client, forum):
    assert client.get("/api/v1/me").status_code == 401
    body = bearer_client(forum["member"]).get("/api/v1/me").json()
    assert body["username"] == "会员乙" and body["via"] == "token"
    assert body["scopes"] == ["read", "write"]


@override_settings(LUNTAN_SEARCH_INTERVAL=0)
def test_search_finds_visible_posts_only(client, forum):
    from luntan.search import index_threads

    make_reply(forum["secret"], forum["author"], "秘密的回复内容")
    index_threads([forum["thread"].pk, forum["secret"].pk])  # the after-commit indexer
    body = client.get("/api/v1/search?q=回复内容").json()
    thread_ids = {h["thread_id"] for h in body["hits"]}
    assert forum["thread"].pk in thread_ids
    assert forum["secret"].pk not in thread_ids


def test_search_interval_is_a_429_with_retry_after(client, forum):
    with override_settings(LUNTAN_SEARCH_INTERVAL=30):
        assert client.get("/api/v1/search?q=回复").status_code == 200
        response = client.get("/api/v1/search?q=回复")
    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    assert response.json()["code"] == "rate_limited"


def test_thread_endpoint_query_count_is_pinned(client, forum, django_assert_max_num_queries):
    url = f"/api/v1/threads/{forum['thread'].pk}"
    client.get(url)  # warm the settings and group caches
    # thread, posts (+ the view-count flush, which the suite runs on every request)
    with django_assert_max_num_queries(3):
        assert client.get(url).status_code == 200
    api = bearer_client(forum["member"])
    api.get(url)
    # + token lookup, moderated boards (posting rights)
    with django_assert_max_num_queries(6):
        assert api.get(url).status_code == 200


def test_board_threads_query_count_is_pinned(client, forum, django_assert_max_num_queries):
    url = f"/api/v1/boards/{forum['board'].pk}/threads"
    client.get(url)
    with django_assert_max_num_queries(3):  # board, types, threads
        assert client.get(url).status_code == 200
