from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from lemkin.apps.accounts.access import get_visible_or_404, visible

from .models import Country, RiskRun
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
