"""Polls of a generated Discuz! site (``generate.py`` makes special = 1 threads with
forum_poll/polloption/pollvoter): imported with their settings, options, counts and
votes, shown on the thread page, and a second run changes nothing."""

from __future__ import annotations

import pytest

from luntan.accounts.models import User
from luntan.polls.models import Poll, PollChoice, PollOption, PollVoter
from luntan.threads.models import Thread

from .helpers import run_import

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]


def _snapshot():
    return [
        list(m.objects.order_by("pk").values()) for m in (Poll, PollOption, PollVoter, PollChoice)
    ]


def test_polls_come_over_with_their_votes(synthetic_db, client):
    report = run_import(synthetic_db, batch=50)
    rows = synthetic_db.query(
        "SELECT p.tid, p.multiple, p.maxchoices, p.visible, p.overt, p.expiration, p.voters "
        "FROM pre_forum_poll p JOIN pre_forum_thread t ON t.tid = p.tid WHERE t.special = 1"
    )
    assert rows
    imported_tids = set(Thread.objects.values_list("discuz_tid", flat=True))
    expected = [r for r in rows if r[0] in imported_tids]
    assert Poll.objects.count() == len(expected)
    assert report["polls"].created == len(expected)
    for tid, multiple, maxchoices, visible, overt, expiration, voters in expected:
        poll = Poll.objects.get(thread__discuz_tid=tid)
        options = synthetic_db.query(
            "SELECT polloptionid, polloption, votes FROM pre_forum_polloption WHERE tid = %s "
            "ORDER BY displayorder, polloptionid",
            (tid,),
        )
        assert [(o.discuz_id, o.text, o.votes) for o in poll.options.all()] == [
            (oid, text, votes) for oid, text, votes in options
        ]
        assert poll.max_choices == (maxchoices or len(options) if multiple else 1)
        assert poll.results_before_vote == bool(visible)
        assert poll.public_voters == bool(overt)
        assert (poll.expires_at is None) == (expiration == 0)
        assert poll.voters == voters
        assert not poll.allow_change
    # every Discuz! vote of an imported member is a voter with its choices
    votes = synthetic_db.query("SELECT tid, uid, options FROM pre_forum_pollvoter")
    members = dict(User.objects.filter(discuz_uid__isnull=False).values_list("discuz_uid", "pk"))
    want = {
        (tid, members[uid], frozenset(int(o) for o in options.split("\t")))
        for tid, uid, options in votes
        if uid in members and tid in imported_tids
    }
    have = {
        (
            v.poll.thread.discuz_tid,
            v.user_id,
            frozenset(c.option.discuz_id for c in v.choices.all()),
        )
        for v in PollVoter.objects.select_related("poll__thread").prefetch_related(
            "choices__option"
        )
    }
    assert want and have == want

    # allowpostpoll / allowvote of common_usergroup_field became the groups' rights
    from luntan.accounts.models import UserGroup

    for gid, allowed in synthetic_db.query(
        "SELECT groupid, allowvote FROM pre_common_usergroup_field WHERE groupid <= 19"
    ):
        assert UserGroup.objects.get(pk=gid).allow_vote == bool(allowed), gid
    assert not UserGroup.objects.get(pk=9).allow_post_poll

    # the thread page shows the poll with its counts
    poll = Poll.objects.filter(results_before_vote=True, voters__gt=0).select_related("thread")[0]
    html = client.get(f"/t/{poll.thread_id}/").content.decode()
    assert 'id="poll"' in html
    for option in poll.options.all():
        assert option.text in html and f"({option.votes})" in html

    # a second run writes nothing
    before = _snapshot()
    again = run_import(synthetic_db, batch=50)
    assert again["polls"].created == 0 and again["polls"].updated == 0
    assert _snapshot() == before
