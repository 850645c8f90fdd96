"""Settings for the suite: the database comes from LEMKIN_DATABASE_URL (SQLite by default, PostgreSQL in
the second pass); fixed keys; a fast password hasher (the production hasher is checked by its own test)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import database_from_url

SECRET_KEY = "lemkin-test-secret-key-not-for-production-use-0123456789"  # noqa: S105
AUDIT_KEY = "lemkin-test-audit-key"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DATA_DIR = Path(tempfile.gettempdir()) / f"lemkin-test-{os.getpid()}"
DATABASES = {
    "default": database_from_url(os.environ.get("LEMKIN_DATABASE_URL", f"sqlite:///{DATA_DIR / 'lemkin-test.sqlite3'}"))
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A test database in a file, not Django's default shared-cache memory database: the suite then runs on
    # SQLite as deployed (WAL, BEGIN IMMEDIATE, busy timeout), which the concurrency drills depend on.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "lemkin-test-db.sqlite3")}
# Tests with committed transactions restore the seeded rows from a snapshot (serialized rollback); the audit log
# stays out of it, since re-saving its rows is an UPDATE its append-only triggers refuse.
TEST_NON_SERIALIZED_APPS = ["lemkin.apps.audit"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# No collected static files outside production: WhiteNoise serves straight from the finders.
STATIC_ROOT = None  # type: ignore[assignment]
