"""Tongxin settings, read from the environment.

Every knob is a ``TONGXIN_*`` variable (or ``DATABASE_URL``/``SECRET_KEY``); see
``docs/deployment.md``. Mechanism apps are discovered, not listed: any package
``tongxin/<name>/`` with an ``apps.py`` is installed, so adding a mechanism edits no
file of the core (``docs/mechanisms.md``).
"""

from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from tongxin.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("TONGXIN_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("TONGXIN_DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "tongxin-insecure-development-key-change-me-in-production")
# Key for encrypting ID numbers at rest (Fernet, urlsafe base64 of 32 bytes). When unset
# it is derived from SECRET_KEY so a demo works out of the box; production sets its own.
TONGXIN_FIELD_KEY = env_str("TONGXIN_FIELD_KEY", "")
ALLOWED_HOSTS = env_list("TONGXIN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("TONGXIN_CSRF_TRUSTED_ORIGINS", [])


def _discover_mechanisms(package_dir: Path = PACKAGE_DIR) -> list[str]:
    disabled = set(env_list("TONGXIN_DISABLED_APPS", []))
    found = []
    for child in sorted(package_dir.iterdir()):
        if child.name in {"core", *disabled} or child.name.startswith(("_", ".")):
            continue
        if (child / "apps.py").is_file() and (child / "__init__.py").is_file():
            found.append(f"tongxin.{child.name}")
    return found


MECHANISM_APPS = _discover_mechanisms()

# Tongxin's apps first: for a string translated by two apps, Django uses the catalogue
# of the app listed first ("Disabled" is 残疾人 here, 禁用 in Django's own), and the
# core's templates override third-party ones (the API docs page).
INSTALLED_APPS = [
    "tongxin.core",
    *MECHANISM_APPS,
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tongxin.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tongxin.urls"
WSGI_APPLICATION = "tongxin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tongxin.core.context_processors.tongxin",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# SQLite under var/ is the embedded default. WAL lets readers and one writer work at once;
# IMMEDIATE transactions take the write lock at BEGIN, so two processes (web + worker)
# queue on busy_timeout instead of failing with "database is locked" on lock upgrade.
DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'tongxin.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL", DEFAULT_SQLITE)
CONN_MAX_AGE = env_int("TONGXIN_CONN_MAX_AGE", 600)
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=30000;PRAGMA foreign_keys=ON;"
        ),
    }
    _db["TEST"] = {"NAME": env_str("TONGXIN_TEST_SQLITE", "") or None}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Login throttling (core.throttle): failures per phone and per client address in a window.
TONGXIN_LOGIN_MAX_FAILURES = env_int("TONGXIN_LOGIN_MAX_FAILURES", 5)
TONGXIN_LOGIN_MAX_FAILURES_PER_IP = env_int("TONGXIN_LOGIN_MAX_FAILURES_PER_IP", 30)
TONGXIN_LOGIN_WINDOW_SECONDS = env_int("TONGXIN_LOGIN_WINDOW_SECONDS", 15 * 60)
# Reverse proxies whose X-Forwarded-For is believed (``core.throttle.client_ip``): nginx on
# the same machine is 127.0.0.1. Empty: the direct peer is the client.
TONGXIN_TRUSTED_PROXIES = frozenset(env_list("TONGXIN_TRUSTED_PROXIES", []))

# --- Background tasks (django.tasks + django-tasks-db; `manage.py db_worker`) ------------
TASKS = {
    "default": {
        "BACKEND": env_str("TONGXIN_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Uploads (report photos) live under var/media and are served only through views that check
# who asks (never as public static files).
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media-not-served/"

# --- Notices (core.outbox, core.delivery) ------------------------------------------------
# A claimed notice not recorded within the lease is delivered again (same delivery id).
TONGXIN_OUTBOX_LEASE_SECONDS = env_int("TONGXIN_OUTBOX_LEASE_SECONDS", 60)
# The sweep: a recurring task that picks up anything due that no task is carrying.
TONGXIN_OUTBOX_SWEEP_SECONDS = env_int("TONGXIN_OUTBOX_SWEEP_SECONDS", 30)
TONGXIN_OUTBOX_RETRY_SECONDS = env_int("TONGXIN_OUTBOX_RETRY_SECONDS", 15)  # first retry; doubles to 1 h
TONGXIN_SITE_URL = env_str("TONGXIN_SITE_URL", "http://127.0.0.1:8000")  # links in e-mails
if env_str("TONGXIN_EMAIL_HOST", ""):
    _mailer = {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {
        "host": env_str("TONGXIN_EMAIL_HOST", ""), "port": env_int("TONGXIN_EMAIL_PORT", 25),
        "username": env_str("TONGXIN_EMAIL_USER", ""), "password": env_str("TONGXIN_EMAIL_PASSWORD", ""),
        "use_tls": env_bool("TONGXIN_EMAIL_TLS", False), "use_ssl": env_bool("TONGXIN_EMAIL_SSL", False),
        "timeout": 20,
    }}
else:  # no mail server (an intranet demo): mails are written to var/mail/, one file each
    _mailer = {"BACKEND": "django.core.mail.backends.filebased.EmailBackend",
               "OPTIONS": {"file_path": str(VAR_DIR / "mail")}}
MAILERS = {"default": _mailer}
DEFAULT_FROM_EMAIL = env_str("TONGXIN_EMAIL_FROM", "同心 <tongxin@localhost>")

# --- Internationalisation: Chinese first, English complete beside it -----------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LANGUAGE_COOKIE_NAME = "tongxin_language"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files: everything served by the app itself (no CDN) ------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Security --------------------------------------------------------------------------
# A strict policy from the first page: scripts and styles only from our own origin, no
# inline code anywhere (pages pass data with json_script and data-* attributes).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("TONGXIN_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- REST API --------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "tongxin.core.pagination.KeysetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "600/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tongxin (同心) API",
    "DESCRIPTION": "Community co-governance platform API. Personal data is masked unless the caller's role needs it.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Per process. Room for every door's QR code of a district (the default 300 entries made a
# site of 2,000 doors cull a third of the cache, categories and calendar included, every few
# reports: bench/bench_demands.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                      "OPTIONS": {"MAX_ENTRIES": env_int("TONGXIN_CACHE_ENTRIES", 20000)}}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("TONGXIN_LOG_LEVEL", "WARNING")},
}

TONGXIN_DEMO_PASSWORD = env_str("TONGXIN_DEMO_PASSWORD", "tongxin-demo")
