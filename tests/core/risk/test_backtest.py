"""The rolling backtest: EWP's protocol and layout, parallel and on a Dask cluster."""

import distributed
import numpy as np
import pandas as pd
import pytest

from lemkin.core.risk.backtest import FOOS_COLUMNS, default_origins, foos_table, run_backtest, write_foos_csv
from lemkin.core.risk.estimators import ElasticNetLogit, MonotoneBoostingRisk
from lemkin.core.risk.panel import load_panel


def test_default_origins_are_ewps(ewp_panel):
    """EWP's last training years: 1991-2021 for a panel ending in 2024."""
    assert default_origins(ewp_panel) == list(range(1991, 2022))


def test_last_origin_reproduces_ewp_foos(ewp_panel, ewp_dir, tmp_path):
    """The last origin, run with the EWP model, matches EWP's FOOS file row for row.

    Origin 2021 forecasts from 2023 data; in the FOOS layout that fills ``risk_prev`` for 2024. Risks agree to
    1e-12 (glmnet's own arithmetic, in another order) and every rank is the same; the header is EWP's.
    """
    result = run_backtest(ewp_panel, ElasticNetLogit(), origins=[2021])
    path = tmp_path / "foos.csv"
    write_foos_csv(result.foos, path)
    ours = pd.read_csv(path)
    ewp = pd.read_csv(ewp_dir / "FOOSforecasts_3Sep2025.csv")
    assert list(ours.columns) == list(ewp.columns)
    assert list(ours.columns)[1:] == list(FOOS_COLUMNS)
    merged = ours.merge(ewp, on=["year", "ccode"], suffixes=("", "_ewp"))
    merged = merged.loc[merged["year"] == 2024]
    assert len(merged) == 168
    np.testing.assert_allclose(merged["risk_prev"], merged["risk_prev_ewp"], rtol=0, atol=1e-12)
    assert (merged["rank_prev"] == merged["rank_prev_ewp"]).all()


def test_foos_combines_two_forecasts():
    """maxrisk2/minrank2 take the larger risk and better rank of the forecasts from Y-1 and Y-2."""

    class _Panel:
        frame = pd.DataFrame({"year": [2001, 2002, 2003], "ewp_name": "A", "ccode": 1, "mk_onset": [0.0, 1.0, 0.0]})

    forecasts = pd.DataFrame(
        {"ewp_name": "A", "year": [2000, 2001, 2002], "risk": [0.1, 0.3, 0.2], "riskrank": [5, 1, 3]}
    )
    table = foos_table(_Panel(), forecasts)  # type: ignore[arg-type]
    assert table["year"].tolist() == [2001, 2002, 2003]
    assert table["maxrisk2"].tolist() == [0.1, 0.3, 0.3]
    assert table["minrank2"].tolist() == [5, 1, 1]
    assert pd.isna(table["risk_two_years_prior"].iloc[0])


@pytest.mark.parametrize(
    "model",
    [MonotoneBoostingRisk(n_estimators=30, min_child_samples=5), ElasticNetLogit(n_lambdas=30)],
    ids=["boosting", "elasticnet"],
)
def test_parallel_equals_serial(synthetic_csv, model):
    """Origins are independent: two threads, or two processes, give the same table as one."""
    panel = load_panel(synthetic_csv)
    serial = run_backtest(panel, model, n_jobs=1)
    threads = run_backtest(panel, model, n_jobs=2)
    processes = run_backtest(panel, model, n_jobs=2, prefer="processes")
    pd.testing.assert_frame_equal(serial.foos, threads.foos)
    pd.testing.assert_frame_equal(serial.foos, processes.foos)
    assert serial.origins == [1991, 1992, 1993]
    with pytest.raises(ValueError, match="prefer must be"):
        run_backtest(panel, model, prefer="fibers")


def test_dask_cluster_gives_the_same_result(synthetic_csv):
    """With a scheduler address the origins run on that Dask cluster, with identical results."""
    panel = load_panel(synthetic_csv)
    model = MonotoneBoostingRisk(n_estimators=30, min_child_samples=5)
    local = run_backtest(panel, model)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as c:
        seen: list[int] = []
        remote = run_backtest(panel, model, dask_scheduler=c.scheduler_address, on_origin_done=seen.append)
    pd.testing.assert_frame_equal(local.foos, remote.foos)
    assert sorted(seen) == [1991, 1992, 1993]
