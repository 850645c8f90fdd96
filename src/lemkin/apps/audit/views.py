"""The audit log, readable by auditors only (``RULES``); verification of the chain on demand."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from . import services
from .models import AuditEvent


def log(request: HttpRequest) -> HttpResponse:
    """Newest first, 50 a page, with filters by actor, action and object type; ``?verify=1`` walks the chain."""
    events = AuditEvent.objects.all()
    filters = {key: request.GET.get(key, "").strip() for key in ("actor", "action", "object_type")}
    if filters["actor"]:
        events = events.filter(actor__icontains=filters["actor"])
    if filters["action"]:
        events = events.filter(action=filters["action"])
    if filters["object_type"]:
        events = events.filter(object_type=filters["object_type"])
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    for item in page.object_list:
        item.shown_repr = services.shown_repr(item, request.user)  # type: ignore[attr-defined]
    verdict = services.verify() if request.GET.get("verify") else None
    context = {
        "page": page,
        "filters": filters,
        "verdict": verdict,
        "actions": AuditEvent._meta.get_field("action").choices,
    }
    template = "audit/_events.html" if request.headers.get("HX-Request") else "audit/log.html"
    return render(request, template, context)


def event(request: HttpRequest, seq: int) -> HttpResponse:
    item = get_object_or_404(AuditEvent, seq=seq)
    item.shown_repr = services.shown_repr(item, request.user)  # type: ignore[attr-defined]
    detail = item.detail if services.may_read_detail(item, request.user) else None
    return render(request, "audit/event.html", {"event": item, "detail": detail})
