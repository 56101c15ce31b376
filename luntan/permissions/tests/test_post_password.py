"""密码帖: a post with [password]…[/password] is locked until the viewer types the password;
the password is never shown; its author and administrators always see the post."""

from __future__ import annotations

import pytest

from luntan import markup
from luntan.accounts.models import UserGroup
from luntan.threads.tests.factories import make_board, make_thread, make_user

pytestmark = pytest.mark.django_db

BODY = "[password]abc123[/password]只有知道密码才能看的正文"


@pytest.fixture
def thread():
    return make_thread(make_board(), make_user("楼主"), body=BODY)


def test_guest_sees_the_lock_then_unlocks_with_the_password(client, thread):
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "本帖为密码帖" in page
    assert "abc123" not in page and "只有知道密码才能看的正文" not in page
    op = thread.post_set.get(floor=1)
    form = f"/p/{op.pk}/password/"
    assert form in page
    wrong = client.post(form, {"password": "nope"})
    assert wrong.status_code == 200 and "密码错误" in wrong.content.decode()
    right = client.post(form, {"password": "abc123"})
    assert right.status_code == 302
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "只有知道密码才能看的正文" in page and "abc123" not in page


def test_author_and_admin_see_it_and_search_never_holds_it(client, thread):
    client.force_login(thread.author)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "只有知道密码才能看的正文" in page and "abc123" not in page
    admin = make_user("站长", group_id=UserGroup.ADMIN, is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert "只有知道密码才能看的正文" in client.get(thread.get_absolute_url()).content.decode()
    assert markup.render_plain(BODY) == ""
    assert "abc123" not in markup.render(BODY)
