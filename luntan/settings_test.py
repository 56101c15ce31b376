"""Settings for the test suite: ``luntan.settings`` with fast hashing and plain static files.

The database still comes from ``DATABASE_URL`` (SQLite by default, PostgreSQL in CI).
"""

from luntan.settings import *  # noqa: F403
from luntan.settings import STORAGES

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "luntan.accounts.hashers.DiscuzPasswordHasher",
]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
LUNTAN_VIEW_FLUSH_SECONDS = 0.0
