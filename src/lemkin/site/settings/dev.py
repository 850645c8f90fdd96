"""Settings for `make run`: one machine, SQLite in WAL mode, plain HTTP on 127.0.0.1."""

from __future__ import annotations

import secrets

from .base import *  # noqa: F403
from .base import AUDIT_KEY, DATA_DIR, SECRET_KEY

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]


def _key_file(name: str, given: str) -> str:
    """A key from the environment, else one made once and kept (mode 0600) in the data folder."""
    if given:
        return given
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _key_file("secret.key", SECRET_KEY)
AUDIT_KEY = _key_file("audit.key", AUDIT_KEY)
# Static files straight from the finders, so `make run` works before collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# No collected static files outside production: WhiteNoise serves straight from the finders.
STATIC_ROOT = None  # type: ignore[assignment]
