"""Consistent online backups and restores of the database.

SQLite: the backup API copies a consistent snapshot while the server keeps running (WAL readers and writers
go on). PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean``. Both refuse a file that is not a
Lemkin backup of the same kind before touching anything, and check the audit chain after a restore.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
REQUIRED_TABLE = "audit_auditevent"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says what and where."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    engine: str
    size: int


def _database() -> dict[str, Any]:
    return settings.DATABASES["default"]


def _engine() -> str:
    engine = str(_database()["ENGINE"])
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"database engine {engine}: backups support SQLite and PostgreSQL only")


def _pg_url() -> str:
    db = _database()
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = db.get("HOST") or ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgresql://{auth}{host}{port}/{db['NAME']}"


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found on PATH: install the PostgreSQL client programs")
    return found


def backup(path: Path) -> BackupResult:
    """Write a consistent copy of the database to ``path`` (mode 0600), via a temporary file and a rename."""
    if not path.parent.is_dir():
        raise BackupError(f"{path}: folder {path.parent} does not exist")
    engine = _engine()
    handle, temporary = tempfile.mkstemp(prefix=".lemkin-backup-", dir=path.parent)
    os.close(handle)
    tmp = Path(temporary)
    try:
        if engine == "sqlite":
            source = sqlite3.connect(str(_database()["NAME"]))
            target = sqlite3.connect(tmp)
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
        else:
            subprocess.run(  # noqa: S603
                [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(tmp), _pg_url()],
                check=True,
                capture_output=True,
            )
        tmp.chmod(0o600)
        tmp.replace(path)
    except subprocess.CalledProcessError as error:
        raise BackupError(f"pg_dump failed: {error.stderr.decode(errors='replace').strip()}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return BackupResult(path, engine, path.stat().st_size)


def _check_sqlite_backup(path: Path) -> None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as probe:
            tables = {row[0] for row in probe.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            (status,) = probe.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path}: not a readable SQLite database ({error})") from None
    if REQUIRED_TABLE not in tables:
        raise BackupError(f"{path}: a SQLite database, but not a Lemkin backup (no {REQUIRED_TABLE} table)")
    if status != "ok":
        raise BackupError(f"{path}: the backup is damaged (integrity check: {status})")


def restore(path: Path) -> str:
    """Replace the database's content with the backup at ``path``; refuses a file of the wrong kind."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    engine = _engine()
    with path.open("rb") as stream:
        head = stream.read(len(SQLITE_MAGIC))
    if engine == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{path}: not a SQLite backup (the database is SQLite)")
        _check_sqlite_backup(path)
        connections.close_all()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(str(_database()["NAME"]))
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        if not head.startswith(PG_MAGIC):
            raise BackupError(f"{path}: not a pg_dump custom-format backup (the database is PostgreSQL)")
        connections.close_all()
        result = subprocess.run(  # noqa: S603
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                _pg_url(),
                str(path),
            ],
            capture_output=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.decode(errors='replace').strip()}")
    return engine
