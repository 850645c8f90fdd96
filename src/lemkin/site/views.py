"""The dashboard, the health check and the error pages."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from lemkin.apps.audit import services as audit
from lemkin.apps.watchlist import services as watchlist

from .areas import areas_for


def dashboard(request: HttpRequest) -> HttpResponse:
    """What a person sees after signing in: the watchlist summary, their own recent activity, the areas."""
    context: dict[str, Any] = {
        "summary": watchlist.summary_for(request.user),
        "my_activity": audit.recent_activity_of(request.user, limit=10),
        "areas": areas_for(request.user),
    }
    return render(request, "dashboard.html", context)


def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and `make run`: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponse(render_to_string("403.html", {}, request=request), status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponse(render_to_string("404.html", {}, request=request), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the error may come from them or from the database.
    return HttpResponse(render_to_string("500.html", {}), status=500)
