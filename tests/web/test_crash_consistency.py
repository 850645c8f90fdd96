"""Imports are all or nothing, even when the process dies (DI-2), and importing the same file again changes no
figure (DI-4).

DI-2 runs the real command, ``lemkin events import`` (a 50,000-row UCDP GED file) and ``lemkin risk import`` (the
Early Warning Project's panel), in a child process against a real database: a SQLite file in WAL mode, and a
PostgreSQL database of the test's own, dropped afterwards. Two complete imports, side by side as the trials run,
give the "after" state (both must leave the same one) and the import's duration T. Then each of 20 trials starts
the import afresh on a copy of the "before" database and sends it SIGKILL at a point between 0 and T: one point
at a random place in each twentieth, from a fixed seed, so the run is repeatable and some kills land before the
import writes anything, some while it writes and some after it has committed. The points reach a tenth beyond T,
so that the last ones come after the end of the import even when a trial runs a little slower than the
measurement. The clock is the child's own CPU time (user + system, from ``/proc``), not the wall clock: where a
kill lands in the import's work then does not depend on how busy the machine is.

After each trial every table of the database is summarised as its row count and the SHA-256 of its sorted rows;
the summary must equal the "before" or the "after" summary, never something in between, and both outcomes must
occur. Values that differ from one run to the next by nature are masked first: timestamps (also inside JSON,
such as the audit log's row diffs), the audit chain's MACs, which cover the timestamps, and the id each command
run gives its audit events. SQLite's ``integrity_check`` and ``foreign_key_check``, and PostgreSQL's ``amcheck``
on every B-tree index, must find nothing. ``pytest -s`` prints every trial's kill point and outcome.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from benchmarks.bench_event_import import write_ged

SEED = 20_260_101
#: The goal's drill is 20 trials per import and database (``LEMKIN_DI2_TRIALS=20``, about 10 minutes for both
#: databases on two cores); the suite runs 6, which keeps both ends and four random points in between.
TRIALS = int(os.environ.get("LEMKIN_DI2_TRIALS", "6"))
EVENT_ROWS = 50_000
#: The kill points reach a tenth beyond T (see above).
MARGIN = 0.1
#: Trials run two at a time (each on its own database); the CPU-time clock keeps the kill points unaffected.
PARALLEL = 2
LEMKIN = [sys.executable, "-m", "lemkin.cli"]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d(?::?\d\d)?)?")
#: Columns that differ between two identical runs by nature: the audit chain's MACs (they cover the times) and
#: the id each command run gives its audit events.
PER_RUN_COLUMNS = frozenset({"mac", "prev_mac", "request_id"})

Snapshot = dict[str, tuple[int, str]]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="the kill clock reads /proc/<pid>/stat"),
]


# --- summarising a database ------------------------------------------------------------------------
def _masked(column: str, value: Any) -> str:
    """A value as text, with what differs between two identical imports by nature (times, MACs, run ids) masked."""
    if column in PER_RUN_COLUMNS:
        return f"<{column}>"
    if isinstance(value, dt.datetime):
        return "<time>"
    if isinstance(value, dict | list):
        value = json.dumps(value, sort_keys=True, default=str)
    if isinstance(value, str):
        return "s:" + TIMESTAMP.sub("<time>", value)
    if isinstance(value, bytes | memoryview):
        return "b:" + bytes(value).hex()
    return f"{type(value).__name__}:{value}"


def summarise(rows_of: Callable[[str], tuple[list[str], list[tuple[Any, ...]]]], tables: list[str]) -> Snapshot:
    """Per table: the row count and the SHA-256 of its rows, each masked and the whole sorted."""
    snapshot: Snapshot = {}
    for table in tables:
        columns, rows = rows_of(table)
        lines = sorted("\x1f".join(_masked(c, v) for c, v in zip(columns, row, strict=True)) for row in rows)
        digest = hashlib.sha256("\x1e".join(lines).encode()).hexdigest()
        snapshot[table] = (len(lines), digest)
    return snapshot


def changed_tables(a: Snapshot, b: Snapshot) -> list[str]:
    return sorted(t for t in a.keys() | b.keys() if a.get(t) != b.get(t))


# --- the two kinds of database ------------------------------------------------------------------
class SQLiteFiles:
    """Each database is a file in a temporary folder, in WAL mode as Lemkin runs it."""

    name = "sqlite"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def url(self, db: str) -> str:
        return f"sqlite:///{self.folder / f'{db}.sqlite3'}"

    def path(self, db: str) -> Path:
        return self.folder / f"{db}.sqlite3"

    def create_empty(self, db: str) -> None:
        """Migrating creates the file."""

    def clone(self, source: str, db: str) -> None:
        with (
            contextlib.closing(sqlite3.connect(self.path(source))) as src,
            contextlib.closing(sqlite3.connect(self.path(db))) as dst,
        ):
            src.backup(dst)

    def snapshot(self, db: str) -> Snapshot:
        with contextlib.closing(sqlite3.connect(self.path(db))) as conn:
            tables = [
                row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            ]

            def rows_of(table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
                cursor = conn.execute(f'SELECT * FROM "{table}"')
                return [d[0] for d in cursor.description], cursor.fetchall()

            return summarise(rows_of, tables)

    def integrity_problems(self, db: str) -> list[str]:
        with contextlib.closing(sqlite3.connect(self.path(db))) as conn:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
            problems += [f"foreign key: {row}" for row in conn.execute("PRAGMA foreign_key_check")]
        return problems

    def drop(self, db: str) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path(db)}{suffix}").unlink(missing_ok=True)

    def drop_all(self) -> None:
        """The temporary folder goes with the test."""


class PostgresDatabases:
    """Each database is one of the test's own on the server (``lemkin_di2_<random>_<name>``), dropped at the end;
    nothing else on the server is touched."""

    name = "postgresql"

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.prefix = f"lemkin_di2_{uuid.uuid4().hex[:8]}_"
        self.made: list[str] = []

    def _admin(self) -> Any:
        import psycopg

        return psycopg.connect(self.server_url, autocommit=True)

    def url(self, db: str) -> str:
        return self.server_url.rsplit("/", 1)[0] + f"/{self.prefix}{db}"

    def create_empty(self, db: str) -> None:
        with self._admin() as admin:
            admin.execute(f'CREATE DATABASE "{self.prefix}{db}"')
        self.made.append(db)

    def clone(self, source: str, db: str) -> None:
        with self._admin() as admin:
            admin.execute(f'CREATE DATABASE "{self.prefix}{db}" TEMPLATE "{self.prefix}{source}"')
        self.made.append(db)

    def _wait_for_other_sessions(self, db: str) -> None:
        """A killed client's server process may still be finishing its last statement: wait until it is gone,
        so what is read is what stays."""
        with self._admin() as admin:
            for _ in range(500):
                (count,) = admin.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend'",
                    [self.prefix + db],
                ).fetchone()
                if count == 0:
                    return
                time.sleep(0.02)
        raise AssertionError(f"sessions on {self.prefix}{db} did not end")

    def snapshot(self, db: str) -> Snapshot:
        import psycopg

        self._wait_for_other_sessions(db)
        with psycopg.connect(self.url(db)) as conn:
            tables = [
                row[0]
                for row in conn.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                    "AND table_type = 'BASE TABLE' ORDER BY table_name"
                )
            ]

            def rows_of(table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
                cursor = conn.execute(f'SELECT * FROM "{table}"')
                return [d.name for d in cursor.description or []], cursor.fetchall()

            return summarise(rows_of, tables)

    def integrity_problems(self, db: str) -> list[str]:
        """``amcheck``'s ``bt_index_check`` on every B-tree index of the test's tables (it raises on corruption)."""
        import psycopg

        problems = []
        with psycopg.connect(self.url(db), autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
            indexes = conn.execute(
                "SELECT c.oid, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_am am ON am.oid = c.relam WHERE am.amname = 'btree' "
                "AND c.relnamespace = 'public'::regnamespace"
            ).fetchall()
            for oid, name in indexes:
                try:
                    conn.execute("SELECT bt_index_check(%s::regclass)", [oid])
                except psycopg.Error as error:
                    problems.append(f"index {name}: {error}")
        return problems

    def drop(self, db: str) -> None:
        with self._admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.prefix}{db}" WITH (FORCE)')
        if db in self.made:
            self.made.remove(db)

    def drop_all(self) -> None:
        for db in list(self.made):
            self.drop(db)


Databases = SQLiteFiles | PostgresDatabases


def postgres_server_url() -> str:
    return os.environ.get("LEMKIN_TEST_POSTGRES_URL") or os.environ["LEMKIN_DATABASE_URL"]


@pytest.fixture(
    scope="module",
    params=[pytest.param("sqlite", marks=pytest.mark.sqlite), pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def databases(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    """SQLite files, or the test's own PostgreSQL databases (dropped afterwards, whatever happens), with a
    migrated database named "migrated" that each test copies. The SQLite variant runs in the SQLite pass of
    ``make test`` only, not again in the PostgreSQL pass."""
    folder = tmp_path_factory.mktemp(f"di2-{request.param}")
    if request.param == "sqlite":
        databases: Databases = SQLiteFiles(folder)
    else:
        databases = PostgresDatabases(postgres_server_url())
    try:
        databases.create_empty("migrated")
        lemkin(cli_env(folder, databases.url("migrated")), "manage", "migrate", "-v", "0")
        yield databases
    finally:
        databases.drop_all()


# --- running and killing the command ---------------------------------------------------------------
def cli_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lemkin.site.settings.dev", "LEMKIN_DATA_DIR": str(tmp_path)}
    env["LEMKIN_DATABASE_URL"] = database_url
    return env


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a running process (all its threads), or None once it has ended."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] == "Z":
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


@dataclass
class Run:
    """One start of the command: when it was killed (CPU and wall seconds) or how it ended by itself."""

    target: float | None
    cpu: float
    wall: float
    killed: bool
    returncode: int
    stderr: str


def run_import(arguments: list[str], env: dict[str, str], kill_at_cpu: float | None) -> Run:
    """Start the command; with ``kill_at_cpu``, SIGKILL it once its CPU time reaches that many seconds."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [*LEMKIN, *arguments], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    cpu = 0.0
    killed = False
    while child.poll() is None:
        now = cpu_seconds(child.pid)
        if now is not None:
            cpu = now
            if kill_at_cpu is not None and now >= kill_at_cpu:
                child.send_signal(signal.SIGKILL)
                killed = True
                break
        time.sleep(0.004)
    _, stderr = child.communicate(timeout=300)
    return Run(kill_at_cpu, cpu, time.perf_counter() - started, killed, child.returncode, stderr)


