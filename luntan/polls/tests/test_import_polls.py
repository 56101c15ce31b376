"""Imported Discuz! polls (:func:`luntan.polls.services.import_polls`): options matched
by their Discuz! id, votes by (poll, member), a second run writes nothing."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.utils import timezone

from luntan.polls.models import Poll, PollChoice, PollOption, PollVoter
from luntan.polls.services import ImportedPoll, import_polls
from luntan.threads.tests.factories import make_thread, make_user

pytestmark = pytest.mark.django_db


def _spec(thread, voter_a, voter_b, **changes) -> ImportedPoll:
    now = timezone.now()
    spec = ImportedPoll(
        thread_id=thread.pk,
        max_choices=2,
        expires_at=None,
        results_before_vote=True,
        public_voters=False,
        voters=3,
        created=now,
        options=((901, 0, "红", 2), (902, 1, "绿", 1)),
        votes=((voter_a.pk, now, (901, 902)), (voter_b.pk, now, (901,))),
    )
    return replace(spec, **changes)


def test_import_polls_creates_options_and_votes_once_and_updates_what_changed():
    thread = make_thread()
    a, b = make_user("甲"), make_user("乙")
    assert import_polls([_spec(thread, a, b)]) == (1, 0)
    poll = Poll.objects.get(pk=thread.pk)
    assert [(o.text, o.votes) for o in poll.options.all()] == [("红", 2), ("绿", 1)]
    assert poll.voters == 3
    chosen = {
        (c.voter.user_id, c.option.text)
        for c in PollChoice.objects.filter(voter__poll=poll).select_related("voter", "option")
    }
    assert chosen == {(a.pk, "红"), (a.pk, "绿"), (b.pk, "红")}

    assert import_polls([_spec(thread, a, b)]) == (0, 0)  # nothing changed
    assert PollChoice.objects.filter(voter__poll=poll).count() == 3

    changed = _spec(
        thread,
        a,
        b,
        voters=4,
        options=((901, 0, "深红", 3), (902, 1, "绿", 1)),
        votes=((a.pk, timezone.now(), (901, 902)), (b.pk, timezone.now(), (901, 902))),
    )
    assert import_polls([changed]) == (0, 1)
    assert PollOption.objects.get(discuz_id=901).text == "深红"
    assert PollVoter.objects.filter(poll=poll).count() == 2
    assert set(
        PollChoice.objects.filter(voter__user=b).values_list("option__discuz_id", flat=True)
    ) == {901, 902}
