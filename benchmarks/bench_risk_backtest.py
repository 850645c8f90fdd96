"""The rolling backtest: reproduction, improvement, speed against EWP's R pipeline, and memory.

Prints
* AUC / top-30 recall / Brier of EWP's own FOOS file scored by our code, of our ``elasticnet`` backtest
  (target: AUC within 0.01 of EWP's) and of the ``best`` model (targets: +0.03 AUC, +5 points of top-30
  recall, Brier no worse);
* the same with the full lambda grid (``cv_patience=None``), to show the quicker walk picks the same lambdas;
* how far our elastic-net FOOS table is from EWP's file (largest risk difference, ranks that differ);
* wall time of the full elastic-net backtest, ours (``--jobs`` threads, or processes with ``--processes``)
  against ``ewp_backtest.R`` (glmnet) on the same machine, and the ratio (target: ours at least 2x faster); the
  solver is compiled (or its compiled code loaded from numba's cache) before the clock starts, and that time is
  printed on its own; the R half is skipped with a message when ``Rscript`` is not installed;
* peak memory (target < 1 GB): with threads, the max RSS of this one process; with processes, this process plus
  every worker at its largest (an upper bound: shared pages are counted once per process).

Run: ``.venv/bin/python benchmarks/bench_risk_backtest.py [--jobs 2] [--processes] [--skip-best] [--skip-r]``.
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from joblib.externals.loky import get_reusable_executor

from lemkin.core.risk.backtest import run_backtest
from lemkin.core.risk.estimators import ElasticNetLogit
from lemkin.core.risk.lognet import lognet_path
from lemkin.core.risk.metrics import Scores, score_foos
from lemkin.core.risk.models import make_model, resolve_model_name
from lemkin.core.risk.panel import load_panel

HERE = Path(__file__).resolve().parent
EWP_DIR = HERE.parent.parent / "shared" / "data" / "ewp-2025"
PANEL = EWP_DIR / "prepared2024predictors-2025-09-03.csv"


def _line(label: str, s: Scores) -> str:
    return (
        f"{label:28s} AUC {s.auc:.4f}  top-30 {s.caught_top30}/{s.n_onsets} pooled {s.recall_top30_pooled:.4f} "
        f"by-year {s.recall_top30_yearly:.4f}  Brier {s.brier:.5f}  (scored {s.n_scored})"
    )


def _peak_mib() -> tuple[float, float]:
    get_reusable_executor().shutdown(wait=True)  # reap the worker processes so their peak is counted
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, child


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--processes", action="store_true", help="origins in worker processes, not threads")
    parser.add_argument("--skip-best", action="store_true")
    parser.add_argument("--skip-r", action="store_true")
    parser.add_argument("--skip-exact", action="store_true", help="skip the full-lambda-grid elastic net")
    args = parser.parse_args()

    ewp_foos = pd.read_csv(EWP_DIR / "FOOSforecasts_3Sep2025.csv")
    ewp = score_foos(ewp_foos)
    print(_line("EWP FOOS file (our scorer)", ewp))
    panel = load_panel(PANEL)
    prefer = "processes" if args.processes else "threads"

    start = time.perf_counter()
    rng = np.random.default_rng(0)
    lognet_path(rng.normal(size=(40, 2)), np.arange(40) % 2)  # compile, or load the cached compiled code
    print(f"solver compile or cache load: {time.perf_counter() - start:.1f} s (before the clock starts)")

    start = time.perf_counter()
    ours = run_backtest(panel, make_model("elasticnet"), model_name="elasticnet", n_jobs=args.jobs, prefer=prefer)
    ours_seconds = time.perf_counter() - start
    print(_line("elasticnet (ours)", ours.scores))
    merged = ours.foos.merge(ewp_foos, on=["year", "ccode"], suffixes=("", "_ewp"))
    print(f"  |AUC - EWP| = {abs(ours.scores.auc - ewp.auc):.4f} (target <= 0.01); rows matched {len(merged)}, "
          f"max |maxrisk2 - EWP's| {(merged['maxrisk2'] - merged['maxrisk2_ewp']).abs().max():.1e}, "
          f"minrank2 different in {int((merged['minrank2'] != merged['minrank2_ewp']).sum())} rows")  # fmt: skip
    print(f"  wall time {ours_seconds:.1f} s on {args.jobs} {prefer}")
    if not args.skip_exact:
        start = time.perf_counter()
        exact = run_backtest(panel, ElasticNetLogit(), model_name="elasticnet-full-grid", n_jobs=args.jobs,
                             prefer=prefer)  # fmt: skip
        exact_seconds = time.perf_counter() - start
        same = float((exact.foos["maxrisk2"] - ours.foos["maxrisk2"]).abs().max())
        print(f"  full lambda grid (cv_patience=None): wall time {exact_seconds:.1f} s, "
              f"max |maxrisk2 difference| {same:.1e}, AUC {exact.scores.auc:.4f}")  # fmt: skip
    own, child = _peak_mib()
    if args.processes:
        print(f"  peak RSS: this process {own:.0f} MiB, largest worker {child:.0f} MiB, all {args.jobs} workers "
              f"and this process at most {own + args.jobs * child:.0f} MiB (target < 1024)")  # fmt: skip
    else:
        print(f"  peak RSS: {own:.0f} MiB, one process and its {args.jobs} threads (target < 1024)")

    if not args.skip_best:
        best_name = resolve_model_name("best")
        start = time.perf_counter()
        best = run_backtest(panel, make_model(best_name), model_name=best_name, n_jobs=args.jobs, prefer=prefer)
        print(_line(f"best = {best_name}", best.scores))
        b = best.scores
        print(
            f"  vs EWP: dAUC {b.auc - ewp.auc:+.4f} (target >= +0.03), d top-30 recall pooled "
            f"{100 * (b.recall_top30_pooled - ewp.recall_top30_pooled):+.1f} points, by year "
            f"{100 * (b.recall_top30_yearly - ewp.recall_top30_yearly):+.1f} points (target >= +5), "
            f"Brier {b.brier:.5f} vs {ewp.brier:.5f} ({'no worse' if b.brier <= ewp.brier else 'WORSE'}); "
            f"wall time {time.perf_counter() - start:.1f} s"
        )

    if args.skip_r:
        return
    rscript = shutil.which("Rscript")
    if rscript is None:
        print("Rscript not found: skipping the R half (apt-get install r-base-core r-cran-glmnet r-cran-dplyr "
              "r-cran-purrr r-cran-proc)")  # fmt: skip
        return
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "foos_r.csv"
        start = time.perf_counter()
        done = subprocess.run(
            [rscript, str(HERE / "ewp_backtest.R"), str(PANEL), str(out)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        r_total = time.perf_counter() - start
        if done.returncode != 0:
            print(f"R backtest failed ({done.returncode}): {done.stderr.strip()[-500:]}")
            return
        match = re.search(r"R_LOOP_SECONDS ([0-9.]+)", done.stdout)
        r_loop = float(match.group(1)) if match else float("nan")
        r_scores = score_foos(pd.read_csv(out))
    print(_line("R glmnet re-run", r_scores))
    print(f"  R wall time {r_total:.1f} s (backtest loop {r_loop:.1f} s, one core)")
    print(f"  speed ratio R loop / ours = {r_loop / ours_seconds:.2f}x (target >= 2); "
          f"R total / ours = {r_total / ours_seconds:.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