def lemkin(env: dict[str, str], *arguments: str) -> None:
    done = subprocess.run([*LEMKIN, *arguments], env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]


def kill_points(total: float, n: int, seed: int) -> list[float]:
    """One point at a random place in each of ``n`` equal parts of [0, total], repeatable; the first part's point
    is moved to its start and the last part's to ``total``, so that one kill surely lands before the import has
    written anything and one after it has ended, however few the trials."""
    rng = random.Random(seed)
    points = [total * (i + rng.random()) / n for i in range(n)]
    points[0], points[-1] = total * 0.01, total
    return points


def crash_trials(
    databases: Databases,
    tmp_path: Path,
    prepare: Callable[[dict[str, str]], None],
    arguments: list[str],
    label: str,
) -> None:
    """Prepare the "before" database from the migrated one, import once in full ("after" and T), then the killed
    trials; assert that every trial left "before" or "after", that the database is sound, and that both states
    occurred. The figures are printed (``pytest -s``)."""
    try:
        _crash_trials(databases, tmp_path, prepare, arguments, label)
    finally:
        for db in ("before", "after", "after2"):
            databases.drop(db)


def _crash_trials(
    databases: Databases,
    tmp_path: Path,
    prepare: Callable[[dict[str, str]], None],
    arguments: list[str],
    label: str,
) -> None:
    began = time.perf_counter()
    databases.clone("migrated", "before")
    prepare(cli_env(tmp_path, databases.url("before")))
    before = databases.snapshot("before")

    # Two complete imports side by side, as the trials run: they must leave the same state (else the masking
    # above misses something), and the longer one's CPU time is T.
    for db in ("after", "after2"):
        databases.clone("before", db)
    with ThreadPoolExecutor(2) as pool:
        full = list(
            pool.map(lambda db: run_import(arguments, cli_env(tmp_path, databases.url(db)), None), ["after", "after2"])
        )
    for run in full:
        assert run.returncode == 0, run.stderr[-2000:]
    after = databases.snapshot("after")
    assert databases.snapshot("after2") == after, "two complete imports differ"
    databases.drop("after2")
    changed = changed_tables(before, after)
    assert changed, "the complete import changed nothing; the trials would prove nothing"
    total = max(run.cpu for run in full)
    prepared = time.perf_counter() - began

    def trial(number: int, target: float) -> tuple[Run, str, list[str]]:
        db = f"trial{number:02d}"
        databases.clone("before", db)
        try:
            run = run_import(arguments, cli_env(tmp_path, databases.url(db)), target)
            snapshot = databases.snapshot(db)
            problems = databases.integrity_problems(db)
        finally:
            databases.drop(db)
        if snapshot == before:
            state = "before"
        elif snapshot == after:
            state = "after"
        else:
            differing = [t for t in changed_tables(snapshot, before) if snapshot.get(t) != after.get(t)]
            state = "PARTIAL: " + ", ".join(f"{t} {snapshot.get(t, (0,))[0]} rows" for t in differing)
        return run, state, problems

    points = kill_points(total * (1 + MARGIN), TRIALS, SEED)
    with ThreadPoolExecutor(PARALLEL) as pool:
        results = list(pool.map(trial, range(1, TRIALS + 1), points))

    elapsed = time.perf_counter() - began
    print(
        f"\nDI-2 {label} on {databases.name}: complete import T = {total:.2f} s CPU "
        f"({max(run.wall for run in full):.2f} s wall); kill points over [0, {1 + MARGIN:.1f} T]; "
        f"tables it changes: {', '.join(changed)}; preparing took {prepared:.1f} s"
    )
    for number, (run, state, _) in enumerate(results, start=1):
        how = f"killed at {run.cpu:5.2f} s CPU, {run.wall:5.2f} s wall" if run.killed else "ended before the kill"
        print(f"  trial {number:2d}: kill point {run.target:5.2f} s ({run.target / total:4.0%} of T); {how}: {state}")
    states = [state for _, state, _ in results]
    print(
        f"  {states.count('before')} ended as before, {states.count('after')} as after; "
        f"{TRIALS} trials in {elapsed - prepared:.1f} s, {elapsed:.1f} s in all"
    )
    for number, (run, state, problems) in enumerate(results, start=1):
        assert state in {"before", "after"}, f"trial {number} (killed at {run.cpu:.2f} s CPU) left {state}"
        assert not problems, f"trial {number}: {problems}"
        if not run.killed:
            assert run.returncode == 0, run.stderr[-2000:]
    assert "before" in states, "no kill landed before the commit; the trials proved nothing"
    assert "after" in states, "no kill landed after the commit; the trials proved nothing"


