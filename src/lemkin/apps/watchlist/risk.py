"""Storing risk runs: a forecast of ``lemkin.core.risk`` becomes a ``RiskRun`` with one ``RiskForecast`` per
country, in one transaction. Countries are resolved through the one country table (real data) or the exercise
world (fictional codes 9001 and up); a country neither knows stops the import before anything is written."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from lemkin.apps.accounts.access import visibility_filter
from lemkin.apps.audit.models import Action
from lemkin.apps.audit.services import record
from lemkin.core import countries
from lemkin.core.exercise import world
from lemkin.core.risk.forecast import ForecastResult

from .models import Country, RiskForecast, RiskRun, TierProposal

EXERCISE_BY_CCODE = {country.ccode: country for country in world.COUNTRIES}


class RiskImportError(ValueError):
    """The forecast names countries Lemkin cannot resolve; nothing was written."""


def _country_for(ewp_name: str, ccode: int, year: int) -> Country:
    fictional = EXERCISE_BY_CCODE.get(ccode)
    if fictional is not None:
        country, _ = Country.objects.get_or_create(
            iso3=fictional.code,
            defaults={"ccode": ccode, "name": fictional.name, "region": fictional.region, "is_exercise": True},
        )
        return country
    try:
        real = countries.by_cow(ccode, year)
    except LookupError:
        raise RiskImportError(
            f"country {ewp_name!r} (Correlates of War code {ccode}): not in the country table"
        ) from None
    existing = Country.objects.filter(iso3=real.iso3).first() or Country.objects.filter(ccode=ccode).first()
    if existing is not None:
        return existing
    return Country.objects.create(iso3=real.iso3, ccode=ccode, name=real.name, is_exercise=False)


def unresolvable(pairs: Iterable[tuple[str, int]], year: int) -> list[str]:
    """Countries of a panel (``ewp_name``, ``ccode``) that neither the country table nor the exercise world knows;
    checked before any model is fitted, so a bad file fails fast."""
    problems = []
    for name, ccode in sorted(set(pairs), key=lambda pair: pair[1]):
        if ccode in EXERCISE_BY_CCODE:
            continue
        try:
            countries.by_cow(ccode, year)
        except LookupError:
            problems.append(f"country {name!r} (Correlates of War code {ccode}): not in the country table")
    return problems


def drift_from_previous(result: ForecastResult) -> tuple[list[str], bool]:
    """The new run's two-year risks against the previous run of the same kind (exercise or real): countries that
    vanished and risks that jumped far beyond the other countries' changes. Returns the lines and whether any is a
    warning that a person must look at before the run is stored."""
    import pandas as pd

    from lemkin.core.warning.drift import compare_vintages

    exercise = all(c.ccode in EXERCISE_BY_CCODE for c in result.countries)
    previous = RiskRun.objects.filter(is_exercise=exercise).order_by("-created_at", "-pk").first()
    if previous is None:
        return [], False
    old = pd.DataFrame(
        list(previous.forecasts.values_list("country__ccode", "risk_2yr")), columns=["ccode", "risk_2yr"]
    )
    new = pd.DataFrame([(c.ccode, c.risk_2yr) for c in result.countries], columns=["ccode", "risk_2yr"])
    report = compare_vintages(old, new, entity=("ccode",), time=None, values=["risk_2yr"], z=6.0, min_scale=0.01)
    lines = [f"against run #{previous.pk} ({previous.data_vintage}): {line}" for line in report.lines()]
    return lines, bool(report.warnings)


@transaction.atomic
def store_run(
    result: ForecastResult, created_by: str, backtest: dict[str, Any] | None = None, drift: list[str] | None = None
) -> RiskRun:
    """Write the run and its forecasts (all or nothing) and the audit event ``RiskRunImported``."""
    resolved = [(c, _country_for(c.ewp_name, c.ccode, result.base_year)) for c in result.countries]
    exercise = [country.is_exercise for _, country in resolved]
    if any(exercise) and not all(exercise):
        raise RiskImportError("the panel mixes exercise and real countries; keep exercise data apart")
    run = RiskRun.objects.create(
        created_by=created_by,
        model_name=result.model_name,
        model_resolved=result.model_resolved,
        parameters=result.parameters,
        input_name=result.input_path,
        input_sha256=result.input_sha256,
        data_vintage=result.data_vintage,
        base_year=result.base_year,
        train_first=result.train_years[0],
        train_last=result.train_years[1],
        n_train=result.n_train,
        dropped_rows=result.dropped_rows,
        backtest_scores=(backtest or {}).get("scores", {}),
        plots=(backtest or {}).get("plots", {}),
        drift=drift or [],
        is_exercise=all(exercise) and bool(exercise),
    )
    RiskForecast.objects.bulk_create(
        RiskForecast(
            run=run,
            country=country,
            risk_2yr=c.risk_2yr,
            rank_2yr=c.rank_2yr,
            risk_1yr=c.risk_1yr,
            rank_1yr=c.rank_1yr,
            previous_risk_2yr=c.previous_risk_2yr,
            change_2yr=c.change_2yr,
            rank_change=c.rank_change,
            factors=[[name, value] for name, value in c.factors],
        )
        for c, country in resolved
    )
    record(
        Action.IMPORT,
        run,
        name="RiskRunImported",
        detail={"input_sha256": result.input_sha256, "model": result.model_resolved, "countries": len(resolved)},
    )
    return run


@transaction.atomic
def store_run_and_propose(
    result: ForecastResult, created_by: str, backtest: dict[str, Any] | None = None, drift: list[str] | None = None
) -> tuple[RiskRun, list[TierProposal]]:
    """Store the run and make its tier proposals in one transaction: a run is never stored without the proposals
    it leads to, even when the process dies between the two."""
    from .tiers import propose_from_run

    run = store_run(result, created_by, backtest=backtest, drift=drift)
    return run, propose_from_run(run)


def visible_forecasts(person: Any) -> QuerySet[RiskForecast]:
    """Forecasts whose run and country the person may both see."""
    return RiskForecast.objects.filter(
        visibility_filter(person, "run__") & visibility_filter(person, "country__")
    ).select_related("run", "country")
