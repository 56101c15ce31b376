"""在线会员 on the index: members and guests of the last minutes from the cache, the
最高记录 with its date, and no database write per request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone

from luntan.online import services
from luntan.online.models import OnlineRecord
from luntan.threads.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_index_lists_members_and_counts_guests_and_the_record(client):
    alice = make_user("alice")
    member = Client()
    member.force_login(alice)
    member.get("/")
    Client(REMOTE_ADDR="10.0.0.2").get("/")
    page = client.get("/").content.decode()  # a guest (127.0.0.1)
    assert "在线会员" in page
    assert "总计 3 人在线" in page and "1 会员" in page and "2 位游客" in page
    assert f'<a href="/u/{alice.pk}/">alice</a>' in page
    record = OnlineRecord.objects.get()
    assert record.count == 3
    assert f"最高记录是 3 于 {timezone.localtime(record.at):%Y-}" in page


def test_visitors_drop_out_after_the_window_and_the_record_stays():
    now = timezone.now()
    services.touch("u1", "alice", now=now)
    services.touch("g1", now=now)
    assert services.online_now(now=now).total == 2
    with override_settings(LUNTAN_ONLINE_MINUTES=5):
        later = now + timedelta(minutes=6)
        online = services.online_now(now=later)
        assert online.total == 0 and online.record == 2
        services.touch("u1", "alice", now=later)
        assert services.online_now(now=later).members == [(1, "alice")]
    assert not services.set_record(1, later)
    assert OnlineRecord.objects.get().count == 2


def test_a_request_writes_nothing_to_the_database(client, django_assert_num_queries):
    client.get("/")
    services.online_now()
    with django_assert_num_queries(0):
        services.touch(services.visitor_key(None, "10.1.1.1"))
        services.touch(services.visitor_key(None, "10.1.1.1"))
    assert services.online_now().guests == 2


def test_every_online_string_is_translated_and_the_box_reads_in_english(client):
    import re
    from pathlib import Path

    po = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po"
    text = po.read_text(encoding="utf-8")
    assert re.findall(r'^msgid "(.+)"\nmsgstr ""\n', text, flags=re.M) == []
    assert "#, fuzzy" not in text
    client.cookies["django_language"] = "en"
    page = client.get("/").content.decode()
    assert "Who&#x27;s online" in page or "Who's online" in page
    assert "1 user online in total" in page and "0 members, 1 guest" in page
    assert "most ever: 1 on" in page
