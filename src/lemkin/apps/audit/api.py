from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from . import services
from .models import AuditEvent

router = Router()


class AuditEventOut(Schema):
    seq: int
    at: datetime
    actor: str
    agency: str
    action: str
    name: str
    object_type: str
    object_id: str
    object_repr: str
    request_id: str


@router.get("/events", response=list[AuditEventOut])
def list_audit_events(request: HttpRequest, before: int | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Audit events, newest first (auditors only); ``before`` pages back by ``seq``."""
    events = AuditEvent.objects.order_by("-seq")
    if before is not None:
        events = events.filter(seq__lt=before)
    rows = []
    for event in events[: max(1, min(limit, 1000))]:
        rows.append(
            {
                **{f: getattr(event, f) for f in AuditEventOut.model_fields},
                "object_repr": services.shown_repr(event, request.user),
            }
        )
    return rows
