"""Polls through their service and their pages: creating with a new thread, voting,
results before/after voting, voters, permissions, query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from luntan.accounts.groups import GroupId
from luntan.core.models import get_site_settings
from luntan.polls import services
from luntan.polls.models import Poll, PollChoice, PollVoter
from luntan.polls.services import PollSpec
from luntan.polls.tests.helpers import make_poll_thread
from luntan.threads.models import Thread
from luntan.threads.posting import PostingLimits, Trust
from luntan.threads.services import PostInput, create_thread
from luntan.threads.tests.factories import make_board, make_reply, make_user

pytestmark = pytest.mark.django_db

NO_LIMITS = PostingLimits(0, 10000, 0)


def option_ids(thread):
    return list(Poll.objects.get(pk=thread.pk).options.values_list("pk", flat=True))


# --- service ------------------------------------------------------------------------------


def test_a_thread_with_a_poll_keeps_its_options_in_order():
    thread = make_poll_thread(options=("一", "二", "三"), max_choices=2, days=7)
    poll = Poll.objects.get(pk=thread.pk)
    assert [o.text for o in poll.options.all()] == ["一", "二", "三"]
    assert poll.multiple and poll.max_choices == 2
    assert poll.expires_at == poll.created + timedelta(days=7)
    assert poll.results_before_vote and not poll.public_voters and not poll.allow_change


@pytest.mark.parametrize(
    "spec",
    [
        PollSpec(options=("只有一个",)),
        PollSpec(options=("甲", "甲")),
        PollSpec(options=("甲", "乙"), max_choices=3),
        PollSpec(options=tuple(str(i) for i in range(21))),
        PollSpec(options=("甲", "长" * 81)),
        PollSpec(options=("甲", "乙"), days=-1),
    ],
)
def test_a_bad_poll_writes_no_thread(spec):
    board, author = make_board(), make_user()
    with pytest.raises(ValidationError) as info:
        create_thread(
            trust=Trust.MODERATOR,
            board=board,
            author=author,
            subject="坏投票",
            body=PostInput("正文正文正文正文正文", "bbcode"),
            extras={"poll": spec},
        )
    assert info.value.code == "poll"
    assert not Thread.objects.filter(subject="坏投票").exists()


def test_a_poll_on_a_reply_is_refused():
    thread = make_poll_thread()
    with pytest.raises(ValidationError) as info:
        _reply_with_extras(thread)
    assert info.value.code == "poll"
    assert thread.post_set.count() == 1


def _reply_with_extras(thread):
    from luntan.threads.posting import PostRequest, submit

    submit(
        PostRequest(
            author=make_user(),
            body=PostInput("回复也想投票呢", "bbcode"),
            trust=Trust.MODERATOR,
            thread=thread,
            extras={"poll": PollSpec(options=("甲", "乙"))},
        )
    )


def test_a_limited_member_may_not_start_a_poll_through_the_pipeline():
    board = make_board()
    member = make_user(group_id=GroupId.LIMITED)
    with pytest.raises(ValidationError) as info:
        create_thread(
            trust=Trust.MEMBER,
            limits=NO_LIMITS,
            board=board,
            author=member,
            subject="限制会员的投票",
            body=PostInput("正文正文正文正文正文", "bbcode"),
            extras={"poll": PollSpec(options=("甲", "乙"))},
        )
    assert info.value.code == "poll"
    assert not Thread.objects.filter(subject="限制会员的投票").exists()


def test_vote_counts_and_one_vote_per_member():
    thread = make_poll_thread()
    a, b, c = option_ids(thread)
    alice, bob = make_user(), make_user()
    services.vote(thread.pk, alice, [a])
    result = services.vote(thread.pk, bob, [a])
    assert result.poll.voters == 2
    with pytest.raises(ValidationError) as info:
        services.vote(thread.pk, alice, [b])
    assert info.value.code == "voted"
    poll = Poll.objects.get(pk=thread.pk)
    assert [o.votes for o in poll.options.all()] == [2, 0, 0]
    assert poll.voters == 2
    assert services.recount_poll(thread.pk) is False


def test_vote_checks_choices_and_expiry():
    thread = make_poll_thread(max_choices=2, days=1)
    a, b, c = option_ids(thread)
    other = option_ids(make_poll_thread())[0]
    member = make_user()
    for ids, code in (
        ([], "empty"),
        ([a, b, c], "too_many"),
        ([a, other], "option"),
        (["x"], "option"),
    ):
        with pytest.raises(ValidationError) as info:
            services.vote(thread.pk, member, ids)
        assert info.value.code == code
    later = timezone.now() + timedelta(days=2)
    with pytest.raises(ValidationError) as info:
        services.vote(thread.pk, member, [a], now=later)
    assert info.value.code == "ended"
    assert not PollVoter.objects.exists()
    services.vote(thread.pk, member, [a, b])
    assert PollChoice.objects.count() == 2


def test_changing_a_vote_moves_the_counts_when_allowed():
    thread = make_poll_thread(allow_change=True, max_choices=2)
    a, b, c = option_ids(thread)
    member = make_user()
    services.vote(thread.pk, member, [a, b])
    result = services.vote(thread.pk, member, [c])
    assert result.changed
    poll = Poll.objects.get(pk=thread.pk)
    assert [o.votes for o in poll.options.all()] == [0, 0, 1]
    assert poll.voters == 1
    assert services.recount_poll(thread.pk) is False


# --- pages --------------------------------------------------------------------------------


def test_guest_sees_the_poll_and_its_results_but_no_form(client):
    thread = make_poll_thread()
    a = option_ids(thread)[0]
    services.vote(thread.pk, make_user(), [a])
    html = client.get(f"/t/{thread.pk}/").content.decode()
    assert 'id="poll"' in html and "苹果" in html and "香蕉" in html
    assert "100.0% (1)" in html
    assert "共有 1 人参与投票" in html
    assert 'name="option"' not in html
    assert "登录后才可以投票" in html


def test_member_votes_through_the_page(client):
    thread = make_poll_thread()
    a, b, c = option_ids(thread)
    member = make_user()
    client.force_login(member)
    html = client.get(f"/t/{thread.pk}/").content.decode()
    assert 'type="radio" name="option"' in html
    response = client.post(f"/t/{thread.pk}/poll/vote/", {"option": [b]})
    assert response.status_code == 302
    assert response["Location"] == f"/t/{thread.pk}/#poll"
    html = client.get(f"/t/{thread.pk}/").content.decode()
    assert "投票成功" in html
    assert "您已经投过票了" in html and 'name="option"' not in html
    assert "（我的选择）" in html
    again = client.post(f"/t/{thread.pk}/poll/vote/", {"option": [a]})
    assert again.status_code == 400 and "您已经投过票了" in again.content.decode()
    assert Poll.objects.get(pk=thread.pk).voters == 1


def test_vote_form_errors_are_4xx_and_write_nothing(client):
    thread = make_poll_thread()
    client.force_login(make_user())
    assert client.post(f"/t/{thread.pk}/poll/vote/", {}).status_code == 400
    assert client.post(f"/t/{thread.pk}/poll/vote/", {"option": ["abc"]}).status_code == 400
    for huge in ("999999999999999999999", str(2**63), "-1", "0"):
        response = client.post(f"/t/{thread.pk}/poll/vote/", {"option": [huge]})
        assert response.status_code == 400 and "投票选项无效" in response.content.decode()
    assert client.get(f"/t/{thread.pk}/poll/vote/").status_code == 405
    plain = make_reply(thread).thread  # the same thread; a thread without a poll:
    no_poll = create_thread(
        trust=Trust.MODERATOR,
        board=plain.board,
        author=make_user(),
        subject="没有投票",
        body=PostInput("正文正文正文正文", "bbcode"),
    )
    assert client.post(f"/t/{no_poll.pk}/poll/vote/", {"option": ["1"]}).status_code == 404
    assert not PollVoter.objects.exists()


def test_guest_vote_goes_to_login(client):
    thread = make_poll_thread()
    response = client.post(f"/t/{thread.pk}/poll/vote/", {"option": option_ids(thread)[:1]})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_closed_thread_and_ended_poll_refuse_votes(client):
    closed = make_poll_thread()
    Thread.objects.filter(pk=closed.pk).update(closed=True)
    ended = make_poll_thread(days=1)
    Poll.objects.filter(pk=ended.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(make_user())
    r = client.post(f"/t/{closed.pk}/poll/vote/", {"option": option_ids(closed)[:1]})
    assert r.status_code == 403 and "该主题已关闭" in r.content.decode()
    r = client.post(f"/t/{ended.pk}/poll/vote/", {"option": option_ids(ended)[:1]})
    assert r.status_code == 403 and "该投票已经结束" in r.content.decode()
    html = client.get(f"/t/{ended.pk}/").content.decode()
    assert "投票已经结束" in html and 'name="option"' not in html


def test_results_after_voting_only(client):
    author = make_user()
    thread = make_poll_thread(author=author, results_before_vote=False)
    a = option_ids(thread)[0]
    services.vote(thread.pk, make_user(), [a])
    member = make_user()
    client.force_login(member)
    html = client.get(f"/t/{thread.pk}/").content.decode()
    assert "投票后结果可见" in html and "% (" not in html
    client.post(f"/t/{thread.pk}/poll/vote/", {"option": [a]})
    html = client.get(f"/t/{thread.pk}/").content.decode()
    assert "100.0% (2)" in html
    client.force_login(author)  # the author sees them without voting
    assert "100.0% (2)" in client.get(f"/t/{thread.pk}/").content.decode()
    client.logout()
    assert "% (" not in client.get(f"/t/{thread.pk}/").content.decode()


def test_voters_page_for_public_polls_and_moderators(client):
    public = make_poll_thread(public_voters=True)
    private = make_poll_thread(board=public.board)
    voter = make_user("投票人甲")
    services.vote(public.pk, voter, option_ids(public)[1:2])
    services.vote(private.pk, voter, option_ids(private)[:1])
    html = client.get(f"/t/{public.pk}/poll/voters/").content.decode()
    assert "投票人甲" in html and "香蕉" in html
    assert "查看投票参与人" in client.get(f"/t/{public.pk}/").content.decode()
    r = client.get(f"/t/{private.pk}/poll/voters/")
    assert r.status_code == 403 and "投票人甲" not in r.content.decode()
    assert "查看投票参与人" not in client.get(f"/t/{private.pk}/").content.decode()
    admin = make_user(group_id=GroupId.ADMIN)
    client.force_login(admin)
    assert "投票人甲" in client.get(f"/t/{private.pk}/poll/voters/").content.decode()


def test_a_member_who_may_not_read_the_board_sees_nothing(client):
    board = make_board("内部", view_groups=[GroupId.ADMIN])
    thread = make_poll_thread(board=board, public_voters=True)
    services.vote(thread.pk, make_user("内部投票人"), option_ids(thread)[:1])
    client.force_login(make_user())
    assert client.get(f"/t/{thread.pk}/").status_code == 404
    assert client.get(f"/t/{thread.pk}/poll/voters/").status_code == 404
    r = client.post(f"/t/{thread.pk}/poll/vote/", {"option": option_ids(thread)[:1]})
    assert r.status_code == 404
    assert Poll.objects.get(pk=thread.pk).voters == 1


def test_new_thread_form_creates_a_poll(client):
    board = make_board()
    member = make_user()
    client.force_login(member)
    html = client.get(f"/f/{board.pk}/new/").content.decode()
    assert 'name="poll_options"' in html and "发起投票" in html
    r = client.post(
        f"/f/{board.pk}/new/",
        {
            "subject": "表单发起的投票",
            "body": "请大家投票选择聚会的地点。",
            "format": "bbcode",
            "poll_options": "公园\n\n 餐厅 \n图书馆\n",
            "poll_max_choices": "2",
            "poll_days": "3",
            "poll_results_after_vote": "on",
            "poll_public_voters": "on",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    thread = Thread.objects.get(subject="表单发起的投票")
    poll = Poll.objects.get(pk=thread.pk)
    assert [o.text for o in poll.options.all()] == ["公园", "餐厅", "图书馆"]
    assert poll.max_choices == 2 and poll.public_voters and not poll.results_before_vote
    assert not poll.allow_change
    assert poll.expires_at is not None


def test_new_thread_form_poll_errors_keep_the_form(client):
    board = make_board()
    client.force_login(make_user())
    r = client.post(
        f"/f/{board.pk}/new/",
        {
            "subject": "只有一个选项",
            "body": "请大家投票选择聚会的地点。",
            "format": "bbcode",
            "poll_options": "公园",
            "poll_max_choices": "1",
        },
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "投票至少需要 2 个选项" in html and "公园" in html
    assert not Thread.objects.filter(subject="只有一个选项").exists()


def test_new_thread_without_poll_options_is_an_ordinary_thread(client):
    board = make_board()
    client.force_login(make_user())
    r = client.post(
        f"/f/{board.pk}/new/",
        {"subject": "普通主题", "body": "这是一个普通的主题。", "format": "bbcode"},
    )
    assert r.status_code == 302
    assert not Poll.objects.exists()


def test_limited_member_gets_no_poll_fields():
    from luntan import permissions
    from luntan.threads.forms import NewThreadForm

    board = make_board()
    limited = make_user(group_id=GroupId.LIMITED)
    member = make_user()
    assert not permissions.can_start_poll(limited, board)
    assert permissions.can_start_poll(member, board)
    assert not permissions.can_start_poll(make_user(group_id=GroupId.BANNED_POSTING), board)
    assert "poll_options" not in NewThreadForm(board=board, user=limited).fields
    assert "poll_options" in NewThreadForm(board=board, user=member).fields


def test_edit_form_has_no_poll_fields(client):
    member = make_user()
    thread = make_poll_thread(author=member)
    client.force_login(make_user(group_id=GroupId.ADMIN))
    op = thread.post_set.get(floor=1)
    html = client.get(f"/p/{op.pk}/edit/").content.decode()
    assert 'name="poll_options"' not in html


# --- query counts -------------------------------------------------------------------------


@override_settings(LUNTAN_VIEW_FLUSH_SECONDS=3600)
def test_poll_costs_one_query_on_the_op_page_and_none_elsewhere(client, django_assert_num_queries):
    thread = make_poll_thread()
    for _ in range(25):
        make_reply(thread)
    get_site_settings()
    client.get(f"/t/{thread.pk}/")
    with django_assert_num_queries(3):  # thread, posts, poll options
        assert client.get(f"/t/{thread.pk}/").status_code == 200
    with django_assert_num_queries(2):  # page 2 has no OP: no poll query
        assert client.get(f"/t/{thread.pk}/?page=2").status_code == 200
    member = make_user()
    client.force_login(member)
    client.get(f"/t/{thread.pk}/")
    # member (session), is_moderator, thread, posts, poll options with "mine", and the
    # member's read floor of the thread (luntan.unread)
    with django_assert_num_queries(6):
        assert client.get(f"/t/{thread.pk}/").status_code == 200
    from luntan.threads import view_counts

    view_counts.flush()


def test_group_rights_decide_who_starts_polls_and_votes(client):
    """Discuz! allowpostpoll / allowvote, per group (UserGroup.allow_post_poll/allow_vote)."""
    from luntan import permissions
    from luntan.accounts.models import UserGroup
    from luntan.permissions.groups import forget_group_rights

    board = make_board()
    member = make_user()
    thread = make_poll_thread(board=board)
    assert UserGroup.objects.get(pk=GroupId.LIMITED).allow_vote is False  # Discuz! default
    assert UserGroup.objects.get(pk=GroupId.NEWBIE).allow_post_poll is True
    UserGroup.objects.filter(pk=member.group_id).update(allow_post_poll=False, allow_vote=False)
    forget_group_rights()
    try:
        assert not permissions.can_start_poll(member, board)
        client.force_login(member)
        member.refresh_from_db()
        UserGroup.objects.filter(pk=member.group_id).update(allow_post_poll=False, allow_vote=False)
        forget_group_rights()
        r = client.post(f"/t/{thread.pk}/poll/vote/", {"option": option_ids(thread)[:1]})
        assert r.status_code == 403 and "不能参与投票" in r.content.decode()
        assert 'name="poll_options"' not in client.get(f"/f/{board.pk}/new/").content.decode()
        admin = make_user(group_id=GroupId.ADMIN)
        assert permissions.can_start_poll(admin, board)
    finally:
        UserGroup.objects.update(allow_post_poll=True, allow_vote=True)
        forget_group_rights()
