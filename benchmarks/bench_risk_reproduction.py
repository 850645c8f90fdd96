"""Reproduction of the Early Warning Project's 2025 forecasts by ``ElasticNetLogit``.

Prints Spearman rank correlation and top-10 overlap of our 2025-26 forecasts (from 2024 data, trained on years
<= 2022) with EWP's published ones, the same for the one-year and last year's forecasts, how many of ours equal
EWP's once rounded to the four significant digits EWP publishes, and the same for the 40 coefficients (four
decimals). Targets (issue 3): Spearman >= 0.98, top 10 identical but at most one country.

Run: ``.venv/bin/python benchmarks/bench_risk_reproduction.py`` (reads ``../shared/data/ewp-2025``).
"""

from __future__ import annotations

import resource
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from lemkin.core.risk.estimators import ElasticNetLogit
from lemkin.core.risk.forecast import forecast
from lemkin.core.risk.panel import OUTCOMES, load_panel

EWP_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "ewp-2025"


def main() -> None:
    panel = load_panel(EWP_DIR / "prepared2024predictors-2025-09-03.csv")
    published = pd.read_csv(EWP_DIR / "final_forecasts_data_3Sep2025.csv")
    start = time.perf_counter()
    result = forecast(panel, "elasticnet", 2024, n_jobs=2)
    elapsed = time.perf_counter() - start
    ours = result.to_frame().merge(published, on="ewp_name")
    print(f"countries forecast: {len(result.countries)}, matched with EWP: {len(ours)}; time {elapsed:.1f} s")
    for label, mine, theirs, their_rank in (
        ("2025-26 from 2024", "risk_2yr", "risk.2025and2026.from2024", "rank.2025and2026.from2025"),
        ("2025 only from 2024", "risk_1yr", "risk.2025only.from2024", "riskrank.2025only.from2024"),
        ("2024-25 from 2023", "previous_risk_2yr", "risk.2024and2025.from2023", "rank.2024and2025.from2023"),
    ):
        rho = spearmanr(ours[mine], ours[theirs]).statistic
        top_ours = set(ours.nlargest(10, mine)["ewp_name"])
        top_ewp = set(ours.nsmallest(10, their_rank)["ewp_name"])
        diff = float(np.max(np.abs(ours[mine] - ours[theirs])))
        x = ours[mine].to_numpy()
        scale = 10.0 ** (np.floor(np.log10(np.abs(x))) - 3)
        same = int(np.isclose(np.round(x / scale) * scale, ours[theirs], rtol=1e-12, atol=0).sum())
        print(f"{label:20s} Spearman {rho:.6f}  top-10 overlap {len(top_ours & top_ewp)}/10  max |diff| {diff:.2e}  "
              f"equal at EWP's 4 significant digits {same}/{len(ours)}")  # fmt: skip
    train = panel.complete_cases(years=(None, 2022), outcomes=OUTCOMES).frame
    model = ElasticNetLogit().fit(train[list(panel.predictors)], train["mk_onset_1or2"])
    coefs = pd.read_csv(EWP_DIR / "coefficients_3Sep2025.csv").set_index("variable")["coef.full"].astype(float)
    ours_coef = pd.Series([model.intercept_, *model.coef_], index=["(Intercept)", *panel.predictors])
    print(f"lambda.min index {model.lambda_index_ + 1} of {len(model.lambdas_)}, lambda {model.lambda_:.6g}")
    worst = (ours_coef - coefs[ours_coef.index]).abs().max()
    equal = int((ours_coef.round(4) == coefs[ours_coef.index]).sum())
    print(f"coefficients: max |difference| {worst:.2e}; equal at EWP's 4 decimals {equal}/{len(ours_coef)}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"peak RSS (self + largest child): {peak / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
