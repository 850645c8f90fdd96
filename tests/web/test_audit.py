"""AU-1, AU-4, AU-5: every change is audited, attributably; the chain names the first tampered row; the table
refuses UPDATE, DELETE and TRUNCATE at the database."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from lemkin.apps.accounts.models import Agency, Role
from lemkin.apps.audit import services
from lemkin.apps.audit.models import AuditEvent
from lemkin.core.markings import Level

TABLE = AuditEvent._meta.db_table


def make_events(count: int) -> None:
    """Append ``count`` events through the service, as the app does."""
    for number in range(count):
        services.record("event", name="TestEvent", detail={"n": number})


def without_triggers(statement: Callable[[Any], None]) -> None:
    """Run raw SQL as someone with direct database access would: drop the append-only triggers first.

    Inside the test's transaction, so the triggers come back when the test's transaction is rolled back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_no_update")
            cursor.execute("DROP TRIGGER audit_no_delete")
        statement(cursor)


def edit(seq: int) -> Callable[[Any], None]:
    return lambda cursor: cursor.execute(f"UPDATE {TABLE} SET actor = %s WHERE seq = %s", ["mallory", seq])


def delete(seq: int) -> Callable[[Any], None]:
    return lambda cursor: cursor.execute(f"DELETE FROM {TABLE} WHERE seq = %s", [seq])


def swap(seq: int) -> Callable[[Any], None]:
    """Exchange the content of rows seq and seq+1 (keeping their numbers)."""

    def run(cursor: Any) -> None:
        cursor.execute(f"SELECT detail FROM {TABLE} WHERE seq IN (%s, %s) ORDER BY seq", [seq, seq + 1])
        first, second = (row[0] for row in cursor.fetchall())
        cursor.execute(f"UPDATE {TABLE} SET detail = %s WHERE seq = %s", [second, seq])
        cursor.execute(f"UPDATE {TABLE} SET detail = %s WHERE seq = %s", [first, seq + 1])

    return run


def insert(seq: int) -> Callable[[Any], None]:
    """Shift rows from ``seq`` up by one and insert a forged row at ``seq``, copying its neighbour's links."""

    def run(cursor: Any) -> None:
        cursor.execute(f"SELECT MAX(seq) FROM {TABLE}")
        (top,) = cursor.fetchone()
        for number in range(top, seq - 1, -1):
            cursor.execute(f"UPDATE {TABLE} SET seq = %s WHERE seq = %s", [number + 1, number])
        cursor.execute(
            f"INSERT INTO {TABLE} (seq, at, actor, agency, action, name, object_type, object_id, object_repr,"
            " object_marking, detail, request_id, ip, prev_mac, mac)"
            f" SELECT %s, at, 'mallory', agency, action, name, object_type, object_id, object_repr,"
            f" object_marking, detail, request_id, ip, prev_mac, mac FROM {TABLE} WHERE seq = %s",
            [seq, seq + 1],
        )

    return run


TAMPERINGS = {"edit": edit, "delete": delete, "swap": swap, "insert": insert}


@pytest.mark.django_db
def test_untampered_log_verifies() -> None:
    make_events(50)
    verdict = services.verify()
    assert verdict.ok
    assert verdict.checked == AuditEvent.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(TAMPERINGS))
@pytest.mark.parametrize("trial", range(5))
def test_tampering_with_any_row_is_detected_and_the_row_named(kind: str, trial: int) -> None:
    """AU-4: edit, delete, insert or swap one random row out of band: verify names exactly that row."""
    make_events(60)
    rows = AuditEvent.objects.count()
    seq = random.Random(f"{kind}{trial}").randint(2, rows - 2)
    without_triggers(TAMPERINGS[kind](seq))
    verdict = services.verify()
    assert not verdict.ok
    assert verdict.first_bad_seq == seq, str(verdict)


@pytest.mark.django_db
def test_cutting_rows_off_the_end_is_detected_with_a_checkpoint(tmp_path: Path) -> None:
    """AU-4: tail truncation leaves a valid shorter chain; a signed checkpoint kept elsewhere exposes it."""
    make_events(20)
    checkpoint = tmp_path / "audit.checkpoint"
    services.write_checkpoint(checkpoint)
    top = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True)[0]
    without_triggers(lambda cursor: cursor.execute(f"DELETE FROM {TABLE} WHERE seq >= %s", [top - 2]))
    assert services.verify().ok  # the chain alone cannot see it
    verdict = services.verify(checkpoint)
    assert not verdict.ok
    assert verdict.first_bad_seq == top - 2


