"""Account mail (password reset, verification) has hourly and daily caps per address and
per IP, counted in the shared cache, and nothing goes to an address without an account.

allauth's own per-minute limits are switched off here so the caps are what is tested.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from luntan.accounts import mailcaps
from luntan.accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_no_minute_limits")]


@pytest.fixture
def _no_minute_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = False  # allauth: no per-minute limits
    settings.LUNTAN_MAIL_CAPS_PER_ADDRESS = ((3600, 5), (86400, 10))
    settings.LUNTAN_MAIL_CAPS_PER_IP = ((3600, 20), (86400, 50))


def _reset(email: str, ip: str = "198.51.100.7") -> int:
    return Client(REMOTE_ADDR=ip).post("/accounts/password/reset/", {"email": email}).status_code


def test_no_mail_goes_to_an_address_without_an_account():
    for _ in range(3):
        assert _reset("stranger@example.com") == 302
    assert mail.outbox == []


def test_one_address_gets_at_most_the_hourly_cap_whatever_the_ip():
    User.objects.create_user("victim", "victim@example.com", "x")
    for i in range(12):
        assert _reset("victim@example.com", ip=f"203.0.113.{i + 1}") == 302
    assert len(mail.outbox) == 5


def test_one_address_gets_at_most_the_daily_cap(monkeypatch):
    User.objects.create_user("victim", "victim@example.com", "x")
    clock = [1_000_000.0]
    monkeypatch.setattr(mailcaps, "_now", lambda: clock[0])
    for hour in range(4):
        clock[0] = 1_000_000.0 + hour * 3600
        for i in range(5):
            _reset("victim@example.com", ip=f"203.0.113.{hour * 10 + i + 1}")
    assert len(mail.outbox) == 10


def test_one_ip_sends_at_most_the_hourly_cap_to_many_addresses():
    for i in range(25):
        User.objects.create_user(f"member{i}", f"m{i}@example.com", "x")
    for i in range(25):
        _reset(f"m{i}@example.com", ip="198.51.100.99")
    assert len(mail.outbox) == 20
    _reset("m0@example.com", ip="198.51.100.100")  # another IP still may
    assert len(mail.outbox) == 21
