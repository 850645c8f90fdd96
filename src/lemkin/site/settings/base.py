"""Settings shared by every environment. Environment variables (all optional in dev):

- ``LEMKIN_DATABASE_URL``: ``sqlite:///path`` (default: ``var/lemkin.sqlite3`` in the project folder) or
  ``postgres://user@host:port/name``.
- ``LEMKIN_SECRET_KEY``, ``LEMKIN_AUDIT_KEY`` (the key of the audit log's hash chain), ``LEMKIN_ALLOWED_HOSTS``.
- ``LEMKIN_DATA_DIR``: where the SQLite database, backups and exports live (default ``var/``).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from lemkin.site.logs import FORMATTERS, console_handler

SITE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = SITE_DIR.parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = Path(os.environ.get("LEMKIN_DATA_DIR", PROJECT_DIR / "var"))

SECRET_KEY = os.environ.get("LEMKIN_SECRET_KEY", "")
AUDIT_KEY = os.environ.get("LEMKIN_AUDIT_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("LEMKIN_ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "lemkin.apps.accounts",
    "lemkin.apps.audit",
    "lemkin.apps.watchlist",
    "lemkin.apps.planning",
    "lemkin.apps.cases",
    "lemkin.site",
]

# The security headers come first, so that every answer carries them: static files (WhiteNoise answers before
# the rest runs), CommonMiddleware's trailing-slash redirects, refusals and error pages (SE-3). Every answer of
# the application itself is marked not to be stored, and the session cookie keeps its flags when deleted
# (``lemkin.site.headers``); static files keep their caching.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lemkin.site.headers.PrivateAnswersMiddleware",
    "lemkin.site.headers.NoNulCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "lemkin.site.banner.BannerMiddleware",
    "lemkin.apps.audit.middleware.RequestContextMiddleware",
    "lemkin.apps.accounts.access.AccessControlMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lemkin.site.urls"
WSGI_APPLICATION = "lemkin.site.wsgi.application"
AUTH_USER_MODEL = "accounts.Person"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lemkin.site.context.lemkin",
            ],
        },
    }
]


def database_from_url(url: str) -> dict[str, object]:
    """A DATABASES entry from a URL; SQLite gets WAL, IMMEDIATE transactions and a busy timeout."""
    config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=0))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        Path(str(config["NAME"])).parent.mkdir(parents=True, exist_ok=True)
        config["OPTIONS"] = {
            # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at BEGIN so
            # concurrent writers queue (busy timeout) instead of failing with "database is locked".
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return config


DATABASE_URL = os.environ.get("LEMKIN_DATABASE_URL", f"sqlite:///{DATA_DIR / 'lemkin.sqlite3'}")
DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ATOMIC_REQUESTS = True
DATABASES["default"]["ATOMIC_REQUESTS"] = True

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): lock an account-and-address pair after 10 failures for 30 minutes.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "lemkin.apps.accounts.forms.attempted_username"

# Sessions end after 30 minutes without a request (the cookie age, refreshed on every request) and 12 hours after
# sign-in whatever the activity (enforced by the access-control middleware): NIST SP 800-63B (2017), section
# 4.2.3, reauthentication at AAL2.
SESSION_COOKIE_AGE = 30 * 60
LEMKIN_SESSION_ABSOLUTE_LIMIT = 12 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (Django's own middleware): scripts and styles only from this site, no inline script.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = PACKAGE_DIR / "site" / "staticfiles"
STATICFILES_DIRS = [
    ("uswds", PROJECT_DIR / "node_modules" / "@uswds" / "uswds" / "dist"),
    ("htmx", PROJECT_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

NINJA_PAGINATION_PER_PAGE = 100

# One JSON object a line (lemkin.site.logs, AU-6): 404s and refusals (django.request, django.security) as
# warnings, server errors, sign-in lockouts (axes) and Lemkin's own messages.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": FORMATTERS,
    "handlers": {"console": console_handler()},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "lemkin": {"level": "INFO"},
    },
}