# --- DI-2 ------------------------------------------------------------------------------------------
PREPARE_EVENTS = """
from pathlib import Path
from lemkin.apps.watchlist.indicators import import_events
from lemkin.apps.watchlist.models import Country, Indicator, WarningRule
import_events(Path({previous!r}), "cli:setup")
indicator = Indicator.objects.create(
    country=Country.objects.get(iso3="SDN"), name="One-sided violence deaths (UCDP)", event_source="ucdp_ged",
    event_type="one_sided", measure="fatalities", created_by="setup",
)
WarningRule.objects.create(indicator=indicator, kind="threshold", parameters={{"value": 12}}, created_by="setup")
"""


def test_an_event_import_killed_at_any_moment_leaves_all_or_nothing(databases: Databases, tmp_path: Path) -> None:
    """DI-2 for ``lemkin events import``: a previous vintage and an event-backed indicator with a warning rule are
    in the database, so the import replaces monthly counts, refreshes observations and raises warnings, all of
    which a kill must leave wholly done or wholly undone."""
    previous, ged = tmp_path / "ged-previous.csv", tmp_path / "ged.csv"
    write_ged(previous, 5_000, seed=SEED)
    write_ged(ged, EVENT_ROWS, seed=SEED + 1)

    def prepare(env: dict[str, str]) -> None:
        lemkin(env, "manage", "shell", "-c", PREPARE_EVENTS.format(previous=str(previous)))

    crash_trials(databases, tmp_path, prepare, ["events", "import", str(ged), "--accept-drift"], "events import")


