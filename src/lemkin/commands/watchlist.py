"""``lemkin risk import``: run a forecast and store it as a risk run in the database for the watchlist."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

import pandas as pd
import typer

from . import as_cli_actor, console, errors, fail, setup_django


def _backtest_figures(path: Path, label: str) -> dict[str, Any]:
    """Scores and plots of a backtest's FOOS table, to store with the run."""
    from lemkin.core.risk.backtest import read_foos_csv
    from lemkin.core.risk.metrics import score_foos
    from lemkin.core.risk.report import backtest_plots

    try:
        foos = read_foos_csv(path)
    except (OSError, ValueError) as error:
        fail(f"--backtest {path}: {error}")
    with console.status("Scoring the backtest and drawing its plots"):
        return {
            "scores": {**score_foos(foos).as_dict(), "file": path.name},
            "plots": backtest_plots([(label, foos)]),
        }


def import_run(
    data: Path = typer.Option(..., "--data", help="Country-year panel CSV (EWP prepared-predictors layout)"),
    model: str = typer.Option("best", "--model", help="Model name, e.g. elasticnet or best"),
    base_year: int = typer.Option(..., "--base-year", help="Forecast from this year's rows"),
    backtest: Path | None = typer.Option(
        None, "--backtest", help="A FOOS CSV from `lemkin risk backtest` of the same model: scores and plots"
    ),
    accept_drift: bool = typer.Option(
        False, "--accept-drift", help="Store the run although it differs sharply from the previous one (reviewed)"
    ),
    vintage: str = typer.Option("", "--vintage", help="Data vintage (default: the date in the file's name)"),
    jobs: int = typer.Option(1, "--jobs", help="Parallel fits"),
) -> None:
    """Forecast from the panel and store the run (checksum, vintage, model, parameters, per-country risk, rank,
    change and main factors) in one transaction; nothing is stored when anything is wrong."""
    setup_django()
    from lemkin.apps.watchlist.risk import RiskImportError, drift_from_previous, store_run_and_propose
    from lemkin.core.risk.models import MODEL_NAMES
    from lemkin.core.risk.panel import PanelError

    if model not in MODEL_NAMES:
        fail(f"--model {model!r}: choose from {', '.join(MODEL_NAMES)}")
    from lemkin.apps.watchlist.risk import unresolvable
    from lemkin.core.risk.forecast import run_forecast

    try:
        frame = pd.read_csv(data, usecols=["ewp_name", "ccode", "year"], na_values=["NA"])
    except (OSError, ValueError) as error:
        fail(f"{data}: {error}")
    latest = frame.loc[frame["year"] == base_year, ["ewp_name", "ccode"]].dropna()
    problems = unresolvable(((str(n), int(c)) for n, c in latest.itertuples(index=False)), base_year)
    if problems:
        fail(f"{data}: " + "; ".join(problems))
    try:
        with console.status(f"Forecasting from {base_year} with {model}"):
            result = run_forecast(data, model, base_year, n_jobs=jobs)
    except PanelError as error:
        fail(str(error).splitlines()[0] if str(error) else f"{data}: invalid panel")
    except (OSError, ValueError) as error:
        fail(f"{data}: {error}")
    scores = _backtest_figures(backtest, result.model_resolved) if backtest else None
    result.data_vintage = vintage or result.data_vintage
    if not result.data_vintage:
        fail(f"{data}: no data vintage in the file's name; give it with --vintage (e.g. 2025-09-03)")
    drift, needs_review = drift_from_previous(result)
    if needs_review and not accept_drift:
        for line in drift[:30]:
            errors.print(f"  {line}", highlight=False)
        fail(
            f"{data}: the run differs from the previous one ({len(drift)} finding(s)); nothing was stored. "
            "Review the findings, then re-run with --accept-drift"
        )
    try:
        with as_cli_actor():
            run, proposals = store_run_and_propose(
                result, created_by=f"cli:{getpass.getuser()}", backtest=scores, drift=drift
            )
    except RiskImportError as error:
        fail(f"{data}: {error}")
    console.print(
        f"Stored risk run #{run.pk}: {len(result.countries)} countries, base year {base_year}, model "
        f"{result.model_resolved}, data {result.input_path} (SHA-256 {result.input_sha256[:12]}…); "
        f"{len(proposals)} tier proposal(s) await an analyst's decision"
    )
