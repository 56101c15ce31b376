"""One vote per member under concurrency: 20 members voting at once are all counted, and
one member voting 20 times at once is counted once. Runs on SQLite (writers queued by
BEGIN IMMEDIATE) and on PostgreSQL (the poll row locked with SELECT … FOR UPDATE)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from luntan.polls import services
from luntan.polls.models import Poll, PollChoice, PollVoter
from luntan.polls.tests.helpers import make_poll_thread
from luntan.threads.tests.factories import make_user

WORKERS = 20


def _race(fn) -> list[BaseException]:
    barrier = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            fn(i)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run, args=(i,)) for i in range(WORKERS)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    return errors


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_voters_are_all_counted():
    thread = make_poll_thread(max_choices=2)
    a, b, _c = Poll.objects.get(pk=thread.pk).options.values_list("pk", flat=True)
    members = [make_user(f"投票{i}") for i in range(WORKERS)]
    errors = _race(lambda i: services.vote(thread.pk, members[i], [a] if i % 2 else [a, b]))
    assert errors == []
    poll = Poll.objects.get(pk=thread.pk)
    assert poll.voters == WORKERS == PollVoter.objects.filter(poll=poll).count()
    assert [o.votes for o in poll.options.all()] == [WORKERS, WORKERS // 2, 0]
    assert services.recount_poll(thread.pk) is False


@pytest.mark.django_db(transaction=True)
def test_one_member_voting_twenty_times_at_once_counts_once():
    thread = make_poll_thread()
    a = Poll.objects.get(pk=thread.pk).options.values_list("pk", flat=True)[0]
    member = make_user("连投")
    errors = _race(lambda i: services.vote(thread.pk, member, [a]))
    assert len(errors) == WORKERS - 1
    assert all(isinstance(e, ValidationError) and e.code == "voted" for e in errors)
    poll = Poll.objects.get(pk=thread.pk)
    assert poll.voters == 1 and PollChoice.objects.count() == 1
    assert poll.options.get(pk=a).votes == 1
