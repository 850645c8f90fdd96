"""The catalog pages: every tool and measure with its attributes; administrators add and retire tools."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from lemkin.apps.accounts.access import may
from lemkin.core.planning import CatalogError

from . import services
from .models import CatalogTool


def tool_list(request: HttpRequest) -> HttpResponse:
    """The catalog, filterable by table and tool type; administrators add a tool as YAML (POST)."""
    errors: list[str] = []
    text = ""
    if request.method == "POST":
        text = request.POST.get("tool", "")
        try:
            row = services.add_tool(text, request.user)
        except CatalogError as error:
            errors = error.problems
        else:
            messages.success(request, f"Tool {row.tool_id} added to the catalog.")
            return redirect("planning:tool-detail", tool_id=row.tool_id)
    tools = CatalogTool.objects.all()
    table = request.GET.get("table", "")
    if table in {"1", "2"}:
        tools = tools.filter(table=int(table))
    kind = request.GET.get("type", "")
    rows = [row for row in tools if not kind or row.data.get("type") == kind]
    context = {
        "tools": rows,
        "table": table,
        "type": kind,
        "types": ["diplomatic", "economic", "legal", "military"],
        "can_edit": may(request.user, "planning:tool-list", "POST"),
        "errors": errors,
        "text": text,
    }
    return render(request, "planning/tool_list.html", context)


def tool_detail(request: HttpRequest, tool_id: str) -> HttpResponse:
    row = get_object_or_404(CatalogTool, tool_id=tool_id)
    if request.method == "POST":
        retire = request.POST.get("action") == "retire"
        try:
            services.set_retired(row.tool_id, retire, request.POST.get("reason", ""))
        except ValueError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Tool {row.tool_id} {'retired' if retire else 'restored'}.")
        return redirect("planning:tool-detail", tool_id=row.tool_id)
    sources = dict(services.CatalogSource.objects.values_list("tag", "text"))
    cited = [(tag, sources.get(tag, "")) for tag in row.data.get("effectiveness", {}).get("sources", [])]
    context = {"tool": row, "cited": cited, "can_edit": may(request.user, "planning:tool-detail", "POST")}
    return render(request, "planning/tool_detail.html", context)
