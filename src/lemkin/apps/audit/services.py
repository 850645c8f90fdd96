"""Writing and verifying the audit log.

The chain: ``mac(n) = HMAC-SHA256(key, canonical(row n without mac) + mac(n-1))`` with ``mac(0)`` = 64 zeros and
``key`` = ``settings.AUDIT_KEY``. Because the MAC is keyed, someone who can write to the database but does not
hold the key cannot forge a consistent chain after editing, inserting, deleting or swapping rows. A checkpoint
(``write_checkpoint``) records the last ``seq`` and ``mac`` in a file kept elsewhere, so that cutting rows off the
end of the log is detected too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model

from lemkin.core.markings import Marking, combine

from .context import current_actor
from .models import Action, AuditEvent

GENESIS = "0" * 64
REDACTED = "[redacted]"
_SECRET_WORDS = ("password", "secret", "token", "key")
CHAIN_FIELDS = (
    "seq",
    "at",
    "actor",
    "actor_person_id",
    "agency",
    "action",
    "name",
    "object_type",
    "object_id",
    "object_repr",
    "object_marking",
    "detail",
    "request_id",
    "ip",
    "prev_mac",
)


def _key() -> bytes:
    key = getattr(settings, "AUDIT_KEY", "")
    if not key:
        raise RuntimeError("settings.AUDIT_KEY is empty: set LEMKIN_AUDIT_KEY")
    return key.encode()


def _plain(value: Any) -> Any:
    """JSON-safe, stable form of a value for the log (dates as ISO text, sets sorted, others as text)."""
    return json.loads(json.dumps(value, default=str, sort_keys=True))


def canonical(values: dict[str, Any]) -> bytes:
    data = {name: values[name] for name in CHAIN_FIELDS}
    at = data["at"]
    data["at"] = at.astimezone(UTC).isoformat(timespec="microseconds") if isinstance(at, datetime) else at
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def compute_mac(values: dict[str, Any]) -> str:
    return hmac.new(_key(), canonical(values), hashlib.sha256).hexdigest()


def redact(field: str, value: Any) -> Any:
    return REDACTED if any(word in field.lower() for word in _SECRET_WORDS) else value


def _lock_chain() -> None:
    """Serialise writers of the chain. SQLite's IMMEDIATE transactions already hold the write lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(74211)")


def marking_of(obj: Model) -> Marking | None:
    """A record's marking; for a record without one (a rule, an observation), the combined marking of the marked
    records it refers to, so that the log never describes a record more openly than the records it shows."""
    own = getattr(obj, "marking", None)
    if own is not None:
        return own
    found = []
    for field in obj._meta.concrete_fields:
        if field.is_relation and getattr(obj, field.attname) is not None:
            related = getattr(obj, field.name, None)
            marking = marking_of(related) if related is not None else None
            if marking is not None:
                found.append(marking)
    return combine(found) if found else None


def describe(obj: Model | None) -> dict[str, str]:
    if obj is None:
        return {"object_type": "", "object_id": "", "object_repr": "", "object_marking": ""}
    marking = marking_of(obj)
    return {
        "object_type": obj._meta.label_lower,
        "object_id": str(obj.pk),
        "object_repr": str(obj)[:200],
        "object_marking": marking.banner if marking is not None else "",
    }


def record(
    action: Action | str,
    obj: Model | None = None,
    *,
    name: str = "",
    detail: dict[str, Any] | None = None,
    actor_override: str | None = None,
) -> AuditEvent:
    """Append one event, attributed to the current actor, in the caller's transaction (or its own)."""
    actor = current_actor()
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "mac").first()
        seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
        values: dict[str, Any] = {
            "seq": seq,
            "at": datetime.now(UTC),
            "actor": (actor_override or actor.username)[:150],
            "actor_person_id": actor.person_id,
            "agency": actor.agency,
            "action": str(action),
            "name": name,
            **describe(obj),
            "detail": _plain(detail or {}),
            "request_id": actor.request_id,
            "ip": actor.ip,
            "prev_mac": prev,
        }
        return AuditEvent.objects.create(mac=compute_mac(values), **values)


