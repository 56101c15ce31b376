"""Behind a reverse proxy and through a Redis outage: the client's address comes from
X-Forwarded-For only when a trusted proxy sent it; a dead Redis leaves the site serving
(limits fail closed); `check --deploy` is clean from environment settings alone."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

from luntan.core.cache import OVER_ANY_LIMIT
from luntan.core.proxy import client_address, parse_networks
from luntan.core.tests.pages import seed_thread
from luntan.threads.models import Post
from luntan.threads.tests.factories import make_user

TRUSTED = parse_networks(["127.0.0.1", "10.0.0.0/8", "::1"])


def test_a_trusted_proxy_gives_the_client_behind_it():
    assert client_address("127.0.0.1", "203.0.113.7", TRUSTED) == "203.0.113.7"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right():
    # client → 10.1.2.3 (internal balancer) → 127.0.0.1 (nginx) → app
    assert client_address("127.0.0.1", "203.0.113.7, 10.1.2.3", TRUSTED) == "203.0.113.7"


def test_what_the_client_wrote_left_of_the_real_address_is_never_believed():
    # The client sent "X-Forwarded-For: 1.1.1.1"; nginx appended the real peer.
    assert client_address("127.0.0.1", "1.1.1.1, 198.51.100.9", TRUSTED) == "198.51.100.9"


def test_a_header_from_an_untrusted_peer_is_ignored():
    assert client_address("198.51.100.9", "1.1.1.1", TRUSTED) == "198.51.100.9"
    assert client_address("127.0.0.1", "1.1.1.1", ()) == "127.0.0.1"  # no proxies set


def test_malformed_hops_and_ports_are_handled():
    assert client_address("127.0.0.1", "garbage, 203.0.113.7:5123", TRUSTED) == "203.0.113.7"
    assert client_address("::1", "[2001:db8::5]:443", TRUSTED) == "2001:db8::5"
    assert client_address("127.0.0.1", "not-an-ip", TRUSTED) == "127.0.0.1"


def test_a_bad_trusted_proxies_entry_is_refused_with_its_name():
    with pytest.raises(ValueError, match="TRUSTED_PROXIES: 'nope'"):
        parse_networks(["127.0.0.1", "nope"])


@pytest.mark.django_db
def test_a_reply_through_the_proxy_records_the_members_address(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    seed = seed_thread()
    member = make_user("代理后的会员")
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    client.force_login(member)
    page = client.get(f"/t/{seed.thread.pk}/").content.decode()
    token = re.search(r'name="token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(
        f"/t/{seed.thread.pk}/reply/",
        {"body": "经过反向代理发的一条回复内容。", "format": "bbcode", "token": token},
    )
    assert response.status_code == 302
    post = Post.objects.filter(thread=seed.thread, author=member).get()
    assert post.ip == "203.0.113.7"

    settings.TRUSTED_PROXIES = []  # the same header straight from a client: ignored
    direct = Client(REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert direct.get("/").wsgi_request.META["REMOTE_ADDR"] == "198.51.100.9"


DEAD_REDIS = {
    "default": {
        "BACKEND": "luntan.core.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def test_a_dead_redis_degrades_every_cache_call_instead_of_raising(settings):
    settings.CACHES = DEAD_REDIS
    assert cache.get("k", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set("k", 1) is None and cache.delete("k") is False
    assert cache.add("k", 1) is False  # limits counted with add fail closed
    assert cache.incr("k") == OVER_ANY_LIMIT  # … and with incr
    assert cache.get_or_set("k", lambda: 7) == 7


@pytest.mark.django_db
def test_pages_keep_being_served_while_redis_is_down(settings, client):
    seed = seed_thread()
    member = make_user("停机时的会员")
    settings.CACHES = DEAD_REDIS
    assert client.get("/").status_code == 200
    assert client.get(f"/t/{seed.thread.pk}/").status_code == 200
    assert client.get(f"/f/{seed.thread.board_id}/").status_code == 200
    client.force_login(member)  # sessions are cached_db: the database keeps them
    page = client.get(f"/t/{seed.thread.pk}/")
    assert page.status_code == 200 and "停机时的会员" in page.content.decode()


def test_check_deploy_is_clean_with_the_production_environment(tmp_path: Path):
    env = {
        **os.environ,
        "LUNTAN_HOME": str(tmp_path),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "forum.example.com",
        "LUNTAN_HTTPS": "1",
        "LUNTAN_HSTS_SUBDOMAINS": "1",
        "LUNTAN_HSTS_PRELOAD": "1",
        "DJANGO_SETTINGS_MODULE": "luntan.settings",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' fixture
    result = subprocess.run(
        [sys.executable, "-m", "luntan.manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_during_an_outage_log_in_is_refused_with_a_site_page_and_api_reads_still_work(settings):
    settings.CACHES = {"default": DEAD_REDIS["default"], "shared": DEAD_REDIS["default"]}
    refused = Client().post("/accounts/login/", {"login": "someone", "password": "x"})
    assert refused.status_code == 429  # allauth's rate limit cannot count: fails closed
    html = refused.content.decode()
    assert "请求太频繁" in html and 'class="hd"' in html  # the site's layout, in Chinese
    site = Client().get("/api/v1/site")
    assert site.status_code == 200  # reads fail open …
    created = Client().post("/api/v1/boards/1/threads", {}, content_type="application/json")
    assert created.status_code in (401, 403, 429)  # … writes never pass unchecked


def test_the_shared_cache_is_one_store_for_every_process_without_redis(tmp_path):
    """Without REDIS_URL, "shared" is a file cache: what one worker writes, another reads
    (two backend instances on one folder stand for two processes)."""
    from django.core.cache.backends.filebased import FileBasedCache

    worker_a = FileBasedCache(str(tmp_path), {})
    worker_b = FileBasedCache(str(tmp_path), {})
    worker_a.set("luntan:pagecache:generation", "new", timeout=None)
    assert worker_b.get("luntan:pagecache:generation") == "new"
    worker_a.delete("luntan:pagecache:generation")
    assert worker_b.get("luntan:pagecache:generation") is None


def test_settings_without_redis_give_a_file_cache_for_shared_state(tmp_path: Path):
    env = {**os.environ, "LUNTAN_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "luntan.settings"}
    env.pop("REDIS_URL", None)
    code = (
        "from django.conf import settings; import django; django.setup();"
        "print(settings.CACHES['shared']['BACKEND'], settings.ALTCHA_CACHE_ALIAS)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.split() == ["django.core.cache.backends.filebased.FileBasedCache", "shared"]
