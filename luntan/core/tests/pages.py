"""Page-test data built through the real posting services (our own Chinese text).

``seed_thread()`` builds a thread shaped like the seed page: a typed thread in a board of
a category, an OP and three replies from three members in different cities, the OP's
author replying again (floor 3, quoting floor 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from luntan.accounts.models import User
from luntan.boards.models import Board, ThreadType
from luntan.core.models import SiteSettings
from luntan.threads.models import Post, Thread
from luntan.threads.tests.factories import (
    make_board,
    make_category,
    make_reply,
    make_thread,
    make_user,
)

# ip2region answers (bundled xdb): 58.218.204.37 徐州, 171.217.1.1 成都, 221.229.1.1 扬州.
IP_XUZHOU = "58.218.204.37"
IP_CHENGDU = "171.217.1.1"
IP_YANGZHOU = "221.229.1.1"


def utc(*args: int) -> datetime:
    """An aware UTC datetime."""
    return datetime(*args, tzinfo=UTC)


def configure_site(**fields) -> SiteSettings:
    """Save the site settings with a name, ICP and police filing unless given."""
    values = {
        "site_name": "测试论坛",
        "icp_number": "京ICP备12345678号-1",
        "police_filing": "京公网安备 11010502000001号",
        **fields,
    }
    site = SiteSettings(pk=1, **values)
    site.save()
    return site


@dataclass
class SeedThread:
    """The objects of :func:`seed_thread`."""

    category: Board
    board: Board
    news_type: ThreadType
    thread: Thread
    op_author: User
    replier: User
    third: User
    posts: list[Post]


def seed_thread() -> SeedThread:
    """Build the seed-shaped thread: 4 floors, 2011-6-10, GMT+8 times 13:53:51 … 15:29:31."""
    configure_site()
    category = make_category("家乡生活")
    board = make_board("新闻资讯", parent=category, types=("新闻转播", "求助"))
    news = board.thread_types.get(name="新闻转播")
    op_author = make_user("张三")
    replier = make_user("李四")
    third = make_user("王五")
    thread = make_thread(
        board,
        op_author,
        subject="社区开放日活动纪实",
        body="[b]开放日[/b]当天，街道邀请居民走进服务中心，现场解答了很多问题。",
        thread_type=news,
        ip=IP_XUZHOU,
        now=utc(2011, 6, 10, 5, 53, 51),
    )
    first = Post.objects.get(thread=thread, floor=1)
    second = make_reply(
        thread, replier, "说得好听，做得怎么样？", ip=IP_CHENGDU, now=utc(2011, 6, 10, 5, 56, 7)
    )
    third_post = make_reply(
        thread,
        op_author,
        "大家一起来监督嘛",
        quote=second,
        ip=IP_XUZHOU,
        now=utc(2011, 6, 10, 6, 4, 24),
    )
    fourth = make_reply(
        thread, third, "支持一下，希望常办", ip=IP_YANGZHOU, now=utc(2011, 6, 10, 7, 29, 31)
    )
    thread.refresh_from_db()
    return SeedThread(
        category=category,
        board=board,
        news_type=news,
        thread=thread,
        op_author=op_author,
        replier=replier,
        third=third,
        posts=[first, second, third_post, fourth],
    )


def long_thread(floors: int, board: Board | None = None) -> Thread:
    """A thread with ``floors`` floors (OP + replies) by two alternating members."""
    board = board or make_board("灌水", parent=make_category("综合"))
    a, b = make_user(), make_user()
    thread = make_thread(board, a, subject="接龙", body="第 1 楼", now=utc(2020, 1, 1))
    for n in range(2, floors + 1):
        make_reply(thread, a if n % 2 else b, f"第 {n} 楼", now=utc(2020, 1, 1, 0, n // 60, n % 60))
    thread.refresh_from_db()
    return thread
