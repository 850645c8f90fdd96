"""Pages for expert judgment beside the model, its scoring, and prioritisation of the listed countries."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from lemkin.apps.accounts.access import get_visible_or_404, may, visible

from . import judgment
from .models import Country, PriorityScore


def _horizon(request: HttpRequest) -> tuple[int, int]:
    this_year = dt.datetime.now(dt.UTC).year
    try:
        start = int(request.GET.get("start", this_year))
    except ValueError:
        start = this_year
    return start, start + 1


def country_judgments(request: HttpRequest, iso3: str) -> HttpResponse:
    """Analysts' probabilities of onset for a two-year horizon, pooled, beside the model's latest figure."""
    country = get_visible_or_404(Country.objects.all(), request.user, iso3=iso3.upper())
    start, end = _horizon(request)
    if request.method == "POST":
        try:
            judgment.record_judgment(
                request.user,
                country,
                float(request.POST.get("probability", "")) / 100,
                int(request.POST.get("start", start)),
                int(request.POST.get("start", start)) + 1,
                request.POST.get("rationale", ""),
            )
        except ValueError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Judgment recorded.")
        return redirect(f"{request.path}?start={request.POST.get('start', start)}")
    context = {
        "country": country,
        "start": start,
        "end": end,
        "beside": judgment.beside(request.user, country, start, end),
        "can_judge": may(request.user, "watchlist:country-judgments", "POST"),
    }
    return render(request, "watchlist/country_judgments.html", context)


def judgment_scores(request: HttpRequest) -> HttpResponse:
    start, end = _horizon(request)
    context = {"start": start, "end": end, "comparison": judgment.scores(request.user, start, end)}
    return render(request, "watchlist/judgment_scores.html", context)


def prioritisation(request: HttpRequest) -> HttpResponse:
    """The slate of countries that get plans, under the committee's capacity, and its sensitivity to weights."""
    if request.method == "POST":
        country = get_visible_or_404(Country.objects.all(), request.user, iso3=request.POST.get("iso3", "").upper())
        try:
            judgment.score_priority(
                request.user,
                country,
                int(request.POST.get("influence", "0")),
                int(request.POST.get("interests", "0")),
                request.POST.get("rationale", ""),
            )
        except ValueError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Scores recorded for {country.name}.")
        return redirect("watchlist:prioritisation")
    try:
        capacity = max(0, int(request.GET.get("capacity", 3)))
        weights = {k: float(request.GET.get(k, 1)) for k in ("risk", "influence", "interests")}
        result: judgment.Priorities | None = judgment.priorities(request.user, capacity, weights)
        problem = ""
    except ValueError as refused:
        capacity, weights, result, problem = 3, {}, None, str(refused)
    rows = []
    if result is not None and result.slate is not None:
        by_code = {c.iso3: c for c in judgment.listed_countries(request.user)}
        shares = result.sensitivity.share_in_slate if result.sensitivity else {}
        rows = [(r, by_code[r.country], shares.get(r.country)) for r in result.slate.ranking]
    context = {
        "capacity": capacity,
        "weights": weights,
        "result": result,
        "error": problem,
        "rows": rows,
        "listed": judgment.listed_countries(request.user),
        "scores": visible(PriorityScore.objects.select_related("country"), request.user)[:50],
        "can_score": may(request.user, "watchlist:prioritisation", "POST"),
    }
    return render(request, "watchlist/prioritisation.html", context)
