"""Fixtures of the API tests: a clean cache (rate limits live there), a small forum
built through the services, members of each kind, and clients for each way in."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from luntan.accounts.groups import GroupId
from luntan.accounts.tokens import create_token
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def forum(db):
    """A public board with a 3-floor thread, a hidden board with one thread, and the
    members: ``author`` (注册会员, wrote the thread), ``member`` (注册会员), ``moderator``
    (版主 of the public board), ``banned`` (禁止发言 through a ban)."""
    from luntan.bans.services import ban_member
    from luntan.core.models import SiteSettings

    # No flood interval unless a test sets one (the fixture's members post in a row).
    site = SiteSettings.objects.filter(pk=1).first() or SiteSettings()
    site.flood_seconds = 0
    site.save()

    author = make_user("楼主甲", group_id=GroupId.REGISTERED)
    member = make_user("会员乙", group_id=GroupId.REGISTERED)
    moderator = make_user("版主丙", group_id=GroupId.REGISTERED)
    banned = make_user("小黑丁", group_id=GroupId.REGISTERED)
    board = make_board("新闻", types=("公告", "讨论"))
    board.moderators.add(moderator)
    hidden = make_board("内部", is_hidden=True)
    thread = make_thread(board, author, subject="第一个主题", body="楼主的正文内容，足够长。")
    make_reply(thread, member, "沙发的回复内容")
    make_reply(thread, author, "板凳的回复内容")
    secret = make_thread(hidden, author, subject="内部主题", body="隐藏版块里的正文内容。")
    ban_member(banned, kind="posting", reason="灌水")
    thread.refresh_from_db()
    return {
        "board": board,
        "hidden": hidden,
        "thread": thread,
        "secret": secret,
        "author": author,
        "member": member,
        "moderator": moderator,
        "banned": banned,
    }


def token_for(user, scopes=("read", "write")) -> str:
    """A fresh personal access token (the secret) of ``user``."""
    return create_token(user, name="测试", scopes=scopes)[1]


def bearer_client(user, scopes=("read", "write")) -> Client:
    """A client sending ``Authorization: Bearer`` with a new token of ``user``."""
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_for(user, scopes)}")


def png_file(name: str = "图.png"):
    """A small real PNG as an upload."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def attached_reply(thread) -> int:
    """Reply to ``thread`` as a new administrator with an uploaded PNG bound to it
    (through the posting pipeline); returns the attachment id."""
    from luntan.attachments.services import upload
    from luntan.threads.posting import PostInput, PostRequest, Trust, submit

    author = make_user(group_id=GroupId.ADMIN)

    a = upload(author, png_file())
    submit(
        PostRequest(
            author=author,
            body=PostInput(f"带图片的回复 [attach]{a.pk}[/attach]"),
            trust=Trust.MODERATOR,
            thread=thread,
            attachment_ids=[a.pk],
        )
    )
    return a.pk
