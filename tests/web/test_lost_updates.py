"""DI-1: no lost updates. Two planners editing one case file never overwrite each other silently.

Each editor form carries the version of the case file it was loaded with; a save against a version that has
moved on answers 409 Conflict, keeps the person's text and shows the saved one beside it. The drill of the
security goals: many people load the same case, each writes a unique token, all are released at once, round after
round; accepted writes must equal the version increments, every accepted token must be in the audit history, the
rest must get 409, and nothing may answer 5xx. It runs on SQLite (WAL, ``BEGIN IMMEDIATE``) and, in the second
pass of ``make test``, on PostgreSQL (``SELECT ... FOR UPDATE``).
"""

from __future__ import annotations

import importlib
import os
import threading
import time
from collections.abc import Iterator
from importlib.resources import files
from typing import Any

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from lemkin.apps.accounts.models import Role
from lemkin.apps.audit.models import AuditEvent
from lemkin.apps.cases.models import Case
from lemkin.apps.cases.services import apply_playbooks, create_case, update_profile
from lemkin.core.markings import Level

from .test_access import ARTIFACTS

PROFILE = (files("lemkin.core.exercise") / "case.yaml").read_text()
TITLE = 'title: "EXERCISE: Killings of Sendari after the assassination of President Marr"'
#: The goal's drill is 50 writers x 20 rounds (LEMKIN_DI1_ROUNDS=20); the suite runs 5 rounds to keep CI short.
WRITERS, ROUNDS = 50, int(os.environ.get("LEMKIN_DI1_ROUNDS", "5"))
APPEND_ONLY = importlib.import_module("lemkin.apps.audit.migrations.0002_append_only")


def with_title(token: str) -> str:
    return PROFILE.replace(TITLE, f'title: "EXERCISE: {token}"')


@pytest.fixture
def planners(a_person: Any) -> list[Any]:
    return [
        a_person(roles=[Role.PLANNER], clearance=Level.SECRET, compartments=["KESTREL"], username=f"planner{i}")
        for i in range(2)
    ]


@pytest.fixture
def case(planners: list[Any]) -> Case:
    return create_case(planners[0], PROFILE, Level.SECRET, planners[0].compartments.get())


def detail_url(case: Case) -> str:
    return reverse("cases:case-detail", kwargs={"slug": case.slug})


@pytest.mark.django_db
def test_the_second_of_two_editors_gets_a_conflict_and_keeps_their_text(
    case: Case, planners: list[Any], client_for: Any
) -> None:
    first, second = (client_for(p) for p in planners)
    loaded = [c.get(detail_url(case)).context["version"] for c in (first, second)]
    assert loaded == [1, 1]
    saved = first.post(detail_url(case), {"profile": with_title("first edit"), "version": loaded[0]})
    assert saved.status_code == 302
    late = second.post(detail_url(case), {"profile": with_title("second edit"), "version": loaded[1]})
    assert late.status_code == 409
    body = late.content.decode()
    assert "the case file changed since you opened it (you edited version 1; it is now version 2" in body
    assert "second edit" in body  # the person's own text, kept in the editor
    assert 'data-testid="saved-version"' in body
    assert "first edit" in body  # the saved text beside it
    case.refresh_from_db()
    assert (case.title, case.version) == ("EXERCISE: first edit", 2)
    merged = second.post(detail_url(case), {"profile": with_title("merged"), "version": late.context["version"]})
    assert merged.status_code == 302
    case.refresh_from_db()
    assert (case.title, case.version) == ("EXERCISE: merged", 3)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "field", "value"),
    [("cases:case-review", "package", ""), ("cases:case-playbook", "playbook", "volcanic-onset")],
)
def test_the_package_editors_refuse_a_stale_version_too(
    case: Case, planners: list[Any], client_for: Any, url: str, field: str, value: str
) -> None:
    client = client_for(planners[0])
    update_profile(case, with_title("moved on"))
    text = value or f"case: {case.slug}\nphases: {{}}\n"  # a valid (empty) package, so only the version is wrong
    answer = client.post(reverse(url, kwargs={"slug": case.slug}), {field: text, "version": 1})
    assert answer.status_code == 409
    case.refresh_from_db()
    assert (case.version, case.package_yaml) == (2, "")


