"""The board admin sets and clears the access password (stored hashed)."""

import pytest
from django.contrib.auth.hashers import check_password

from luntan.accounts.models import User
from luntan.boards.admin import BoardForm
from luntan.threads.tests.factories import make_board

pytestmark = pytest.mark.django_db


def _data(board, **extra):
    return {
        "kind": board.kind,
        "name": board.name,
        "parent": board.parent_id,
        "display_order": 0,
        "view_groups": "[]",
        "post_groups": "[11]",
        "reply_groups": "[]",
        "download_groups": "[]",
        "upload_groups": "[]",
        "thread_types_prefix": "on",
        **extra,
    }


def test_admin_form_hashes_and_clears_the_password():
    board = make_board("密码版")
    form = BoardForm(_data(board, new_password="芝麻开门"), instance=board)
    assert form.is_valid(), form.errors
    form.save()
    board.refresh_from_db()
    assert check_password("芝麻开门", board.password) and board.post_groups == [11]
    form = BoardForm(_data(board), instance=board)
    assert form.is_valid(), form.errors
    form.save()
    board.refresh_from_db()
    assert check_password("芝麻开门", board.password)  # empty keeps it
    form = BoardForm(_data(board, clear_password="on"), instance=board)
    assert form.is_valid(), form.errors
    form.save()
    board.refresh_from_db()
    assert board.password == ""


def test_admin_change_page_renders(client):
    admin = User.objects.create_superuser("root", "r@example.org", "pw")
    client.force_login(admin)
    board = make_board("版块")
    page = client.get(f"/admin/boards/board/{board.pk}/change/")
    assert page.status_code == 200 and "new_password" in page.content.decode()
