"""The Early Warning Project's rolling, fully out-of-sample backtest.

Protocol (``EarlyWarningProject/2025-Statistical-Risk-Assessment`` commit 548cad77,
``3.Modeling/model_3Sep2025.R``, functions ``traintestyear`` and the "two year mins/maxes" block):

* for each last training year ``L`` (1991...2021): fit on all years <= ``L``, complete cases of the predictors
  and all four outcome columns; forecast ``mk_onset_1or2`` for the rows of year ``L + 2`` complete on the
  predictors; rank within that year (``rank(-risk, ties.method = "min")``);
* for each country-year ``Y`` from the first forecast year + 1 to the last + 2: ``risk_prev``/``rank_prev``
  come from the forecast made from ``Y - 1`` data and ``risk_two_years_prior``/``rank_two_years_prior`` from
  ``Y - 2`` (both two-year windows contain ``Y``); ``maxrisk2`` and ``minrank2`` are the larger risk and the
  better rank, scored against ``mk_onset`` in ``Y``.

Origins are independent, so they run in parallel: in threads by default (the elastic-net solver and LightGBM
release the GIL, and threads share the panel, so memory stays that of one process), in joblib processes on
request, or on an existing Dask cluster when a scheduler address is given. The result has the columns of EWP's
``FOOSforecasts_3Sep2025.csv``.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import pandas as pd
from sklearn.base import clone
from threadpoolctl import threadpool_limits

from lemkin.core.risk.metrics import Scores, score_foos
from lemkin.core.risk.panel import OUTCOMES, Panel

__all__ = [
    "FOOS_COLUMNS",
    "BacktestResult",
    "default_origins",
    "foos_table",
    "forecast_origin",
    "run_backtest",
    "write_foos_csv",
]

#: Columns of EWP's FOOS file after its unnamed row-number column.
FOOS_COLUMNS: tuple[str, ...] = (
    "year", "ewp_name", "ccode", "mk_onset", "prev_year", "two_years_prior", "risk_prev", "rank_prev",
    "risk_two_years_prior", "rank_two_years_prior", "maxrisk2", "minrank2",
)  # fmt: skip
#: EWP's first last-training-year (``lasttrainyear.series <- seq(1991, 2021, by = 1)``).
EWP_FIRST_ORIGIN = 1991


def default_origins(panel: Panel) -> list[int]:
    """EWP's last training years: 1991 to the last year whose two-year-ahead forecast is still scorable."""
    _, last_year = panel.years
    return list(range(EWP_FIRST_ORIGIN, last_year - 3 + 1))


def forecast_origin(panel: Panel, model: Any, last_train_year: int, outcome: str = "mk_onset_1or2") -> pd.DataFrame:
    """Fit on years <= ``last_train_year``, forecast the rows of ``last_train_year + 2``, rank within year."""
    train = panel.complete_cases(years=(None, last_train_year), outcomes=OUTCOMES).frame
    test = panel.complete_cases(years=(last_train_year + 2, last_train_year + 2)).frame
    predictors = list(panel.predictors)
    fitted = clone(model).fit(train[predictors], train[outcome].astype(int))
    risk = fitted.predict_proba(test[predictors])[:, 1]
    out = pd.DataFrame({"ewp_name": test["ewp_name"].to_numpy(), "year": last_train_year + 2, "risk": risk})
    out["riskrank"] = out["risk"].rank(ascending=False, method="min").astype(int)
    return out


def foos_table(panel: Panel, forecasts: pd.DataFrame) -> pd.DataFrame:
    """Combine per-year forecasts into EWP's FOOS layout (one row per country-year in the scored years)."""
    first, last = int(forecasts["year"].min()) + 1, int(forecasts["year"].max()) + 2
    frame = panel.frame
    rows = frame.loc[(frame["year"] >= first) & (frame["year"] <= last), ["year", "ewp_name", "ccode", "mk_onset"]]
    table = rows.reset_index(drop=True).copy()
    table["mk_onset"] = table["mk_onset"].astype(int)
    table["prev_year"] = table["year"] - 1
    table["two_years_prior"] = table["year"] - 2
    keyed = forecasts[["ewp_name", "year", "risk", "riskrank"]]
    for key, suffix in (("prev_year", "prev"), ("two_years_prior", "two_years_prior")):
        table = table.merge(
            keyed.rename(columns={"year": key, "risk": f"risk_{suffix}", "riskrank": f"rank_{suffix}"}),
            on=["ewp_name", key],
            how="left",
        )
    table["maxrisk2"] = table[["risk_prev", "risk_two_years_prior"]].max(axis=1, skipna=True)
    table["minrank2"] = table[["rank_prev", "rank_two_years_prior"]].min(axis=1, skipna=True)
    for col in ("rank_prev", "rank_two_years_prior", "minrank2"):
        table[col] = table[col].astype("Int64")
    table.index = pd.RangeIndex(1, len(table) + 1)
    return table[list(FOOS_COLUMNS)]


