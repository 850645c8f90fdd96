"""Countries, risk runs and each country's risk history; every query goes through the one access point."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from lemkin.apps.accounts.access import get_visible_or_404, may, visible
from lemkin.core.markings import combine

from . import tiers
from .charts import risk_history_svg
from .models import (
    Country,
    Evidence,
    Listing,
    ProposalStatus,
    RiskRun,
    Tier,
    TierChange,
    TierProposal,
    Warning,
    Watchlist,
)
from .risk import visible_forecasts


def country_list(request: HttpRequest) -> HttpResponse:
    countries = visible(Country.objects.select_related("compartment"), request.user)
    return render(request, "watchlist/country_list.html", {"countries": countries})


def country_detail(request: HttpRequest, iso3: str) -> HttpResponse:
    """A country and its risk history across the runs the person may see (oldest base year first)."""
    country = get_visible_or_404(Country.objects.all(), request.user, iso3=iso3.upper())
    history = list(visible_forecasts(request.user).filter(country=country).order_by("run__base_year", "run__pk"))
    from lemkin.apps.cases.services import cases_for

    context = {
        "country": country,
        "history": history,
        "chart": risk_history_svg(history),
        "tiers": [(label, tiers.current_tier(country, code)) for code, label in Watchlist.choices],
        "warnings": visible(Warning.objects.filter(country=country), request.user)[:10],
        "cases": cases_for(request.user).filter(country_code=country.iso3),
    }
    return render(request, "watchlist/country_detail.html", context)


def risk_run_list(request: HttpRequest) -> HttpResponse:
    runs = visible(RiskRun.objects.select_related("compartment"), request.user)
    return render(request, "watchlist/risk_run_list.html", {"runs": runs})


def risk_run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """A run's ranked table (filter by name and minimum risk), its provenance and its backtest plots."""
    run = get_visible_or_404(RiskRun.objects.all(), request.user, pk=run_id)
    forecasts = visible_forecasts(request.user).filter(run=run)
    query = request.GET.get("q", "").strip()
    if query:
        forecasts = forecasts.filter(country__name__icontains=query)
    try:
        minimum = float(request.GET.get("min", "") or 0)
    except ValueError:
        minimum = 0.0
    if minimum:
        forecasts = forecasts.filter(risk_2yr__gte=minimum / 100)
    # The filter swaps rows in place (htmx) without a new banner, so the page's banner covers every row the
    # filter could bring in: the combined marking of all the run's forecasts the person may see.
    scope = combine([run.marking, *(f.country.marking for f in visible_forecasts(request.user).filter(run=run))])
    context = {"run": run, "forecasts": forecasts, "q": query, "min": request.GET.get("min", ""), "scope": scope}
    template = "watchlist/_forecasts.html" if request.headers.get("HX-Request") else "watchlist/risk_run_detail.html"
    return render(request, template, context)


def watchlists(request: HttpRequest) -> HttpResponse:
    """Both watchlists: each listed country's tier, the latest change and its reason."""
    listings = visible(Listing.objects.select_related("country", "tier"), request.user).filter(
        country__in=visible(Country.objects.all(), request.user), tier__rank__gt=0
    )
    try:
        day = dt.date.fromisoformat(request.GET.get("period", "") + "-01") if request.GET.get("period") else None
    except ValueError:
        day = None
    start, end = tiers.review_period(day or dt.datetime.now(dt.UTC).date())
    lists = [
        (
            label,
            [
                (item, tiers.period_trend(request.user, item.country, code, start, end))
                for item in listings
                if item.watchlist == code
            ],
        )
        for code, label in Watchlist.choices
    ]
    open_proposals = visible(TierProposal.objects.filter(status=ProposalStatus.OPEN), request.user).count()
    previous = (start - dt.timedelta(days=1)).strftime("%Y-%m")
    context = {
        "lists": lists,
        "open_proposals": open_proposals,
        "start": start,
        "end": end - dt.timedelta(days=1),
        "previous": previous,
    }
    return render(request, "watchlist/watchlists.html", context)


def country_tier(request: HttpRequest, iso3: str) -> HttpResponse:
    """A country's tiers and their history; analysts change a tier here (POST) with a reason."""
    country = get_visible_or_404(Country.objects.all(), request.user, iso3=iso3.upper())
    error = ""
    if request.method == "POST":
        try:
            tiers.change_tier(
                request.user,
                country,
                request.POST.get("watchlist", ""),
                request.POST.get("tier", ""),
                request.POST.get("reason", ""),
                Evidence.JUDGMENT,
            )
        except tiers.TierError as refused:
            error = str(refused)
        else:
            messages.success(request, "Tier changed.")
            return redirect("watchlist:country-tier", iso3=country.iso3)
    history = visible(TierChange.objects.filter(listing__country=country), request.user).select_related(
        "listing", "from_tier", "to_tier"
    )
    current = [(label, tiers.current_tier(country, code)) for code, label in Watchlist.choices]
    context = {
        "country": country,
        "history": history,
        "current": current,
        "error": error,
        "tiers": Tier.objects.all(),
        "watchlists": Watchlist.choices,
        "can_change": may(request.user, "watchlist:country-tier", "POST"),
    }
    return render(request, "watchlist/country_tier.html", context)


def proposal_list(request: HttpRequest) -> HttpResponse:
    proposals = visible(
        TierProposal.objects.select_related("country", "current_tier", "proposed_tier", "run"), request.user
    ).filter(
        country__in=visible(Country.objects.all(), request.user), run__in=visible(RiskRun.objects.all(), request.user)
    )
    return render(
        request,
        "watchlist/proposal_list.html",
        {
            "proposals": proposals,
            "tiers": Tier.objects.all(),
            "can_decide": may(request.user, "watchlist:proposal-decide", "POST"),
        },
    )


def proposal_decide(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """Accept, amend or reject one proposal (POST), with a reason; GET shows it."""
    proposal = get_visible_or_404(TierProposal.objects.all(), request.user, pk=proposal_id)
    if request.method == "POST":
        try:
            tiers.decide(
                request.user,
                proposal,
                request.POST.get("decision", ""),
                request.POST.get("reason", ""),
                request.POST.get("amended_to", ""),
            )
        except tiers.TierError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, "Decision recorded.")
        return redirect("watchlist:proposal-list")
    return render(
        request,
        "watchlist/proposal_list.html",
        {
            "proposals": [proposal],
            "tiers": Tier.objects.all(),
            "can_decide": may(request.user, "watchlist:proposal-decide", "POST"),
        },
    )
