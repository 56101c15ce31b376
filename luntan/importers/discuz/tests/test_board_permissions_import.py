"""Per-board permissions of a generated Discuz! site: ``forum_forumfield`` postperm,
replyperm, getattachperm, postattachperm and password land on the board and are
enforced by :mod:`luntan.permissions`."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from luntan import permissions
from luntan.accounts.models import User, UserGroup
from luntan.boards.models import Board

from .helpers import run_import

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]


@pytest.fixture
def restricted(synthetic_db):
    fid = synthetic_db.query(
        "SELECT f.fid FROM pre_forum_forum f JOIN pre_forum_forumfield ff ON ff.fid = f.fid "
        "WHERE f.type = 'forum' AND f.status = 1 AND ff.viewperm = '' ORDER BY f.fid LIMIT 1"
    )[0][0]
    synthetic_db.query(
        "UPDATE pre_forum_forumfield SET postperm = %s, replyperm = %s, getattachperm = %s, "
        "postattachperm = %s, password = %s WHERE fid = %s",
        ("\t1\t2\t3\t11\t", "\t1\t2\t3\t10\t11\t", "\t11\t", "\t1\t", "pw123", fid),
    )
    yield fid
    synthetic_db.query(
        "UPDATE pre_forum_forumfield SET postperm = '', replyperm = '', getattachperm = '', "
        "postattachperm = '', password = '' WHERE fid = %s",
        (fid,),
    )


def test_board_permission_lists_and_password_are_imported(synthetic_db, restricted):
    run_import(synthetic_db, batch=1000)
    board = Board.objects.get(discuz_fid=restricted)
    assert board.post_groups == [1, 2, 3, 11]
    assert board.reply_groups == [1, 2, 3, 10, 11]
    assert board.download_groups == [11]
    assert board.upload_groups == [1]
    assert board.password and board.password != "pw123"  # hashed
    stored = board.password
    run_import(synthetic_db, batch=1000)  # a re-import keeps the hash (and unlocked sessions)
    board.refresh_from_db()
    assert board.password == stored
    from luntan.permissions import Viewer
    from luntan.permissions.passwords import fingerprint

    unlocked = {str(board.pk): fingerprint(board)}
    newbie = Viewer(
        User.objects.create_user(username="导入后新人", password="pw"), unlocked_boards=unlocked
    )

    assert not permissions.can_read_board(AnonymousUser(), board)  # the password first
    assert not permissions.can_start_thread(newbie, board)  # postperm leaves out group 10
    senior = Viewer(
        User.objects.create_user(username="导入后老人", password="pw", group_id=11),
        unlocked_boards=unlocked,
    )
    assert permissions.can_start_thread(senior, board)
    assert permissions.can_download(senior, board) and not permissions.can_download(newbie, board)
    assert not permissions.can_upload(senior, board)
    admin = User.objects.filter(group_id=UserGroup.ADMIN).first()
    assert permissions.can_upload(admin, board)
