"""Credit rules applied by the posting services and by award(): amounts, cycles, caps,
board overrides, member groups, revocation on delete and the daily login."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from luntan.accounts.models import User, UserGroup
from luntan.credits import services
from luntan.credits.models import BoardCreditRule, CreditLog, CreditRule, MemberCredits
from luntan.threads.posting import PostingLimits, Trust
from luntan.threads.services import delete_post
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db


def balance(user) -> dict[int, int]:
    row = MemberCredits.objects.filter(pk=user.pk).first()
    return row.balances() if row else {i: 0 for i in range(1, 9)}


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)


def test_new_thread_earns_two_money_and_the_total_counts_the_post():
    author = make_user()
    make_thread(author=author)
    assert balance(author)[2] == 2
    # posts 1 + extcredits2 2 by the default formula
    assert fresh(author).credits == 3
    assert CreditLog.objects.filter(user=author, action="post").count() == 1


def test_each_reply_earns_one_money_once():
    thread = make_thread()
    member = make_user()
    make_reply(thread, member)
    make_reply(thread, member)
    assert balance(member)[2] == 2
    assert CreditLog.objects.filter(user=member, action="reply").count() == 2
    assert fresh(member).credits == 2 + 2


def test_daily_cap_gives_nothing_for_the_n_plus_first_reply():
    CreditRule.objects.filter(action="reply").update(cycle=CreditRule.Cycle.DAILY, reward_count=3)
    thread = make_thread()
    member = make_user()
    day = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)  # 10:00 in GMT+8
    for i in range(4):
        make_reply(thread, member, now=day + timedelta(minutes=i))
    assert balance(member)[2] == 3
    assert fresh(member).posts == 4  # the post counts; only the reward is capped


def test_daily_cycle_resets_at_site_midnight_not_utc_midnight():
    CreditRule.objects.filter(action="reply").update(cycle=CreditRule.Cycle.DAILY, reward_count=1)
    member = make_user()
    thread = make_thread()
    before = datetime(2026, 11, 29, 15, 59, tzinfo=UTC)  # 23:59 GMT+8
    make_reply(thread, member, now=before)
    make_reply(thread, member, now=before + timedelta(seconds=30))  # still 23:59
    assert balance(member)[2] == 1
    make_reply(thread, member, now=datetime(2026, 11, 29, 16, 1, tzinfo=UTC))  # 00:01 GMT+8
    assert balance(member)[2] == 2


def test_once_rule_is_paid_once_ever():
    member = make_user()
    assert services.award(member, "realemail") is not None
    assert services.award(member, "realemail", now=datetime(2030, 1, 1, tzinfo=UTC)) is None
    assert balance(member)[2] == 10


def test_interval_minutes_cycle():
    CreditRule.objects.filter(action="search").update(
        cycle=CreditRule.Cycle.MINUTES, cycle_time=10, reward_count=1, extcredits2=1
    )
    member = make_user()
    t0 = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
    assert services.award(member, "search", now=t0)
    assert services.award(member, "search", now=t0 + timedelta(minutes=9)) is None
    assert services.award(member, "search", now=t0 + timedelta(minutes=11))


def test_disabled_or_unknown_rule_gives_nothing():
    CreditRule.objects.filter(action="reply").update(enabled=False)
    member = make_user()
    make_reply(make_thread(), member)
    assert services.award(member, "no-such-action") is None
    assert balance(member)[2] == 0


def test_board_override_changes_the_amounts_there_only():
    rule = CreditRule.objects.get(action="post")
    rich = make_board("悬赏")
    BoardCreditRule.objects.create(board=rich, rule=rule, extcredits2=10, extcredits1=1)
    member = make_user()
    make_thread(board=rich, author=member)
    make_thread(board=make_board("闲聊"), author=member)
    assert balance(member)[1] == 1
    assert balance(member)[2] == 10 + 2


def test_promotion_at_fifty_and_demotion_below():
    member = make_user()
    assert member.group_id == UserGroup.NEWBIE
    services.apply_change(member, {2: 49}, "admin")
    assert fresh(member).credits == 49 and fresh(member).group_id == UserGroup.NEWBIE
    services.apply_change(member, {2: 1}, "admin")
    assert fresh(member).credits == 50 and fresh(member).group_id == 11  # 注册会员
    services.apply_change(member, {1: 100}, "admin")  # 威望 counts twice: 250
    assert fresh(member).credits == 250 and fresh(member).group_id == 12  # 中级会员
    services.apply_change(member, {1: -100, 2: -1}, "admin")
    assert fresh(member).credits == 49 and fresh(member).group_id == UserGroup.NEWBIE
    services.apply_change(member, {2: -60}, "admin")
    assert fresh(member).group_id == 9  # 限制会员 below 0


@pytest.mark.parametrize(
    "group_id",
    [
        UserGroup.ADMIN,
        UserGroup.MODERATOR,
        UserGroup.BANNED_POSTING,
        UserGroup.AWAITING_VERIFICATION,
        16,
    ],
)
def test_system_and_special_groups_are_never_moved(group_id):
    member = make_user(group_id=group_id)
    services.apply_change(member, {2: 5000}, "admin")
    assert fresh(member).credits == 5000
    assert fresh(member).group_id == group_id


def test_deleting_a_reply_gives_back_what_it_earned():
    thread = make_thread()
    member = make_user()
    post = make_reply(thread, member)
    assert balance(member)[2] == 1
    delete_post(trust=Trust.MEMBER, post=post, actor=member)
    assert balance(member)[2] == 0
    assert fresh(member).credits == 0
    assert CreditLog.objects.filter(user=member, action="revoke").count() == 1


def test_deleting_a_capped_reply_takes_nothing_back():
    CreditRule.objects.filter(action="reply").update(cycle=CreditRule.Cycle.DAILY, reward_count=1)
    thread = make_thread()
    member = make_user()
    make_reply(thread, member)
    unpaid = make_reply(thread, member)
    delete_post(trust=Trust.MEMBER, post=unpaid, actor=member)
    assert balance(member)[2] == 1


def test_recycling_a_thread_takes_back_the_op_and_replies_once():
    author, replier = make_user(), make_user()
    thread = make_thread(author=author)
    gone = make_reply(thread, replier)
    make_reply(thread, replier)
    delete_post(trust=Trust.MEMBER, post=gone, actor=author)
    op = thread.post_set.get(floor=1)
    delete_post(trust=Trust.MEMBER, post=op, actor=author)
    assert balance(author)[2] == 0 and balance(replier)[2] == 0
    assert fresh(author).credits == 0 and fresh(replier).credits == 0


def test_daily_login_pays_once_a_day(client):
    member = make_user()
    client.force_login(member)
    client.logout()
    client.force_login(member)
    assert balance(member)[2] == 2
    assert CreditLog.objects.filter(user=member, action="daylogin").count() == 1


def test_digest_counts_five_in_the_total():
    member = make_user()
    services.award(member, "digest")
    assert MemberCredits.objects.get(pk=member.pk).digestposts == 1
    # digestposts*5 + 加精华 金钱+5
    assert fresh(member).credits == 5 + 5


def test_a_post_and_its_credits_commit_together():
    """award runs inside the posting transaction: a failing post leaves no ledger row."""
    from django.core.exceptions import ValidationError

    from luntan.threads.services import PostInput, reply

    thread = make_thread()
    thread.closed = True
    thread.save(update_fields=["closed"])
    member = make_user()
    with pytest.raises(ValidationError):
        reply(
            trust=Trust.MEMBER,
            limits=PostingLimits(),
            thread=thread,
            author=member,
            body=PostInput("已关闭"),
        )
    assert not CreditLog.objects.filter(user=member).exists()


def test_undigest_gives_back_the_digest_award_once():
    member = make_user()
    thread = make_thread(author=member)
    services.award(member, "digest", related=thread)
    services.revoke_digest(thread)
    services.revoke_digest(thread)  # a second undigest takes nothing more
    assert MemberCredits.objects.get(pk=member.pk).digestposts == 0
    assert balance(member)[2] == 2  # the thread's own 金钱 +2 stays
    assert fresh(member).credits == 1 + 2


def _formula_total(user) -> int:
    row = MemberCredits.objects.filter(pk=user.pk).first()
    u = fresh(user)
    values = {"posts": u.posts, "threads": u.threads, "digestposts": row.digestposts if row else 0}
    values.update({f"extcredits{i}": (row.balances()[i] if row else 0) for i in range(1, 9)})
    return services.total_for(values)


def test_total_follows_the_post_count_when_the_daily_cap_gave_nothing():
    """Issue 9 item 26: a reply past the daily cap earns nothing, but the post count in
    the formula grew, so the stored total must grow with it (stored 122, formula 139)."""
    CreditRule.objects.filter(action="reply").update(cycle=CreditRule.Cycle.DAILY, reward_count=1)
    thread = make_thread()
    member = make_user()
    day = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
    for i in range(3):
        make_reply(thread, member, now=day + timedelta(minutes=i))
    assert fresh(member).posts == 3 and balance(member)[2] == 1
    assert fresh(member).credits == _formula_total(member) == 3 + 1


def test_total_follows_the_post_count_when_the_reward_is_zero():
    CreditRule.objects.filter(action__in=("post", "reply")).update(
        **{f"extcredits{i}": 0 for i in range(1, 9)}
    )
    author = make_user()
    thread = make_thread(author=author)
    make_reply(thread, author)
    assert fresh(author).posts == 2
    assert fresh(author).credits == _formula_total(author) == 2


def test_total_follows_the_post_count_when_the_rule_is_disabled():
    CreditRule.objects.filter(action="reply").update(enabled=False)
    thread = make_thread()
    member = make_user()
    make_reply(thread, member)
    assert fresh(member).credits == _formula_total(member) == 1


def test_bulk_changes_give_the_same_ledger_balances_and_groups_as_one_by_one():
    one, bulk = make_user(), make_user()
    other = make_user()
    when = datetime.now(UTC)
    steps = [({2: 30}, "评分 a"), ({1: 10}, "评分 b"), ({2: 0}, "zero"), ({2: -5}, "评分 c")]
    for deltas, reason in steps:
        services.apply_change(one, deltas, "import", reason=reason, now=when)
    written = services.apply_changes(
        [services.BulkChange(bulk.pk, deltas, "import", reason, when) for deltas, reason in steps]
        + [services.BulkChange(other.pk, {3: 7}, "import", "评分 d", when)]
    )
    assert written == 4  # the all-zero change writes no ledger row
    assert balance(bulk) == balance(one)
    assert (fresh(bulk).credits, fresh(bulk).group_id) == (
        fresh(one).credits,
        fresh(one).group_id,
    )
    assert fresh(bulk).credits == 45 and fresh(bulk).group_id == UserGroup.NEWBIE
    assert balance(other)[3] == 7
    assert sorted(
        CreditLog.objects.filter(user=bulk).values_list("reason", "extcredits1", "extcredits2")
    ) == sorted(
        CreditLog.objects.filter(user=one).values_list("reason", "extcredits1", "extcredits2")
    )
    with pytest.raises(ValueError):
        services.apply_changes([services.BulkChange(bulk.pk, {9: 1}, "import", "", when)])
