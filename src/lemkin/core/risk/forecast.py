"""Forecasts from a base year: risk of onset in the next two years and in the next year, per country.

As EWP does for its published forecasts (``3.Modeling/model_3Sep2025.R``, commit 548cad77): the two-year model
(outcome ``mk_onset_1or2``) and the one-year model (``mk_onset_1``) train on complete cases of years
<= base year - 2 (the last years whose outcomes are fully observed) and forecast from the base year's rows; the
previous year's forecast (for "change since last year") trains on years <= base year - 3 and forecasts from the
year before the base year. Contributions explain the two-year forecast: coefficient × standardised value for the
elastic net, SHAP values (LightGBM ``pred_contrib``) for trees, both in log-odds.

:func:`run_forecast` returns a :class:`ForecastResult` holding everything a stored risk run needs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
from sklearn.base import clone
from threadpoolctl import threadpool_limits

from lemkin.core.risk.models import make_model, resolve_model_name
from lemkin.core.risk.panel import OUTCOMES, Panel, load_panel

__all__ = ["CountryForecast", "ForecastResult", "forecast", "run_forecast"]

#: How many contributing factors each country's row names.
TOP_FACTORS = 3


@dataclass(frozen=True)
class CountryForecast:
    """One country's forecast: risks, ranks, change since last year's forecast, main factors."""

    ewp_name: str
    ccode: int
    risk_2yr: float
    rank_2yr: int
    risk_1yr: float
    rank_1yr: int
    previous_risk_2yr: float | None
    previous_rank_2yr: int | None
    change_2yr: float | None
    rank_change: int | None
    factors: tuple[tuple[str, float], ...]


@dataclass
class ForecastResult:
    """A forecast run with its provenance (input checksum, data vintage, model and parameters)."""

    base_year: int
    model_name: str
    model_resolved: str
    parameters: dict[str, Any]
    input_sha256: str
    input_path: str
    data_vintage: str
    train_years: tuple[int, int]
    n_train: int
    dropped_rows: dict[str, int]
    countries: list[CountryForecast]
    contributions: pd.DataFrame
    created: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def to_frame(self) -> pd.DataFrame:
        """One row per country, ranked; factors as ``name`` / ``contribution`` column pairs."""
        rows = []
        for c in self.countries:
            row: dict[str, Any] = {
                "ewp_name": c.ewp_name,
                "ccode": c.ccode,
                "base_year": self.base_year,
                "risk_2yr": c.risk_2yr,
                "rank_2yr": c.rank_2yr,
                "risk_1yr": c.risk_1yr,
                "rank_1yr": c.rank_1yr,
                "previous_risk_2yr": c.previous_risk_2yr,
                "previous_rank_2yr": c.previous_rank_2yr,
                "change_2yr": c.change_2yr,
                "rank_change": c.rank_change,
            }
            for i in range(TOP_FACTORS):
                name, value = c.factors[i] if i < len(c.factors) else ("", float("nan"))
                row[f"factor_{i + 1}"] = name
                row[f"factor_{i + 1}_contribution"] = value
            rows.append(row)
        frame = pd.DataFrame(rows)
        for col in ("previous_rank_2yr", "rank_change"):
            frame[col] = frame[col].astype("Int64")
        return frame

    def provenance(self) -> dict[str, Any]:
        """Where the numbers came from, as a JSON-safe dictionary."""
        return {
            "base_year": self.base_year,
            "model": self.model_name,
            "model_resolved": self.model_resolved,
            "parameters": self.parameters,
            "input_sha256": self.input_sha256,
            "input_path": self.input_path,
            "data_vintage": self.data_vintage,
            "train_years": list(self.train_years),
            "n_train": self.n_train,
            "dropped_rows": self.dropped_rows,
            "created": self.created,
        }


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "get_params"):
        return {"class": type(value).__name__, "params": _json_safe(value.get_params(deep=False))}
    return repr(value)


def _fit_predict(panel: Panel, model: Any, last_train: int, year: int, outcome: str):
    predictors = list(panel.predictors)
    train = panel.complete_cases(years=(None, last_train), outcomes=OUTCOMES)
    rows = panel.complete_cases(years=(year, year)).frame
    if train.frame.empty:
        raise ValueError(f"no complete training rows up to {last_train}")
    with threadpool_limits(1):
        fitted = clone(model).fit(train.frame[predictors], train.frame[outcome].astype(int))
    risk = fitted.predict_proba(rows[predictors])[:, 1] if len(rows) else np.array([])
    return fitted, rows, risk, train


def forecast(panel: Panel, model_name: str, base_year: int, n_jobs: int = 1) -> ForecastResult:
    """Forecast onsets in ``base_year + 1`` and ``base_year + 2`` for every complete country in ``base_year``.

    The three fits (two-year, one-year, last year's two-year) are independent and run on ``n_jobs`` threads
    (the solvers release the GIL).
    """
    first, last = panel.years
    if not first + 3 <= base_year <= last:
        raise ValueError(f"base year {base_year} outside the usable range {first + 3}-{last} of the panel")
    resolved = resolve_model_name(model_name)
    model = make_model(resolved)
    if panel.complete_cases(years=(base_year, base_year)).frame.empty:
        raise ValueError(f"no country has complete predictors in base year {base_year}")
    fits = joblib.Parallel(n_jobs=n_jobs, prefer="threads")(
        joblib.delayed(_fit_predict)(panel, model, last_train, year, outcome)
        for last_train, year, outcome in (
            (base_year - 2, base_year, "mk_onset_1or2"),
            (base_year - 2, base_year, "mk_onset_1"),
            (base_year - 3, base_year - 1, "mk_onset_1or2"),
        )
    )
    (fitted, rows, risk2, train), (_, _, risk1, _), (_, prev_rows, prev_risk, _) = fits
    predictors = list(panel.predictors)
    contributions = pd.DataFrame(
        fitted.contributions(rows[predictors]), columns=predictors, index=rows["ewp_name"].to_numpy()
    )
    rank2 = pd.Series(risk2).rank(ascending=False, method="min").astype(int).to_numpy()
    rank1 = pd.Series(risk1).rank(ascending=False, method="min").astype(int).to_numpy()
    prev_names = [str(n) for n in prev_rows["ewp_name"]]
    prev_ranks = pd.Series(prev_risk).rank(ascending=False, method="min").astype(int).tolist()
    prev = {n: (float(r), k) for n, r, k in zip(prev_names, prev_risk.tolist(), prev_ranks, strict=True)}
    countries = []
    for i, name in enumerate(rows["ewp_name"].to_numpy()):
        contrib = contributions.iloc[i]
        top = contrib.reindex(contrib.abs().sort_values(ascending=False).index[:TOP_FACTORS])
        prev_risk_i, prev_rank_i = prev.get(str(name), (None, None))
        countries.append(
            CountryForecast(
                ewp_name=str(name),
                ccode=int(rows["ccode"].iat[i]),
                risk_2yr=float(risk2[i]),
                rank_2yr=int(rank2[i]),
                risk_1yr=float(risk1[i]),
                rank_1yr=int(rank1[i]),
                previous_risk_2yr=prev_risk_i,
                previous_rank_2yr=prev_rank_i,
                change_2yr=None if prev_risk_i is None else float(risk2[i]) - prev_risk_i,
                rank_change=None if prev_rank_i is None else prev_rank_i - int(rank2[i]),
                factors=tuple((str(k), float(v)) for k, v in top.items()),
            )
        )
    countries.sort(key=lambda c: (c.rank_2yr, c.ewp_name))
    params = _json_safe(model.get_params(deep=False))
    json.dumps(params)  # provenance must serialise
    return ForecastResult(
        base_year=base_year,
        model_name=model_name,
        model_resolved=resolved,
        parameters=params,
        input_sha256=panel.sha256,
        input_path=panel.source,
        data_vintage=panel.vintage,
        train_years=(int(train.frame["year"].min()), base_year - 2),
        n_train=len(train.frame),
        dropped_rows={
            "training": train.n_dropped,
            "base_year": int((panel.frame["year"] == base_year).sum()) - len(rows),
        },
        countries=countries,
        contributions=contributions,
    )


def run_forecast(panel_path: str | Path, model: str, base_year: int, n_jobs: int = 1) -> ForecastResult:
    """Load and validate a panel file and forecast from ``base_year`` (the entry point for stored risk runs)."""
    return forecast(load_panel(panel_path), model, base_year, n_jobs=n_jobs)
