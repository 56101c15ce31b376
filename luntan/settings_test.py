"""Settings for the test suite: ``luntan.settings`` with fast hashing and plain static files.

The database still comes from ``DATABASE_URL`` (SQLite by default, PostgreSQL in CI).
"""

import os
import tempfile
from pathlib import Path

from luntan.settings import *  # noqa: F403
from luntan.settings import STORAGES

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "luntan.accounts.hashers.DiscuzPasswordHasher",
    "luntan.accounts.hashers.DiscuzGBKPasswordHasher",
    "luntan.accounts.hashers.DiscuzBig5PasswordHasher",
]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
LUNTAN_VIEW_FLUSH_SECONDS = 0.0
# Views stay in the process even with REDIS_URL (the Redis hash outlives a test's
# database); luntan/threads/tests/test_views_redis.py switches it on.
LUNTAN_VIEWS_REDIS_URL = ""
# Every view counts in the suite (the cache outlives a test's database); the tests of
# the per-viewer window switch it on (luntan/threads/tests/test_views_counter.py).
LUNTAN_VIEW_DEDUP_SECONDS = 0
# Mail tasks run inside the request so tests read django.core.mail.outbox at once.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The captcha is off for the suite (tests that check it switch it on); the system check in
# luntan/accounts/checks.py accepts this only with LUNTAN_TESTING.
LUNTAN_CAPTCHA = False
# The query-count pins read X-Queries; production leaves it off (luntan.settings).
LUNTAN_DEBUG_HEADERS = True
# Previews are not rate limited in the suite (test_posting_pipeline switches it on).
LUNTAN_PREVIEW_INTERVAL = 0
LUNTAN_TESTING = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not the shared-cache in-memory database: concurrent-posting tests then run
    # on SQLite as production does (WAL, BEGIN IMMEDIATE) instead of on table locks.
    _test_db = Path(tempfile.gettempdir()) / f"luntan-test-{os.getpid()}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(_test_db)}  # noqa: F405
elif DATABASES["default"].get("OPTIONS", {}).pop("pool", None):  # noqa: F405
    # The suite keeps a connection per thread instead of the servers' pool: pytest-django
    # creates and drops the test database, which connections idling in a pool would hold.
    DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
# The guest page cache would answer a test's second request without a query; its own
# tests (luntan/pagecache/tests/) turn it on.
LUNTAN_PAGE_CACHE_SECONDS = 0
# One process runs the suite: "shared" is the same local-memory store as "default", so a
# test that clears or reads the cache sees both (Redis in the CI pass with REDIS_URL).
if not os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
