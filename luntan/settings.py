"""Django settings for luntan, read from the environment.

Every deployment knob is an environment variable (see README "Configuration"):

- ``LUNTAN_HOME``: folder for the SQLite database, uploads and the secret key file
  (default ``./var`` beside the checkout).
- ``DATABASE_URL``: e.g. ``postgres://user@127.0.0.1:5432/luntan``; default SQLite (WAL) in
  ``LUNTAN_HOME/luntan.sqlite3``.
- ``REDIS_URL``: when set, the cache uses Redis (:class:`luntan.core.cache.ResilientRedisCache`:
  the site keeps serving, degraded, while Redis is down; ``LUNTAN_REDIS_TIMEOUT`` seconds,
  default 0.5, bound each call); otherwise local memory.
- ``TRUSTED_PROXIES``: comma-separated addresses or networks of the reverse proxies in
  front of the app servers (e.g. ``127.0.0.1,10.0.0.0/8``); ``X-Forwarded-For`` is believed
  only from them (:mod:`luntan.core.proxy`). Default: none (the header is ignored).
- ``LUNTAN_HTTPS=1``: the site is served over HTTPS (behind a proxy that sets
  ``X-Forwarded-Proto``): secure cookies, HSTS (``LUNTAN_HSTS_SECONDS``, default one year),
  redirect of plain HTTP, so ``luntan check --deploy`` is clean.
- ``LUNTAN_METRICS_ALLOW``: addresses or networks that may read ``/metrics`` (default
  ``127.0.0.1,::1``); ``LUNTAN_HEALTH_QUEUE_STALE_SECONDS`` (default 300): a task waiting
  longer makes ``/healthz`` fail (docs/deployment.md).
- ``SECRET_KEY``: when unset, a random key is generated once into ``LUNTAN_HOME/secret_key``.
- ``DEBUG`` (``1``/``0``, default 0), ``ALLOWED_HOSTS`` (comma separated, default
  ``127.0.0.1,localhost``), ``CSRF_TRUSTED_ORIGINS`` (comma separated).
- ``TIME_ZONE``: the site's default time zone for viewers (default ``Asia/Shanghai``, GMT+8).
  Times are always stored in UTC.
- ``LUNTAN_IP2REGION_DB``: path to a newer ip2region ``.xdb`` file (default: the one
  shipped by the ``XdbSearchIP`` package).
- ``LUNTAN_POSTS_PER_PAGE``: floors per thread page (default 20, as Discuz!).
- ``LUNTAN_ONLINE_MINUTES``: how long a visitor counts as online (default 15).
- ``LUNTAN_PM_MAX_MEMBERS`` (default 10), ``LUNTAN_PM_RATE_COUNT`` / ``LUNTAN_PM_RATE_SECONDS``
  (default 10 messages per 60 seconds): private message limits (docs/pms.md).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
HOME = Path(os.environ.get("LUNTAN_HOME", BASE_DIR.parent / "var")).resolve()


def env_int(name: str, default: int) -> int:
    """Return the environment variable ``name`` as an integer (``default`` when unset)."""
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


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
# Debugging response headers (X-Queries: SQL queries of the request; bench/ reads it).
# Off in production: such figures can tell whether an account exists.
LUNTAN_DEBUG_HEADERS = env_bool("LUNTAN_DEBUG_HEADERS") or DEBUG
# Pages whose footer shows no time or query figures (log-in, sign-up, password reset …).
LUNTAN_PRIVATE_STATS_PREFIXES = ("/accounts/",)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")

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
    "luntan.bans",
    "luntan.censor",
    "luntan.credits",
    "luntan.moderation",
    "luntan.attachments",
    "luntan.markup",
    "luntan.iplocation",
    "luntan.search",
    "luntan.polls",
    "luntan.favorites",
    "luntan.notifications",
    "luntan.pms",
    "luntan.online",
    "luntan.unread",
    "luntan.live",
    "luntan.feeds",
    "django.contrib.sitemaps",
    "luntan.importers.discuz",
    "luntan.archiver",
    "luntan.siteadmin",
    "luntan.admincenter",
    "luntan.members",
    "luntan.pagecache",
    "luntan.boardpages",
    "luntan.demo",
    "luntan.webhooks",
    "luntan.ops",
    "luntan.api",
    # django-ninja: its templates and static files serve the API docs (no CDN).
    "ninja",
    # Accounts (after luntan.accounts so its templates override allauth's).
    "django_tasks_db",
    "django_altcha",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.mfa",
    "allauth.socialaccount.providers.weixin",
    "allauth.socialaccount.providers.weibo",
    "allauth.socialaccount.providers.openid_connect",
    "luntan.accounts.providers.qq",
]

MIDDLEWARE = [
    "luntan.core.requestid.RequestIdMiddleware",
    "luntan.core.proxy.ForwardedForMiddleware",
    # /healthz and /metrics before host checks, HTTPS redirect and sessions; times the rest.
    "luntan.ops.middleware.OpsMiddleware",
    # A plain guest's cached index/board/thread page, answered here (issue 15); misses and
    # everyone else go on through the chain.
    "luntan.admincenter.middleware.EarlyGuestPageMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "luntan.api.middleware.ProblemMiddleware",
    "luntan.core.middleware.RequestStatsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "luntan.core.middleware.SiteLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "luntan.permissions.middleware.ViewerMiddleware",
    "luntan.bans.middleware.BanMiddleware",
    # 站点关闭: everyone but staff gets the closed page (after the viewer is known).
    "luntan.admincenter.middleware.SiteClosedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # 管理人员必须启用两步验证: staff without a second factor set one up before /admin-center/
    # and /mod/ (a path test elsewhere; no query).
    "luntan.admincenter.middleware.StaffMFAMiddleware",
    "luntan.accounts.middleware.SiteContextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "luntan.core.middleware.ViewerTimezoneMiddleware",
    "luntan.online.middleware.OnlineMiddleware",
    "luntan.pagecache.cache.GuestPageCacheMiddleware",
]

ROOT_URLCONF = "luntan.urls"
WSGI_APPLICATION = "luntan.wsgi.application"
ASGI_APPLICATION = "luntan.asgi.application"

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
                "luntan.core.context_processors.extras",
                "luntan.permissions.context_processors.viewer",
                "luntan.notifications.context_processors.notifications",
                "luntan.accounts.context_processors.avatar",
            ],
            # {% url %} memoised (luntan/core/templatetags/cachedurl.py).
            "builtins": ["luntan.core.templatetags.cachedurl"],
        },
    },
    # Precompiled (Jinja2) templates for the hot loops only: the thread page's floors
    # (luntan/threads/jinja2/threads/_floors.html), where a Django template costs the
    # page ~25 % of its CPU time. Templates live in each app's ``jinja2/`` folder.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "luntan.core.jinja.environment"},
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
elif env_int("LUNTAN_DB_POOL_SIZE", 4) > 0:
    # Under ASGI every request runs its sync code in a thread of its own, so a kept
    # connection per thread piles up one idle connection per recent request, until
    # PostgreSQL refuses more ("too many clients already": pages answered 500 under load).
    # A psycopg pool per worker process (LUNTAN_DB_POOL_SIZE connections at most) lends
    # each request a connection and takes it back when the request ends.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": env_int("LUNTAN_DB_POOL_SIZE", 4),
        "timeout": 10,  # seconds a request waits for a free connection before failing
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE") or 60
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "luntan.accounts.hashers.DiscuzPasswordHasher",
    "luntan.accounts.hashers.DiscuzGBKPasswordHasher",
    "luntan.accounts.hashers.DiscuzBig5PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "account_login"
AUTHENTICATION_BACKENDS = [
    # Django's ModelBackend with the per-request user load precompiled; Django's own stays
    # listed so sessions stored with its path keep loading.
    "luntan.accounts.backends.ModelBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Two caches. "default": fast, may be per process (page fragments, settings, view
# de-duplication). "shared": what every worker and app server must agree on (the guest
# page generation, webhook subscriptions, captcha replay, login failures, mail caps, rate
# limits; luntan.core.cache.shared_cache). With REDIS_URL both are Redis; without it
# "default" is local memory and "shared" a file cache in LUNTAN_HOME (one machine).
if os.environ.get("REDIS_URL"):
    _REDIS = {
        "BACKEND": "luntan.core.cache.ResilientRedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": "luntan",
        "OPTIONS": {
            "socket_connect_timeout": float(os.environ.get("LUNTAN_REDIS_TIMEOUT", "0.5")),
            "socket_timeout": float(os.environ.get("LUNTAN_REDIS_TIMEOUT", "0.5")),
        },
    }
    CACHES = {"default": _REDIS, "shared": _REDIS}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(HOME / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        },
    }
ALTCHA_CACHE_ALIAS = "shared"  # a solved captcha is refused by every worker the second time
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Background tasks (mail, indexing, webhooks): "db" (default; `make run` starts
# `luntan db_worker` beside gunicorn), "rq" (Redis through django-tasks-rq; workers are
# `luntan rqworker default`; LUNTAN_RQ_URL, default REDIS_URL) or "immediate" (run inside
# the request; no worker needed).
_TASK_BACKENDS = {
    "db": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
LUNTAN_TASKS_BACKEND = os.environ.get("LUNTAN_TASKS_BACKEND", "db")
if LUNTAN_TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"LUNTAN_TASKS_BACKEND={LUNTAN_TASKS_BACKEND!r}: use one of {', '.join(_TASK_BACKENDS)}"
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[LUNTAN_TASKS_BACKEND]}}
# A job whose worker died or that raised is retried this many times (RQ only).
LUNTAN_TASK_RETRIES = env_int("LUNTAN_TASK_RETRIES", 3)
_RQ_URL = os.environ.get("LUNTAN_RQ_URL") or os.environ.get("REDIS_URL", "")
if LUNTAN_TASKS_BACKEND == "rq":
    if not _RQ_URL:
        raise ImproperlyConfigured("LUNTAN_TASKS_BACKEND=rq needs REDIS_URL (or LUNTAN_RQ_URL)")
    INSTALLED_APPS.append("django_rq")
    # A job Redis cannot take (it is down) waits in the database queue instead, run by
    # `luntan db_worker --backend fallback` (luntan.core.taskqueue.FallbackRQBackend).
    TASKS = {
        "default": {"BACKEND": "luntan.core.taskqueue.FallbackRQBackend"},
        "fallback": {"BACKEND": _TASK_BACKENDS["db"]},
    }
    # Workers run django-tasks' Task objects through django-tasks-rq's job class.
    RQ = {"JOB_CLASS": "django_tasks_rq.backend.Job"}
    RQ_QUEUES = {
        "default": {
            "URL": _RQ_URL,
            "DEFAULT_TIMEOUT": env_int("LUNTAN_TASK_TIMEOUT", 300),
            "QUEUE_CLASS": "luntan.core.taskqueue.RetryingQueue",
        }
    }

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# luntan.permissions is a plain package, not an installed app (importing it loads models,
# which an app module must not do while the registry is being populated), so its
# catalogue of refusal messages is listed here.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "permissions" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STORAGES: dict[str, dict[str, Any]] = {
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
# Uploads (attachments, thumbnails, avatars) in S3-compatible object storage through
# django-storages when LUNTAN_S3_BUCKET is set, so every app server sees the same files:
# LUNTAN_S3_ENDPOINT_URL (SeaweedFS, MinIO, a cloud's S3; unset: AWS), LUNTAN_S3_ACCESS_KEY,
# LUNTAN_S3_SECRET_KEY, LUNTAN_S3_REGION, LUNTAN_S3_PREFIX (a folder in the bucket),
# LUNTAN_S3_CUSTOM_DOMAIN (public host serving the bucket for avatar URLs) and
# LUNTAN_S3_SIGNED_URLS (default on: avatar URLs carry a signature valid an hour).
# Attachments are always streamed through the app (permission checks, counters).
if os.environ.get("LUNTAN_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["LUNTAN_S3_BUCKET"],
            "endpoint_url": os.environ.get("LUNTAN_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("LUNTAN_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("LUNTAN_S3_SECRET_KEY") or None,
            "region_name": os.environ.get("LUNTAN_S3_REGION") or None,
            "location": os.environ.get("LUNTAN_S3_PREFIX", ""),
            "custom_domain": os.environ.get("LUNTAN_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": env_bool("LUNTAN_S3_SIGNED_URLS", True),
            "addressing_style": "path",
            # As on disk: saving under a taken name picks a new one, never overwrites.
            "file_overwrite": False,
        },
    }

# LUNTAN_LOG_FORMAT=json: one JSON object per log line (time, level, logger, message,
# request_id; luntan.core.requestid); default: plain text with the request id.
_LOG_FORMATTERS = {
    "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    "json": {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
        "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        "timestamp": False,
    },
}
LUNTAN_LOG_FORMAT = os.environ.get("LUNTAN_LOG_FORMAT", "text")
if LUNTAN_LOG_FORMAT not in _LOG_FORMATTERS:
    raise ImproperlyConfigured(f"LUNTAN_LOG_FORMAT={LUNTAN_LOG_FORMAT!r}: use text or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "luntan.core.requestid.RequestIdFilter"}},
    "formatters": {"main": _LOG_FORMATTERS[LUNTAN_LOG_FORMAT]},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "main",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# HTTPS in production (LUNTAN_HTTPS=1): the proxy terminates TLS and says so in
# X-Forwarded-Proto (trusted only because the app servers listen to the proxy alone).
if env_bool("LUNTAN_HTTPS"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("LUNTAN_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("LUNTAN_HSTS_SUBDOMAINS")
    SECURE_HSTS_PRELOAD = env_bool("LUNTAN_HSTS_PRELOAD")

# Operations (luntan/ops/, docs/deployment.md): addresses or networks allowed to read
# /metrics (default loopback only), and seconds a queued task may wait before /healthz
# reports the task worker as stuck.
LUNTAN_METRICS_ALLOW = env_list("LUNTAN_METRICS_ALLOW", "127.0.0.1,::1")
LUNTAN_HEALTH_QUEUE_STALE_SECONDS = env_int("LUNTAN_HEALTH_QUEUE_STALE_SECONDS", 300)

# Forum behaviour.
LUNTAN_POSTS_PER_PAGE = int(os.environ.get("LUNTAN_POSTS_PER_PAGE", "20"))
LUNTAN_THREADS_PER_PAGE = int(os.environ.get("LUNTAN_THREADS_PER_PAGE", "20"))
# Minutes a visitor stays in 在线会员 on the index after their last page (Discuz! onlinehold).
LUNTAN_ONLINE_MINUTES = env_int("LUNTAN_ONLINE_MINUTES", 15)
# Private messages (luntan/pms/): members of one conversation, sender included (Discuz!
# chatpmmemberlimit), and the rate limit: at most COUNT messages per SECONDS per member.
LUNTAN_PM_MAX_MEMBERS = env_int("LUNTAN_PM_MAX_MEMBERS", 10)
LUNTAN_PM_RATE_COUNT = env_int("LUNTAN_PM_RATE_COUNT", 10)
LUNTAN_PM_RATE_SECONDS = env_int("LUNTAN_PM_RATE_SECONDS", 60)
# Guest pages (index, boards, threads) from the shared cache, invalidated by every
# committed write (luntan/pagecache/): seconds an entry is kept; 0 turns it off.
LUNTAN_PAGE_CACHE_SECONDS = env_int("LUNTAN_PAGE_CACHE_SECONDS", 60)
LUNTAN_IP2REGION_DB = os.environ.get("LUNTAN_IP2REGION_DB", "")
# IP bans always refuse posting, registration and log in; with this on (as Discuz! does)
# a banned address may not even read the forum.
LUNTAN_IP_BANS_BLOCK_VISITING = env_bool("LUNTAN_IP_BANS_BLOCK_VISITING")
# Seconds between flushes of the buffered thread view counts to the database.
LUNTAN_VIEW_FLUSH_SECONDS = float(os.environ.get("LUNTAN_VIEW_FLUSH_SECONDS", "10"))
# With Redis, views are counted there (one HINCRBY: a killed app server loses none) and
# folded into the database by any process every LUNTAN_VIEW_FLUSH_SECONDS or by
# `luntan flush_view_counts` (luntan.threads.view_counts.RedisViewStore).
LUNTAN_VIEWS_REDIS_URL = os.environ.get("LUNTAN_VIEWS_REDIS_URL") or os.environ.get("REDIS_URL", "")
# One viewer (member, or guest IP + User-Agent) adds one view per thread in this window;
# 0 counts every page view (luntan.threads.view_counts.first_view).
LUNTAN_VIEW_DEDUP_SECONDS = int(os.environ.get("LUNTAN_VIEW_DEDUP_SECONDS", "3600"))
# Least seconds between two searches of one member or IP (Discuz! searchctrl); 0 = off.
LUNTAN_SEARCH_INTERVAL = int(os.environ.get("LUNTAN_SEARCH_INTERVAL", "2"))
# Least seconds between two previews (预览) of one member, staff included; 0 = off.
LUNTAN_PREVIEW_INTERVAL = int(os.environ.get("LUNTAN_PREVIEW_INTERVAL", "2"))

# JSON API (/api/v1/, docs/api.md): requests per caller (token or member) and per IP
# address in a window, "N/seconds"; writes count against both limits. 0/… turns one off.
LUNTAN_API_RATE_READ = os.environ.get("LUNTAN_API_RATE_READ", "300/60")
LUNTAN_API_RATE_WRITE = os.environ.get("LUNTAN_API_RATE_WRITE", "30/60")

# Mail: the SMTP settings of 管理中心 › 全局 when set (luntan.core.mail), else SMTP when
# EMAIL_HOST is set, else printed to the console (see docs/accounts.md). EMAIL_BACKEND in
# the environment replaces all of that.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
LUNTAN_ENV_EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "luntan.core.mail.SiteEmailBackend")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "luntan <noreply@localhost>")
#: The public address of the site, for links in mail sent by the task worker (notices).
LUNTAN_SITE_URL = os.environ.get("LUNTAN_SITE_URL", "http://localhost:8000")

# Accounts (django-allauth; luntan/accounts/, docs/accounts.md).
ACCOUNT_ADAPTER = "luntan.accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "luntan.accounts.adapter.SocialAccountAdapter"
ACCOUNT_FORMS = {
    "signup": "luntan.accounts.forms.SignupForm",
    "login": "luntan.accounts.forms.LoginForm",
    "reset_password": "luntan.accounts.forms.ResetPasswordForm",
}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_USERNAME_MIN_LENGTH = 2  # characters; 张三 (dstrlen 4) passes, see usernames.py
ACCOUNT_USERNAME_VALIDATORS = "luntan.accounts.usernames.USERNAME_VALIDATORS"
ACCOUNT_PRESERVE_USERNAME_CASING = True
ACCOUNT_UNIQUE_EMAIL = True
# Members may log in before their e-mail is verified (as Discuz!'s 等待验证会员); the
# usergroup, not allauth, keeps them from posting until then.
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None  # the 记住我 box decides
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Failed logins: 5 per account (the "key": the name or e-mail typed) in 15 minutes, 10 a
# minute per IP; then the login form refuses (allauth rate limits, in the cache).
# Password reset: allauth's per-minute limits (20 a minute per IP, 5 per address), then a
# 429 page. Every account mail is also capped per address and per IP by the hour and day
# (luntan.accounts.mailcaps; counted in the cache, shared by all workers with Redis).
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/15m/key", "reset_password": "20/m/ip,5/m/key"}
LUNTAN_MAIL_CAPS_PER_ADDRESS = (
    (3600, env_int("LUNTAN_MAIL_PER_ADDRESS_HOUR", 5)),
    (86400, env_int("LUNTAN_MAIL_PER_ADDRESS_DAY", 10)),
)
LUNTAN_MAIL_CAPS_PER_IP = (
    (3600, env_int("LUNTAN_MAIL_PER_IP_HOUR", 20)),
    (86400, env_int("LUNTAN_MAIL_PER_IP_DAY", 50)),
)
# A password reset for an address without an account sends nothing (allauth would mail
# "no account here"); the page answers the same either way.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = os.environ.get("LUNTAN_HTTP_PROTOCOL", "http")
# Two-factor sign-in (allauth.mfa; docs/accounts.md, 两步验证): authenticator apps (TOTP),
# passkeys / security keys (WebAuthn) and recovery codes, for every member from 设置. Once
# set up it is asked at every login; the 管理中心 setting 管理人员必须启用两步验证 makes staff
# set it up (luntan.permissions.mfa). WebAuthn needs a secure context: https, or
# http://localhost; LUNTAN_WEBAUTHN_INSECURE=1 allows plain http (development only).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_ADAPTER = "luntan.accounts.adapter.MFAAdapter"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env_bool("LUNTAN_WEBAUTHN_INSECURE", DEBUG)
MFA_PASSKEY_LOGIN_ENABLED = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
# A remembered login lasts two weeks; without 记住我 the session ends with the browser.
SESSION_COOKIE_AGE = 14 * 24 * 3600
# Uploads: part headers that are not UTF-8 (a file named with raw bytes) are repaired
# before Django parses them, so such a file is kept, not silently dropped.
FILE_UPLOAD_HANDLERS = [
    "luntan.attachments.uploads.RepairingUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Days a deleted member's name stays reserved (nobody may register or be renamed to it).
LUNTAN_FREED_NAME_DAYS = env_int("LUNTAN_FREED_NAME_DAYS", 90)
# Extra reserved user names (comma separated), on top of luntan.accounts.usernames.RESERVED.
LUNTAN_RESERVED_USERNAMES = env_list("LUNTAN_RESERVED_USERNAMES", "")

# Human check (验证码): django-altcha proof of work, served from our static files.
# LUNTAN_CAPTCHA=0 is refused by a system check unless DEBUG is on (luntan/accounts/checks.py).
LUNTAN_CAPTCHA = env_bool("LUNTAN_CAPTCHA", True)
ALTCHA_HMAC_KEY = os.environ.get("ALTCHA_HMAC_KEY", "") or f"altcha:{SECRET_KEY}"
ALTCHA_CHALLENGE_EXPIRE = 20 * 60 * 1000
ALTCHA_INCLUDE_TRANSLATIONS = False
# Work per challenge: the browser tries on average half of this many SHA-256 hashes
# (about a second on a slow phone at the default).
LUNTAN_CAPTCHA_MAX_NUMBER = env_int("LUNTAN_CAPTCHA_MAX_NUMBER", 100_000)
# Who is asked (Discuz!'s 验证码 settings): members with fewer posts than this solve it for
# a new thread or reply (0: never; edits never); the login form asks for it from an IP
# after this many failed logins within LUNTAN_CAPTCHA_LOGIN_WINDOW seconds (0: always).
LUNTAN_CAPTCHA_FIRST_POSTS = env_int("LUNTAN_CAPTCHA_FIRST_POSTS", 5)
LUNTAN_CAPTCHA_LOGIN_FAILURES = env_int("LUNTAN_CAPTCHA_LOGIN_FAILURES", 3)
LUNTAN_CAPTCHA_LOGIN_WINDOW = env_int("LUNTAN_CAPTCHA_LOGIN_WINDOW", 900)
# Board and post passwords (版块密码, 密码帖): after this many wrong passwords from a member
# (a guest: an IP) within LUNTAN_PASSWORD_ATTEMPT_WINDOW seconds every try is refused
# until the window ends (0: no limit); luntan/permissions/password_attempts.py.
LUNTAN_PASSWORD_ATTEMPTS = env_int("LUNTAN_PASSWORD_ATTEMPTS", 5)
LUNTAN_PASSWORD_ATTEMPT_WINDOW = env_int("LUNTAN_PASSWORD_ATTEMPT_WINDOW", 900)

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
# 管理中心: seconds one password confirmation (sudo mode) lasts (docs/admin-center.md).
LUNTAN_ADMIN_SUDO_SECONDS = env_int("LUNTAN_ADMIN_SUDO_SECONDS", 1800)

# Unread tracking (luntan.unread, docs/unread.md): threads whose last post is older than
# this many days count as read, and their per-member rows are pruned (prune_unread).
LUNTAN_UNREAD_DAYS = int(os.environ.get("LUNTAN_UNREAD_DAYS", "30"))
# Live replies (luntan.live, docs/live.md): Redis pub/sub when REDIS_URL is set, else the
# shared cache polled by each process; a stream is closed (and reopened by the browser)
# after LUNTAN_LIVE_SECONDS.
LUNTAN_LIVE_REDIS_URL = os.environ.get("REDIS_URL", "")
LUNTAN_LIVE_SECONDS = int(os.environ.get("LUNTAN_LIVE_SECONDS", "300"))
