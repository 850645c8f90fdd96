"""Expert judgment beside the model, and prioritisation "based on factors beyond risk".

The opinion pool (``lemkin.core.warning.pool``) pools each analyst's latest probability per country; it is shown
next to the latest model figure, with dissent, and both are scored (Brier) once outcomes are recorded.
Prioritisation (``lemkin.core.warning.priority``) ranks listed countries by risk, U.S. influence and impact on
other U.S. interests, chooses the slate under the committee's capacity and shows how the slate moves with the
weights."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from lemkin.apps.accounts.access import visible
from lemkin.core.warning import pool as core_pool
from lemkin.core.warning import priority as core_priority

from .models import Country, Judgment, Listing, Outcome, PriorityScore, RiskForecast, Watchlist
from .risk import visible_forecasts


class JudgmentError(ValueError):
    """Refused input; the message says which field and why."""


@transaction.atomic
def record_judgment(
    person: Any, country: Country, probability: float, start: int, end: int, rationale: str
) -> Judgment:
    if not 0.0 <= probability <= 1.0:
        raise JudgmentError(f"probability: {probability} is not between 0 and 1")
    if end < start:
        raise JudgmentError("horizon: the last year comes before the first")
    if not rationale.strip():
        raise JudgmentError("rationale: say briefly why")
    judgment = Judgment.objects.create(
        country=country,
        analyst=person.get_username(),
        probability=probability,
        horizon_start=start,
        horizon_end=end,
        rationale=rationale.strip(),
        **country.marking_fields(),
    )
    return judgment


@dataclass(frozen=True)
class Beside:
    """The pooled judgment beside the model's figure for one country and horizon."""

    pooled: core_pool.PooledForecast | None
    model: RiskForecast | None
    judgments: list[Judgment]


def latest_forecast(person: Any, country: Country) -> RiskForecast | None:
    return visible_forecasts(person).filter(country=country).order_by("-run__base_year", "-run__pk").first()


def beside(person: Any, country: Country, start: int, end: int) -> Beside:
    judgments = list(visible(Judgment.objects.filter(country=country, horizon_start=start, horizon_end=end), person))
    forecasts = [
        core_pool.Forecast(j.analyst, country.iso3, j.probability, j.rationale, j.created_at.date())
        for j in sorted(judgments, key=lambda j: j.created_at)
    ]
    pooled = core_pool.pool(forecasts).get(country.iso3) if forecasts else None
    return Beside(pooled, latest_forecast(person, country), judgments)


def scores(person: Any, start: int, end: int) -> core_pool.BrierComparison:
    """Pool and model scored where an outcome for the horizon is known (onset in any year of it)."""
    judgments = visible(Judgment.objects.filter(horizon_start=start, horizon_end=end), person).select_related("country")
    forecasts = [
        core_pool.Forecast(j.analyst, j.country.iso3, j.probability, j.rationale, j.created_at.date())
        for j in sorted(judgments, key=lambda j: j.created_at)
    ]
    pooled = core_pool.pool(forecasts)
    model: dict[str, float] = {}
    for forecast in visible_forecasts(person).filter(run__base_year=start - 1):
        model.setdefault(forecast.country.iso3, forecast.risk_2yr)
    outcomes: dict[str, bool] = {}
    for outcome in Outcome.objects.filter(year__gte=start, year__lte=end).select_related("country"):
        outcomes[outcome.country.iso3] = outcomes.get(outcome.country.iso3, False) or outcome.onset
    return core_pool.compare_brier(pooled, model, outcomes)


@transaction.atomic
def record_outcome(person: Any, country: Country, year: int, onset: bool, source: str) -> Outcome:
    if not source.strip():
        raise JudgmentError("source: say where the outcome is coded from")
    outcome, _ = Outcome.objects.update_or_create(
        country=country,
        year=year,
        defaults={"onset": onset, "source": source.strip(), "recorded_by": person.get_username()},
    )
    return outcome


@transaction.atomic
def score_priority(person: Any, country: Country, influence: int, interests: int, rationale: str) -> PriorityScore:
    for name, value in (("influence", influence), ("interests", interests)):
        if not 1 <= value <= 5:
            raise JudgmentError(f"{name}: {value} is not on the 1-5 scale")
    if not rationale.strip():
        raise JudgmentError("rationale: say why")
    return PriorityScore.objects.create(
        country=country,
        influence=influence,
        interests=interests,
        rationale=rationale.strip(),
        scored_by=person.get_username(),
        **country.marking_fields(),
    )


@dataclass(frozen=True)
class Priorities:
    slate: core_priority.Slate | None
    sensitivity: core_priority.Sensitivity | None
    candidates: list[core_priority.Candidate]
    unscored: list[Country]
    names: dict[str, str]


def listed_countries(person: Any) -> QuerySet[Country]:
    """Countries listed (above "not listed") on the Atrocities Watchlist that the person may see."""
    listings = visible(Listing.objects.filter(watchlist=Watchlist.ATROCITIES, tier__rank__gt=0), person)
    return visible(Country.objects.filter(listings__in=listings), person).distinct()


def priorities(person: Any, capacity: int, weights: dict[str, float], seed: int = 0) -> Priorities:
    """The slate under ``capacity`` for the listed countries that have a model figure and analysts' scores."""
    candidates, unscored, names = [], [], {}
    for country in listed_countries(person):
        score = visible(PriorityScore.objects.filter(country=country), person).first()
        forecast = latest_forecast(person, country)
        if score is None or forecast is None:
            unscored.append(country)
            continue
        names[country.iso3] = country.name
        candidates.append(
            core_priority.Candidate(country.iso3, forecast.risk_2yr, score.influence, score.interests, score.rationale)
        )
    if not candidates:
        return Priorities(None, None, candidates, unscored, names)
    slate = core_priority.prioritise(candidates, capacity, weights=weights)
    spread = core_priority.sensitivity(candidates, capacity, weights=weights, seed=seed, n=500)
    return Priorities(slate, spread, candidates, unscored, names)
