"""Settings for the delivery-plan tracker, read from the environment.

Development defaults are safe to run on a laptop (SQLite file, DEBUG on, console e-mail).
Production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; with DEBUG off the
security settings below make `manage.py check --deploy` clean.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or default


# Off unless set: a deployment that forgets it must not serve tracebacks. `make run`, `make test`
# and the other development targets set DEBUG=true.
DEBUG = env_bool("DEBUG", False)

# Required to serve with DEBUG off: csp/wsgi.py refuses to start without it, and Django refuses
# any use of it. Commands that do not need it (migrate, makemigrations, collectstatic) run.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "development-only-key-not-for-production-use-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "import_export",
    "simple_history",
    "axes",
    "plans",
    "indicators",
    "priorities",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A visitor's cached public page or 304, before the rest (csp/public_pages.py).
    "csp.public_pages.public_pages_first",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.security.security_headers",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "csp.urls"
WSGI_APPLICATION = "csp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "plans.context_processors.roles",
            ],
            "builtins": [
                "plans.templatetags.plan_text",
                "plans.templatetags.govuk",
                "indicators.templatetags.figure_text",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Each worker keeps its connection: opening one per request costs more than serving a
        # cached public page (plans/public_cache.py).
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=os.environ.get("CONN_HEALTH_CHECKS", "true").lower() == "true",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = "csp.sqlite"  # the same, with SQLite's real limits
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A runaway query (an admin page at national scale) is stopped by the database before
    # the worker is killed, so the person sees an error page, not a dropped connection.
    DATABASE_STATEMENT_TIMEOUT_MS = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "25000"))
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-in while locked out
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "csp.storage.HashedStaticFilesStorage"
        )
    },
}

# An officer's page sends every box of every item at once: seven an indicator, four an action.
# Django's defaults (1,000 fields, 2.5 MB) refuse the page of an agency with 140 indicators, or
# one with long notes; these take about 1,400 indicators, or 500 items each with a full note.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "csp-delivery@localhost")

# Who is asking: behind reverse proxies (PROXY_COUNT=1 for one nginx that appends the visitor's
# address to X-Forwarded-For), the visitor's address is read from that header; without, it is
# the connection's (see csp.security.client_ip). Used by the sign-in lock-out and the
# password-reset limit, so one proxy address must not stand for every visitor.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

# Sign-in: five wrong passwords lock that account, and separately that address, for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "csp.security.client_ip"
AXES_USERNAME_CALLABLE = "csp.security.username_for_lockout"
AXES_VERBOSE = False

# Password reset: at most five requests an hour from one address or for one e-mail address.
PASSWORD_RESET_RATE = "5/h"

# A shared cache (Redis) keeps those limits across Gunicorn's workers; without REDIS_URL each
# process counts on its own, which is enough for development.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "signed-in"
LOGOUT_REDIRECT_URL = "home"
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Imports are all-or-nothing: one bad row and no row is saved. Importing needs the right to
# change the model, exporting the right to view it (unset, any staff account could do both).
# Cells a spreadsheet would run as formulas are written as text by our own export formats
# (plans/spreadsheets.py): the library's IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only drops a
# leading "=", leaving "+", "-" and "@" formulas live.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
