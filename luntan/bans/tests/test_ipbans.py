"""IP bans: wildcard, exact and prefix patterns; the cached list; the middleware."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from luntan.accounts.models import UserGroup
from luntan.bans import services
from luntan.bans.ipbans import is_ip_banned, parse_pattern
from luntan.bans.models import IPBan
from luntan.threads.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.mark.parametrize(
    ("pattern", "ip", "banned"),
    [
        ("1.2.3.*", "1.2.3.99", True),
        ("1.2.3.*", "1.2.4.99", False),
        ("1.2.*.*", "1.2.200.7", True),
        ("1.2.*.*", "1.3.0.1", False),
        ("1.*.3.4", "1.77.3.4", True),
        ("1.2.3.4", "1.2.3.4", True),
        ("1.2.3.4", "1.2.3.5", False),
        ("10.0.0.0/8", "10.9.8.7", True),
        ("2001:db8::/32", "2001:db8:1::5", True),
        ("2001:db8::/32", "2001:db9::5", False),
        ("2001:db8::1", "2001:db8::1", True),
        ("1.2.3.*", "::ffff:1.2.3.9", True),
        ("1.2.3.*", "2001:db8::1", False),
        ("1.2.3.*", "not an ip", False),
    ],
)
def test_patterns(pattern, ip, banned):
    services.ban_ip(pattern)
    assert is_ip_banned(ip) is banned


@pytest.mark.parametrize("bad", ["", "1.2.3", "1.2.3.256", "1.2.3.0*", "*.*.*.*", "0.0.0.0/0", "x"])
def test_bad_patterns_are_refused(bad):
    with pytest.raises(ValidationError):
        parse_pattern(bad)


def test_expired_ip_bans_do_not_match():
    services.ban_ip("5.6.7.*", expires_at=timezone.now() + timedelta(hours=1))
    assert is_ip_banned("5.6.7.8")
    assert not is_ip_banned("5.6.7.8", now=timezone.now() + timedelta(hours=2))


def test_checking_costs_no_query_once_cached(django_assert_num_queries):
    services.ban_ip("9.9.9.*")
    is_ip_banned("9.9.9.9")
    with django_assert_num_queries(0):
        assert is_ip_banned("9.9.9.9") and not is_ip_banned("8.8.8.8")
    IPBan.objects.all().delete()  # a change drops the cache
    assert not is_ip_banned("9.9.9.9")


def test_banned_ip_may_read_but_not_post_or_register(client):
    services.ban_ip("127.0.0.*", reason="广告")
    assert client.get("/").status_code == 200
    response = client.post("/accounts/signup/", {"username": "新人"})
    assert response.status_code == 403
    assert "IP" in response.content.decode()


@override_settings(LUNTAN_IP_BANS_BLOCK_VISITING=True)
def test_visiting_block_is_configurable(client):
    services.ban_ip("127.0.0.1")
    assert client.get("/").status_code == 403
    admin = make_user(group_id=UserGroup.ADMIN)
    client.force_login(admin)
    assert client.get("/").status_code == 200  # admins can undo a mistake


def test_ip_ban_page_is_for_admins(client):
    client.force_login(make_user(group_id=UserGroup.SUPER_MODERATOR))
    assert client.get("/bans/ip/").status_code == 404
    client.force_login(make_user(group_id=UserGroup.ADMIN))
    assert client.post("/bans/ip/", {"pattern": "3.4.5.*", "reason": "刷帖"}).status_code == 302
    assert client.post("/bans/ip/", {"pattern": "3.4.5"}).status_code == 200
    ban = IPBan.objects.get()
    assert ban.pattern == "3.4.5.*" and ban.reason == "刷帖"
    assert "3.4.5.*" in client.get("/bans/ip/").content.decode()
    client.post("/bans/ip/", {"delete": str(ban.pk)})
    assert not IPBan.objects.exists()
