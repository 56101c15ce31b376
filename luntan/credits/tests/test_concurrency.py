"""Concurrent awards lose nothing: balances equal the ledger and caps hold.

Runs on PostgreSQL (the member's row locked with SELECT … FOR UPDATE) and on SQLite (a
WAL file database, writers queued by BEGIN IMMEDIATE).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.db.models import Sum

from luntan.accounts.models import User
from luntan.credits import services
from luntan.credits.models import CreditLog, CreditRule, MemberCredits
from luntan.credits.rebuild import rebuild_credits
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
def test_twenty_concurrent_awards_all_count_and_rebuild_changes_nothing():
    member = make_user("并发")
    assert _race(lambda i: services.award(member.pk, "reply")) == []
    balance = MemberCredits.objects.get(pk=member.pk)
    ledger = CreditLog.objects.filter(user=member).aggregate(s=Sum("extcredits2"))["s"]
    assert balance.extcredits2 == ledger == WORKERS
    assert User.objects.get(pk=member.pk).credits == WORKERS
    assert rebuild_credits() == 0
    assert MemberCredits.objects.get(pk=member.pk).extcredits2 == WORKERS


@pytest.mark.django_db(transaction=True)
def test_a_daily_cap_holds_under_concurrent_awards():
    CreditRule.objects.filter(action="reply").update(cycle=CreditRule.Cycle.DAILY, reward_count=5)
    member = make_user("封顶")
    assert _race(lambda i: services.award(member.pk, "reply")) == []
    assert CreditLog.objects.filter(user=member, action="reply").count() == 5
    assert MemberCredits.objects.get(pk=member.pk).extcredits2 == 5