def test_a_risk_import_killed_at_any_moment_leaves_all_or_nothing(
    databases: Databases, tmp_path: Path, ewp_dir: Path
) -> None:
    """DI-2 for ``lemkin risk import`` on the Early Warning Project's panel: the run, its 168 forecasts, the
    countries it adds and its tier proposals are stored together or not at all."""
    panel = ewp_dir / "prepared2024predictors-2025-09-03.csv"
    arguments = ["risk", "import", "--data", str(panel), "--model", "elasticnet", "--base-year", "2024"]
    crash_trials(databases, tmp_path, lambda env: None, arguments, "risk import")


# --- DI-4 ------------------------------------------------------------------------------------------
def event_figures() -> dict[str, list[tuple[Any, ...]]]:
    """Everything an event import derives, by natural key: monthly counts, countries, observations, warnings and
    emergency meeting proposals (row ids of the replaced counts and their link to the import are left out)."""
    from lemkin.apps.watchlist.models import (
        Country,
        EmergencyMeetingProposal,
        MonthlyEventCount,
        Observation,
        Warning,
    )

    return {
        "counts": sorted(
            MonthlyEventCount.objects.values_list("source", "country__iso3", "month", "type", "events", "fatalities")
        ),
        "countries": sorted(Country.objects.values_list("pk", "iso3", "name", "ccode")),
        "observations": sorted(Observation.objects.values_list("pk", "indicator_id", "month", "value", "source")),
        "warnings": sorted(
            Warning.objects.values_list("pk", "rule_id", "country__iso3", "month", "value", "reason", "status")
        ),
        "proposals": sorted(EmergencyMeetingProposal.objects.values_list("pk", "warning_id", "reason", "status")),
    }


