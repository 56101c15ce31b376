"""Django settings for luntan, read from the environment.

Every deployment knob is an environment variable (see README "Configuration"):

- ``LUNTAN_HOME``: folder for the SQLite database, uploads and the secret key file
  (default ``./var`` beside the checkout).
- ``DATABASE_URL``: e.g. ``postgres://user@127.0.0.1:5432/luntan``; default SQLite (WAL) in
  ``LUNTAN_HOME/luntan.sqlite3``.
- ``REDIS_URL``: when set, the cache uses Django's Redis backend; otherwise local memory.
- ``SECRET_KEY``: when unset, a random key is generated once into ``LUNTAN_HOME/secret_key``.
- ``DEBUG`` (``1``/``0``, default 0), ``ALLOWED_HOSTS`` (comma separated, default
  ``127.0.0.1,localhost``), ``CSRF_TRUSTED_ORIGINS`` (comma separated).
- ``TIME_ZONE``: the site's default time zone for viewers (default ``Asia/Shanghai``, GMT+8).
  Times are always stored in UTC.
- ``LUNTAN_IP2REGION_DB``: path to a newer ip2region ``.xdb`` file (default: the one
  shipped by the ``XdbSearchIP`` package).
- ``LUNTAN_POSTS_PER_PAGE``: floors per thread page (default 20, as Discuz!).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
HOME = Path(os.environ.get("LUNTAN_HOME", BASE_DIR.parent / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    """Return the environment variable ``name`` read as a boolean (1/true/yes/on)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Return the comma-separated environment variable ``name`` as a list of strings."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    key_file = HOME / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    HOME.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "luntan.core",
    "luntan.accounts",
    "luntan.boards",
    "luntan.threads",
    "luntan.attachments",
    "luntan.markup",
    "luntan.iplocation",
    "luntan.search",
    "luntan.importers.discuz",
]

MIDDLEWARE = [
    "django.middleware.gzip.GZipMiddleware",
    "luntan.core.middleware.RequestStatsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "luntan.core.middleware.ViewerTimezoneMiddleware",
]

ROOT_URLCONF = "luntan.urls"
WSGI_APPLICATION = "luntan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "luntan.core.context_processors.site",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{HOME / 'luntan.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_sqlite))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at
    # BEGIN so two posting transactions queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=20000; PRAGMA cache_size=-20000; PRAGMA mmap_size=268435456;"
        ),
    }
    HOME.mkdir(parents=True, exist_ok=True)
    # Keep each worker's connection: opening one and running the PRAGMAs costs ~0.5 ms a
    # request (a tenth of the thread page's budget).
    # (dj_database_url always sets CONN_MAX_AGE, 0 unless ?conn_max_age= is given, so
    # setdefault would never apply.)
    DATABASES["default"]["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE") or 600
else:
    DATABASES["default"]["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE") or 60
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "luntan.accounts.hashers.DiscuzPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "luntan",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = HOME / "media"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Forum behaviour.
LUNTAN_POSTS_PER_PAGE = int(os.environ.get("LUNTAN_POSTS_PER_PAGE", "20"))
LUNTAN_THREADS_PER_PAGE = int(os.environ.get("LUNTAN_THREADS_PER_PAGE", "20"))
LUNTAN_IP2REGION_DB = os.environ.get("LUNTAN_IP2REGION_DB", "")
# Seconds between flushes of the buffered thread view counts to the database.
LUNTAN_VIEW_FLUSH_SECONDS = float(os.environ.get("LUNTAN_VIEW_FLUSH_SECONDS", "10"))

# Attachments (附件); see docs/attachments.md. Sizes in bytes, pixels as width × height.
LUNTAN_ATTACHMENT_EXTENSIONS = env_list(
    "LUNTAN_ATTACHMENT_EXTENSIONS",
    "jpg,jpeg,png,gif,webp,txt,pdf,zip,rar,7z,doc,docx,xls,xlsx,ppt,pptx",
)
LUNTAN_ATTACHMENT_MAX_PIXELS = int(os.environ.get("LUNTAN_ATTACHMENT_MAX_PIXELS", "40000000"))
LUNTAN_ATTACHMENT_THUMB_WIDTH = 300
# Per usergroup id: largest file (bytes) and uploads per day (0 = no daily limit).
LUNTAN_ATTACHMENT_LIMITS = {
    "default": {"max_bytes": 2 * 1024 * 1024, "per_day": 50},
    1: {"max_bytes": 20 * 1024 * 1024, "per_day": 0},  # 管理员
    10: {"max_bytes": 1 * 1024 * 1024, "per_day": 10},  # 新手上路
}