@dataclass
class BacktestResult:
    """A backtest's FOOS table, the per-origin forecasts and the scores."""

    foos: pd.DataFrame
    forecasts: pd.DataFrame
    scores: Scores
    model_name: str
    origins: list[int]


@contextlib.contextmanager
def _dask_backend(address: str | None) -> Iterator[None]:
    if address is None:
        yield
        return
    from distributed import Client

    with Client(address) as client, joblib.parallel_config(backend="dask"):
        client.wait_for_workers(1, timeout=60)
        yield


def _forecast_origin_one_thread(panel: Panel, model: Any, last_train_year: int) -> pd.DataFrame:
    """:func:`forecast_origin` in a worker process, its BLAS and OpenMP pools held to one thread."""
    with threadpool_limits(1):
        return forecast_origin(panel, model, last_train_year)


def run_backtest(
    panel: Panel,
    model: Any,
    *,
    model_name: str = "",
    origins: Sequence[int] | None = None,
    n_jobs: int = 1,
    prefer: str = "threads",
    dask_scheduler: str | None = None,
    on_origin_done: Callable[[int], None] | None = None,
) -> BacktestResult:
    """Run the rolling backtest; origins run side by side on ``n_jobs`` workers, or on a Dask cluster.

    ``prefer`` is ``"threads"`` (default: one process, shared data) or ``"processes"`` (joblib's loky
    workers, for models that hold the GIL); with ``dask_scheduler`` the cluster's workers run the origins.
    """
    origins = list(default_origins(panel) if origins is None else origins)
    if not origins:
        raise ValueError("no backtest origins: the panel is too short for the EWP protocol")
    if prefer not in ("threads", "processes"):
        raise ValueError(f"prefer must be 'threads' or 'processes', not {prefer!r}")
    # nested BLAS/OpenMP pools only contend with origins side by side: one thread each, set once for the whole
    # process when the origins run in threads (per worker otherwise)
    in_threads = prefer == "threads" and dask_scheduler is None
    job = forecast_origin if in_threads else _forecast_origin_one_thread
    with _dask_backend(dask_scheduler), threadpool_limits(1 if in_threads else None):
        jobs = n_jobs if dask_scheduler is None else -1
        runner = joblib.Parallel(n_jobs=jobs, prefer=prefer, return_as="generator_unordered")
        parts = []
        # latest origins have the most training rows: start them first so the workers finish together
        ordered = sorted(origins, reverse=True)
        for part in runner(joblib.delayed(job)(panel, model, year) for year in ordered):
            parts.append(part)
            if on_origin_done is not None:
                on_origin_done(int(part["year"].iat[0]) - 2 if len(part) else -1)
    forecasts = pd.concat(parts, ignore_index=True).sort_values(["year", "riskrank"], ignore_index=True)
    foos = foos_table(panel, forecasts)
    return BacktestResult(foos, forecasts, score_foos(foos), model_name, sorted(origins))


def read_foos_csv(path: str | Path) -> pd.DataFrame:
    """Read a FOOS table written by ``write_foos_csv`` or by EWP's R code; ``ValueError`` names missing columns."""
    table = pd.read_csv(path, index_col=0, na_values=["NA"])
    missing = [column for column in FOOS_COLUMNS if column not in table.columns]
    if missing:
        raise ValueError(f"{path}: not a FOOS table, missing column(s) {', '.join(missing)}")
    return table[list(FOOS_COLUMNS)]


def write_foos_csv(foos: pd.DataFrame, path: str | Path) -> None:
    """Write a FOOS table as R's ``write.csv`` does: quoted header and names, row numbers, ``NA``."""
    foos.to_csv(path, index=True, index_label="", na_rep="NA", quoting=csv.QUOTE_NONNUMERIC)
