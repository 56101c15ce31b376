"""Favourites and follows (收藏 / 订阅) through their services and pages."""

from __future__ import annotations

import pytest

from luntan.accounts.groups import GroupId
from luntan.favorites import services
from luntan.favorites.models import Favorite, Follow
from luntan.threads.models import Thread
from luntan.threads.tests.factories import make_board, make_thread, make_user

pytestmark = pytest.mark.django_db


def test_services_add_once_and_remove():
    thread, member = make_thread(), make_user()
    _fav, created = services.add_favorite(member, thread=thread)
    assert created
    _fav, created = services.add_favorite(member, thread=thread)
    assert not created and Favorite.objects.count() == 1
    services.add_favorite(member, board=thread.board)
    services.follow(member, thread=thread)
    services.follow(member, thread=thread)
    assert Follow.objects.count() == 1
    assert services.followers(thread_id=thread.pk) == [member.pk]
    assert services.remove_favorite(member, thread=thread)
    assert not services.remove_favorite(member, thread=thread)
    assert services.unfollow(member, thread=thread)
    assert Favorite.objects.filter(board=thread.board).count() == 1
    with pytest.raises(ValueError):
        services.add_favorite(member)


def test_favourite_and_follow_a_thread_through_the_pages(client):
    thread, member = make_thread(), make_user()
    client.force_login(member)
    page = client.get(f"/t/{thread.pk}/").content.decode()
    assert f'href="/t/{thread.pk}/favorite/"' in page
    html = client.get(f"/t/{thread.pk}/favorite/").content.decode()
    assert "未收藏" in html and "未订阅" in html
    r = client.post(f"/t/{thread.pk}/favorite/", {"action": "favorite"})
    assert r.status_code == 302 and r["Location"] == f"/t/{thread.pk}/"
    assert "已收藏。" in client.get(r["Location"]).content.decode()
    client.post(f"/t/{thread.pk}/favorite/", {"action": "follow"})
    html = client.get(f"/t/{thread.pk}/favorite/").content.decode()
    assert "已收藏" in html and "已订阅" in html and "取消收藏" in html
    mine = client.get("/favorites/").content.decode()
    assert thread.subject in mine
    follows = client.get("/favorites/?tab=follows").content.decode()
    assert thread.subject in follows
    client.post(f"/t/{thread.pk}/favorite/", {"action": "unfavorite"})
    assert thread.subject not in client.get("/favorites/").content.decode()
    assert Follow.objects.filter(user=member, thread=thread).exists()


def test_favourite_a_board(client):
    board, member = make_board("二手市场"), make_user()
    client.force_login(member)
    assert f'href="/f/{board.pk}/favorite/"' in client.get(f"/f/{board.pk}/").content.decode()
    r = client.post(f"/f/{board.pk}/favorite/", {"action": "favorite"})
    assert r.status_code == 302 and r["Location"] == board.get_absolute_url()
    html = client.get("/favorites/?tab=boards").content.decode()
    assert "二手市场" in html


def test_guests_go_to_login_and_bad_actions_are_400(client):
    thread = make_thread()
    for url in (f"/t/{thread.pk}/favorite/", "/favorites/"):
        r = client.get(url)
        assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    r = client.post(f"/t/{thread.pk}/favorite/", {"action": "favorite"})
    assert r.status_code == 302 and not Favorite.objects.exists()
    assert 'favorite/"' not in client.get(f"/t/{thread.pk}/").content.decode()
    client.force_login(make_user())
    assert client.post(f"/t/{thread.pk}/favorite/", {"action": "x"}).status_code == 400
    assert client.get("/t/999999/favorite/").status_code == 404
    assert not Favorite.objects.exists()


def test_nothing_leaks_past_board_permissions(client):
    hidden = make_board("管理区", view_groups=[GroupId.ADMIN])
    secret = make_thread(hidden, subject="内部讨论的主题")
    member = make_user()
    client.force_login(member)
    assert client.get(f"/t/{secret.pk}/favorite/").status_code == 404
    assert client.post(f"/t/{secret.pk}/favorite/", {"action": "favorite"}).status_code == 404
    assert client.post(f"/f/{hidden.pk}/favorite/", {"action": "favorite"}).status_code == 404
    assert not Favorite.objects.exists()
    # A favourite made while the thread was readable is not listed once it is not.
    open_board = make_board("公开区")
    thread = make_thread(open_board, subject="后来被隐藏的主题")
    services.add_favorite(member, thread=thread)
    services.follow(member, thread=thread)
    services.add_favorite(member, board=open_board)
    assert "后来被隐藏的主题" in client.get("/favorites/").content.decode()
    Thread.objects.filter(pk=thread.pk).update(board=hidden)
    from luntan.boards.models import Board

    Board.objects.filter(pk=open_board.pk).update(view_groups=[GroupId.ADMIN])
    assert "后来被隐藏的主题" not in client.get("/favorites/").content.decode()
    assert "后来被隐藏的主题" not in client.get("/favorites/?tab=follows").content.decode()
    assert "公开区" not in client.get("/favorites/?tab=boards").content.decode()


def test_my_favourites_page_query_count(client, django_assert_max_num_queries):
    member = make_user()
    board = make_board()
    for i in range(25):
        services.add_favorite(member, thread=make_thread(board, subject=f"主题{i}"))
    client.force_login(member)
    client.get("/favorites/")
    with django_assert_max_num_queries(6):
        html = client.get("/favorites/").content.decode()
    assert "主题24" in html and "主题4" not in html.replace("主题24", "")
    assert "主题4" in client.get("/favorites/?page=2").content.decode()
