"""``lemkin backup PATH`` and ``lemkin restore PATH``."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from . import console, fail, setup_django


def backup(path: Path = typer.Argument(..., help="File to write (mode 0600)")) -> None:
    """Write a consistent online copy of the database (SQLite backup API, or pg_dump for PostgreSQL)."""
    setup_django()
    from lemkin.site.backup import BackupError
    from lemkin.site.backup import backup as make_backup

    started = time.perf_counter()
    try:
        result = make_backup(path)
    except BackupError as error:
        fail(str(error))
    console.print(
        f"Backed up the {result.engine} database to {result.path} "
        f"({result.size:,} bytes, {time.perf_counter() - started:.2f} s)"
    )


def restore(path: Path = typer.Argument(..., help="A file written by `lemkin backup`")) -> None:
    """Replace the database's content with a backup, then verify the restored audit chain."""
    setup_django()
    from lemkin.apps.audit.services import verify
    from lemkin.site.backup import BackupError
    from lemkin.site.backup import restore as restore_backup

    started = time.perf_counter()
    try:
        engine = restore_backup(path)
    except BackupError as error:
        fail(str(error))
    verdict = verify()
    console.print(f"Restored the {engine} database from {path} in {time.perf_counter() - started:.2f} s; {verdict}")
    if not verdict.ok:
        raise typer.Exit(1)
