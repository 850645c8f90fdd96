from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from lemkin.apps.accounts.access import get_visible_or_404, visible

from .models import Country, Listing, RiskRun, TierProposal, Warning
from .risk import visible_forecasts

router = Router()


class CountryOut(Schema):
    iso3: str
    ccode: int | None
    name: str
    region: str
    marking: str
    exercise: bool

    @staticmethod
    def resolve_marking(obj: Country) -> str:
        return obj.marking.banner

    @staticmethod
    def resolve_exercise(obj: Country) -> bool:
        return obj.is_exercise


class RiskRunOut(Schema):
    id: int
    created_at: datetime
    created_by: str
    model_name: str
    model_resolved: str
    parameters: dict[str, Any]
    input_name: str
    input_sha256: str
    data_vintage: str
    base_year: int
    train_first: int
    train_last: int
    n_train: int
    dropped_rows: dict[str, Any]
    backtest_scores: dict[str, Any]
    marking: str

    @staticmethod
    def resolve_marking(obj: RiskRun) -> str:
        return obj.marking.banner


class ForecastOut(Schema):
    run: int
    base_year: int
    iso3: str
    country: str
    risk_2yr: float
    rank_2yr: int
    risk_1yr: float
    rank_1yr: int
    change_2yr: float | None
    rank_change: int | None
    factors: list[Any]


def _forecast(f: Any) -> dict[str, Any]:
    return {
        "run": f.run_id,
        "base_year": f.run.base_year,
        "iso3": f.country.iso3,
        "country": f.country.name,
        "risk_2yr": f.risk_2yr,
        "rank_2yr": f.rank_2yr,
        "risk_1yr": f.risk_1yr,
        "rank_1yr": f.rank_1yr,
        "change_2yr": f.change_2yr,
        "rank_change": f.rank_change,
        "factors": f.factors,
    }


@router.get("/countries", response=list[CountryOut])
def list_countries(request: HttpRequest) -> list[Country]:
    """Countries the signed-in person may see, each with its marking."""
    return list(visible(Country.objects.select_related("compartment"), request.user))


@router.get("/risk-runs", response=list[RiskRunOut])
def list_risk_runs(request: HttpRequest) -> list[RiskRun]:
    """Stored risk assessments with their provenance, newest first."""
    return list(visible(RiskRun.objects.all(), request.user))


@router.get("/risk-runs/{run_id}/forecasts", response=list[ForecastOut])
def risk_run_forecasts(request: HttpRequest, run_id: int) -> list[dict[str, Any]]:
    """One run's forecasts, ranked."""
    run = get_visible_or_404(RiskRun.objects.all(), request.user, pk=run_id)
    return [_forecast(f) for f in visible_forecasts(request.user).filter(run=run)]


@router.get("/countries/{iso3}/risk", response=list[ForecastOut])
def country_risk_history(request: HttpRequest, iso3: str) -> list[dict[str, Any]]:
    """A country's forecasts across runs, oldest base year first."""
    country = get_visible_or_404(Country.objects.all(), request.user, iso3=iso3.upper())
    history = visible_forecasts(request.user).filter(country=country).order_by("run__base_year", "run__pk")
    return [_forecast(f) for f in history]


class ListingOut(Schema):
    iso3: str
    country: str
    watchlist: str
    tier: str
    updated_at: datetime
    marking: str


@router.get("/listings", response=list[ListingOut])
def list_listings(request: HttpRequest) -> list[dict[str, Any]]:
    """Countries listed on either watchlist, with their tiers."""
    listings = visible(Listing.objects.select_related("country", "tier"), request.user).filter(
        country__in=visible(Country.objects.all(), request.user), tier__rank__gt=0
    )
    return [
        {
            "iso3": item.country.iso3,
            "country": item.country.name,
            "watchlist": item.watchlist,
            "tier": item.tier.code,
            "updated_at": item.updated_at,
            "marking": item.marking.banner,
        }
        for item in listings
    ]


class WarningOut(Schema):
    id: int
    iso3: str
    indicator: str
    month: str
    value: float
    reason: str
    status: str
    previous: int | None
    marking: str


@router.get("/warnings", response=list[WarningOut])
def list_warnings(request: HttpRequest, status: str | None = None) -> list[dict[str, Any]]:
    """Warnings, newest first; filter by ``status`` (new, acknowledged, under_review, stood_down)."""
    warnings = visible(Warning.objects.select_related("country", "rule__indicator"), request.user).filter(
        country__in=visible(Country.objects.all(), request.user)
    )
    if status:
        warnings = warnings.filter(status=status)
    return [
        {
            "id": w.pk,
            "iso3": w.country.iso3,
            "indicator": w.rule.indicator.name,
            "month": f"{w.month:%Y-%m}",
            "value": w.value,
            "reason": w.reason,
            "status": w.status,
            "previous": w.previous_id,
            "marking": w.marking.banner,
        }
        for w in warnings[:1000]
    ]


class ProposalOut(Schema):
    id: int
    run: int
    iso3: str
    watchlist: str
    current_tier: str
    proposed_tier: str
    factors: list[str]
    status: str


@router.get("/proposals", response=list[ProposalOut])
def list_proposals(request: HttpRequest) -> list[dict[str, Any]]:
    """Tier proposals from risk runs and their decisions."""
    proposals = visible(TierProposal.objects.select_related("country", "current_tier", "proposed_tier"), request.user)
    proposals = proposals.filter(
        country__in=visible(Country.objects.all(), request.user), run__in=visible(RiskRun.objects.all(), request.user)
    )
    return [
        {
            "id": p.pk,
            "run": p.run_id,
            "iso3": p.country.iso3,
            "watchlist": p.watchlist,
            "current_tier": p.current_tier.code,
            "proposed_tier": p.proposed_tier.code,
            "factors": p.factors,
            "status": p.status,
        }
        for p in proposals
    ]
