"""The world map, and exports of the watchlist (CSV and JSON), through the one access point and audited.

Exports carry their markings: the CSV has a marking column and the combined banner as its first and last line;
the JSON has the banner and each row's marking."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lemkin.apps.accounts.access import visible
from lemkin.apps.audit.models import Action
from lemkin.apps.audit.services import record
from lemkin.core import countries as country_table
from lemkin.core.markings import combine

from .models import Country, Listing, Watchlist
from .risk import visible_forecasts
from .worldmap import world_map_svg

TIER_COLOURS = {"high_and_rising": "#b50909", "moderate_concern": "#e5a000"}

#: A spreadsheet program runs a text cell that begins with one of these as a formula (OWASP, "CSV Injection"):
#: a country or tier name from imported data could then fetch a URL or run a command on the analyst's machine.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """``value`` for a CSV cell: text that a spreadsheet would run as a formula is prefixed with ``'``, which
    spreadsheets show as plain text; numbers (``-0.5`` included) are left alone."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _rows(person: Any) -> list[dict[str, Any]]:
    """One row per visible country: its tiers on both lists and its latest two-year risk."""
    countries = list(visible(Country.objects.all(), person))
    listings = visible(Listing.objects.select_related("tier"), person).filter(country__in=countries)
    tiers = {(item.country_id, item.watchlist): item for item in listings}
    latest: dict[int, Any] = {}
    for forecast in visible_forecasts(person).filter(country__in=countries).order_by("run__base_year", "run__pk"):
        latest[forecast.country_id] = forecast
    rows = []
    for country in countries:
        latest_forecast = latest.get(country.pk)
        row: dict[str, Any] = {"iso3": country.iso3, "name": country.name, "exercise": country.is_exercise}
        markings = [country.marking]
        for code, _ in Watchlist.choices:
            listing = tiers.get((country.pk, code))
            row[f"{code}_tier"] = listing.tier.code if listing else "not_listed"
            row[f"{code}_tier_name"] = listing.tier.name if listing else "Not listed"
            if listing:
                markings.append(listing.marking)
        row["risk_2yr"] = round(latest_forecast.risk_2yr, 6) if latest_forecast else None
        row["risk_base_year"] = latest_forecast.run.base_year if latest_forecast else None
        row["risk_run"] = latest_forecast.run_id if latest_forecast else None
        if latest_forecast:
            markings.append(latest_forecast.marking)
        row["marking"] = combine(markings)
        rows.append(row)
    return rows


def world_map(request: HttpRequest) -> HttpResponse:
    rows = _rows(request.user)
    fills, fictional = {}, []
    for row in rows:
        if row["exercise"]:
            fictional.append(row)
            continue
        try:
            numeric = country_table.by_iso3(row["iso3"]).numeric
        except LookupError:
            numeric = None
        if numeric:
            colour = TIER_COLOURS.get(row["atrocities_tier"], "#a9aeb1" if row["risk_2yr"] is None else "#73b3e7")
            risk = f", two-year risk {row['risk_2yr']:.1%}" if row["risk_2yr"] is not None else ""
            fills[numeric.zfill(3)] = (colour, f"{row['name']}: {row['atrocities_tier'].replace('_', ' ')}{risk}")
    context = {
        "map": world_map_svg(fills),
        "rows": rows,
        "fictional": fictional,
        "marks": [row["marking"] for row in rows],
    }
    return render(request, "watchlist/world_map.html", context)


def export(request: HttpRequest) -> HttpResponse:
    """``?format=csv`` (default) or ``json``; every export is audited with its row count and banner."""
    rows = _rows(request.user)
    banner = combine(row["marking"] for row in rows).banner
    fmt = request.GET.get("format", "csv")
    record(Action.EXPORT, name="WatchlistExported", detail={"format": fmt, "rows": len(rows), "banner": banner})
    if fmt == "json":
        body = {"banner": banner, "rows": [{**row, "marking": row["marking"].banner} for row in rows]}
        response = HttpResponse(json.dumps(body, indent=2), content_type="application/json")
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([f"# {banner}"])
        columns = [
            "marking",
            "iso3",
            "name",
            "atrocities_tier",
            "instability_tier",
            "risk_2yr",
            "risk_base_year",
            "risk_run",
            "exercise",
        ]
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row["marking"].portion if c == "marking" else spreadsheet_safe(row[c]) for c in columns])
        writer.writerow([f"# {banner}"])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        fmt = "csv"
    response["Content-Disposition"] = f'attachment; filename="lemkin-watchlist.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
