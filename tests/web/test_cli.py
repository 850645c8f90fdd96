"""The ``lemkin`` command: bad input gives one clear line and a non-zero exit, and writes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lemkin.apps.accounts.models import Person
from lemkin.apps.audit.models import AuditEvent
from lemkin.cli import app

runner = CliRunner()
LEMKIN = [sys.executable, "-m", "lemkin.cli"]


@pytest.mark.django_db
def test_createuser_makes_a_person_with_roles_clearance_and_compartments_attributed_to_the_cli() -> None:
    from lemkin.apps.accounts.models import Compartment

    Compartment.objects.create(code="KESTREL", name="Kestrel")
    result = runner.invoke(
        app,
        [
            *("createuser", "dana", "--agency", "state", "--role", "analyst", "--role", "planner"),
            *("--clearance", "S", "--compartment", "kestrel", "--full-name", "Dana Reyes"),
        ],
    )
    assert result.exit_code == 0, result.output
    dana = Person.objects.get(username="dana")
    assert (dana.agency.code, dana.clearance, dana.roles) == ("STATE", 2, frozenset({"analyst", "planner"}))
    assert dana.compartment_codes == frozenset({"KESTREL"})
    assert "Password (shown once)" in result.output
    assert AuditEvent.objects.filter(object_type="accounts.person", actor__startswith="cli:").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--agency", "ministry-of-truth", "--role", "analyst"], "--agency 'ministry-of-truth': no such agency"),
        (["--agency", "STATE", "--role", "spymaster"], "--role spymaster: unknown role"),
        (["--agency", "STATE", "--role", "analyst", "--clearance", "Q"], "--clearance 'Q': use one of"),
        (["--agency", "STATE", "--role", "analyst", "--compartment", "NOPE"], "--compartment NOPE: no such"),
    ],
)
def test_createuser_refuses_bad_input_in_one_line_and_writes_nothing(arguments: list[str], message: str) -> None:
    people, events = Person.objects.count(), AuditEvent.objects.count()
    result = runner.invoke(app, ["createuser", "erin", *arguments])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert (Person.objects.count(), AuditEvent.objects.count()) == (people, events)


@pytest.mark.django_db
def test_audit_verify_exits_non_zero_and_names_the_tampered_row() -> None:
    from django.db import connection

    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_no_update")
        cursor.execute("UPDATE audit_auditevent SET actor = 'mallory' WHERE seq = 2")
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "TAMPERED at seq 2" in result.output


def run_lemkin(env: dict[str, str], *arguments: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*LEMKIN, *arguments], env=env, capture_output=True, text=True, input=stdin, timeout=300, check=False
    )


def cli_env(tmp_path: Path, database_url: str | None = None) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lemkin.site.settings.dev", "LEMKIN_DATA_DIR": str(tmp_path)}
    env.pop("LEMKIN_DATABASE_URL", None)
    if database_url:
        env["LEMKIN_DATABASE_URL"] = database_url
    return env


def backup_round_trip(env: dict[str, str], tmp_path: Path) -> None:
    """Back up, add a person, restore: the person added after the backup is gone and the chain verifies."""
    assert run_lemkin(env, "manage", "migrate", "-v", "0").returncode == 0
    made = run_lemkin(env, "createuser", "kept", "--agency", "NSC", "--role", "analyst")
    assert made.returncode == 0, made.stderr
    backup = tmp_path / "lemkin.backup"
    done = run_lemkin(env, "backup", str(backup))
    assert done.returncode == 0, done.stderr
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    assert run_lemkin(env, "createuser", "later", "--agency", "NSC", "--role", "analyst").returncode == 0
    restored = run_lemkin(env, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr + restored.stdout
    assert "audit log intact" in restored.stdout
    listing = run_lemkin(
        env,
        "manage",
        "shell",
        "-c",
        "from lemkin.apps.accounts.models import Person as P; "
        "print(sorted(P.objects.values_list('username', flat=True)))",
    )
    assert listing.stdout.strip().splitlines()[-1] == "['kept']", listing.stderr


def test_backup_and_restore_round_trip_on_sqlite(tmp_path: Path) -> None:
    """BK-1 (SQLite): a consistent online copy via the backup API, restored whole."""
    backup_round_trip(cli_env(tmp_path), tmp_path)


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    assert run_lemkin(env, "manage", "migrate", "-v", "0").returncode == 0
    assert run_lemkin(env, "createuser", "kept", "--agency", "NSC", "--role", "analyst").returncode == 0
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database")
    result = run_lemkin(env, "restore", str(bogus))
    assert result.returncode == 2
    assert f"{bogus}: not a SQLite backup" in " ".join(result.stderr.split())
    assert run_lemkin(env, "audit", "verify").returncode == 0
    missing = run_lemkin(env, "backup", str(tmp_path / "no-such-folder" / "x.backup"))
    assert missing.returncode == 2
    assert "does not exist" in missing.stderr


@pytest.mark.postgres
def test_backup_and_restore_round_trip_on_postgresql(tmp_path: Path) -> None:
    """BK-1 (PostgreSQL): pg_dump custom format, pg_restore --clean into the same database."""
    import psycopg

    base = os.environ["LEMKIN_DATABASE_URL"]
    name = f"lemkin_backup_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        backup_round_trip(cli_env(tmp_path, base.rsplit("/", 1)[0] + f"/{name}"), tmp_path)
    finally:
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_version_and_help(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("serve", "demo", "createuser", "audit", "backup", "restore"):
        assert command in result.output