@pytest.mark.django_db
def test_a_forged_checkpoint_is_refused(tmp_path: Path) -> None:
    make_events(3)
    checkpoint = tmp_path / "audit.checkpoint"
    services.write_checkpoint(checkpoint)
    mark = json.loads(checkpoint.read_text())
    checkpoint.write_text(json.dumps({**mark, "seq": mark["seq"] - 1}))
    with pytest.raises(ValueError, match="signature does not match"):
        services.verify(checkpoint)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [f"UPDATE {TABLE} SET actor = 'mallory'", f"DELETE FROM {TABLE}"],
    ids=["update", "delete"],
)
def test_the_database_refuses_to_rewrite_the_audit_log(statement: str) -> None:
    """AU-5: the application's own connection cannot change or remove audit rows."""
    make_events(2)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEvent.objects.count() >= 2


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_database_refuses_truncate_on_postgresql() -> None:
    """AU-5 on PostgreSQL: TRUNCATE bypasses row triggers, so a statement trigger refuses it."""
    make_events(1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLE}")


@pytest.mark.django_db
def test_a_change_through_a_page_is_audited_with_actor_agency_request_and_diff(a_person: Any, client_for: Any) -> None:
    """AU-1: the administrator who edits an agency is named, with agency, time (UTC), request id, IP and diff."""
    admin = a_person(roles=[Role.ADMINISTRATOR], clearance=Level.SECRET, agency="NSC", username="adm")
    agency = Agency.objects.get(code="USAID")
    client = client_for(admin)
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("accounts:agency-edit", kwargs={"pk": agency.pk}),
        {"code": "USAID", "name": agency.name, "description": "Humanitarian and development aid", "is_active": "on"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    assert AuditEvent.objects.count() == before + 1
    assert (event.actor, event.agency, event.action, event.object_type) == ("adm", "NSC", "update", "accounts.agency")
    assert event.detail["changes"]["description"][1] == "Humanitarian and development aid"
    assert event.request_id == response["X-Request-ID"]
    assert event.ip == "127.0.0.1"
    assert event.at.utcoffset().total_seconds() == 0
    assert services.verify().ok


@pytest.mark.django_db
def test_failed_sign_ins_and_refusals_are_audited(a_person: Any, client_for: Any, client: Any) -> None:
    """AU-2 (part): a wrong password and a refused page each leave an event."""
    analyst = a_person(roles=[Role.ANALYST], username="ann")
    client.post(reverse("login"), {"username": "ann", "password": "wrong", "acknowledge": "on"})
    failed = AuditEvent.objects.filter(action="login_failed").last()
    assert failed is not None
    assert failed.detail == {"username": "ann"}
    client_for(analyst).get(reverse("audit:log"))
    denied = AuditEvent.objects.filter(action="denied").last()
    assert denied is not None
    assert (denied.actor, denied.detail["view"]) == ("ann", "audit:log")


@pytest.mark.django_db
def test_secrets_are_never_written_to_the_audit_log(a_person: Any) -> None:
    person = a_person(roles=[Role.ANALYST], username="pat")
    person.set_password("a new long secret passphrase")
    person.save()
    for event in AuditEvent.objects.filter(object_type="accounts.person", object_id=str(person.pk)):
        changes = event.detail.get("changes", {})
        if "password" in changes:
            assert changes["password"] == [services.REDACTED, services.REDACTED] or changes["password"][1] == (
                services.REDACTED
            )
        assert "a new long secret passphrase" not in str(event.detail)
        assert "md5$" not in str(event.detail).lower()


@pytest.mark.django_db
def test_auditors_do_not_see_descriptions_of_records_above_their_ceiling(a_person: Any, client_for: Any) -> None:
    """The audit log names who did what, but not the content of records the auditor may not see."""
    from lemkin.apps.watchlist.models import Country

    Country.objects.create(iso3="XTS", name="Topsecretland", classification=Level.TOP_SECRET)
    auditor = a_person(roles=[Role.AUDITOR], clearance=Level.SECRET)
    body = client_for(auditor).get(reverse("audit:log")).content.decode()
    assert "Topsecretland" not in body
    assert services.WITHHELD in body
    api = client_for(auditor).get("/api/audit/events").content.decode()
    assert "Topsecretland" not in api
    event = AuditEvent.objects.get(object_type="watchlist.country")
    page = client_for(auditor).get(reverse("audit:event", kwargs={"seq": event.seq})).content.decode()
    assert "Topsecretland" not in page


@pytest.mark.django_db
def test_the_audit_log_filters_in_place_with_htmx(a_person: Any, client_for: Any) -> None:
    """The filter form swaps only the table (htmx); a plain request gets the whole page."""
    auditor = a_person(roles=[Role.AUDITOR], username="aud")
    client = client_for(auditor)
    partial = client.get(reverse("audit:log"), {"action": "login"}, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert body.lstrip().startswith('<table class="usa-table')
    assert "Signed in" in body
    assert "Created" not in body
    assert "<html" in client.get(reverse("audit:log")).content.decode()