@pytest.mark.django_db
def test_a_form_without_a_version_is_refused(case: Case, planners: list[Any], client_for: Any) -> None:
    answer = client_for(planners[0]).post(detail_url(case), {"profile": with_title("no version")})
    assert "does not say which version of the case file it edits" in answer.content.decode()
    case.refresh_from_db()
    assert case.version == 1


@pytest.mark.django_db
def test_saving_the_profile_does_not_write_back_a_stale_package(case: Case) -> None:
    """A change writes only its own fields: a profile saved from an object loaded before a package was applied
    leaves that package alone."""
    stale = Case.objects.get(pk=case.pk)
    apply_playbooks(case, ["volcanic-onset"])
    update_profile(stale, with_title("profile only"))
    case.refresh_from_db()
    assert "phases:" in case.package_yaml
    assert (case.title, case.version) == ("EXERCISE: profile only", 3)


def _append_only_triggers(drop_only: bool = False) -> None:
    from django.db import connection

    vendor_pg = connection.vendor == "postgresql"
    statements = APPEND_ONLY.PG_BACKWARD if vendor_pg else APPEND_ONLY.SQLITE_BACKWARD
    if not drop_only:
        statements = [*statements, *(APPEND_ONLY.PG_FORWARD if vendor_pg else APPEND_ONLY.SQLITE_FORWARD)]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.fixture
def append_only_restored(django_db_blocker: Any) -> Iterator[None]:
    """Set up before the database fixture, so torn down after its flush: puts the audit triggers back."""
    yield
    with django_db_blocker.unblock():
        _append_only_triggers()


@pytest.fixture
def committed_db(
    append_only_restored: None, transactional_db: None, django_db_serialized_rollback: None
) -> Iterator[None]:
    """Committed transactions, so that the writers' threads see each other's work. The rows the migrations seed
    (agencies, tiers) are restored before the test (serialized rollback), since an earlier test of this kind ends
    with a flush. The append-only audit log refuses that flush: its triggers are lifted for it and put back."""
    yield
    _append_only_triggers(drop_only=True)


def test_many_editors_released_at_once_lose_no_update(
    committed_db: None, case: Case, a_person: Any, client_for: Any
) -> None:
    """WRITERS people load the case, each posts a unique token at the same instant; ROUNDS rounds."""
    people = [
        a_person(roles=[Role.PLANNER], clearance=Level.SECRET, compartments=["KESTREL"], username=f"w{i}")
        for i in range(WRITERS)
    ]
    clients = [client_for(p) for p in people]
    statuses: list[int] = []
    accepted: list[str] = []
    lock = threading.Lock()
    started = time.perf_counter()
    for round_ in range(ROUNDS):
        version = Case.objects.get(pk=case.pk).version
        barrier = threading.Barrier(WRITERS)

        def write(i: int, client: Client, version: int = version, round_: int = round_, barrier: Any = barrier) -> None:
            token = f"round {round_} writer {i}"
            try:
                barrier.wait()
                response = client.post(detail_url(case), {"profile": with_title(token), "version": version})
                with lock:
                    statuses.append(response.status_code)
                    if response.status_code == 302:
                        accepted.append(token)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=write, args=(i, c)) for i, c in enumerate(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    elapsed = time.perf_counter() - started
    case.refresh_from_db()
    history = [
        e.detail["changes"]["title"][1]
        for e in AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk), action="update").order_by(
            "seq"
        )
        if "title" in e.detail.get("changes", {})
    ]
    counts = {code: statuses.count(code) for code in sorted(set(statuses))}
    report = (
        f"DI-1 ({connections['default'].vendor}): {WRITERS} writers x {ROUNDS} rounds = {len(statuses)} saves in "
        f"{elapsed:.1f} s; answers {counts}; accepted {len(accepted)}, version {case.version}"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"lost-updates-{connections['default'].vendor}.txt").write_text(report + "\n")
    print(report)
    assert len(statuses) == WRITERS * ROUNDS
    assert set(counts) <= {302, 409}, counts  # no 5xx, nothing but saved or refused
    assert len(accepted) == ROUNDS  # exactly one save per round: all loaded the same version
    assert case.version == 1 + len(accepted)
    assert [f"EXERCISE: {t}" for t in accepted] == history
    assert case.title == f"EXERCISE: {accepted[-1]}"
