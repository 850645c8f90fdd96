"""``lemkin risk``: backtest and forecast the statistical risk of mass-killing onset.

Thin commands over :mod:`lemkin.core.risk`. Bad input gives one line naming the file, row and column and a
non-zero exit code; outputs are written to a temporary file beside the target and renamed, so a failed run
leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from lemkin.commands import bad_input
from lemkin.core.risk.backtest import default_origins, run_backtest, write_foos_csv
from lemkin.core.risk.forecast import run_forecast
from lemkin.core.risk.models import MODEL_NAMES, make_model, resolve_model_name
from lemkin.core.risk.panel import PanelError, load_panel
from lemkin.core.risk.report import render_report

app = typer.Typer(help="Statistical risk assessment: EWP-style backtests and forecasts of mass-killing onset.")
err = Console(stderr=True)
out = Console()

DataOption = Annotated[Path, typer.Option("--data", help="Country-year panel CSV (EWP prepared-predictors layout).")]
ModelOption = Annotated[str, typer.Option("--model", help=f"Model name: {', '.join(MODEL_NAMES)}.")]


_fail = bad_input  # one line on standard error, exit code 2, as every command


@contextlib.contextmanager
def _atomic_write(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it into place only if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        Path(tmp).replace(path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _check_model(model: str) -> str:
    try:
        return resolve_model_name(model)
    except KeyError as exc:
        raise _fail(str(exc.args[0])) from None


def _load(data: Path):
    try:
        return load_panel(data)
    except PanelError as exc:
        raise _fail(str(exc)) from None


@app.command()
def backtest(
    data: DataOption,
    model: ModelOption,
    out_csv: Annotated[Path, typer.Option("--out", help="Where to write the FOOS CSV (EWP's columns).")],
    report: Annotated[Path | None, typer.Option("--report", help="Also write a self-contained HTML report.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", min=1, help="Origins fitted in parallel (threads).")] = 1,
    processes: Annotated[
        bool, typer.Option("--processes", help="Fit the origins in worker processes instead of threads.")
    ] = False,
    dask_scheduler: Annotated[
        str | None, typer.Option("--dask-scheduler", help="Run origins on this existing Dask cluster.")
    ] = None,
) -> None:
    """Rolling, fully out-of-sample backtest in the Early Warning Project's protocol."""
    resolved = _check_model(model)
    panel = _load(data)
    origins = default_origins(panel)
    if not origins:
        raise _fail(f"{data}: the panel ({panel.years[0]}-{panel.years[1]}) is too short for the EWP backtest")
    with Progress(
        TextColumn("backtest {task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task(resolved, total=len(origins))
        advance: Callable[[int], None] = lambda _year: progress.advance(task)  # noqa: E731
        try:
            result = run_backtest(
                panel, make_model(resolved), model_name=resolved, origins=origins, n_jobs=jobs,
                prefer="processes" if processes else "threads", dask_scheduler=dask_scheduler,
                on_origin_done=advance,
            )  # fmt: skip
        except (OSError, TimeoutError) as exc:
            raise _fail(f"cannot use Dask scheduler {dask_scheduler}: {exc}") from None
    with _atomic_write(out_csv) as tmp:
        write_foos_csv(result.foos, tmp)
        if report is not None:
            page = render_report(
                [(resolved, result.foos)],
                title=f"Backtest of {resolved}",
                provenance={"input": str(data), "input SHA-256": panel.sha256, "data vintage": panel.vintage,
                            "model": resolved, "origins": f"{origins[0]}-{origins[-1]}"},
            )  # fmt: skip
            with _atomic_write(report) as tmp_report:
                tmp_report.write_text(page, encoding="utf-8")
    s = result.scores
    out.print(
        f"{resolved}: AUC {s.auc:.4f}, top-30 recall {s.caught_top30}/{s.n_onsets} "
        f"(pooled {s.recall_top30_pooled:.3f}, yearly {s.recall_top30_yearly:.3f}), Brier {s.brier:.5f} -> {out_csv}"
    )


@app.command()
def forecast(
    data: DataOption,
    model: ModelOption,
    base_year: Annotated[int, typer.Option("--base-year", help="Year of the predictors to forecast from.")],
    out_csv: Annotated[Path, typer.Option("--out", help="Where to write the per-country forecast CSV.")],
    jobs: Annotated[int, typer.Option("--jobs", min=1, help="Fits run in parallel (three in all).")] = 1,
) -> None:
    """Risk of onset in the next two years and the next year, per country, with rank, change and factors."""
    _check_model(model)
    with err.status("fitting and forecasting"):
        try:
            result = run_forecast(data, model, base_year, n_jobs=jobs)
        except PanelError as exc:
            raise _fail(str(exc)) from None
        except ValueError as exc:
            raise _fail(f"{data}: {exc}") from None
    with _atomic_write(out_csv) as tmp:
        result.to_frame().to_csv(tmp, index=False, na_rep="NA")
    top = ", ".join(c.ewp_name for c in result.countries[:5])
    out.print(
        f"{len(result.countries)} countries from {base_year} ({result.model_resolved}); highest: {top} -> {out_csv}"
    )
