"""Periodic jobs without cron (``luntan run_periodic``): the daily digest mail and the
pruning of unread rows are enqueued for the task worker once a day, however often the
scheduler wakes up (tasks run immediately in the test settings)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail as outbox
from django.core.cache import caches
from django.core.management import call_command
from django.utils import timezone

from luntan.core import periodic
from luntan.notifications import services as notifications
from luntan.threads.models import Thread
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user
from luntan.unread import services as unread
from luntan.unread.models import ThreadRead

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    caches["shared"].clear()
    yield
    caches["shared"].clear()


def test_the_daily_jobs_are_registered():
    names = [j.name for j in periodic.periodic_jobs()]
    assert "notifications.send_digests" in names and "unread.prune" in names


def test_a_digest_goes_out_and_old_unread_rows_go_once_a_day(settings):
    settings.LUNTAN_UNREAD_DAYS = 30
    alice = make_user("alice", email="alice@example.com")
    notifications.save_settings(
        alice, channels={"reply": "email"}, digest="daily", language="zh-hans"
    )
    thread = make_thread(make_board(), alice)
    make_reply(thread, make_user("bob"), "一楼回复")
    quiet = make_thread(subject="旧帖")
    unread.record_read(alice, Thread.objects.get(pk=quiet.pk), 1)
    Thread.objects.filter(pk=quiet.pk).update(last_post_at=timezone.now() - timedelta(days=40))
    assert outbox.outbox == [] and ThreadRead.objects.filter(thread=quiet).count() == 1

    now = timezone.now().timestamp()
    done = periodic.run_due(now)
    assert set(done) >= {"notifications.send_digests", "unread.prune"}
    assert len(outbox.outbox) == 1 and "bob" in outbox.outbox[0].body
    assert ThreadRead.objects.filter(thread=quiet).count() == 0
    # woken again the same day: nothing is enqueued twice
    assert periodic.run_due(now + 60) == []
    # the next day's slot runs again
    assert "notifications.send_digests" in periodic.run_due(now + 86400)


def test_the_command_checks_once():
    out = StringIO()
    call_command("run_periodic", "--once", stdout=out)
    assert "enqueued notifications.send_digests" in out.getvalue()
    out = StringIO()
    call_command("run_periodic", "--once", stdout=out)
    assert out.getvalue() == ""
