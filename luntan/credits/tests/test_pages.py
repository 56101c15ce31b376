"""The public rules page (/credits/rules/) and the 本版积分规则 link."""

from __future__ import annotations

import re

import pytest

from luntan.credits.models import BoardCreditRule, CreditRule
from luntan.threads.tests.factories import make_board, make_thread

pytestmark = pytest.mark.django_db


def row(html: str, action: str) -> str:
    start = html.index(f'data-action="{action}"')
    return html[start : html.index("</tr>", start)]


def test_rules_page_shows_discuz_defaults(client):
    html = client.get("/credits/rules/").content.decode()
    assert "积分规则" in html
    for name in ("威望", "金钱", "贡献"):
        assert name in html
    assert "发表主题" in row(html, "post") and "+2" in row(html, "post")
    assert "+1" in row(html, "reply")
    assert "+5" in row(html, "digest")
    daylogin = row(html, "daylogin")
    assert "每天登录" in daylogin and "每天" in daylogin and "+2" in daylogin
    assert "总积分 = 发帖数 + 精华帖数×5 + 威望×2 + 金钱 + 贡献" in html
    assert "extcredits" not in html and "digestposts" not in html


def test_the_formula_reads_with_the_sites_credit_names():
    """Issue 14, item 6: names and ×, as Discuz!'s 积分规则 page shows them."""
    from luntan.credits.formula import describe

    names = {1: "威望", 2: "金钱", 3: "贡献"}
    assert describe("posts+digestposts*5+extcredits1*2+extcredits2", names) == (
        "发帖数 + 精华帖数×5 + 威望×2 + 金钱"
    )
    assert describe("(threads - extcredits8) * 3", names) == "(主题数 - 扩展积分8)×3"
    assert describe("-extcredits3", names) == "-贡献"
    assert describe("posts ** 2", names) == "posts ** 2"  # unparsable: as written


def test_board_rules_show_the_boards_overrides(client):
    board = make_board("悬赏")
    BoardCreditRule.objects.create(
        board=board, rule=CreditRule.objects.get(action="post"), extcredits2=10
    )
    html = client.get(f"/credits/rules/?board={board.pk}").content.decode()
    assert "悬赏" in html
    post = row(html, "post")
    assert "+10" in post and "本版" in post
    assert "+1" in row(html, "reply")  # no override: the site's amount
    assert "+10" not in row(client.get("/credits/rules/").content.decode(), "post")


def test_hidden_or_unknown_board_is_404_and_bad_ids_are_ignored(client):
    hidden = make_board("隐藏", is_hidden=True)
    assert client.get(f"/credits/rules/?board={hidden.pk}").status_code == 404
    assert client.get("/credits/rules/?board=999999").status_code == 404
    assert client.get("/credits/rules/?board=x").status_code == 200


def test_thread_page_links_to_its_boards_rules(client):
    thread = make_thread()
    html = client.get(f"/t/{thread.pk}/").content.decode()
    assert f'href="/credits/rules/?board={thread.board_id}">本版积分规则' in html


def test_profile_lists_the_members_extended_credits_in_one_query(client, django_assert_num_queries):
    from luntan.credits import services
    from luntan.credits.display import extcredit_names
    from luntan.threads.tests.factories import make_user

    member = make_user("老杨")
    services.apply_change(member, {1: 3, 2: 61}, "admin")
    extcredit_names()  # warm
    with django_assert_num_queries(1):
        html = client.get(f"/u/{member.pk}/").content.decode()
    html = re.sub(r">\s+<", "><", html)  # the layout's line breaks between block tags
    assert '<dt>威望</dt><dd class="extcredit">3</dd>' in html
    assert '<dt>金钱</dt><dd class="extcredit">61</dd>' in html
    assert "<dd>67</dd>" in html  # 3×2 + 61