@pytest.mark.django_db
def test_importing_the_same_event_file_again_changes_no_figure(tmp_path: Path) -> None:
    """DI-4: the same file imported twice leaves every count, observation and warning as the first import left
    them, finds no drift and raises no warning; the second import is itself recorded (one ``EventImport`` with the
    same checksum and its audit events), since the audit log tells who imported what and when."""
    from lemkin.apps.audit.models import AuditEvent
    from lemkin.apps.watchlist.indicators import import_events
    from lemkin.apps.watchlist.models import EventImport, WarningRule

    from .test_warnings import sudan_indicator

    indicator = sudan_indicator()
    WarningRule.objects.create(indicator=indicator, kind="threshold", parameters={"value": 6}, created_by="ann")
    path = tmp_path / "ged.csv"
    write_ged(path, 5_000, seed=SEED)

    first = import_events(path, "ann")
    figures = event_figures()
    assert first.warnings, "the rule fires on the first import, so a second firing would show"
    assert len(figures["counts"]) == first.event_import.n_monthly
    last_seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()

    second = import_events(path, "ann")
    assert event_figures() == figures
    assert second.warnings == []
    assert second.drift == ["drift against the previous vintage: no drift"]
    assert list(EventImport.objects.values_list("sha256", flat=True)) == [first.event_import.sha256] * 2
    new_events = AuditEvent.objects.filter(seq__gt=last_seq)
    assert {(e.action, e.object_type, e.object_id) for e in new_events} == {
        ("create", "watchlist.eventimport", str(second.event_import.pk)),
        ("import", "watchlist.eventimport", str(second.event_import.pk)),
    }