# --- verification ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""

    def __str__(self) -> str:
        if self.ok:
            return f"audit log intact: {self.checked} events verified"
        return f"audit log TAMPERED at seq {self.first_bad_seq}: {self.problem}"


def _rows() -> Iterator[dict[str, Any]]:
    fields = (*CHAIN_FIELDS, "mac")
    yield from AuditEvent.objects.order_by("seq").values(*fields).iterator(chunk_size=2000)


def verify(checkpoint: Path | None = None) -> Verdict:
    """Walk the chain from the first row; name the first row that was edited, inserted, deleted or swapped."""
    expected_seq, prev, checked = 1, GENESIS, 0
    for row in _rows():
        seq = row["seq"]
        if seq != expected_seq:
            if seq > expected_seq:
                return Verdict(False, checked, expected_seq, f"row {expected_seq} is missing (deleted)")
            return Verdict(False, checked, seq, f"row {seq} is out of order (inserted)")
        if row["prev_mac"] != prev:
            return Verdict(False, checked, seq, "its link to the previous row is broken (row inserted or swapped)")
        if not hmac.compare_digest(compute_mac(row), row["mac"]):
            return Verdict(False, checked, seq, "its content does not match its MAC (row edited or forged)")
        prev, expected_seq, checked = row["mac"], seq + 1, checked + 1
    if checkpoint is not None:
        mark = read_checkpoint(checkpoint)
        if mark["seq"] > checked:
            return Verdict(
                False,
                checked,
                checked + 1,
                f"rows {checked + 1}..{mark['seq']} named by the checkpoint are missing",
            )
        head_mac = AuditEvent.objects.filter(seq=mark["seq"]).values_list("mac", flat=True).first()
        if mark["seq"] and head_mac != mark["mac"]:
            return Verdict(False, checked, mark["seq"], "the row differs from the checkpoint")
    return Verdict(True, checked)


def _checkpoint_mac(seq: int, mac: str) -> str:
    return hmac.new(_key(), f"checkpoint:{seq}:{mac}".encode(), hashlib.sha256).hexdigest()


def write_checkpoint(path: Path) -> dict[str, Any]:
    """Write the chain's head (last seq and MAC, signed) to ``path``; keep the file away from the database."""
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "mac").first() or (0, GENESIS)
    mark = {"seq": last[0], "mac": last[1], "at": datetime.now(UTC).isoformat()}
    mark["signature"] = _checkpoint_mac(last[0], last[1])
    path.write_text(json.dumps(mark, indent=2))
    path.chmod(0o600)
    return mark


def read_checkpoint(path: Path) -> dict[str, Any]:
    try:
        mark = json.loads(path.read_text())
        seq, mac, signature = int(mark["seq"]), str(mark["mac"]), str(mark["signature"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ValueError(f"{path}: not a Lemkin audit checkpoint ({error})") from None
    if not hmac.compare_digest(_checkpoint_mac(seq, mac), signature):
        raise ValueError(f"{path}: the checkpoint's signature does not match (altered, or another audit key)")
    return {"seq": seq, "mac": mac}


# --- reading -------------------------------------------------------------------------------------
WITHHELD = "[withheld: above your clearance or outside your compartments]"


def may_read_detail(event: AuditEvent, person: Any) -> bool:
    """An event's description of a record is shown only to someone who may see that record's marking."""
    from lemkin.apps.accounts.access import may_see_marking

    if not event.object_marking:
        return True
    return may_see_marking(person, event.object_marking)


def shown_repr(event: AuditEvent, person: Any) -> str:
    return event.object_repr if may_read_detail(event, person) else WITHHELD


def recent_activity_of(person: Any, limit: int = 10) -> list[AuditEvent]:
    """A person's own latest events (for their dashboard), described only as far as they may see."""
    if not getattr(person, "is_authenticated", False):
        return []
    events = list(AuditEvent.objects.filter(actor_person_id=person.pk).order_by("-seq")[:limit])
    for item in events:
        item.shown_repr = shown_repr(item, person)  # type: ignore[attr-defined]
    return events
