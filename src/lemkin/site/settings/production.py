"""Production: HTTPS only, keys and hosts from the environment (the process refuses to start without them)."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, AUDIT_KEY, SECRET_KEY

if len(SECRET_KEY) < 50 or not AUDIT_KEY or not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "production settings need LEMKIN_SECRET_KEY (50+ characters), LEMKIN_AUDIT_KEY and LEMKIN_ALLOWED_HOSTS"
    )

DEBUG = False
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-lemkin-session"
CSRF_COOKIE_NAME = "__Host-lemkin-csrf"
